import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/index.js';
import type { InstanceRole } from './roles.js';

/**
 * The SQL of the account service: staff users, their API tokens, and the program slugs that
 * memberships and tokens are shown by. Functions take `db` or `trx` first; emails arrive
 * already normalised.
 */

type Q = Kysely<Database> | Transaction<Database>;

/* ---- users ---- */

export function userByEmail(db: Q, email: string) {
  return db.selectFrom('users').select(['id', 'email', 'role']).where('email', '=', email).executeTakeFirst();
}

/** Whether a user with this email exists (emails are unique, case-folded). */
export async function emailTaken(db: Q, email: string): Promise<boolean> {
  return (
    (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) !== undefined
  );
}

export async function insertUser(
  trx: Q,
  row: { id: string; email: string; name: string; role: InstanceRole; now: string },
): Promise<void> {
  await trx
    .insertInto('users')
    .values({
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      disabled: 0,
      created_at: row.now,
    })
    .execute();
}

/** Disable or enable a user; false when it already was in that state. */
export async function setUserDisabled(trx: Q, userId: string, disabled: boolean): Promise<boolean> {
  const r = await trx
    .updateTable('users')
    .set({ disabled: disabled ? 1 : 0 })
    .where('id', '=', userId)
    .where('disabled', '=', disabled ? 0 : 1)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The user's instance role as stored (a role this release does not know may appear). */
export async function storedRoleOf(db: Q, userId: string): Promise<string> {
  const r = await db.selectFrom('users').select('role').where('id', '=', userId).executeTakeFirstOrThrow();
  return r.role;
}

export function listUsers(db: Q) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'disabled', 'created_at'])
    .orderBy('email')
    .execute();
}

/* ---- programs, as memberships and tokens name them ---- */

/** Every program's id, slug and name, by slug. */
export function listPrograms(db: Q) {
  return db.selectFrom('programs').select(['id', 'slug', 'name']).orderBy('slug').execute();
}

/** The ids of the programs with these slugs, by slug; unknown slugs are absent. */
export async function programIdsBySlug(db: Q, slugs: readonly string[]): Promise<Map<string, string>> {
  if (slugs.length === 0) return new Map();
  const rows = await db.selectFrom('programs').select(['id', 'slug']).where('slug', 'in', slugs).execute();
  return new Map(rows.map((r) => [r.slug, r.id]));
}

/* ---- API tokens ---- */

export async function insertApiToken(
  trx: Q,
  row: {
    id: string;
    userId: string;
    name: string;
    tokenHash: string;
    scope: string;
    programIds: readonly string[] | null;
    now: string;
  },
): Promise<void> {
  await trx
    .insertInto('api_tokens')
    .values({
      id: row.id,
      user_id: row.userId,
      name: row.name,
      token_hash: row.tokenHash,
      scope: row.scope,
      created_at: row.now,
      last_used_at: null,
      revoked_at: null,
      program_ids: row.programIds ? JSON.stringify(row.programIds) : null,
    })
    .execute();
}

/** Revoke a token that is still active; false when there is none by that id. */
export async function revokeActiveToken(trx: Q, tokenId: string, now: string): Promise<boolean> {
  const r = await trx
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** A token with its user, by the hash of its secret; revoked and disabled ones included. */
export function tokenByHash(db: Q, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id as tokenId',
      'api_tokens.scope',
      'api_tokens.revoked_at',
      'api_tokens.program_ids',
      'api_tokens.last_used_at',
      'users.id as userId',
      'users.email',
      'users.role',
      'users.disabled',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchApiToken(db: Q, tokenId: string, now: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', tokenId).execute();
}

/** Tokens of one user, or of everyone (`userId` null), newest first, with their user. */
export function listApiTokens(db: Q, userId: string | null) {
  let q = db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.name',
      'api_tokens.scope',
      'api_tokens.program_ids',
      'api_tokens.created_at',
      'api_tokens.last_used_at',
      'api_tokens.revoked_at',
      'users.id as userId',
      'users.email',
    ]);
  if (userId !== null) q = q.where('api_tokens.user_id', '=', userId);
  return q.orderBy('api_tokens.created_at', 'desc').orderBy('api_tokens.id').execute();
}

/** The id of the user a token belongs to, or undefined for an unknown token. */
export async function apiTokenOwner(db: Q, tokenId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select('user_id')
    .where('id', '=', tokenId)
    .executeTakeFirst();
  return row?.user_id;
}
