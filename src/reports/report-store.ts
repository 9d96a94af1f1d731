import type { Insertable } from 'kysely';
import { type Kysely, sql } from 'kysely';
import {
  type AttachmentRow,
  type AttachmentTable,
  type Database,
  jsonText,
  type MessageRow,
  type NewReport,
  type ReportRow,
  secondsBetween,
} from '../db/index.js';

/** SQL for reports (cases), their attachments and messages. Functions take `db` or a transaction first. */

/**
 * Take the next case number of a program for a year, atomically. The upsert holds the row lock
 * until the surrounding transaction ends, so two concurrent submissions never share a number.
 */
export async function nextCaseSequence(
  db: Kysely<Database>,
  programId: string,
  year: number,
): Promise<number> {
  const row = await db
    .insertInto('case_counters')
    .values({ program_id: programId, year, last_number: 1 })
    .onConflict((oc) =>
      oc.columns(['program_id', 'year']).doUpdateSet({ last_number: sql`case_counters.last_number + 1` }),
    )
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return Number(row.last_number);
}

export async function insertReport(db: Kysely<Database>, row: NewReport): Promise<void> {
  await db.insertInto('reports').values(row).execute();
}

export async function insertAttachment(
  db: Kysely<Database>,
  row: Insertable<AttachmentTable>,
): Promise<void> {
  await db.insertInto('attachments').values(row).execute();
}

export async function insertMessage(db: Kysely<Database>, row: MessageRow): Promise<void> {
  await db.insertInto('messages').values(row).execute();
}

export async function findReportByNumber(
  db: Kysely<Database>,
  caseNumber: string,
): Promise<ReportRow | undefined> {
  return db.selectFrom('reports').selectAll().where('case_number', '=', caseNumber).executeTakeFirst();
}

export async function findReportByTokenHash(
  db: Kysely<Database>,
  tokenHash: string,
): Promise<ReportRow | undefined> {
  return db.selectFrom('reports').selectAll().where('reporter_token_hash', '=', tokenHash).executeTakeFirst();
}

/** The report with this id; throws when there is none (for a case the caller already holds). */
export async function reportById(db: Kysely<Database>, id: string): Promise<ReportRow> {
  return db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The message with this id; throws when there is none. */
export async function messageById(db: Kysely<Database>, id: string): Promise<MessageRow> {
  return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function listAttachments(db: Kysely<Database>, reportId: string): Promise<AttachmentRow[]> {
  return db
    .selectFrom('attachments')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findAttachment(
  db: Kysely<Database>,
  reportId: string,
  id: string,
): Promise<AttachmentRow | undefined> {
  return db
    .selectFrom('attachments')
    .selectAll()
    .where('report_id', '=', reportId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listMessages(
  db: Kysely<Database>,
  reportId: string,
  visibility?: 'reporter',
): Promise<MessageRow[]> {
  let q = db.selectFrom('messages').selectAll().where('report_id', '=', reportId);
  if (visibility) q = q.where('visibility', '=', visibility);
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function touchReport(db: Kysely<Database>, id: string, at: string): Promise<void> {
  await db.updateTable('reports').set({ updated_at: at }).where('id', '=', id).execute();
}

/** A case that may owe a clock warning, with what the warning job needs to decide and address it. */
export interface ClockWarningCandidate {
  id: string;
  program_id: string;
  case_number: string;
  received_at: string;
  deadlines: string;
  acknowledged_at: string | null;
  verified_at: string | null;
  summary_sent_at: string | null;
  closed_at: string | null;
  assignee_id: string | null;
}

const WARNED_CLOCKS = [
  ['acknowledge', 'acknowledged_at'],
  ['verify', 'verified_at'],
  ['summary', 'summary_sent_at'],
] as const;

/**
 * Open cases with a running clock that has used at least `minFraction` of its wall time and has
 * no marker yet for the level it is at (`breach` once past due, `warning` before). The fraction
 * is only a pre-filter in SQL (each dialect's date arithmetic); the caller decides exactly with
 * clocks.ts, so pass a little less than the real threshold. Warned-out cases drop out here.
 */
export async function listClockWarningCandidates(
  db: Kysely<Database>,
  q: { now: string; minFraction: number; after?: string; limit: number },
): Promise<ClockWarningCandidate[]> {
  const due = (clock: string) => jsonText(db, 'reports.deadlines', clock);
  const receivedAt = sql.ref<string>('reports.received_at');
  const elapsedAtLeast = (dueAt: ReturnType<typeof due>) =>
    sql`${secondsBetween(db, receivedAt, sql.val(q.now))} >= ${q.minFraction} * ${secondsBetween(db, receivedAt, dueAt)}`;
  const owed = WARNED_CLOCKS.map(
    ([clock, stop]) => sql`(reports.${sql.ref(stop)} is null and ${due(clock)} is not null
      and ${elapsedAtLeast(due(clock))}
      and not exists (select 1 from clock_warnings w where w.report_id = reports.id
        and w.clock = ${clock} and w.level = case when ${due(clock)} < ${q.now} then 'breach' else 'warning' end))`,
  );
  let query = db
    .selectFrom('reports')
    .select([
      'id',
      'program_id',
      'case_number',
      'received_at',
      'deadlines',
      'acknowledged_at',
      'verified_at',
      'summary_sent_at',
      'closed_at',
      'assignee_id',
    ])
    .where('closed_at', 'is', null)
    .where(sql<boolean>`(${sql.join(owed, sql` or `)})`);
  if (q.after !== undefined) query = query.where('id', '>', q.after);
  return query.orderBy('id').limit(q.limit).execute();
}

/**
 * Record that a clock's warning of `level` was sent; false when it already was (by this or
 * another instance). The primary key settles races: the loser's insert does nothing.
 */
export async function markClockWarned(
  db: Kysely<Database>,
  m: { reportId: string; clock: string; level: 'warning' | 'breach'; at: string },
): Promise<boolean> {
  const rows = await db
    .insertInto('clock_warnings')
    .values({ report_id: m.reportId, clock: m.clock, level: m.level, created_at: m.at })
    .onConflict((oc) => oc.doNothing())
    .returning('report_id')
    .execute();
  return rows.length > 0;
}

/** Every blob key a row refers to (for sweeping blobs orphaned by a crash mid-submission). */
export async function referencedBlobKeys(db: Kysely<Database>, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('attachments').select('blob_key').where('blob_key', 'in', keys).execute();
  return new Set(rows.map((r) => r.blob_key));
}
