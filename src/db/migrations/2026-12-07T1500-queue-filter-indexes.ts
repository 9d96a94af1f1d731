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

/** The earlier indexes this migration replaces, with their columns (for `down`). */
const REPLACED: Record<string, string[]> = {
  reports_next_due_idx: ['next_due_at', 'id'],
  reports_program_next_due_idx: ['program_id', 'next_due_at', 'id'],
  reports_received_idx: ['received_at', 'id'],
  reports_program_state_idx: ['program_id', 'state', 'received_at'],
  reports_assignee_idx: ['assignee_id', 'state'],
  reports_ack_due_idx: ['state', 'acknowledge_by'],
};

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
 * - Four older indexes served only the queue, and go: `reports_received_idx` (received_at, id),
 *   `reports_program_state_idx` (program_id, state, received_at), `reports_assignee_idx`
 *   (assignee_id, state) and `reports_ack_due_idx` (state, acknowledge_by). At 100 000 cases
 *   PostgreSQL walked the first for state and severity filters, checking `clock_running` row by
 *   row, and combined the last with the severity index and sorted, where each filter's own
 *   ordered index reads a page's worth of rows.
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

      for (const name of Object.keys(REPLACED)) await db.schema.dropIndex(name).execute();
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
      for (const [name, columns] of Object.entries(REPLACED))
        await db.schema.createIndex(name).on('reports').columns(columns).execute();
    },
  };
}
