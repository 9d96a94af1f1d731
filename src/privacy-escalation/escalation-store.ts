import type { Kysely } from 'kysely';
import { toMembership } from '../accounts/membership-store.js';
import type { Database, PrivacyEscalationRow } from '../db/index.js';

/** SQL for privacy escalations and the people they notify; every function takes `db` or `trx`. */

type Q = Kysely<Database>;

export async function insertEscalation(db: Q, row: PrivacyEscalationRow): Promise<void> {
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
  dialect: 'sqlite' | 'postgres',
): Promise<PrivacyEscalationRow | undefined> {
  const q = trx.selectFrom('privacy_escalations').selectAll().where('report_id', '=', reportId);
  return (dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
}

export async function updateEscalation(
  db: Q,
  id: string,
  set: Partial<Pick<PrivacyEscalationRow, 'checklist' | 'closed_at' | 'closed_by'>>,
): Promise<void> {
  await db.updateTable('privacy_escalations').set(set).where('id', '=', id).execute();
}

/** The enabled users holding the `privacy` duty in a program, by email. */
export async function privacyOfficerEmails(db: Q, programId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('program_members')
    .innerJoin('users', 'users.id', 'program_members.user_id')
    .select(['users.email', 'program_members.role', 'program_members.duties'])
    .where('program_members.program_id', '=', programId)
    .where('users.disabled', '=', 0)
    .orderBy('users.email')
    .execute();
  // Duties are a JSON array; read through the same parser as every permission check.
  return rows.filter((r) => toMembership(r)?.duties.includes('privacy')).map((r) => r.email);
}

/**
 * Who hears of an escalation when nobody holds the duty: the program's admins and leads, else
 * the instance admins, so the notice is never dropped.
 */
export async function escalationFallbackEmails(db: Q, programId: string): Promise<string[]> {
  const owners = await db
    .selectFrom('program_members')
    .innerJoin('users', 'users.id', 'program_members.user_id')
    .select('users.email')
    .where('program_members.program_id', '=', programId)
    .where('program_members.role', 'in', ['admin', 'lead'])
    .where('users.disabled', '=', 0)
    .orderBy('users.email')
    .execute();
  if (owners.length > 0) return owners.map((r) => r.email);
  const admins = await db
    .selectFrom('users')
    .select('email')
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .orderBy('email')
    .execute();
  return admins.map((r) => r.email);
}
