import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * `reports.triage_outcome`: why a case was closed without being investigated — `invalid` (invalid
 * or spam) or `forwarded-to-support` (not a vulnerability) — or null. It is the reason its clocks
 * read *not applicable* (src/cases/clocks.ts) rather than kept or missed; `closed_at` is when.
 * Clear text like the state: it holds no content, and the queue and metrics read it.
 */
export function triageOutcomes(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('reports').addColumn('triage_outcome', 'text').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('reports').dropColumn('triage_outcome').execute();
    },
  };
}
