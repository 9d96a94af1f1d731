import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Who hears about an advisory besides the public: customers (organisations whose contacts are
 * subscribed to products of a program) and coordinators (a health ISAC, a national CERT) that
 * receive encrypted sharing packages. `advisory_deliveries` records each notification queued for
 * an advisory revision, one row per recipient address, so a revision is announced to an address
 * once; `advisory_sharing_log` records each sharing package sent. Delivery status is read from
 * the outbox row the mail went out through, never copied.
 *
 * Customer contacts are personal data of the vendor's customers: kept in clear like staff
 * accounts (they are looked up and deduplicated by address), changed only through audited calls.
 */
export function customers(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('customer_orgs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('customer_orgs_name', ['program_id', 'name'])
        .execute();

      await db.schema
        .createTable('customer_contacts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('customer_orgs.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        // Lower-cased, so one address is one contact however it was typed.
        .addColumn('email', 'text', (c) => c.notNull())
        // Armored OpenPGP public key (public part only), checked usable when saved.
        .addColumn('public_key', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('customer_contacts_email', ['org_id', 'email'])
        .execute();

      await db.schema
        .createTable('customer_subscriptions')
        .addColumn('org_id', 'text', (c) => c.notNull().references('customer_orgs.id'))
        // A product id of the program definition (`scope.products[].id`).
        .addColumn('product_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('customer_subscriptions_pk', ['org_id', 'product_id'])
        .execute();

      await db.schema
        .createTable('coordinators')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        // TLP 2.0 label a sharing package carries when the request names none.
        .addColumn('default_tlp', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('coordinators_name', ['program_id', 'name'])
        .execute();

      await db.schema
        .createTable('advisory_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id'))
        .addColumn('revision_id', 'text', (c) => c.notNull().references('advisory_revisions.id'))
        .addColumn('revision_number', 'integer', (c) => c.notNull())
        // customer | reporter
        .addColumn('recipient_kind', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        // pre-notification (approved and scheduled under embargo) | publication
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('encrypted', 'integer', (c) => c.notNull())
        // SHA-256 of the revision content announced: a revision changed after a pre-notification
        // (returned to draft under embargo) is announced again.
        .addColumn('content_sha256', 'text', (c) => c.notNull())
        .addColumn('outbox_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        // One mail per address and revision content, even when two transactions race.
        .addUniqueConstraint('advisory_deliveries_once', [
          'revision_id',
          'recipient_kind',
          'email',
          'content_sha256',
        ])
        .execute();
      await db.schema
        .createIndex('advisory_deliveries_advisory_idx')
        .on('advisory_deliveries')
        .columns(['advisory_id'])
        .execute();

      await db.schema
        .createTable('advisory_sharing_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id'))
        .addColumn('revision_id', 'text', (c) => c.notNull().references('advisory_revisions.id'))
        .addColumn('revision_number', 'integer', (c) => c.notNull())
        .addColumn('coordinator_id', 'text', (c) => c.notNull().references('coordinators.id'))
        // The name and address as they were when shared (the coordinator may change later).
        .addColumn('coordinator_name', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('tlp', 'text', (c) => c.notNull())
        .addColumn('outbox_id', 'text', (c) => c.notNull())
        .addColumn('shared_by', 'text', (c) => c.notNull())
        .addColumn('shared_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('advisory_sharing_log_advisory_idx')
        .on('advisory_sharing_log')
        .columns(['advisory_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of [
        'advisory_sharing_log',
        'advisory_deliveries',
        'coordinators',
        'customer_subscriptions',
        'customer_contacts',
        'customer_orgs',
      ]) {
        await db.schema.dropTable(t).execute();
      }
    },
  };
}
