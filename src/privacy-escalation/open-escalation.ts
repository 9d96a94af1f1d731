import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/index.js';
import { newId } from '../core/ids.js';
import { formatInstant } from '../core/time-format.js';
import type { Sealer } from '../crypto/index.js';
import type { Database } from '../db/index.js';
import { type BusinessCalendar, deadlineAfter } from '../deadlines/index.js';
import { staffTranslator } from '../i18n/index.js';
import { enqueueMail } from '../jobs/outbox.js';
import { CASE_HEADER, type OutgoingMail } from '../mail/outgoing-mail.js';
import type { Program } from '../programs/index.js';
import { DEFAULT_ESCALATION_DAYS } from '../programs/program-schema.js';
import { CHECKLIST_ITEM_IDS, checklistLabel, emptyChecklist } from './checklist.js';
import { escalationRecipients, insertEscalation } from './escalation-store.js';

/** Why an escalation was opened; the reporter's own answer is the only reason so far. */
export type EscalationReason = 'reporter-accessed-phi';

/** The escalation deadline of a program, in calendar days. */
export const escalationDays = (program: Program): number =>
  program.definition.privacy?.escalationDays ?? DEFAULT_ESCALATION_DAYS;

/**
 * Open the privacy escalation of a new case, inside the transaction that makes the case: the
 * escalation row, its audit entry and the mails to the privacy officers commit with the report
 * or not at all. The deadline is the end of the Nth calendar day after the local day of receipt
 * in the program's zone — the same rule as every other clock.
 *
 * The mails name the case number, the due date and the console link, never report content, so
 * they go out in clear to staff. With nobody holding the `privacy` duty in the program they go
 * to its admins and leads (else the instance admins), and say so.
 */
export async function openPrivacyEscalation(
  trx: Kysely<Database>,
  deps: { sealer: Sealer; publicUrl: string; dialect: 'sqlite' | 'postgres' },
  c: {
    program: Program;
    calendar: BusinessCalendar;
    reportId: string;
    caseNumber: string;
    receivedAt: Date;
    reason: EscalationReason;
    actor: string;
  },
): Promise<void> {
  const days = escalationDays(c.program);
  const dueAt = deadlineAfter(c.receivedAt, { calendarDays: days }, c.calendar);
  const { emails: recipients, fallback } = await escalationRecipients(trx, c.program.id);
  const id = newId();
  await insertEscalation(trx, {
    id,
    report_id: c.reportId,
    program_id: c.program.id,
    opened_at: c.receivedAt.toISOString(),
    due_at: dueAt.toISOString(),
    reason: c.reason,
    checklist: JSON.stringify(emptyChecklist()),
    closed_at: null,
    closed_by: null,
  });
  await appendAudit(
    trx,
    {
      actor: c.actor,
      action: 'privacy-escalation.open',
      programId: c.program.id,
      reportId: c.reportId,
      detail: {
        caseNumber: c.caseNumber,
        reason: c.reason,
        dueAt: dueAt.toISOString(),
        days,
        notified: recipients.length,
        notifiedAs: fallback ? 'fallback' : 'privacy',
      },
    },
    c.receivedAt,
    deps.dialect,
  );
  const mailHost = new URL(deps.publicUrl).hostname;
  const { t, lang } = staffTranslator(c.program.definition.languages);
  const vars = {
    caseNumber: c.caseNumber,
    program: c.program.definition.name,
    due: formatInstant(dueAt, c.program.definition.calendar.timeZone, lang),
    days,
    checklist: CHECKLIST_ITEM_IDS.map((item) => `- ${checklistLabel(item, t)}`).join('\n'),
    link: `${deps.publicUrl}/console/cases/${encodeURIComponent(c.caseNumber)}`,
  };
  const text = [
    ...(fallback ? [t('mail.privacyEscalation.fallback', vars)] : []),
    t('mail.privacyEscalation.opened.body', vars),
  ].join('\n\n');
  for (const to of recipients) {
    const mail: OutgoingMail = {
      to,
      subject: t('mail.privacyEscalation.opened.subject', vars),
      text,
      messageId: `<${c.caseNumber.toLowerCase()}.privacy-escalation.${id.slice(0, 8)}@${mailHost}>`,
      headers: { [CASE_HEADER]: c.caseNumber },
    };
    await enqueueMail(trx, deps.sealer, mail, { reportId: c.reportId, now: c.receivedAt });
  }
}
