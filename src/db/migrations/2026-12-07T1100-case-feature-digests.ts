import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Duplicate suggestions without opening every candidate (src/case-features):
 *
 * - `reports.feature_digest`: keyed hashes of the case's similarity features (products, versions,
 *   CWEs, endpoints, words and word pairs of its text), written at intake and whenever the text
 *   they come from changes. Null until computed: existing cases are filled in by the backfill
 *   pass (src/cases/similar-backfill.ts), which walks the rows still null.
 * - `case_digest_keys`: one random key per program, sealed under the instance keyring. Without
 *   the master key the digests cannot be tested against guessed words, and a program's digests
 *   cannot be compared with another program's.
 */
export function caseFeatureDigests(ctx: MigrationContext) {
  const bytes = ctx.dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('reports').addColumn('feature_digest', bytes).execute();
      // The backfill's walk: only rows still without a digest, so a pass over a filled-in table
      // reads nothing.
      await db.schema
        .createIndex('reports_undigested_idx')
        .on('reports')
        .column('id')
        .where(sql.ref('feature_digest'), 'is', null)
        .execute();
      await db.schema
        .createTable('case_digest_keys')
        .addColumn('program_id', 'text', (c) => c.primaryKey().references('programs.id'))
        .addColumn('key_sealed', bytes, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('case_digest_keys').execute();
      await db.schema.dropIndex('reports_undigested_idx').execute();
      await db.schema.alterTable('reports').dropColumn('feature_digest').execute();
    },
  };
}
