import type { Kysely } from 'kysely';
import type { Clock } from '../core/index.js';
import type { Database } from '../db/index.js';
import { ThrottledError } from './auth-errors.js';
import { failuresSince } from './auth-store.js';

/**
 * Sign-in throttling, kept in the database so it holds across instances: after `ACCOUNT_LIMIT`
 * failures (password or second factor) for one account within 15 minutes, that account is
 * refused until 15 minutes after the last failure; likewise after `IP_LIMIT` failures from one
 * address. Refused attempts are not failures themselves, so the lock ends when promised.
 */

export const WINDOW_MS = 15 * 60_000;
export const ACCOUNT_LIMIT = 5;
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

/** Throw `ThrottledError` when the account or the address is locked. */
export async function assertNotThrottled(
  db: Kysely<Database>,
  clock: Clock,
  who: { account: string | null; ip: string | null },
): Promise<void> {
  const now = clock.now();
  const since = new Date(now.getTime() - 2 * WINDOW_MS).toISOString();
  if (who.account !== null) {
    const s = lockedFor(await failuresSince(db, { account: who.account }, since), ACCOUNT_LIMIT, now);
    if (s > 0) throw new ThrottledError(s, 'account');
  }
  if (who.ip !== null) {
    const s = lockedFor(await failuresSince(db, { ip: who.ip }, since), IP_LIMIT, now);
    if (s > 0) throw new ThrottledError(s, 'ip');
  }
}
