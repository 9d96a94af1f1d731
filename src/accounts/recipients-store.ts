import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';

/** SQL behind `recipients.ts`: who can be told, always leaving disabled users out. */

type Q = Kysely<Database>;

/** A program's members whose accounts are enabled, by email, with role and duties as stored. */
export async function enabledMembers(
  db: Q,
  programId: string,
): Promise<{ email: string; role: string; duties: string }[]> {
  return db
    .selectFrom('program_members')
    .innerJoin('users', 'users.id', 'program_members.user_id')
    .select(['users.email', 'program_members.role', 'program_members.duties'])
    .where('program_members.program_id', '=', programId)
    .where('users.disabled', '=', 0)
    .orderBy('users.email')
    .execute();
}

/** The emails of the enabled instance admins, in order. */
export async function enabledInstanceAdminEmails(db: Q): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('email')
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .orderBy('email')
    .execute();
  return rows.map((r) => r.email);
}

/** The email of a user, unless the account is disabled (or gone). */
export async function enabledUserEmail(db: Q, userId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('email')
    .where('id', '=', userId)
    .where('disabled', '=', 0)
    .executeTakeFirst();
  return row?.email;
}
