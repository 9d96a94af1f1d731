import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Regulatory duties on a case (src/regulatory): the triggers recorded on it, the clocks each
 * trigger started from the product's profile, the "not reportable" decisions (proposed by one
 * person, reviewed by another), the reminders already queued per clock and level, and the
 * adverse-event records opened for the quality system. Reasons and notes are sealed: they may
 * describe patients or the incident. Reference numbers from authorities are not secret.
 */
export function regulatoryDuties(ctx: MigrationContext) {
  const bytes = ctx.dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('regulatory_triggers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        .addColumn('product_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        // When the vendor became aware of the fact: the start of most of its clocks.
        .addColumn('aware_at', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        // Null when the assessment recorded it (an uncontrolled patient risk).
        .addColumn('recorded_by', 'text', (c) => c.references('users.id'))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('reason_sealed', bytes)
        // JSON: individualsAffected, residentsOfOneState, outcome, remedialAction.
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('measure_available_at', 'text')
        .execute();
      await db.schema
        .createIndex('regulatory_triggers_report_idx')
        .on('regulatory_triggers')
        .column('report_id')
        .execute();

      await db.schema
        .createTable('regulatory_clocks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('trigger_id', 'text', (c) => c.notNull().references('regulatory_triggers.id'))
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        .addColumn('duty', 'text', (c) => c.notNull())
        .addColumn('regime', 'text', (c) => c.notNull())
        // Null while the fact that starts it has not happened (a measure, an earlier report).
        .addColumn('started_at', 'text')
        .addColumn('due_at', 'text')
        // `submitted` or `not-reportable`; null while it runs or waits.
        .addColumn('resolution', 'text')
        .addColumn('resolved_at', 'text')
        .addColumn('resolved_by', 'text', (c) => c.references('users.id'))
        .addColumn('reference', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('regulatory_clocks_trigger_duty_uq', ['trigger_id', 'duty'])
        .execute();
      // Running clocks across programs by due instant: the Regulatory view and the reminder job.
      await db.schema
        .createIndex('regulatory_clocks_open_due_idx')
        .on('regulatory_clocks')
        .columns(['resolution', 'due_at', 'id'])
        .execute();
      await db.schema
        .createIndex('regulatory_clocks_report_idx')
        .on('regulatory_clocks')
        .column('report_id')
        .execute();

      await db.schema
        .createTable('regulatory_decisions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('trigger_id', 'text', (c) => c.notNull().references('regulatory_triggers.id'))
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        .addColumn('regime', 'text', (c) => c.notNull())
        .addColumn('reason_sealed', bytes, (c) => c.notNull())
        .addColumn('decided_by', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('decided_at', 'text', (c) => c.notNull())
        // `proposed`, `approved` or `rejected`.
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('reviewed_by', 'text', (c) => c.references('users.id'))
        .addColumn('reviewed_at', 'text')
        .addColumn('review_note_sealed', bytes)
        .execute();
      await db.schema
        .createIndex('regulatory_decisions_report_idx')
        .on('regulatory_decisions')
        .column('report_id')
        .execute();

      await db.schema
        .createTable('regulatory_reminders')
        .addColumn('clock_id', 'text', (c) => c.notNull().references('regulatory_clocks.id'))
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('regulatory_reminders_pk', ['clock_id', 'level'])
        .execute();

      await db.schema
        .createTable('adverse_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // One record per case: later reasons are added to it.
        .addColumn('report_id', 'text', (c) => c.notNull().unique().references('reports.id'))
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('opened_at', 'text', (c) => c.notNull())
        // JSON array of why: `harm-serious`, `harm-critical`, `harm-catastrophic`, `device-malfunction`.
        .addColumn('reasons', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of [
        'adverse_events',
        'regulatory_reminders',
        'regulatory_decisions',
        'regulatory_clocks',
        'regulatory_triggers',
      ])
        await db.schema.dropTable(t).execute();
    },
  };
}
