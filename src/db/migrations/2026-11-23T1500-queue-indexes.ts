import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.js';

/** The clocks the queue orders by, with the column that stops each (closing stops them all). */
const QUEUE_CLOCKS = [
  ['acknowledge', 'acknowledged_at'],
  ['verify', 'verified_at'],
  ['summary', 'summary_sent_at'],
] as const;

/**
 * The queue's sort key as SQL over the row's own columns: the earliest due instant among the
 * clocks still running, null once none runs (closed, or every clock stopped). It is a generated
 * column so that whatever path sets `acknowledged_at`, `closed_at` … (the workflow, a CLI, a
 * restore) the key follows in the same write: nobody has to remember to maintain it.
 */
export function nextDueExpression(dialect: MigrationContext['dialect']): string {
  const due = (clock: string) =>
    dialect === 'postgres' ? `(deadlines::jsonb ->> '${clock}')` : `json_extract(deadlines, '$.${clock}')`;
  const running = QUEUE_CLOCKS.map(([clock, stop]) => `case when ${stop} is null then ${due(clock)} end`);
  // least() skips nulls on PostgreSQL; SQLite's scalar min() returns null if any argument is, so
  // missing values become '~' (after every ISO instant) and turn back into null at the end.
  const earliest =
    dialect === 'postgres'
      ? `least(${running.join(', ')})`
      : `nullif(min(${running.map((r) => `coalesce(${r}, '~')`).join(', ')}), '~')`;
  return `case when closed_at is null then ${earliest} end`;
}

/**
 * The staff queue: `reports.next_due_at` (generated, see above) with keyset indexes for the
 * deadline order, and `clock_warnings`, whose primary key makes each 80 % / breach warning of a
 * clock happen once even with several instances running the warning job.
 */
export function queueIndexes(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const expr = sql.raw(nextDueExpression(ctx.dialect));
      // SQLite can only add virtual generated columns to an existing table (indexable all the
      // same); PostgreSQL only has stored ones.
      await db.schema
        .alterTable('reports')
        .addColumn('next_due_at', 'text', (c) =>
          ctx.dialect === 'postgres' ? c.generatedAlwaysAs(expr).stored() : c.generatedAlwaysAs(expr),
        )
        .execute();
      await db.schema
        .createIndex('reports_next_due_idx')
        .on('reports')
        .columns(['next_due_at', 'id'])
        .execute();
      await db.schema
        .createIndex('reports_program_next_due_idx')
        .on('reports')
        .columns(['program_id', 'next_due_at', 'id'])
        .execute();
      await db.schema
        .createIndex('reports_program_received_idx')
        .on('reports')
        .columns(['program_id', 'received_at', 'id'])
        .execute();

      await db.schema
        .createTable('clock_warnings')
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
        .addColumn('clock', 'text', (c) => c.notNull())
        /** `warning` (80 % of the clock used) or `breach` (past the due instant). */
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('clock_warnings_pk', ['report_id', 'clock', 'level'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('clock_warnings').execute();
      await db.schema.dropIndex('reports_program_received_idx').execute();
      await db.schema.dropIndex('reports_program_next_due_idx').execute();
      await db.schema.dropIndex('reports_next_due_idx').execute();
      await db.schema.alterTable('reports').dropColumn('next_due_at').execute();
    },
  };
}
