import type { Database, Kysely } from '../db/index.js';

/**
 * The deletes of the housekeeping pass (housekeeping.ts): the same predicates sign-in applies to
 * the rows it meets (sessions.ts ends a session at `expires_at` or after `idleMinutes` without a
 * request; sign-in.ts drops failures older than the throttle counts), applied to every row, so
 * an instance nobody signs in to does not keep them for ever. Each returns how many rows went.
 */

type Q = Kysely<Database>;

/** Sessions past their absolute end, or idle since `idleBefore` (a session then refuses itself anyway). */
export async function deleteEndedSessions(q: Q, opts: { now: string; idleBefore: string }): Promise<number> {
  const r = await q
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', opts.now), eb('last_seen_at', '<=', opts.idleBefore)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Sign-ins left between the password and the second factor past their expiry (their challenges with them). */
export async function deleteExpiredPendingSignIns(q: Q, now: string): Promise<number> {
  const r = await q.deleteFrom('pending_sign_ins').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Sign-in failures from before `before`: older than any throttle window still counts them. */
export async function deleteSignInFailuresBefore(q: Q, before: string): Promise<number> {
  const r = await q.deleteFrom('sign_in_failures').where('at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
