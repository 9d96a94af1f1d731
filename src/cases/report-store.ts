import { type Kysely, sql } from 'kysely';
import type { AttachmentRow, Database, MessageRow, NewReport, ReportRow } from '../db/index.js';

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

export async function insertAttachment(db: Kysely<Database>, row: AttachmentRow): Promise<void> {
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

export interface ReportPageQuery {
  programIds: string[];
  states?: string[];
  /** Keyset cursor: the (received_at, id) of the last row of the previous page. */
  after?: { receivedAt: string; id: string };
  limit: number;
}

/** Newest first, keyset-paginated: each page costs the same however deep it is. */
export async function listReportsPage(db: Kysely<Database>, q: ReportPageQuery): Promise<ReportRow[]> {
  if (q.programIds.length === 0) return [];
  let query = db.selectFrom('reports').selectAll().where('program_id', 'in', q.programIds);
  if (q.states && q.states.length > 0) query = query.where('state', 'in', q.states);
  const after = q.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('received_at', '<', after.receivedAt),
        eb.and([eb('received_at', '=', after.receivedAt), eb('id', '<', after.id)]),
      ]),
    );
  }
  return query.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
}

/** Every blob key a row refers to (for sweeping blobs orphaned by a crash mid-submission). */
export async function referencedBlobKeys(db: Kysely<Database>, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('attachments').select('blob_key').where('blob_key', 'in', keys).execute();
  return new Set(rows.map((r) => r.blob_key));
}
