import type { Kysely } from 'kysely';
import { noticeRecipients } from '../accounts/index.js';
import { appendAudit } from '../audit/index.js';
import { formatInstant, newId } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Database, PrivacyEscalationRow } from '../db/index.js';
import { type BusinessCalendar, deadlineAfter } from '../deadlines/index.js';
import { type MessageKey, staffTranslator } from '../i18n/index.js';
import { enqueueMail } from '../jobs/index.js';
import { CASE_HEADER, type OutgoingMail } from '../mail/index.js';
import type { Program } from '../programs/index.js';
import { DEFAULT_ESCALATION_DAYS } from '../programs/index.js';
import { CHECKLIST_ITEM_IDS, checklistLabel, emptyChecklist } from './checklist.js';
import { insertEscalation, updateEscalation } from './escalation-store.js';

/**
 * Why an escalation was opened: the reporter answered the form's PHI question with yes; staff
 * decided on the reporter's words saying so (a detected statement); or staff opened it by hand,
 * for any other reason they give.
 */
export type EscalationReason = 'reporter-accessed-phi' | 'reporter-stated-phi' | 'staff-opened';

/** The escalation deadline of a program, in calendar days. */
export const escalationDays = (program: Program): number =>
  program.definition.privacy?.escalationDays ?? DEFAULT_ESCALATION_DAYS;

/** Sealing context of the free text staff give when opening or closing an escalation. */
export const escalationNoteAad = (escalationId: string, which: 'open' | 'close') =>
  `privacy-escalation:${escalationId}:${which}-note`;

interface EscalationDeps {
  sealer: Sealer;
  publicUrl: string;
}

interface OpeningCase {
  program: Program;
  calendar: BusinessCalendar;
  reportId: string;
  caseNumber: string;
  /** When it opens: the receipt for a report's own answer, now for staff. */
  at: Date;
  reason: EscalationReason;
  actor: string;
  /** The staff member who opened it by hand, with their reason (sealed here). */
  openedBy?: { userId: string; note: string };
}

/**
 * Open the privacy escalation of a case, inside the caller's transaction: the escalation row, its
 * audit entry and the mails to the privacy officers commit together or not at all. The deadline
 * is the end of the Nth calendar day after the local day it opens in the program's zone — the
 * same rule as every other clock. Returns the escalation's id and due instant.
 */
export async function openPrivacyEscalation(
  trx: Kysely<Database>,
  deps: EscalationDeps,
  c: OpeningCase,
): Promise<{ id: string; dueAt: Date }> {
  const days = escalationDays(c.program);
  const dueAt = deadlineAfter(c.at, { calendarDays: days }, c.calendar);
  const id = newId();
  await insertEscalation(trx, {
    id,
    report_id: c.reportId,
    program_id: c.program.id,
    opened_at: c.at.toISOString(),
    due_at: dueAt.toISOString(),
    reason: c.reason,
    checklist: JSON.stringify(emptyChecklist()),
    closed_at: null,
    closed_by: null,
    opened_by: c.openedBy?.userId ?? null,
    open_note_sealed: c.openedBy ? deps.sealer.seal(c.openedBy.note, escalationNoteAad(id, 'open')) : null,
  });
  await announce(trx, deps, c, { id, dueAt, days, action: 'privacy-escalation.open' });
  return { id, dueAt };
}

/**
 * Open a closed escalation again (new information arrived): a new deadline from now, the same
 * checklist as it was left, the reason recorded; audited and announced like an opening.
 */
export async function reopenPrivacyEscalation(
  trx: Kysely<Database>,
  deps: EscalationDeps,
  row: PrivacyEscalationRow,
  c: OpeningCase & { openedBy: { userId: string; note: string } },
): Promise<{ dueAt: Date }> {
  const days = escalationDays(c.program);
  const dueAt = deadlineAfter(c.at, { calendarDays: days }, c.calendar);
  await updateEscalation(trx, row.id, {
    due_at: dueAt.toISOString(),
    reason: c.reason,
    closed_at: null,
    closed_by: null,
    close_note_sealed: null,
    opened_by: c.openedBy.userId,
    open_note_sealed: deps.sealer.seal(c.openedBy.note, escalationNoteAad(row.id, 'open')),
  });
  await announce(trx, deps, c, { id: row.id, dueAt, days, action: 'privacy-escalation.reopen' });
  return { dueAt };
}

/**
 * The audit entry and the officers' mails of an opening. The mails name the case number, the due
 * date and the console link, never report content or the staff member's reason, so they go out
 * in clear to staff. With nobody holding the `privacy` duty in the program they go to its admins
 * and leads (else the instance admins), and say so.
 */
async function announce(
  trx: Kysely<Database>,
  deps: EscalationDeps,
  c: OpeningCase,
  e: { id: string; dueAt: Date; days: number; action: string },
): Promise<void> {
  const { emails: recipients, fallback } = await noticeRecipients(trx, c.program.id, 'privacy');
  await appendAudit(
    trx,
    {
      actor: c.actor,
      action: e.action,
      programId: c.program.id,
      reportId: c.reportId,
      detail: {
        caseNumber: c.caseNumber,
        reason: c.reason,
        dueAt: e.dueAt.toISOString(),
        days: e.days,
        notified: recipients.length,
        notifiedAs: fallback ? 'fallback' : 'privacy',
        // Whether staff wrote a reason; the words themselves stay sealed on the escalation.
        ...(c.openedBy ? { noted: true } : {}),
      },
    },
    c.at,
  );
  const mailHost = new URL(deps.publicUrl).hostname;
  const { t, lang } = staffTranslator(c.program.definition.languages);
  const vars = {
    caseNumber: c.caseNumber,
    program: c.program.definition.name,
    due: formatInstant(e.dueAt, c.program.definition.calendar.timeZone, lang),
    days: e.days,
    checklist: CHECKLIST_ITEM_IDS.map((item) => `- ${checklistLabel(item, t)}`).join('\n'),
    link: `${deps.publicUrl}/console/cases/${encodeURIComponent(c.caseNumber)}`,
  };
  const why: Record<EscalationReason, MessageKey> = {
    'reporter-accessed-phi': 'mail.privacyEscalation.opened.body',
    'reporter-stated-phi': 'mail.privacyEscalation.stated.body',
    'staff-opened': 'mail.privacyEscalation.staff.body',
  };
  const text = [
    ...(fallback ? [t('mail.privacyEscalation.fallback', vars)] : []),
    t(why[c.reason], vars),
  ].join('\n\n');
  const subject =
    c.reason === 'reporter-accessed-phi'
      ? t('mail.privacyEscalation.opened.subject', vars)
      : t('mail.privacyEscalation.staff.subject', vars);
  for (const to of recipients) {
    const mail: OutgoingMail = {
      to,
      subject,
      text,
      messageId: `<${c.caseNumber.toLowerCase()}.privacy-escalation.${e.id.slice(0, 8)}.${newId().slice(0, 6)}@${mailHost}>`,
      headers: { [CASE_HEADER]: c.caseNumber },
    };
    await enqueueMail(trx, deps.sealer, mail, { reportId: c.reportId, now: c.at });
  }
}
