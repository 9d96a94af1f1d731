import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Privacy escalations: a case whose reporter says they reached protected health information or
 * personal data gets one escalation, with its own deadline (the program's breach-notification
 * window) and a fixed checklist. The checklist is JSON: each item's done flag, who ticked it and
 * when, and an optional note — sealed inside the JSON, as a note may name affected records.
 */
export function privacyEscalations(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('privacy_escalations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // One escalation per case: the reporter answers the question once, at submission.
        .addColumn('report_id', 'text', (c) => c.notNull().unique().references('reports.id'))
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text', (c) => c.notNull())
        // Why it was opened, e.g. `reporter-accessed-phi`.
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('checklist', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .addColumn('closed_by', 'text', (c) => c.references('users.id'))
        .execute();
      // Open escalations of a program by due date: what a console list or a reminder job reads.
      await db.schema
        .createIndex('privacy_escalations_program_due_idx')
        .on('privacy_escalations')
        .columns(['program_id', 'closed_at', 'due_at'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('privacy_escalations').execute();
    },
  };
}
