import { DateTime } from 'luxon';
import { noticeRecipients } from '../accounts/index.js';
import type { Clock, WorkerLogger } from '../core/index.js';
import { formatInstant, newId } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Db } from '../db/index.js';
import { staffTranslator } from '../i18n/index.js';
import { createPeriodicPass, enqueueMail } from '../jobs/index.js';
import { CASE_HEADER, type OutgoingMail } from '../mail/index.js';
import type { Program, ProgramService } from '../programs/index.js';
import { checklistLabel, readChecklist } from './checklist.js';
import {
  isOpenForUpdate,
  listReminderCandidates,
  markEscalationReminded,
  type ReminderCandidate,
} from './escalation-store.js';

/**
 * Reminders of open privacy escalations: 14 and 3 calendar days before the due date (from the
 * start of that day in the program's time zone) and once the deadline has passed, the same
 * people as the opening mail (the privacy officers, else the program's admins and leads, else
 * the instance admins) get a mail through the outbox. Each (escalation, level) is marked in
 * `privacy_escalation_reminders` in the same transaction as its mails, so every level goes out
 * once per escalation; a closed escalation is never reminded.
 *
 * A level whose moment came before the escalation was opened (a program with a deadline shorter
 * than 14 days) is never sent: the opening mail said it all. When the job first sees an
 * escalation past several levels (it was stopped for a while), it sends only the latest and
 * marks the earlier ones, as the deadline warnings do.
 *
 * The mails name the case number, the due time and the checklist items still open — never
 * report content — so they go out in clear to staff.
 */

export const ESCALATION_REMINDERS = [
  { level: '14-days', daysBefore: 14 },
  { level: '3-days', daysBefore: 3 },
  { level: 'overdue', daysBefore: 0 },
] as const;

export type EscalationReminderLevel = (typeof ESCALATION_REMINDERS)[number]['level'];

const DAY_MS = 86_400_000;
const PAGE = 200;

/**
 * When a level falls due: for `overdue` the due instant itself; otherwise the start of the
 * calendar day `daysBefore` days before the due date's day, in the program's zone.
 */
export function reminderMoment(dueAt: Date, daysBefore: number, timeZone: string): Date {
  if (daysBefore === 0) return dueAt;
  return DateTime.fromJSDate(dueAt, { zone: timeZone }).startOf('day').minus({ days: daysBefore }).toJSDate();
}

/** The latest level reached at `now` (after the escalation opened), and those before it. */
export function reachedLevels(
  e: { opened_at: string; due_at: string },
  now: Date,
  timeZone: string,
): EscalationReminderLevel[] {
  const opened = Date.parse(e.opened_at);
  const due = new Date(e.due_at);
  const reached: EscalationReminderLevel[] = [];
  for (const r of ESCALATION_REMINDERS) {
    const at = reminderMoment(due, r.daysBefore, timeZone).getTime();
    if (now.getTime() >= at && (r.daysBefore === 0 || at > opened)) reached.push(r.level);
  }
  return reached;
}

/** Calendar days from `now`'s local day to the due date's local day, in the program's zone. */
export function calendarDaysLeft(dueAt: Date, now: Date, timeZone: string): number {
  const day = (d: Date) => DateTime.fromJSDate(d, { zone: timeZone }).startOf('day');
  return Math.round(day(dueAt).diff(day(now), 'days').days);
}

export interface EscalationReminderJob {
  /** Runs every `intervalMs` (default fifteen minutes); a no-op when already running. */
  start(): void;
  /** Stops and waits for a run in flight. */
  stop(): Promise<void>;
  /** One pass at `now` (default: the clock's now); `queued` counts mails put in the outbox. */
  runOnce(now?: Date): Promise<{ reminders: number; queued: number }>;
}

export function createEscalationReminderJob(deps: {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  programs: Pick<ProgramService, 'list'>;
  publicUrl: string;
  logger?: WorkerLogger;
  intervalMs?: number;
}): EscalationReminderJob {
  const { db, sealer, clock } = deps;
  const k = db.kysely;
  const mailHost = new URL(deps.publicUrl).hostname;

  async function runOnce(now = clock.now()): Promise<{ reminders: number; queued: number }> {
    const programs = new Map((await deps.programs.list()).map((p) => [p.id, p]));
    // Pre-filter only: the 14-day reminder starts at most 15 days before the due instant.
    const dueBefore = new Date(now.getTime() + 16 * DAY_MS).toISOString();
    let reminders = 0;
    let queued = 0;
    let after: string | undefined;
    for (;;) {
      const batch = await listReminderCandidates(k, { dueBefore, after, limit: PAGE });
      for (const e of batch) {
        const program = programs.get(e.program_id);
        if (!program) continue;
        const levels = reachedLevels(e, now, program.definition.calendar.timeZone);
        if (levels.length === 0) continue;
        const sent = await remind(e, program, levels, now);
        if (sent !== undefined) {
          reminders++;
          queued += sent;
        }
      }
      if (batch.length < PAGE) break;
      after = batch[batch.length - 1]?.id;
    }
    return { reminders, queued };
  }

  /** Mark and mail the latest level reached; the mails queued, undefined if already sent or closed. */
  async function remind(
    e: ReminderCandidate,
    program: Program,
    levels: EscalationReminderLevel[],
    now: Date,
  ): Promise<number | undefined> {
    const level = levels[levels.length - 1] as EscalationReminderLevel;
    const at = now.toISOString();
    return k.transaction().execute(async (trx) => {
      // Closed since the candidates were read: no reminder, and nothing marked.
      if (!(await isOpenForUpdate(trx, e.id))) return undefined;
      if (!(await markEscalationReminded(trx, { escalation_id: e.id, level, created_at: at })))
        return undefined;
      for (const earlier of levels.slice(0, -1))
        await markEscalationReminded(trx, { escalation_id: e.id, level: earlier, created_at: at });
      const { emails, fallback } = await noticeRecipients(trx, program.id, 'privacy');
      for (const to of emails)
        await enqueueMail(trx, sealer, reminderMail(e, program, level, fallback, to, now), {
          reportId: e.report_id,
          now,
        });
      return emails.length;
    });
  }

  function reminderMail(
    e: ReminderCandidate,
    program: Program,
    level: EscalationReminderLevel,
    fallback: boolean,
    to: string,
    now: Date,
  ): OutgoingMail {
    const def = program.definition;
    const { t, lang } = staffTranslator(def.languages);
    const due = new Date(e.due_at);
    const open = readChecklist(e.checklist).filter((i) => !i.done);
    const vars = {
      caseNumber: e.case_number,
      program: def.name,
      due: formatInstant(due, def.calendar.timeZone, lang),
      left: t('duration.calendarDays', { n: calendarDaysLeft(due, now, def.calendar.timeZone) }),
      open:
        open.length > 0
          ? open.map((i) => `- ${checklistLabel(i.id, t)}`).join('\n')
          : t('mail.privacyEscalation.allDone'),
      link: `${deps.publicUrl}/console/cases/${encodeURIComponent(e.case_number)}`,
    };
    const key = level === 'overdue' ? 'overdue' : 'reminder';
    return {
      to,
      subject: t(`mail.privacyEscalation.${key}.subject`, vars),
      text: [
        ...(fallback ? [t('mail.privacyEscalation.fallback', vars)] : []),
        t(`mail.privacyEscalation.${key}.body`, vars),
      ].join('\n\n'),
      messageId: `<${e.case_number.toLowerCase()}.privacy-escalation-${level}.${newId().slice(0, 8)}@${mailHost}>`,
      headers: { [CASE_HEADER]: e.case_number },
    };
  }

  return {
    ...createPeriodicPass({
      intervalMs: deps.intervalMs ?? 15 * 60_000,
      pass: () => runOnce(),
      report: ({ reminders, queued }) => {
        if (reminders > 0) deps.logger?.info({ reminders, queued }, 'privacy escalation reminders queued');
      },
      failure: 'privacy escalation reminder pass failed',
      logger: deps.logger,
    }),
    runOnce,
  };
}
