import type { Database, Kysely } from '../db/index.js';

/** SQL for the SMTP listener's hourly budget counts (see smtp-budget.ts). */

const HOUR = 3_600_000;

/** The top of the clock hour `at` falls in, as stored. */
export function hourOf(at: number): string {
  return new Date(Math.floor(at / HOUR) * HOUR).toISOString();
}

/**
 * Count one mail against `key` for the hour `at` falls in, if the count is under `limit`. True
 * when counted (the mail may go on), false when the budget for the hour is spent.
 */
export async function countTowardBudget(
  db: Kysely<Database>,
  key: string,
  limit: number,
  at: number,
): Promise<boolean> {
  const row = await db
    .insertInto('smtp_budget_counts')
    .values({ budget_key: key, hour: hourOf(at), count: 1 })
    .onConflict((oc) =>
      oc
        .columns(['budget_key', 'hour'])
        .doUpdateSet((eb) => ({ count: eb('smtp_budget_counts.count', '+', 1) }))
        .where('smtp_budget_counts.count', '<', limit),
    )
    .returning('count')
    .executeTakeFirst();
  return row !== undefined;
}

/** Delete the counts of hours before the previous one; they decide nothing any more. */
export async function sweepBudgetCounts(db: Kysely<Database>, at: number): Promise<void> {
  await db
    .deleteFrom('smtp_budget_counts')
    .where('hour', '<', hourOf(at - HOUR))
    .execute();
}
