import { createHash } from 'node:crypto';
import type { Database, Kysely } from '../db/index.js';
import { countTowardBudget, hourOf, sweepBudgetCounts } from './smtp-budget-store.js';

/**
 * The SMTP listener's hourly budgets (per sender, per program), counted in the database so they
 * hold across instances: N instances behind one MX take a program's budget once, not N times.
 *
 * One row per key and clock hour. Counting is one statement, an upsert that adds one only while
 * the count is under the limit, so two instances counting at once can never both take the last
 * mail of the hour. Hours are fixed (the clock's), so a sender may send up to twice its budget
 * across the turn of an hour, never more. Rows older than the hour before are deleted as the
 * hours turn, so the table (and the memory of the listener, which keeps none) stays small.
 *
 * A sender is known by a SHA-256 of its lower-cased address, never the address, and only for
 * about two hours.
 */

/** The budget key of an envelope sender. */
export function senderBudgetKey(address: string): string {
  return `sender:${createHash('sha256').update(address.toLowerCase()).digest('hex')}`;
}

/** The budget key of a program. */
export const programBudgetKey = (programId: string) => `program:${programId}`;

/** Counts one mail against `key` unless `limit` mails were counted this hour; 0 turns it off. */
export type SmtpBudgets = (key: string, limit: number) => Promise<boolean>;

/**
 * The budgets of one listener: in `db` (sweeping old hours once per hour the listener sees), or,
 * for a listener built without a database (a unit test), in this process's memory, at most
 * `MEMORY_KEYS` keys for the current hour.
 */
export function createSmtpBudgets(db: Kysely<Database> | undefined, now: () => number): SmtpBudgets {
  if (!db) return memoryBudgets(now);
  let sweptHour: string | undefined;
  return async (key, limit) => {
    if (limit === 0) return true;
    const at = now();
    const hour = hourOf(at);
    if (sweptHour !== hour) {
      sweptHour = hour;
      await sweepBudgetCounts(db, at);
    }
    return countTowardBudget(db, key, limit, at);
  };
}

/** Keys a database-less listener counts at once; past it a new key is refused until the hour turns. */
export const MEMORY_KEYS = 10_000;

function memoryBudgets(now: () => number): SmtpBudgets {
  let hour = '';
  const counts = new Map<string, number>();
  return async (key, limit) => {
    if (limit === 0) return true;
    const current = hourOf(now());
    if (current !== hour) {
      hour = current;
      counts.clear();
    }
    const count = counts.get(key) ?? 0;
    if (count >= limit || (count === 0 && counts.size >= MEMORY_KEYS)) return false;
    counts.set(key, count + 1);
    return true;
  };
}
