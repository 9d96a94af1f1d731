import type { Kysely } from 'kysely';
import type { Database, QualitySignalsTable } from '../db/index.js';

/** SQL of the quality signals: one row per report, and the reporter's earlier reports by outcome. */

/** Writes a report's signals (in the intake transaction, with the report row). */
export async function insertQualitySignals(db: Kysely<Database>, row: QualitySignalsTable): Promise<void> {
  await db.insertInto('quality_signals').values(row).execute();
}

/** The stored signals of some reports, by report id; reports without a row are left out. */
export async function signalsOf(
  db: Kysely<Database>,
  reportIds: string[],
): Promise<Map<string, { signals: string; computed_at: string }>> {
  if (reportIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('quality_signals')
    .select(['report_id', 'signals', 'computed_at'])
    .where('report_id', 'in', reportIds)
    .execute();
  return new Map(rows.map((r) => [r.report_id, r]));
}

/**
 * How many reports of one program carry this reporter key, by the state each is in now, read
 * from `reports_reporter_idx` (program, key, state) alone. Bounded: a reporter with more than
 * `cap` reports is counted up to the cap.
 */
export async function reporterOutcomes(
  db: Kysely<Database>,
  q: { programId: string; reporterKey: string; cap: number },
): Promise<Map<string, number>> {
  // Counted in the database: a busy reporter's thousand rows are a few states here.
  const rows = await db
    .selectFrom(
      db
        .selectFrom('reports')
        .select(['state'])
        .where('program_id', '=', q.programId)
        .where('reporter_key', '=', q.reporterKey)
        .limit(q.cap)
        .as('earlier'),
    )
    .select(['earlier.state', (eb) => eb.fn.countAll().as('n')])
    .groupBy('earlier.state')
    .execute();
  const out = new Map<string, number>();
  for (const r of rows) out.set(r.state, Number(r.n));
  return out;
}
