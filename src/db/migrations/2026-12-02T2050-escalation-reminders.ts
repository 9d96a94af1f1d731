import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Privacy escalation reminders already queued: one row per escalation and level (`14-days`,
 * `3-days`, `overdue`), written in the transaction that queues the mails, so each level is
 * mailed once per escalation however often and on however many instances the job runs.
 */
export function escalationReminders(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('privacy_escalation_reminders')
        .addColumn('escalation_id', 'text', (c) => c.notNull().references('privacy_escalations.id'))
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('privacy_escalation_reminders_pk', ['escalation_id', 'level'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('privacy_escalation_reminders').execute();
    },
  };
}
