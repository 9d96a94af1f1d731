import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * A policy version sent back from review to draft, with the reviewer's note on what must
 * change. One row per send-back, so every round of a version keeps its note; the author reads
 * the latest in the version's detail.
 */
export function policySendBacks(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('policy_send_backs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('version_id', 'text', (c) => c.notNull().references('policy_versions.id'))
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('sent_back_at', 'text', (c) => c.notNull())
        .addColumn('sent_back_by', 'text', (c) => c.notNull().references('users.id'))
        .execute();
      await db.schema
        .createIndex('policy_send_backs_version_idx')
        .on('policy_send_backs')
        .columns(['version_id', 'sent_back_at'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('policy_send_backs').execute();
    },
  };
}
