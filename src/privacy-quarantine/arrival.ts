import type { Kysely } from 'kysely';
import { noticeRecipients } from '../accounts/index.js';
import { appendAudit } from '../audit/index.js';
import { newId } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Database } from '../db/index.js';
import { enqueueMail } from '../jobs/index.js';
import { CASE_HEADER, type OutgoingMail } from '../mail/index.js';
import type { Program } from '../programs/index.js';
import { insertQuarantinePart, refreshPhiFlag } from './quarantine-store.js';
import type { FlaggedPart } from './scanner.js';

/**
 * Record what the guard flagged, inside the transaction that stores the parts: the quarantine
 * rows, the case's PHI flag, an audit entry (kinds and counts) and one mail per officer saying
 * the case holds content in quarantine. The mail names the case number and kinds only, so it
 * goes out in clear to staff like the privacy escalation's notice, and to the same people: the
 * program's privacy officers, else its admins and leads, else the instance admins.
 */
export async function recordArrivalQuarantine(
  trx: Kysely<Database>,
  deps: { sealer: Sealer; publicUrl: string },
  c: {
    program: Program;
    reportId: string;
    caseNumber: string;
    parts: FlaggedPart[];
    at: Date;
    actor: string;
    /** What arrived: a new report or a reporter message on an existing case. */
    arrival: 'report' | 'message';
  },
): Promise<void> {
  if (c.parts.length === 0) return;
  const at = c.at.toISOString();
  for (const p of c.parts) {
    await insertQuarantinePart(trx, {
      id: newId(),
      report_id: c.reportId,
      program_id: c.program.id,
      part_kind: p.kind,
      part_ref: p.ref,
      state: 'quarantined',
      kinds: JSON.stringify(p.kinds),
      scanned_bytes: p.scannedBytes ?? null,
      truncated: p.truncated === undefined ? null : p.truncated ? 1 : 0,
      detected_at: at,
      resolved_at: null,
      resolved_by: null,
      resolve_reason_sealed: null,
    });
  }
  await refreshPhiFlag(trx, c.reportId);
  const kinds = [...new Set(c.parts.flatMap((p) => p.kinds))].sort();
  const { emails: recipients, fallback } = await noticeRecipients(trx, c.program.id, 'privacy');
  await appendAudit(
    trx,
    {
      actor: c.actor,
      action: 'quarantine.hold',
      programId: c.program.id,
      reportId: c.reportId,
      detail: {
        caseNumber: c.caseNumber,
        arrival: c.arrival,
        parts: countBy(c.parts.map((p) => p.kind)),
        kinds,
        truncated: c.parts.filter((p) => p.truncated).length,
        unfinished: c.parts.filter((p) => p.unfinished).length,
        notified: recipients.length,
        notifiedAs: fallback ? 'fallback' : 'privacy',
      },
    },
    c.at,
  );
  const host = new URL(deps.publicUrl).hostname;
  const tag = newId().slice(0, 8);
  for (const to of recipients) {
    const mail: OutgoingMail = {
      to,
      subject: `[${c.caseNumber}] Content held in privacy quarantine`,
      text: [
        ...(fallback
          ? [
              `Nobody holds the privacy duty in ${c.program.definition.name}, so this notice comes to ` +
                'you as an admin or lead of the program. Please review it or give the privacy duty to ' +
                'the privacy officer.',
            ]
          : []),
        `Content of case ${c.caseNumber} (${c.program.definition.name}) is held in privacy quarantine: ` +
          `the PHI guard found what looks like personal or health information${c.parts.some((p) => p.unfinished) ? ', or could not finish checking,' : ''} in ${describeParts(c.parts)} ` +
          `of ${c.arrival === 'report' ? 'the new report' : 'a new message from the reporter'}.`,
        ...(kinds.length > 0 ? [`Kinds found: ${kinds.join(', ')}.`] : []),
        ...(c.parts.some((p) => p.unfinished)
          ? [
              `The guard could not finish checking ${describeParts(c.parts.filter((p) => p.unfinished))} ` +
                'within its time budget, so that content is held until someone reviews it.',
            ]
          : []),
        'Only privacy officers of the program can see it until it is released or redacted.',
        `Review it: ${deps.publicUrl}/console/cases/${encodeURIComponent(c.caseNumber)}`,
      ].join('\n\n'),
      messageId: `<${c.caseNumber.toLowerCase()}.phi-quarantine.${tag}@${host}>`,
      headers: { [CASE_HEADER]: c.caseNumber },
    };
    await enqueueMail(trx, deps.sealer, mail, { reportId: c.reportId, now: c.at });
  }
}

function countBy(items: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i] = (out[i] ?? 0) + 1;
  return out;
}

function describeParts(parts: FlaggedPart[]): string {
  const n = countBy(parts.map((p) => p.kind));
  const words: string[] = [];
  if (n.field) words.push(`${n.field} field${n.field > 1 ? 's' : ''}`);
  if (n.message) words.push(`${n.message} message${n.message > 1 ? 's' : ''}`);
  if (n.attachment) words.push(`${n.attachment} attachment${n.attachment > 1 ? 's' : ''}`);
  return words.join(', ');
}
