import type { Insertable, Kysely } from 'kysely';
import {
  type Database,
  forUpdate,
  type PrivacyEscalationRow,
  type PrivacyEscalationTable,
} from '../db/index.js';

/**
 * SQL for privacy escalations and their reminders; every function takes `db` or `trx`. Who they
 * notify is decided by `noticeRecipients` (accounts).
 */

type Q = Kysely<Database>;

export async function insertEscalation(db: Q, row: Insertable<PrivacyEscalationTable>): Promise<void> {
  await db.insertInto('privacy_escalations').values(row).execute();
}

export async function findEscalationByReport(
  db: Q,
  reportId: string,
): Promise<PrivacyEscalationRow | undefined> {
  return db
    .selectFrom('privacy_escalations')
    .selectAll()
    .where('report_id', '=', reportId)
    .executeTakeFirst();
}

/** The escalation of a report, locked for update on PostgreSQL (SQLite serialises writers). */
export async function lockEscalationByReport(
  trx: Q,
  reportId: string,
): Promise<PrivacyEscalationRow | undefined> {
  const q = trx.selectFrom('privacy_escalations').selectAll().where('report_id', '=', reportId);
  return forUpdate(q, trx).executeTakeFirst();
}

export async function updateEscalation(
  db: Q,
  id: string,
  set: Partial<
    Pick<
      PrivacyEscalationRow,
      | 'checklist'
      | 'closed_at'
      | 'closed_by'
      | 'close_note_sealed'
      | 'due_at'
      | 'reason'
      | 'opened_by'
      | 'open_note_sealed'
    >
  >,
): Promise<void> {
  await db.updateTable('privacy_escalations').set(set).where('id', '=', id).execute();
}

/** An open escalation with its case number, as the reminder job reads it. */
export interface ReminderCandidate extends PrivacyEscalationRow {
  case_number: string;
}

/**
 * Open escalations due before `dueBefore` not yet reminded as overdue, by id after `after` (a
 * page of `limit`). A pre-filter: the reminder job decides which level, if any, is reached.
 */
export async function listReminderCandidates(
  db: Q,
  q: { dueBefore: string; after?: string; limit: number },
): Promise<ReminderCandidate[]> {
  let query = db
    .selectFrom('privacy_escalations as e')
    .innerJoin('reports', 'reports.id', 'e.report_id')
    .selectAll('e')
    .select('reports.case_number')
    .where('e.closed_at', 'is', null)
    .where('e.due_at', '<', q.dueBefore)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('privacy_escalation_reminders as r')
            .select('r.level')
            .whereRef('r.escalation_id', '=', 'e.id')
            .where('r.level', '=', 'overdue'),
        ),
      ),
    )
    .orderBy('e.id')
    .limit(q.limit);
  if (q.after !== undefined) query = query.where('e.id', '>', q.after);
  return query.execute();
}

/** Whether the escalation is still open, locking its row on PostgreSQL so a close waits for us. */
export async function isOpenForUpdate(trx: Q, id: string): Promise<boolean> {
  const q = trx.selectFrom('privacy_escalations').select('closed_at').where('id', '=', id);
  const row = await forUpdate(q, trx).executeTakeFirst();
  return row !== undefined && row.closed_at === null;
}

/**
 * Record that a reminder level was queued; false when it already was (the primary key makes
 * each level happen once per escalation, however many instances run the job).
 */
export async function markEscalationReminded(
  db: Q,
  row: { escalation_id: string; level: string; created_at: string },
): Promise<boolean> {
  const rows = await db
    .insertInto('privacy_escalation_reminders')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning('escalation_id')
    .execute();
  return rows.length > 0;
}

/** Users by id, as an escalation names them (who opened, ticked, closed or decided). */
export async function findUsers(
  db: Q,
  ids: string[],
): Promise<{ id: string; email: string; name: string }[]> {
  return db.selectFrom('users').select(['id', 'email', 'name']).where('id', 'in', ids).execute();
}
