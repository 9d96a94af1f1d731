import type { Kysely } from 'kysely';
import { ForbiddenError, VigilError } from '../core/index.js';
import type { Database } from '../db/index.js';
import { listQuarantineParts, partKey } from './quarantine-store.js';

/**
 * The visibility rule, for every read path: a part still held in quarantine is shown only to a
 * privacy officer of the program (the `privacy` duty). Services ask `caseQuarantine` once per
 * read and test each part with `held`; nothing here opens content.
 */
export interface CaseQuarantine {
  /** Whether the part is still held (kind `field` | `message` | `attachment`, with its id). */
  held(kind: string, ref: string): boolean;
  /** Ids of the content fields still held. */
  fields: string[];
  counts: { quarantined: number; redacted: number; released: number };
}

export async function caseQuarantine(db: Kysely<Database>, reportId: string): Promise<CaseQuarantine> {
  const parts = await listQuarantineParts(db, reportId);
  const held = new Set(
    parts.filter((p) => p.state === 'quarantined').map((p) => partKey(p.part_kind, p.part_ref)),
  );
  const count = (state: string) => parts.filter((p) => p.state === state).length;
  return {
    held: (kind, ref) => held.has(partKey(kind, ref)),
    fields: parts.filter((p) => p.state === 'quarantined' && p.part_kind === 'field').map((p) => p.part_ref),
    counts: { quarantined: count('quarantined'), redacted: count('redacted'), released: count('released') },
  };
}

/** The name a held attachment is shown under to those who may not see it. */
export const QUARANTINED_ATTACHMENT_NAME = 'quarantined attachment';

/** 403 `quarantined`: the attachment is held and the caller is not a privacy officer of the program. */
export class QuarantinedError extends VigilError {
  constructor() {
    super(
      403,
      'quarantined',
      'This attachment is held in privacy quarantine; only a privacy officer of the program can open it.',
    );
  }
}

/** Refusal for the review endpoints: 403 for readers of the case without the privacy duty. */
export const notPrivacyOfficer = (programSlug: string) =>
  new ForbiddenError(
    `Only a privacy officer of ${programSlug} (the privacy duty) may review the privacy quarantine.`,
  );
