import type { Insertable, Kysely } from 'kysely';
import { toMembership } from '../accounts/index.js';
import type { Database, PrivacyEscalationRow, PrivacyEscalationTable } from '../db/index.js';

/** SQL for privacy escalations and the people they notify; every function takes `db` or `trx`. */

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
  dialect: 'sqlite' | 'postgres',
): Promise<PrivacyEscalationRow | undefined> {
  const q = trx.selectFrom('privacy_escalations').selectAll().where('report_id', '=', reportId);
  return (dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
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
export async function isOpenForUpdate(trx: Q, id: string, dialect: 'sqlite' | 'postgres'): Promise<boolean> {
  const q = trx.selectFrom('privacy_escalations').select('closed_at').where('id', '=', id);
  const row = await (dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
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

/**
 * Who hears of an escalation: the program's privacy officers, else (`fallback`) its admins and
 * leads, else the instance admins — for the opening mail and every reminder alike.
 */
export async function escalationRecipients(
  db: Q,
  programId: string,
): Promise<{ emails: string[]; fallback: boolean }> {
  const officers = await privacyOfficerEmails(db, programId);
  if (officers.length > 0) return { emails: officers, fallback: false };
  return { emails: await escalationFallbackEmails(db, programId), fallback: true };
}
