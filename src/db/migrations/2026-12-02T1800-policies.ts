import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Policy governance: a program's policy documents, their versions (draft → in review → approved
 * → published, then superseded), the annual reviews that change nothing but are signed off all
 * the same, and the review reminders already queued. Policy text is public once published, so
 * nothing here is sealed; reviewer and approver are kept as user ids so the revision history is
 * generated from the record, never typed.
 */
export function policies(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('policy_documents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        // The document's slug within its program, e.g. `disclosure-policy`.
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('review_interval_days', 'integer', (c) => c.notNull().defaultTo(365))
        // The last publication or completed annual review: the review due date counts from it.
        .addColumn('last_reviewed_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addUniqueConstraint('policy_documents_program_kind', ['program_id', 'kind'])
        .execute();

      await db.schema
        .createTable('policy_versions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull().references('policy_documents.id'))
        .addColumn('version', 'text', (c) => c.notNull())
        // draft | in_review | approved | published | superseded
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('changes', 'text', (c) => c.notNull())
        .addColumn('effective_date', 'text')
        // null: written by the system (the example seed), not by a staff user.
        .addColumn('author_id', 'text', (c) => c.references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('submitted_at', 'text')
        .addColumn('reviewed_at', 'text')
        .addColumn('reviewed_by', 'text', (c) => c.references('users.id'))
        .addColumn('approved_at', 'text')
        .addColumn('approved_by', 'text', (c) => c.references('users.id'))
        .addColumn('published_at', 'text')
        .addColumn('published_by', 'text')
        .addColumn('superseded_at', 'text')
        .addUniqueConstraint('policy_versions_document_version', ['document_id', 'version'])
        .execute();
      await db.schema
        .createIndex('policy_versions_state_idx')
        .on('policy_versions')
        .columns(['document_id', 'state'])
        .execute();
      // At most one version per document on its way to publication, even under concurrent drafts.
      await sql`create unique index policy_versions_one_open on policy_versions (document_id) where state in ('draft', 'in_review', 'approved')`.execute(
        db,
      );

      await db.schema
        .createTable('policy_reviews')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull().references('policy_documents.id'))
        .addColumn('version_id', 'text', (c) => c.notNull().references('policy_versions.id'))
        // reviewed (the privacy officer signed) | approved (the approver signed: complete)
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('reviewed_at', 'text', (c) => c.notNull())
        .addColumn('reviewed_by', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('approved_at', 'text')
        .addColumn('approved_by', 'text', (c) => c.references('users.id'))
        .execute();
      await db.schema
        .createIndex('policy_reviews_document_idx')
        .on('policy_reviews')
        .columns(['document_id', 'state'])
        .execute();

      // A review reminder already queued: one row per document, due date and level, sent once.
      await db.schema
        .createTable('policy_review_reminders')
        .addColumn('document_id', 'text', (c) => c.notNull().references('policy_documents.id'))
        .addColumn('due_at', 'text', (c) => c.notNull())
        // `upcoming` (30 days before) or `due`
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('policy_review_reminders_pk', ['document_id', 'due_at', 'level'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['policy_review_reminders', 'policy_reviews', 'policy_versions', 'policy_documents']) {
        await db.schema.dropTable(t).execute();
      }
    },
  };
}
