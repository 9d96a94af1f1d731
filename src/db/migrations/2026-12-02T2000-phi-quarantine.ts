import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * The PHI quarantine: parts of a case (a content field, a message, an attachment) in which the
 * PHI guard found identifiers about people on arrival are held back from everyone without the
 * privacy duty until released or redacted. Rows name the part and the kinds found — never the
 * content, never an excerpt. Redaction proposals keep offsets only, so a rejected or pending
 * proposal is not itself a copy of what it would remove.
 *
 * `reports.phi_flag` (0/1 on both dialects) is kept in the same transactions as the rows, so the
 * queue can show the flag without a join. Attachments gain `redacted_at` (a tombstone: no name,
 * no blob) and `raw_message` (1 for the stored original of an email, destroyed with any redaction
 * of the text it carries).
 */
export function phiQuarantine(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('phi_quarantine')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        // field | message | attachment, and the field id, message id or attachment id.
        .addColumn('part_kind', 'text', (c) => c.notNull())
        .addColumn('part_ref', 'text', (c) => c.notNull())
        // quarantined | released | redacted
        .addColumn('state', 'text', (c) => c.notNull())
        // JSON array of PHI kinds found (e.g. ["ssn","fhir-patient"]); never values.
        .addColumn('kinds', 'text', (c) => c.notNull())
        // Attachments: how many bytes the guard read, and whether it stopped at its cap.
        .addColumn('scanned_bytes', 'integer')
        .addColumn('truncated', 'integer')
        .addColumn('detected_at', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .addColumn('resolved_by', 'text', (c) => c.references('users.id'))
        // Why it was released, as the officer wrote it: sealed, like every free text about a case.
        .addColumn('resolve_reason_sealed', ctxBytes(ctx))
        .addUniqueConstraint('phi_quarantine_part_key', ['report_id', 'part_kind', 'part_ref'])
        .execute();
      await db.schema
        .createTable('phi_redactions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        // proposed | applied | rejected
        .addColumn('state', 'text', (c) => c.notNull())
        // Why, as the proposer wrote it: sealed, since free text may describe what it removes.
        .addColumn('reason_sealed', ctxBytes(ctx), (c) => c.notNull())
        // JSON: [{kind, ref, spans:[{start,end}]} | {kind, ref, whole:true}] — offsets only.
        .addColumn('parts', 'text', (c) => c.notNull())
        .addColumn('proposed_by', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('proposed_at', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'text', (c) => c.references('users.id'))
        .addColumn('decided_at', 'text')
        .addColumn('decision_reason_sealed', ctxBytes(ctx))
        .execute();
      await db.schema
        .createIndex('phi_redactions_report_idx')
        .on('phi_redactions')
        .columns(['report_id', 'state'])
        .execute();
      await db.schema
        .alterTable('reports')
        .addColumn('phi_flag', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('attachments').addColumn('redacted_at', 'text').execute();
      await db.schema
        .alterTable('attachments')
        .addColumn('raw_message', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('attachments').dropColumn('raw_message').execute();
      await db.schema.alterTable('attachments').dropColumn('redacted_at').execute();
      await db.schema.alterTable('reports').dropColumn('phi_flag').execute();
      await db.schema.dropTable('phi_redactions').execute();
      await db.schema.dropTable('phi_quarantine').execute();
    },
  };
}

const ctxBytes = (ctx: MigrationContext) => (ctx.dialect === 'postgres' ? 'bytea' : 'blob');
