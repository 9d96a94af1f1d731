import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Quality signals of a report (src/cases/quality-signals.ts), computed once on arrival:
 *
 * - `quality_signals`: one row per report from then on: the triage score, the signals as JSON
 *   (flags, counts and explanations in words, never the report's text) and `reporter_key`, the
 *   keyed hash of the reporter's identity (a proven signing key's fingerprint, else the address as
 *   given) under the program's digest key, so the reporter's standing (their earlier reports by
 *   outcome) is counted without the address in clear. Reports from before have no row: they
 *   simply have no signals.
 * - `reports.triage_rank`: the score again, on the report row, so the "needs triage" lane
 *   (`sort=triage`: received cases, best score first) reads one ordered index range like every
 *   other queue order. -1 for reports without signals, which the lane lists last.
 * - The lane's indexes are partial (`state = 'received'`): a case leaves them when it is
 *   acknowledged or answered, so they hold the untriaged cases only, however old the instance.
 *   One leads with `program_id` for callers who read a few programs (one scan per program,
 *   merged), the other serves everyone else; it leads with the (constant) state so that SQLite,
 *   without statistics, prefers it to the state index of the other orders, which would sort.
 */
export function qualitySignals(ctx: MigrationContext) {
  void ctx;
  const received = sql.raw<boolean>(`state = 'received'`);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('quality_signals')
        .addColumn('report_id', 'text', (c) => c.primaryKey().references('reports.id'))
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        .addColumn('score', 'integer', (c) => c.notNull())
        .addColumn('signals', 'text', (c) => c.notNull())
        .addColumn('reporter_key', 'text')
        .addColumn('computed_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('quality_signals_reporter_idx')
        .on('quality_signals')
        .columns(['program_id', 'reporter_key'])
        .where(sql.ref('reporter_key'), 'is not', null)
        .execute();
      await db.schema
        .alterTable('reports')
        .addColumn('triage_rank', 'integer', (c) => c.notNull().defaultTo(-1))
        .execute();
      await db.schema
        .createIndex('reports_triage_idx')
        .on('reports')
        .columns(['state', 'triage_rank', 'id'])
        .where(received)
        .execute();
      await db.schema
        .createIndex('reports_triage_program_idx')
        .on('reports')
        .columns(['program_id', 'triage_rank', 'id'])
        .where(received)
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('reports_triage_program_idx').execute();
      await db.schema.dropIndex('reports_triage_idx').execute();
      await db.schema.alterTable('reports').dropColumn('triage_rank').execute();
      await db.schema.dropIndex('quality_signals_reporter_idx').execute();
      await db.schema.dropTable('quality_signals').execute();
    },
  };
}
