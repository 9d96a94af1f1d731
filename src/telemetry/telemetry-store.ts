import type { Database, Kysely } from '../db/index.js';

/**
 * The queries behind the gauges computed at scrape time. Each is bounded so a scrape every few
 * seconds stays cheap on a large instance: the outbox is read through its `(state,
 * next_attempt_at)` index and never counts sent mail (which only grows); clocks read only cases
 * whose `clock_running` is set, up to a cap; PHI holds read only rows still held.
 */

type Q = Kysely<Database>;

/** Outbox states that are still to be sent (`sent` is history, not depth). */
export const UNSENT_STATES = ['pending', 'sending', 'failed'] as const;
export type UnsentState = (typeof UNSENT_STATES)[number];

/** Unsent outbox rows by state; every state is present, 0 when it has no rows. */
export async function unsentMailByState(q: Q): Promise<Record<UnsentState, number>> {
  const rows = await q
    .selectFrom('outbox')
    .select((eb) => ['state', eb.fn.countAll().as('count')])
    .where('state', 'in', UNSENT_STATES)
    .groupBy('state')
    .execute();
  const counts: Record<UnsentState, number> = { pending: 0, sending: 0, failed: 0 };
  // count(*) is a bigint on PostgreSQL; Number() also covers drivers that return it as text.
  for (const row of rows) counts[row.state as UnsentState] = Number(row.count);
  return counts;
}

/** When the oldest mail still waiting to go out (pending or being sent) was queued, or undefined. */
export async function oldestUnsentMailAt(q: Q): Promise<Date | undefined> {
  const row = await q
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('created_at').as('oldest'))
    .where('state', 'in', ['pending', 'sending'])
    .executeTakeFirst();
  return row?.oldest ? new Date(row.oldest) : undefined;
}

/** What the clock gauges read of a case whose clocks run: never content. */
export interface RunningClockRow {
  program: string;
  received_at: string;
  deadlines: string;
  acknowledged_at: string | null;
  verified_at: string | null;
  summary_sent_at: string | null;
  closed_at: string | null;
}

/** Cases with at least one clock running, at most `limit` of them (the caller reports a cap hit). */
export async function casesWithRunningClocks(q: Q, limit: number): Promise<RunningClockRow[]> {
  return q
    .selectFrom('reports')
    .innerJoin('programs', 'programs.id', 'reports.program_id')
    .select([
      'programs.slug as program',
      'reports.received_at',
      'reports.deadlines',
      'reports.acknowledged_at',
      'reports.verified_at',
      'reports.summary_sent_at',
      'reports.closed_at',
    ])
    .where('reports.clock_running', '=', 1)
    .limit(limit)
    .execute();
}

/** Parts of cases held by the PHI guard right now, by program slug. */
export async function openPhiHoldsByProgram(q: Q): Promise<Map<string, number>> {
  const rows = await q
    .selectFrom('phi_quarantine')
    .innerJoin('programs', 'programs.id', 'phi_quarantine.program_id')
    .select((eb) => ['programs.slug as program', eb.fn.countAll().as('count')])
    .where('phi_quarantine.state', '=', 'quarantined')
    .groupBy('programs.slug')
    .execute();
  return new Map(rows.map((r) => [r.program, Number(r.count)]));
}

/** Slugs of all programs, so a program without holds or clocks reads 0 rather than vanishing. */
export async function programSlugs(q: Q): Promise<string[]> {
  const rows = await q.selectFrom('programs').select('slug').execute();
  return rows.map((r) => r.slug);
}
