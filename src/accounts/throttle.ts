import type { Kysely } from 'kysely';
import type { Clock } from '../core/index.js';
import type { Database } from '../db/index.js';
import { ThrottledError } from './auth-errors.js';
import { failuresSince } from './auth-store.js';

/**
 * Sign-in throttling, kept in the database so it holds across instances. Failures (password or
 * second factor) are counted three ways within 15 minutes, and each count that reaches its limit
 * refuses sign-in until 15 minutes after its last failure:
 *
 * - one account from one address (`PAIR_LIMIT`): the guesser waits, while the account's owner,
 *   signing in from anywhere else, does not — so nobody can lock a colleague out by typing
 *   wrong passwords for their email;
 * - one account from all addresses together (`ACCOUNT_LIMIT`, ten times higher): a guesser
 *   spread over many addresses still meets a limit. This locks the account for everyone, so the
 *   owner and the instance admins are told when it engages (`sign-in.ts`);
 * - one address for any accounts (`IP_LIMIT`): one address guessing many accounts.
 *
 * Refused attempts are not failures themselves, so a lock ends when promised.
 */

export const WINDOW_MS = 15 * 60_000;
export const PAIR_LIMIT = 5;
export const ACCOUNT_LIMIT = 50;
export const IP_LIMIT = 30;

/** Seconds until the lock ends, or 0 when `times` (newest first) do not lock. */
export function lockedFor(times: readonly string[], limit: number, now: Date): number {
  const latest = times[0];
  if (latest === undefined) return 0;
  const last = Date.parse(latest);
  const until = last + WINDOW_MS;
  if (now.getTime() >= until) return 0;
  const inWindow = times.filter((t) => Date.parse(t) > last - WINDOW_MS).length;
  return inWindow >= limit ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

/**
 * Whether the failure just recorded (the newest of `times`, newest first) is the one that locks
 * the whole account: exactly `ACCOUNT_LIMIT` in its window. Later failures of the same lock (of
 * requests already past the check) do not count again, so the lock is announced once.
 */
export function engagesAccountLock(times: readonly string[]): boolean {
  const latest = times[0];
  if (latest === undefined) return false;
  const last = Date.parse(latest);
  return times.filter((t) => Date.parse(t) > last - WINDOW_MS).length === ACCOUNT_LIMIT;
}

/** The instant from which failures still count, for a check at `now`. */
export const countedSince = (now: Date) => new Date(now.getTime() - 2 * WINDOW_MS).toISOString();

/** Throw `ThrottledError` when the account, the account from this address, or the address is locked. */
export async function assertNotThrottled(
  db: Kysely<Database>,
  clock: Clock,
  who: { account: string | null; ip: string | null },
): Promise<void> {
  const now = clock.now();
  const since = countedSince(now);
  if (who.account !== null) {
    const all = await failuresSince(db, { account: who.account }, since);
    const locked = lockedFor(all, ACCOUNT_LIMIT, now);
    if (locked > 0) throw new ThrottledError(locked, 'account');
    const pair = await failuresSince(db, { account: who.account, ip: who.ip }, since);
    const waits = lockedFor(pair, PAIR_LIMIT, now);
    if (waits > 0) throw new ThrottledError(waits, 'account-from-ip');
  }
  if (who.ip !== null) {
    const s = lockedFor(await failuresSince(db, { ip: who.ip }, since), IP_LIMIT, now);
    if (s > 0) throw new ThrottledError(s, 'ip');
  }
}
