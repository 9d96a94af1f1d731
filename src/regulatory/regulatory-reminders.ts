import { noticeRecipients } from '../accounts/index.js';
import type { Clock, WorkerLogger } from '../core/index.js';
import { formatInstant, newId } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Database, Db, Kysely } from '../db/index.js';
import { staffTranslator } from '../i18n/index.js';
import { createPeriodicPass, enqueueMail } from '../jobs/index.js';
import { CASE_HEADER, type OutgoingMail } from '../mail/index.js';
import type { Program, ProgramService } from '../programs/index.js';
import { describeWindow, dutyById, REGIME_INFO } from './duties.js';
import { productOf } from './regulatory-records.js';
import {
  assigneeOf,
  isClockOpenForUpdate,
  listOpenClocks,
  markClockReminded,
  type OpenClockRow,
} from './regulatory-store.js';

/**
 * Reminders of running regulatory clocks. Each clock is reminded when half of its window has
 * passed and again at four fifths, whatever its length — 12 h and about 5 h before a 24-hour
 * early warning, 30 and 12 days before a 60-day notice — so the lead time scales with the duty.
 * A reminder goes to the case's assignee and to the people the regime belongs to (the privacy
 * officers for HIPAA and GDPR, the program's leads for the product laws). When the due instant
 * passes with nothing on record, the miss is escalated to the program's leads and privacy
 * officers together. Each (clock, level) is marked in `regulatory_reminders` in the transaction
 * that queues its mails, so every level goes out once however many instances run the job; a
 * clock that is submitted or decided not reportable is never reminded again. A first pass that
 * finds a clock past several levels sends only the latest.
 *
 * The mails name the case, the duty, its regulation and due time — never report content.
 */

export const REGULATORY_REMINDERS = [
  { level: 'half', fraction: 0.5 },
  { level: 'four-fifths', fraction: 0.8 },
  { level: 'overdue', fraction: 1 },
] as const;
export type RegulatoryReminderLevel = (typeof REGULATORY_REMINDERS)[number]['level'];

const PAGE = 200;

/** The levels reached at `now` by a clock that started at `startedAt` and is due at `dueAt`. */
export function reachedRegulatoryLevels(
  startedAt: string,
  dueAt: string,
  now: Date,
): RegulatoryReminderLevel[] {
  const start = Date.parse(startedAt);
  const span = Date.parse(dueAt) - start;
  return REGULATORY_REMINDERS.filter((r) => now.getTime() >= start + span * r.fraction).map((r) => r.level);
}

export interface RegulatoryReminderJob {
  start(): void;
  stop(): Promise<void>;
  runOnce(now?: Date): Promise<{ reminders: number; queued: number }>;
}

export function createRegulatoryReminderJob(deps: {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  programs: Pick<ProgramService, 'list'>;
  publicUrl: string;
  logger?: WorkerLogger;
  intervalMs?: number;
}): RegulatoryReminderJob {
  const { db, sealer, clock } = deps;
  const k = db.kysely;
  const mailHost = new URL(deps.publicUrl).hostname;

  async function runOnce(now = clock.now()): Promise<{ reminders: number; queued: number }> {
    const programs = await deps.programs.list();
    const byId = new Map(programs.map((p) => [p.id, p]));
    let reminders = 0;
    let queued = 0;
    let after: { due: string; id: string } | undefined;
    for (;;) {
      const batch = await listOpenClocks(k, { programIds: [...byId.keys()], after, limit: PAGE });
      for (const c of batch) {
        const program = byId.get(c.program_id);
        if (!program || c.started_at === null || c.due_at === null) continue;
        const levels = reachedRegulatoryLevels(c.started_at, c.due_at, now);
        if (levels.length === 0) continue;
        const sent = await remind(c, program, levels, now);
        if (sent !== undefined) {
          reminders++;
          queued += sent;
        }
      }
      const last = batch[batch.length - 1];
      if (batch.length < PAGE || !last || last.due_at === null) break;
      after = { due: last.due_at, id: last.id };
    }
    return { reminders, queued };
  }

  async function recipients(
    trx: Kysely<Database>,
    c: OpenClockRow,
    program: Program,
    level: RegulatoryReminderLevel,
  ): Promise<string[]> {
    const opts = { assigneeId: await assigneeOf(trx, c.report_id) };
    const owner =
      REGIME_INFO[dutyById(c.duty).regime].approverDuty === 'privacy' ? 'privacy' : 'case-deadlines';
    if (level !== 'overdue') return (await noticeRecipients(trx, program.id, owner, opts)).emails;
    const leads = await noticeRecipients(trx, program.id, 'case-deadlines', opts);
    const officers = await noticeRecipients(trx, program.id, 'privacy');
    return [...new Set([...leads.emails, ...officers.emails])];
  }

  async function remind(
    c: OpenClockRow,
    program: Program,
    levels: RegulatoryReminderLevel[],
    now: Date,
  ): Promise<number | undefined> {
    const level = levels[levels.length - 1] as RegulatoryReminderLevel;
    const at = now.toISOString();
    return k.transaction().execute(async (trx) => {
      if (!(await isClockOpenForUpdate(trx, c.id))) return undefined;
      if (!(await markClockReminded(trx, { clock_id: c.id, level, created_at: at }))) return undefined;
      for (const earlier of levels.slice(0, -1))
        await markClockReminded(trx, { clock_id: c.id, level: earlier, created_at: at });
      const emails = await recipients(trx, c, program, level);
      for (const to of emails)
        await enqueueMail(trx, sealer, reminderMail(c, program, level, to), { reportId: c.report_id, now });
      return emails.length;
    });
  }

  function reminderMail(
    c: OpenClockRow,
    program: Program,
    level: RegulatoryReminderLevel,
    to: string,
  ): OutgoingMail {
    const def = program.definition;
    const { t, lang } = staffTranslator(def.languages);
    const duty = dutyById(c.duty);
    const vars = {
      caseNumber: c.case_number,
      program: def.name,
      duty: duty.title,
      regulation: REGIME_INFO[duty.regime].regulation,
      article: `${duty.source.document}, ${duty.source.article}`,
      recipient: duty.recipient,
      window: describeWindow(duty.window, productOf(program, c.product_id)?.regulatory),
      due: formatInstant(new Date(c.due_at as string), def.calendar.timeZone, lang),
      link: `${deps.publicUrl}/console/cases/${encodeURIComponent(c.case_number)}`,
    };
    const key = level === 'overdue' ? 'overdue' : 'reminder';
    return {
      to,
      subject: t(`mail.regulatory.${key}.subject`, vars),
      text: t(`mail.regulatory.${key}.body`, vars),
      messageId: `<${c.case_number.toLowerCase()}.regulatory-${c.duty}-${level}.${newId().slice(0, 8)}@${mailHost}>`,
      headers: { [CASE_HEADER]: c.case_number },
    };
  }

  return {
    ...createPeriodicPass({
      intervalMs: deps.intervalMs ?? 5 * 60_000,
      pass: () => runOnce(),
      report: ({ reminders, queued }) => {
        if (reminders > 0) deps.logger?.info({ reminders, queued }, 'regulatory reminders queued');
      },
      failure: 'regulatory reminder pass failed',
      logger: deps.logger,
    }),
    runOnce,
  };
}
