import { newId } from '../core/index.js';
import type { Database, Kysely } from '../db/index.js';
import { insertAdverseEvent, lockAdverseEvent, setAdverseEventReasons } from './regulatory-store.js';

/**
 * Adverse-event routing: a case whose patient-safety harm is serious or worse, or that records a
 * device malfunction, gets one complaint/vigilance record for the vendor's quality system. It is
 * numbered after the case (`AE-<case number>`) so the two systems can find each other, and
 * collects every reason it was opened for; it never closes here — the quality system owns it.
 */

export type AdverseEventReason =
  | 'device-malfunction'
  | 'harm-serious'
  | 'harm-critical'
  | 'harm-catastrophic';

export const adverseEventNumber = (caseNumber: string) => `AE-${caseNumber}`;

/** Open the record or add a reason to it, in the caller's transaction. */
export async function noteAdverseEvent(
  trx: Kysely<Database>,
  e: { reportId: string; programId: string; caseNumber: string; reason: string; at: Date },
): Promise<void> {
  const existing = await lockAdverseEvent(trx, e.reportId);
  if (!existing) {
    await insertAdverseEvent(trx, {
      id: newId(),
      report_id: e.reportId,
      program_id: e.programId,
      number: adverseEventNumber(e.caseNumber),
      opened_at: e.at.toISOString(),
      reasons: JSON.stringify([e.reason]),
    });
    return;
  }
  const reasons = JSON.parse(existing.reasons) as string[];
  if (!reasons.includes(e.reason))
    await setAdverseEventReasons(trx, existing.id, JSON.stringify([...reasons, e.reason]));
}
