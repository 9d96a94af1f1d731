import { noticeRecipients } from '../accounts/index.js';
import type { Clock, WorkerLogger } from '../core/index.js';
import { formatInstant, newId } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Db } from '../db/index.js';
import { createTranslator } from '../i18n/index.js';
import { createPeriodicPass, enqueueMail } from '../jobs/index.js';
import { CASE_HEADER, type OutgoingMail } from '../mail/index.js';
import type { CalendarCache, Program, ProgramService } from '../programs/index.js';
import { type ClockWarningCandidate, listClockWarningCandidates, markClockWarned } from '../reports/index.js';
import { type CaseClock, caseClocks, isRunning } from './clocks.js';

/**
 * Deadline warnings: when a running clock has used 80 % of its time, and again when it passes
 * its due instant, the assignee and the program's leads (else its admins, else the instance
 * admins) get a mail through the outbox. Each (case, clock, level) is marked in
 * `clock_warnings` in the same transaction as its mails; the marker's primary key makes the
 * warning happen once, however often the job runs and however many instances run it.
 *
 * The mails name the case number, the clock, the due time in the program's zone and the console
 * link — never report content, so they go out in clear to staff.
 */

export const WARNING_FRACTION = 0.8;

export interface ClockWarningJob {
  /** Runs every `intervalMs` (default one minute); a no-op when already running. */
  start(): void;
  /** Stops and waits for a run in flight. */
  stop(): Promise<void>;
  /** One pass at `now` (default: the clock's now); `queued` counts mails put in the outbox. */
  runOnce(now?: Date): Promise<{ warnings: number; queued: number }>;
}

export function createClockWarningJob(deps: {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  programs: Pick<ProgramService, 'list'>;
  calendars: CalendarCache;
  publicUrl: string;
  logger?: WorkerLogger;
  intervalMs?: number;
}): ClockWarningJob {
  const { db, sealer, clock, calendars } = deps;
  const k = db.kysely;
  const intervalMs = deps.intervalMs ?? 60_000;
  const mailHost = new URL(deps.publicUrl).hostname;
  const t = createTranslator('en');

  async function runOnce(now = clock.now()): Promise<{ warnings: number; queued: number }> {
    const programs = new Map((await deps.programs.list()).map((p) => [p.id, p]));
    let warnings = 0;
    let queued = 0;
    let after: string | undefined;
    for (;;) {
      const batch = await listClockWarningCandidates(k, {
        now: now.toISOString(),
        // SQL date arithmetic is a pre-filter only; clocks.ts decides to the millisecond.
        minFraction: WARNING_FRACTION - 0.01,
        after,
        limit: 200,
      });
      for (const row of batch) {
        const program = programs.get(row.program_id);
        if (!program) continue;
        for (const c of caseClocks(row, calendars.forProgram(program), now)) {
          if (!isRunning(c) || c.fractionUsed < WARNING_FRACTION) continue;
          const sent = await warn(row, program, c, now);
          if (sent !== undefined) {
            warnings++;
            queued += sent;
          }
        }
      }
      if (batch.length < 200) break;
      after = batch[batch.length - 1]?.id;
    }
    return { warnings, queued };
  }

  /** Mark and mail one clock's warning; the number of mails queued, undefined if already warned. */
  async function warn(
    row: ClockWarningCandidate,
    program: Program,
    c: CaseClock,
    now: Date,
  ): Promise<number | undefined> {
    const level = c.state === 'breached' ? 'breach' : 'warning';
    const at = now.toISOString();
    const { emails: recipients } = await noticeRecipients(k, program.id, 'case-deadlines', {
      assigneeId: row.assignee_id,
    });
    return k.transaction().execute(async (trx) => {
      if (!(await markClockWarned(trx, { reportId: row.id, clock: c.name, level, at }))) return undefined;
      // A clock first seen past due skips its 80 % mail: the breach says more, and later.
      if (level === 'breach')
        await markClockWarned(trx, { reportId: row.id, clock: c.name, level: 'warning', at });
      for (const to of recipients) {
        await enqueueMail(trx, sealer, warningMail(row, program, c, level, to), { reportId: row.id, now });
      }
      return recipients.length;
    });
  }

  function warningMail(
    row: ClockWarningCandidate,
    program: Program,
    c: CaseClock,
    level: 'warning' | 'breach',
    to: string,
  ): OutgoingMail {
    const vars = {
      caseNumber: row.case_number,
      program: program.definition.name,
      clock: t(`clock.${c.name}`),
      due: formatInstant(c.due, program.definition.calendar.timeZone),
      link: `${deps.publicUrl}/console/cases/${encodeURIComponent(row.case_number)}`,
    };
    return {
      to,
      subject: t(`mail.clock.${level}.subject`, vars),
      text: t(`mail.clock.${level}.body`, vars),
      messageId: `<${row.case_number.toLowerCase()}.clock-${c.name}-${level}.${newId().slice(0, 8)}@${mailHost}>`,
      headers: { [CASE_HEADER]: row.case_number },
    };
  }

  return {
    ...createPeriodicPass({
      intervalMs: intervalMs,
      pass: () => runOnce(),
      report: ({ warnings, queued }) => {
        if (warnings > 0) deps.logger?.info({ warnings, queued }, 'deadline warnings queued');
      },
      failure: 'deadline warning pass failed',
      logger: deps.logger,
    }),
    runOnce,
  };
}
