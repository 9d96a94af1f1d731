import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * What several instances share so that mail intake behaves like one (issue 19):
 * - `job_leases`: a named job runs on one instance at a time (the IMAP poller); the holder
 *   renews its row before it expires, and another instance takes it over once it has.
 * - `inbound_messages`: every mail that became a case or a reply, by a hash of its Message-ID and
 *   content (never the Message-ID itself, which often names a host or a person), so a second
 *   delivery of the same mail — an IMAP poll after a crash, an MTA retrying after a lost `250` —
 *   finds the case it made instead of making another.
 * - `smtp_budget_counts`: the SMTP listener's hourly per-sender and per-program counts, one row per
 *   key and hour, so the budgets hold across instances (the sender is a hash, not the address).
 */
export function jobLeases(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('job_leases')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('inbound_messages')
        .addColumn('message_key', 'text', (c) => c.primaryKey())
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
        // `case` or `reply`: what the first delivery made, answered again to a second one.
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('inbound_messages_report_idx')
        .on('inbound_messages')
        .column('report_id')
        .execute();

      await db.schema
        .createTable('smtp_budget_counts')
        // `sender:<sha256 of the address>` or `program:<id>`.
        .addColumn('budget_key', 'text', (c) => c.notNull())
        // The hour counted, as an ISO-8601 instant at the top of the hour.
        .addColumn('hour', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('smtp_budget_counts_pk', ['budget_key', 'hour'])
        .execute();
      await db.schema
        .createIndex('smtp_budget_counts_hour_idx')
        .on('smtp_budget_counts')
        .column('hour')
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['smtp_budget_counts', 'inbound_messages', 'job_leases'])
        await db.schema.dropTable(t).execute();
    },
  };
}
