import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * OpenPGP program keys (secret parts sealed at rest) and what a report's intake channel learned
 * about it (decryption and signature status, mail ids for threading).
 */
export function openpgp(ctx: MigrationContext) {
  const bytes = ctx.dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('program_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // null: the instance key, used for what belongs to the host rather than to one program.
        .addColumn('program_id', 'text', (c) => c.references('programs.id'))
        .addColumn('fingerprint', 'text', (c) => c.notNull().unique())
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('user_ids', 'text', (c) => c.notNull())
        .addColumn('public_armored', 'text', (c) => c.notNull())
        .addColumn('secret_sealed', sql.raw(bytes), (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('activated_at', 'text', (c) => c.notNull())
        .addColumn('retired_at', 'text')
        .addColumn('decrypt_until', 'text')
        .execute();
      await db.schema
        .createIndex('program_keys_program_idx')
        .on('program_keys')
        .columns(['program_id', 'state'])
        .execute();

      await db.schema
        .alterTable('reports')
        .addColumn('intake_meta', 'text', (c) => c.notNull().defaultTo('{}'))
        .execute();
      await db.schema.alterTable('reports').addColumn('reply_token_hash', 'text').execute();
      await db.schema
        .createIndex('reports_reply_token_idx')
        .on('reports')
        .column('reply_token_hash')
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('reports_reply_token_idx').execute();
      await db.schema.alterTable('reports').dropColumn('reply_token_hash').execute();
      await db.schema.alterTable('reports').dropColumn('intake_meta').execute();
      await db.schema.dropTable('program_keys').execute();
    },
  };
}
