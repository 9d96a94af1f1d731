import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * A reporter's standing (their earlier reports in a program, by the state each is in now) read
 * from one index range instead of a join:
 *
 * - `reports.reporter_key`: the keyed hash of the reporter's identity that `quality_signals`
 *   already holds (src/cases/quality-arrival.ts), copied onto the report row so that
 *   `reports_reporter_idx` (program, key, state) answers the count by itself. Counting through
 *   `quality_signals` read every earlier report's row for its state: a reporter with a thousand
 *   reports cost each new submission of theirs a thousand row reads.
 * - Reports from before quality signals existed have no key here either, as they had no row.
 * - `quality_signals_reporter_idx` is dropped: nothing reads by it any more.
 */
export function reporterStanding(_ctx: MigrationContext) {
  const keyed = sql.ref<boolean>('reporter_key');
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('reports').addColumn('reporter_key', 'text').execute();
      await sql`update reports set reporter_key = (
          select q.reporter_key from quality_signals q where q.report_id = reports.id
        ) where exists (
          select 1 from quality_signals q where q.report_id = reports.id and q.reporter_key is not null
        )`.execute(db);
      await db.schema
        .createIndex('reports_reporter_idx')
        .on('reports')
        .columns(['program_id', 'reporter_key', 'state'])
        .where(keyed, 'is not', null)
        .execute();
      await db.schema.dropIndex('quality_signals_reporter_idx').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('quality_signals_reporter_idx')
        .on('quality_signals')
        .columns(['program_id', 'reporter_key'])
        .where(keyed, 'is not', null)
        .execute();
      await db.schema.dropIndex('reports_reporter_idx').execute();
      await db.schema.alterTable('reports').dropColumn('reporter_key').execute();
    },
  };
}
