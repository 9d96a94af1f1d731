import { type Kysely, sql } from 'kysely';
import { nextDueExpression } from './2026-11-23T1500-queue-indexes.js';
import type { MigrationContext } from './index.js';

/** The filter columns the console offers, each the lead of its own pair of queue indexes. */
const FILTERS = [
  ['state', ['state']],
  ['severity', ['severity']],
  ['assignee', ['assignee_id']],
  ['product', ['product_id']],
  // State before program: with statistics, SQLite would otherwise skip-scan this index over its
  // few programs for a state filter alone, and sort.
  ['state_program', ['state', 'program_id']],
] as const;

/**
 * Queue indexes for every filter and both orders (the store's reading of them is described in
 * src/cases/queue-store.ts).
 *
 * - `reports.clock_running` is 1 while any clock runs (`next_due_at` is not null), 0 otherwise. It
 *   is generated from the row like `next_due_at`, so nothing has to keep it current. Leading the
 *   newest-first indexes with it, after the filter columns, gives the deadline order's second run
 *   (no clock running, newest first) its own contiguous range, and newest-first merges the two.
 * - The running run is indexed partially (`where next_due_at is not null`): few cases have a
 *   running clock, so those indexes stay small. The two earlier full `next_due_at` indexes, nine
 *   tenths nulls in a mature install, become partial too.
 * - The foundation's `reports_received_idx` (received_at, id) and `reports_program_state_idx`
 *   (program_id, state, received_at) served only the queue, and go: at 100 000 cases PostgreSQL
 *   walked the first for state and severity filters, checking `clock_running` row by row, where
 *   `(clock_running, received_at, id)` and the filter's own index start at the right rows.
 * - `reports_program_received_idx` stays: the similar-case search and metrics walk it.
 */
export function queueFilterIndexes(ctx: MigrationContext) {
  const running = 'next_due_at is not null';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // SQLite can only add virtual generated columns, and may build one on another; PostgreSQL
      // only has stored ones, and a generated column may not read another, so it repeats the
      // expression.
      await db.schema
        .alterTable('reports')
        .addColumn('clock_running', 'integer', (c) =>
          ctx.dialect === 'postgres'
            ? c
                .generatedAlwaysAs(
                  sql.raw(`case when (${nextDueExpression('postgres')}) is not null then 1 else 0 end`),
                )
                .stored()
            : c.generatedAlwaysAs(sql.raw(`case when ${running} then 1 else 0 end`)),
        )
        .execute();

      await db.schema.dropIndex('reports_received_idx').execute();
      await db.schema.dropIndex('reports_program_state_idx').execute();
      await db.schema.dropIndex('reports_next_due_idx').execute();
      await db.schema.dropIndex('reports_program_next_due_idx').execute();
      const dueIndex = (name: string, columns: readonly string[]) =>
        db.schema
          .createIndex(`reports_queue_${name}_due_idx`)
          .on('reports')
          .columns([...columns, 'next_due_at', 'id'])
          .where(sql.raw<boolean>(running))
          .execute();
      const receivedIndex = (name: string, columns: readonly string[]) =>
        db.schema
          .createIndex(`reports_queue_${name}_received_idx`)
          .on('reports')
          .columns([...columns, 'clock_running', 'received_at', 'id'])
          .execute();
      await dueIndex('all', []);
      await receivedIndex('all', []);
      await dueIndex('program', ['program_id']);
      await receivedIndex('program', ['program_id']);
      for (const [name, columns] of FILTERS) {
        await dueIndex(name, columns);
        await receivedIndex(name, columns);
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const name of ['all', 'program', ...FILTERS.map(([n]) => n)]) {
        await db.schema.dropIndex(`reports_queue_${name}_due_idx`).execute();
        await db.schema.dropIndex(`reports_queue_${name}_received_idx`).execute();
      }
      await db.schema.alterTable('reports').dropColumn('clock_running').execute();
      await db.schema
        .createIndex('reports_received_idx')
        .on('reports')
        .columns(['received_at', 'id'])
        .execute();
      await db.schema
        .createIndex('reports_program_state_idx')
        .on('reports')
        .columns(['program_id', 'state', 'received_at'])
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
    },
  };
}
