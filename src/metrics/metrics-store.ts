import type { Kysely } from 'kysely';
import { type Database, jsonText } from '../db/index.js';
import type { MetricsRow } from './figures.js';

/** SQL for metrics: the clear columns of the cases received in a window, per program. Never content. */

export interface ProgramWindow {
  programId: string;
  /** Inclusive ISO instants. */
  start: string;
  end: string;
}

export async function listMetricsRows(
  db: Kysely<Database>,
  windows: readonly ProgramWindow[],
): Promise<MetricsRow[]> {
  if (windows.length === 0) return [];
  // The CWE lives in the assessment JSON; take just its id rather than the whole document.
  const cwe = jsonText(db, 'assessment', 'cwe', 'id');
  return (
    db
      .selectFrom('reports')
      .select([
        'state',
        'received_at',
        'deadlines',
        'acknowledged_at',
        'verified_at',
        'summary_sent_at',
        'closed_at',
        'triage_outcome',
        'severity',
        'product_id',
        cwe.as('cwe'),
      ])
      // Each program has its own window (its time zone's days): served by reports_program_received_idx.
      .where((eb) =>
        eb.or(
          windows.map((w) =>
            eb.and([
              eb('program_id', '=', w.programId),
              eb('received_at', '>=', w.start),
              eb('received_at', '<=', w.end),
            ]),
          ),
        ),
      )
      .execute()
  );
}
