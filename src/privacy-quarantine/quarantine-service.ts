import type { StaffCaller } from '../accounts/index.js';
import type { BlobStore } from '../blobs/index.js';
import { createRedactionService, type RedactionPartInput, type RedactionView } from './redaction-service.js';
import { createQuarantineReview, type QuarantinePartView, type ReviewDeps } from './review-service.js';

/**
 * The staff side of the PHI quarantine: review of held parts, release of false positives, and
 * redaction by two privacy officers. The visibility rule itself lives in the case services
 * (see visibility.ts), so every read path applies it.
 */
export function createPrivacyQuarantineService(
  deps: ReviewDeps & { blobs: Pick<BlobStore, 'get' | 'delete'> },
) {
  const review = createQuarantineReview(deps);
  const redactions = createRedactionService(deps);
  return {
    /** Held, released and redacted parts with live findings, and the case's redactions (audited). */
    async get(
      caller: StaffCaller,
      caseNumber: string,
    ): Promise<{ parts: QuarantinePartView[]; redactions: RedactionView[] }> {
      const parts = await review.parts(caller, caseNumber);
      return { parts, redactions: await redactions.list(caller, caseNumber) };
    },
    release: review.release,
    propose: redactions.propose,
    approve: redactions.approve,
    reject: redactions.reject,
  };
}

export type PrivacyQuarantineService = ReturnType<typeof createPrivacyQuarantineService>;
export type { QuarantinePartView, RedactionPartInput, RedactionView };
