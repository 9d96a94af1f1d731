import type { Kysely } from 'kysely';
import { noticeRecipients } from '../accounts/index.js';
import { appendAudit } from '../audit/index.js';
import { newId } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Database } from '../db/index.js';
import { staffTranslator } from '../i18n/index.js';
import { enqueueMail } from '../jobs/index.js';
import { CASE_HEADER } from '../mail/index.js';
import { type AccessStatement, findAccessStatements } from '../privacy/index.js';
import type { Program } from '../programs/index.js';
import { findEscalationByReport } from './escalation-store.js';
import { decidePendingClaim, findClaim, insertClaim, setClaimFlag } from './phi-claim-store.js';

/**
 * A reporter's words saying they reached PHI or personal data (`findAccessStatements`), found on
 * arrival of a report or of a later message. It is a flag for a decision — open a privacy
 * escalation or decline to, with a reason — not an escalation itself: words are less certain
 * than the form's yes/no question, which opens one at once. Distinct from the PHI guard, which
 * finds patient data *in* the report.
 */

/** Where the words were said and what they were; sealed, since they are the reporter's own. */
export interface ClaimFinding extends AccessStatement {
  /** A report field id (`message`, `subject` for mail) or `message:<id>` for a later message. */
  where: string;
}

export const claimAad = (reportId: string, what: 'findings' | 'decision') => `phi-claim:${reportId}:${what}`;

/** The statements in the free text of a report or message, each with where it was said. */
export function findClaims(parts: { where: string; text: unknown }[], program: Program): ClaimFinding[] {
  const found: ClaimFinding[] = [];
  for (const p of parts) {
    if (typeof p.text !== 'string' || p.text.trim() === '') continue;
    for (const s of findAccessStatements(p.text, program.definition.languages, 5 - found.length))
      found.push({ where: p.where, ...s });
    if (found.length >= 5) break;
  }
  return found;
}

type Q = Kysely<Database>;

/**
 * Record a detected statement inside the caller's transaction: the claim, the case's pending
 * flag, an audit entry (counts and languages, never the words) and a notice to the program's
 * privacy officers (else its admins and leads). A case has one claim: a later statement on a
 * case that already has one, or an escalation, changes nothing.
 */
export async function recordPhiClaim(
  trx: Q,
  deps: { sealer: Sealer; publicUrl: string },
  c: {
    program: Program;
    reportId: string;
    caseNumber: string;
    findings: ClaimFinding[];
    at: Date;
    actor: string;
  },
): Promise<boolean> {
  if (c.findings.length === 0) return false;
  if (await findClaim(trx, c.reportId)) return false;
  if (await findEscalationByReport(trx, c.reportId)) return false;
  const at = c.at.toISOString();
  await insertClaim(trx, {
    report_id: c.reportId,
    program_id: c.program.id,
    detected_at: at,
    findings_sealed: deps.sealer.sealJson(c.findings, claimAad(c.reportId, 'findings')),
    decision: null,
    decided_by: null,
    decided_at: null,
    decision_note_sealed: null,
  });
  await setClaimFlag(trx, c.reportId, true);
  const { emails, fallback } = await noticeRecipients(trx, c.program.id, 'privacy');
  await appendAudit(
    trx,
    {
      actor: c.actor,
      action: 'phi-claim.detected',
      programId: c.program.id,
      reportId: c.reportId,
      detail: {
        caseNumber: c.caseNumber,
        statements: c.findings.length,
        languages: [...new Set(c.findings.map((f) => f.language))],
        notified: emails.length,
        notifiedAs: fallback ? 'fallback' : 'privacy',
      },
    },
    c.at,
  );
  const { t } = staffTranslator(c.program.definition.languages);
  const vars = {
    caseNumber: c.caseNumber,
    program: c.program.definition.name,
    link: `${deps.publicUrl}/console/cases/${encodeURIComponent(c.caseNumber)}`,
  };
  const host = new URL(deps.publicUrl).hostname;
  for (const to of emails) {
    await enqueueMail(
      trx,
      deps.sealer,
      {
        to,
        subject: t('mail.phiClaim.subject', vars),
        text: [
          ...(fallback ? [t('mail.privacyEscalation.fallback', vars)] : []),
          t('mail.phiClaim.body', vars),
        ].join('\n\n'),
        messageId: `<${c.caseNumber.toLowerCase()}.phi-claim.${newId().slice(0, 8)}@${host}>`,
        headers: { [CASE_HEADER]: c.caseNumber },
      },
      { reportId: c.reportId, now: c.at },
    );
  }
  return true;
}

/** Settle a pending claim (in the caller's transaction) and clear the case's flag. */
export async function decideClaim(
  trx: Q,
  sealer: Sealer,
  c: { reportId: string; decision: 'escalated' | 'declined'; by: string; at: string; note?: string },
): Promise<void> {
  await decidePendingClaim(trx, c.reportId, {
    decision: c.decision,
    decided_by: c.by,
    decided_at: c.at,
    decision_note_sealed: c.note === undefined ? null : sealer.seal(c.note, claimAad(c.reportId, 'decision')),
  });
  await setClaimFlag(trx, c.reportId, false);
}
