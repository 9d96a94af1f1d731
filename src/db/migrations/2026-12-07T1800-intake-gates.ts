import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * What stands between a report flood and the queue (src/intake, issue 18): the instance's
 * proof-of-work key (sealed under the keyring, one row, shared by every instance), the proofs
 * already spent (a solved challenge or a waited form token is accepted once, on any instance;
 * rows go when they expire), each accepted web/API submission's address tag (a keyed hash of the
 * client address, never the address) for the per-address history, and the programs whose intake
 * is paused, with their public message and reopening date.
 */
export function intakeGates(ctx: MigrationContext) {
  const bytes = ctx.dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('intake_gate_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key_sealed', bytes, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('intake_proofs_spent')
        // `pow:<challenge signature>` or `wait:<token nonce>`.
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('program_id', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('intake_proofs_spent_expires_idx')
        .on('intake_proofs_spent')
        .column('expires_at')
        .execute();

      await db.schema
        .createTable('intake_arrivals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('program_id', 'text', (c) => c.notNull())
        .addColumn('address_tag', 'text', (c) => c.notNull())
        .addColumn('arrived_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('intake_arrivals_address_idx')
        .on('intake_arrivals')
        .columns(['address_tag', 'arrived_at'])
        .execute();
      await db.schema
        .createIndex('intake_arrivals_at_idx')
        .on('intake_arrivals')
        .column('arrived_at')
        .execute();

      await db.schema
        .createTable('intake_pauses')
        .addColumn('program_id', 'text', (c) => c.primaryKey().references('programs.id'))
        .addColumn('message', 'text', (c) => c.notNull())
        // YYYY-MM-DD in the program's calendar, or null when no date is promised.
        .addColumn('reopens_on', 'text')
        .addColumn('paused_by', 'text', (c) => c.notNull())
        .addColumn('paused_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['intake_pauses', 'intake_arrivals', 'intake_proofs_spent', 'intake_gate_keys'])
        await db.schema.dropTable(t).execute();
    },
  };
}
