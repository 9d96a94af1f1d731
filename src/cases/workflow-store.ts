import type { Kysely, Updateable } from 'kysely';
import {
  type AuditRow,
  type Database,
  forUpdate,
  type ReportRow,
  type ReportTable,
  type UserRow,
} from '../db/index.js';

/** SQL of the case workflow: the case row under change, staff users, a case's audit trail. */

/**
 * The case row, read inside the transaction that will change it. On PostgreSQL the row stays
 * locked until the commit, so two concurrent actions on one case cannot both pass the state
 * check; SQLite serialises writers anyway (and the update below re-checks the state).
 */
export async function lockReport(trx: Kysely<Database>, id: string): Promise<ReportRow> {
  return forUpdate(trx.selectFrom('reports').selectAll().where('id', '=', id), trx).executeTakeFirstOrThrow();
}

export type CaseUpdate = Pick<
  Updateable<ReportTable>,
  | 'state'
  | 'assignee_id'
  | 'contact_person'
  | 'acknowledged_at'
  | 'verified_at'
  | 'summary_sent_at'
  | 'closed_at'
  | 'state_changed_at'
  | 'duplicate_of'
  | 'out_of_scope_category'
  | 'triage_outcome'
  | 'reply_token_hash'
  | 'updated_at'
>;

/** Update a case only if it is still in `expectedState`; false when it moved meanwhile. */
export async function updateCase(
  trx: Kysely<Database>,
  id: string,
  expectedState: string,
  set: CaseUpdate,
): Promise<boolean> {
  const r = await trx
    .updateTable('reports')
    .set(set)
    .where('id', '=', id)
    .where('state', '=', expectedState)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findReportById(db: Kysely<Database>, id: string): Promise<ReportRow | undefined> {
  return db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserById(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A staff user as a case names it (its assignee): id, name and email, nothing of its credentials. */
export function findStaffName(
  db: Kysely<Database>,
  id: string,
): Promise<{ id: string; name: string; email: string } | undefined> {
  return db.selectFrom('users').select(['id', 'name', 'email']).where('id', '=', id).executeTakeFirst();
}

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

export async function findUsersByIds(db: Kysely<Database>, ids: string[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
}

/** A case's audit entries in the order they were appended. */
export async function listCaseAudit(db: Kysely<Database>, reportId: string): Promise<AuditRow[]> {
  return db.selectFrom('audit_log').selectAll().where('report_id', '=', reportId).orderBy('seq').execute();
}
