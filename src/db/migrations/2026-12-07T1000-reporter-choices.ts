import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * What a reporter says about themselves, kept as records the team can act on:
 *
 * - `phi_access_claims`: a report whose words say the reporter reached PHI or personal data (not
 *   the PHI guard's finding of patient data in the report itself). One per case, with where it
 *   was said (sealed: the reporter's own words) and the team's decision: escalated or declined,
 *   by whom, when and why (sealed). `reports.phi_claim` is 1 while the decision is pending, so the
 *   queue can show it without a join.
 * - `reports.urgent`: why a case is urgent (`phi-accessed`), or null. An urgent case has the
 *   program's short acknowledgement clock.
 * - Privacy escalations opened or closed by staff by hand keep who opened them and the reasons
 *   given (sealed).
 * - `credit_consents`: every consent to public credit, and every withdrawal, as it was given: the
 *   choice, the credit's words (sealed), the channel (form, private page, mail reply, staff on
 *   the reporter's behalf with the evidence), who recorded it and when. The latest row counts.
 */
export function reporterChoices(ctx: MigrationContext) {
  const bytes = ctx.dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('phi_access_claims')
        .addColumn('report_id', 'text', (c) => c.primaryKey().references('reports.id'))
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        .addColumn('detected_at', 'text', (c) => c.notNull())
        // JSON [{where, language, excerpt}], sealed: the excerpts are the reporter's words.
        .addColumn('findings_sealed', bytes, (c) => c.notNull())
        // null while pending; escalated | declined
        .addColumn('decision', 'text')
        .addColumn('decided_by', 'text', (c) => c.references('users.id'))
        .addColumn('decided_at', 'text')
        .addColumn('decision_note_sealed', bytes)
        .execute();
      await db.schema
        .alterTable('reports')
        .addColumn('phi_claim', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('reports').addColumn('urgent', 'text').execute();
      await db.schema
        .alterTable('privacy_escalations')
        .addColumn('opened_by', 'text', (c) => c.references('users.id'))
        .execute();
      await db.schema.alterTable('privacy_escalations').addColumn('open_note_sealed', bytes).execute();
      await db.schema.alterTable('privacy_escalations').addColumn('close_note_sealed', bytes).execute();
      await db.schema
        .createTable('credit_consents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        // 1, 2, 3… per case: the order of changes, even two in the same millisecond.
        .addColumn('seq', 'integer', (c) => c.notNull())
        // given | declined
        .addColumn('choice', 'text', (c) => c.notNull())
        .addColumn('credit_text_sealed', bytes)
        // form | private-page | mail-reply | staff
        .addColumn('via', 'text', (c) => c.notNull())
        // What staff hold as proof when they record a consent given another way (sealed).
        .addColumn('evidence_sealed', bytes)
        .addColumn('recorded_by', 'text', (c) => c.references('users.id'))
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('credit_consents_report_seq_key')
        .on('credit_consents')
        .columns(['report_id', 'seq'])
        .unique()
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('credit_consents').execute();
      await db.schema.alterTable('privacy_escalations').dropColumn('close_note_sealed').execute();
      await db.schema.alterTable('privacy_escalations').dropColumn('open_note_sealed').execute();
      await db.schema.alterTable('privacy_escalations').dropColumn('opened_by').execute();
      await db.schema.alterTable('reports').dropColumn('urgent').execute();
      await db.schema.alterTable('reports').dropColumn('phi_claim').execute();
      await db.schema.dropTable('phi_access_claims').execute();
    },
  };
}
