import { noticeRecipients } from '../accounts/index.js';
import type { Clock, WorkerLogger } from '../core/index.js';
import { newId } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Db, PolicyDocumentRow } from '../db/index.js';
import { staffTranslator } from '../i18n/index.js';
import { createPeriodicPass, enqueueMail } from '../jobs/index.js';
import type { OutgoingMail } from '../mail/index.js';
import type { Program, ProgramService } from '../programs/index.js';
import { DAY_MS, localDate, REMINDER_LEAD_DAYS, reviewDueAt } from './policy-rules.js';
import { findVersionInState, listAllDocuments, markReminded } from './policy-store.js';

/**
 * Review reminders: 30 days before a published policy's review is due, and again when it falls
 * due, the program's owners (admins and leads, else the instance admins) get a mail through the
 * outbox. Each (document, due date, level) is marked in `policy_review_reminders` in the same
 * transaction as its mails, so a reminder goes out once however often the job runs; a review
 * moves the due date, and the next cycle is reminded afresh.
 */

export interface PolicyReminderJob {
  start(): void;
  stop(): Promise<void>;
  /** One pass at `now` (default: the clock's now); `queued` counts mails put in the outbox. */
  runOnce(now?: Date): Promise<{ reminders: number; queued: number }>;
}

export function createPolicyReminderJob(deps: {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  programs: Pick<ProgramService, 'list'>;
  publicUrl: string;
  logger?: WorkerLogger;
  intervalMs?: number;
}): PolicyReminderJob {
  const { db, sealer, clock } = deps;
  const k = db.kysely;
  const mailHost = new URL(deps.publicUrl).hostname;

  async function runOnce(now = clock.now()): Promise<{ reminders: number; queued: number }> {
    const programs = new Map((await deps.programs.list()).map((p) => [p.id, p]));
    let reminders = 0;
    let queued = 0;
    for (const doc of await listAllDocuments(k)) {
      const program = programs.get(doc.program_id);
      const due = reviewDueAt(doc);
      if (!program || !due) continue;
      if (now.getTime() < due.getTime() - REMINDER_LEAD_DAYS * DAY_MS) continue;
      // Only a published policy is under review; a document without one has nothing to review.
      if (!(await findVersionInState(k, doc.id, ['published']))) continue;
      const level = now.getTime() >= due.getTime() ? 'due' : 'upcoming';
      const sent = await remind(doc, program, due, level, now);
      if (sent !== undefined) {
        reminders++;
        queued += sent;
      }
    }
    return { reminders, queued };
  }

  async function remind(
    doc: PolicyDocumentRow,
    program: Program,
    due: Date,
    level: 'upcoming' | 'due',
    now: Date,
  ): Promise<number | undefined> {
    const { emails: recipients } = await noticeRecipients(k, program.id, 'policy-reviews');
    const at = now.toISOString();
    const dueAt = due.toISOString();
    return k.transaction().execute(async (trx) => {
      if (!(await markReminded(trx, { document_id: doc.id, due_at: dueAt, level, created_at: at })))
        return undefined;
      // A review first seen past due skips the early reminder: the due one says more.
      if (level === 'due')
        await markReminded(trx, { document_id: doc.id, due_at: dueAt, level: 'upcoming', created_at: at });
      for (const to of recipients)
        await enqueueMail(trx, sealer, reminderMail(doc, program, due, level, to), { now });
      return recipients.length;
    });
  }

  function reminderMail(
    doc: PolicyDocumentRow,
    program: Program,
    due: Date,
    level: 'upcoming' | 'due',
    to: string,
  ): OutgoingMail {
    // In the program's first language (English when it has no catalogue); the date is ISO,
    // which reads the same in every language.
    const { t } = staffTranslator(program.definition.languages);
    const vars = {
      date: localDate(due, program.definition.calendar.timeZone),
      program: program.definition.name,
      title: doc.title,
      link: `${deps.publicUrl}/console/programs/${encodeURIComponent(program.slug)}/policies/${encodeURIComponent(doc.kind)}`,
    };
    return {
      to,
      subject: t(`mail.policyReview.${level}.subject`, vars),
      text: t(`mail.policyReview.${level}.body`, vars),
      messageId: `<policy-review.${level}.${newId().slice(0, 8)}@${mailHost}>`,
    };
  }

  return {
    ...createPeriodicPass({
      intervalMs: deps.intervalMs ?? 3_600_000,
      pass: () => runOnce(),
      report: ({ reminders, queued }) => {
        if (reminders > 0) deps.logger?.info({ reminders, queued }, 'policy review reminders queued');
      },
      failure: 'policy review reminder pass failed',
      logger: deps.logger,
    }),
    runOnce,
  };
}
