import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/index.js';

/**
 * The SQL of sign-in: credentials on the user, sessions, pending sign-ins, passkeys, recovery
 * codes, setup/enrolment links and throttling failures. Functions take `db` or `trx` first.
 */

type Q = Kysely<Database> | Transaction<Database>;

/* ---- users ---- */

export function userForSignIn(db: Q, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'disabled', 'password_hash', 'totp_sealed', 'totp_last_step'])
    .where('email', '=', email)
    .executeTakeFirst();
}

export function userById(db: Q, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'disabled', 'password_hash', 'totp_sealed', 'totp_last_step'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function countUsers(db: Q): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Record an accepted TOTP time step, only if it is later than the last one: of two requests
 * racing with the same code, exactly one updates the row.
 */
export async function acceptTotpStep(trx: Q, userId: string, step: number): Promise<boolean> {
  const r = await trx
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setCredentials(
  trx: Q,
  userId: string,
  c: { name: string; passwordHash: string; totpSealed: Buffer; totpLastStep: number },
): Promise<void> {
  await trx
    .updateTable('users')
    .set({
      name: c.name,
      password_hash: c.passwordHash,
      totp_sealed: c.totpSealed,
      totp_last_step: c.totpLastStep,
    })
    .where('id', '=', userId)
    .execute();
}

/* ---- sessions ---- */

export async function insertSession(
  trx: Q,
  row: { id: string; userId: string; secretHash: string; now: string; expiresAt: string },
): Promise<void> {
  await trx
    .insertInto('sessions')
    .values({
      id: row.id,
      user_id: row.userId,
      secret_hash: row.secretHash,
      created_at: row.now,
      last_seen_at: row.now,
      expires_at: row.expiresAt,
      challenge: null,
    })
    .execute();
}

export function sessionBySecretHash(db: Q, secretHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.user_id',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.challenge',
      'users.email',
      'users.name',
      'users.role',
      'users.disabled',
    ])
    .where('sessions.secret_hash', '=', secretHash)
    .executeTakeFirst();
}

export async function touchSession(db: Q, id: string, now: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function setSessionChallenge(db: Q, id: string, challenge: string | null): Promise<void> {
  await db.updateTable('sessions').set({ challenge }).where('id', '=', id).execute();
}

/** Take the session's pending challenge (it can be answered once). */
export async function takeSessionChallenge(trx: Q, id: string): Promise<string | null> {
  const row = await trx.selectFrom('sessions').select('challenge').where('id', '=', id).executeTakeFirst();
  if (!row?.challenge) return null;
  const r = await trx
    .updateTable('sessions')
    .set({ challenge: null })
    .where('id', '=', id)
    .where('challenge', '=', row.challenge)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1 ? row.challenge : null;
}

export async function deleteSession(db: Q, id: string): Promise<boolean> {
  const r = await db.deleteFrom('sessions').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function deleteSessionsOf(db: Q, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Sessions past their absolute end: housekeeping, so the table does not grow without bound. */
export async function deleteExpiredSessions(db: Q, now: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  await db.deleteFrom('pending_sign_ins').where('expires_at', '<=', now).execute();
}

/* ---- pending sign-ins ---- */

export async function insertPending(
  trx: Q,
  row: { id: string; userId: string; secretHash: string; now: string; expiresAt: string },
): Promise<void> {
  await trx
    .insertInto('pending_sign_ins')
    .values({
      id: row.id,
      user_id: row.userId,
      secret_hash: row.secretHash,
      created_at: row.now,
      expires_at: row.expiresAt,
      challenge: null,
    })
    .execute();
}

export function pendingBySecretHash(db: Q, secretHash: string) {
  return db
    .selectFrom('pending_sign_ins')
    .select(['id', 'user_id', 'expires_at', 'challenge'])
    .where('secret_hash', '=', secretHash)
    .executeTakeFirst();
}

export async function setPendingChallenge(db: Q, id: string, challenge: string): Promise<void> {
  await db.updateTable('pending_sign_ins').set({ challenge }).where('id', '=', id).execute();
}

/** Delete a pending sign-in; false when another request already finished it. */
export async function deletePending(db: Q, id: string): Promise<boolean> {
  const r = await db.deleteFrom('pending_sign_ins').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/* ---- passkeys ---- */

export function passkeysOf(db: Q, userId: string) {
  return db
    .selectFrom('passkeys')
    .select([
      'id',
      'credential_id',
      'public_key',
      'counter',
      'transports',
      'name',
      'created_at',
      'last_used_at',
    ])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

export function passkeyByCredential(db: Q, userId: string, credentialId: string) {
  return db
    .selectFrom('passkeys')
    .select(['id', 'credential_id', 'public_key', 'counter', 'transports', 'name'])
    .where('user_id', '=', userId)
    .where('credential_id', '=', credentialId)
    .executeTakeFirst();
}

export async function insertPasskey(
  trx: Q,
  row: {
    id: string;
    userId: string;
    credentialId: string;
    publicKey: Buffer;
    counter: number;
    transports: string[];
    name: string;
    now: string;
  },
): Promise<void> {
  await trx
    .insertInto('passkeys')
    .values({
      id: row.id,
      user_id: row.userId,
      credential_id: row.credentialId,
      public_key: row.publicKey,
      counter: row.counter,
      transports: JSON.stringify(row.transports),
      name: row.name,
      created_at: row.now,
      last_used_at: null,
    })
    .execute();
}

export async function passkeyUsed(trx: Q, id: string, counter: number, now: string): Promise<void> {
  await trx.updateTable('passkeys').set({ counter, last_used_at: now }).where('id', '=', id).execute();
}

export async function deletePasskey(trx: Q, userId: string, id: string): Promise<boolean> {
  const r = await trx
    .deleteFrom('passkeys')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/* ---- recovery codes ---- */

export async function replaceRecoveryCodes(
  trx: Q,
  userId: string,
  rows: { id: string; codeHash: string }[],
  now: string,
): Promise<void> {
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (rows.length === 0) return;
  await trx
    .insertInto('recovery_codes')
    .values(
      rows.map((r) => ({ id: r.id, user_id: userId, code_hash: r.codeHash, created_at: now, used_at: null })),
    )
    .execute();
}

/** Spend a recovery code: true only for the one request that marks it used. */
export async function spendRecoveryCode(
  trx: Q,
  userId: string,
  codeHash: string,
  now: string,
): Promise<boolean> {
  const r = await trx
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function recoveryCodesLeft(db: Q, userId: string): Promise<number> {
  const r = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/* ---- setup and enrolment links ---- */

export async function insertLink(
  trx: Q,
  row: {
    id: string;
    tokenHash: string;
    userId: string | null;
    totpSealed: Buffer;
    now: string;
    expiresAt: string;
  },
): Promise<void> {
  await trx
    .insertInto('enrolment_links')
    .values({
      id: row.id,
      token_hash: row.tokenHash,
      user_id: row.userId,
      totp_sealed: row.totpSealed,
      created_at: row.now,
      expires_at: row.expiresAt,
      used_at: null,
    })
    .execute();
}

export function linkByTokenHash(db: Q, tokenHash: string) {
  return db
    .selectFrom('enrolment_links')
    .leftJoin('users', 'users.id', 'enrolment_links.user_id')
    .select([
      'enrolment_links.id',
      'enrolment_links.user_id',
      'enrolment_links.totp_sealed',
      'enrolment_links.expires_at',
      'enrolment_links.used_at',
      'users.email',
      'users.name',
      'users.disabled',
    ])
    .where('enrolment_links.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Mark a link used; false when another request used it first. */
export async function useLink(trx: Q, id: string, now: string): Promise<boolean> {
  const r = await trx
    .updateTable('enrolment_links')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Void the unused links of a user (null: the first-admin links). */
export async function voidLinksOf(trx: Q, userId: string | null, now: string): Promise<void> {
  await trx
    .updateTable('enrolment_links')
    .set({ used_at: now })
    .where('used_at', 'is', null)
    .where('user_id', userId === null ? 'is' : '=', userId)
    .execute();
}

/* ---- failures for throttling ---- */

export async function recordFailure(
  db: Q,
  row: { id: string; account: string | null; ip: string | null; at: string },
): Promise<void> {
  await db.insertInto('sign_in_failures').values(row).execute();
}

/**
 * Failure instants since `since`, newest first: of an account (from any address), of an account
 * from one address (`ip` null: failures recorded without one), or of an address (any account).
 */
export async function failuresSince(
  db: Q,
  by: { account: string } | { account: string; ip: string | null } | { ip: string },
  since: string,
): Promise<string[]> {
  let q = db.selectFrom('sign_in_failures').select('at').where('at', '>', since);
  if ('account' in by) q = q.where('account', '=', by.account);
  if ('ip' in by) q = by.ip === null ? q.where('ip', 'is', null) : q.where('ip', '=', by.ip);
  const rows = await q.orderBy('at', 'desc').limit(200).execute();
  return rows.map((r) => r.at);
}

/** The distinct addresses an account's failures since `since` came from (at most `limit`). */
export async function failureAddressesSince(
  db: Q,
  account: string,
  since: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('sign_in_failures')
    .select('ip')
    .distinct()
    .where('account', '=', account)
    .where('at', '>', since)
    .where('ip', 'is not', null)
    .orderBy('ip')
    .limit(limit)
    .execute();
  return rows.map((r) => r.ip as string);
}

/**
 * Forget an account's failures from one address (after a success from there). Failures from other
 * addresses stay: a guesser elsewhere keeps their count, whoever signs in meanwhile.
 */
export async function clearPairFailures(db: Q, account: string, ip: string | null): Promise<void> {
  await db
    .deleteFrom('sign_in_failures')
    .where('account', '=', account)
    .where((eb) => (ip === null ? eb('ip', 'is', null) : eb('ip', '=', ip)))
    .execute();
}

export async function deleteFailuresBefore(db: Q, before: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('at', '<', before).execute();
}
