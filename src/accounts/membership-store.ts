import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/index.js';
import { DUTIES, type Duty, ROLES, type Role } from './roles.js';

/** A user's place in one program: the role there and the duties on top of it. */
export interface Membership {
  role: Role;
  duties: Duty[];
}

type Q = Kysely<Database> | Transaction<Database>;

/**
 * Rows are read defensively: a role or duty this release does not know (written by a newer one,
 * or by hand) grants nothing rather than failing every request of that user.
 */
export function toMembership(row: { role: string; duties: string }): Membership | null {
  if (!(ROLES as readonly string[]).includes(row.role)) return null;
  let duties: unknown;
  try {
    duties = JSON.parse(row.duties);
  } catch {
    duties = [];
  }
  return {
    role: row.role as Role,
    duties: Array.isArray(duties) ? DUTIES.filter((d) => duties.includes(d)) : [],
  };
}

/** The user's membership of one program, or null. */
export async function findMembership(db: Q, userId: string, programId: string): Promise<Membership | null> {
  const row = await db
    .selectFrom('program_members')
    .select(['role', 'duties'])
    .where('user_id', '=', userId)
    .where('program_id', '=', programId)
    .executeTakeFirst();
  return row ? toMembership(row) : null;
}

/** Every membership of the user, by program id. */
export async function listMemberships(db: Q, userId: string): Promise<Map<string, Membership>> {
  const rows = await db
    .selectFrom('program_members')
    .select(['program_id', 'role', 'duties'])
    .where('user_id', '=', userId)
    .execute();
  const out = new Map<string, Membership>();
  for (const r of rows) {
    const m = toMembership(r);
    if (m) out.set(r.program_id, m);
  }
  return out;
}

/** Insert or replace the user's membership of a program (one statement, safe against a racing grant). */
export async function upsertMembership(
  trx: Transaction<Database>,
  row: { userId: string; programId: string; role: Role; duties: readonly Duty[]; now: string },
): Promise<void> {
  const duties = JSON.stringify(DUTIES.filter((d) => row.duties.includes(d)));
  await trx
    .insertInto('program_members')
    .values({ user_id: row.userId, program_id: row.programId, role: row.role, duties, created_at: row.now })
    .onConflict((oc) => oc.columns(['user_id', 'program_id']).doUpdateSet({ role: row.role, duties }))
    .execute();
}

/** Remove the user's membership of a program; returns whether there was one. */
export async function deleteMembership(
  trx: Transaction<Database>,
  userId: string,
  programId: string,
): Promise<boolean> {
  const r = await trx
    .deleteFrom('program_members')
    .where('user_id', '=', userId)
    .where('program_id', '=', programId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The enabled members of a program with their user details, and every enabled instance admin. */
export async function listProgramMembers(db: Q, programId: string) {
  const members = await db
    .selectFrom('program_members')
    .innerJoin('users', 'users.id', 'program_members.user_id')
    .select([
      'users.id',
      'users.name',
      'users.email',
      'users.role as instanceRole',
      'program_members.role',
      'program_members.duties',
    ])
    .where('program_members.program_id', '=', programId)
    .where('users.disabled', '=', 0)
    .execute();
  const admins = await db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .execute();
  return { members, admins };
}
