import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Advisories: a program's security bulletins, drafted from one or more cases. An advisory has a
 * stable public id (`<CASEPREFIX>-SA-<year>-<nnnn>`, numbered per program and year through
 * `advisory_counters`) and a chain of revisions; each revision carries the whole content (JSON,
 * validated by `advisoryContentSchema`) and moves draft → in_review → approved → (scheduled →)
 * published. A published revision is never changed again: a correction is the next revision.
 * Advisory content is meant for the public once released, so nothing here is sealed; which cases
 * an advisory came from is internal and never published.
 */
export function advisories(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('advisory_counters')
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('last_number', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('advisory_counters_pk', ['program_id', 'year'])
        .execute();

      await db.schema
        .createTable('advisories')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        .addColumn('public_id', 'text', (c) => c.notNull().unique())
        // draft (never published) | published (a revision is public)
        .addColumn('state', 'text', (c) => c.notNull())
        // The number of the revision the public sees; null until the first publication.
        .addColumn('published_revision', 'integer')
        .addColumn('initial_release_at', 'text')
        .addColumn('current_release_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('advisories_public_idx')
        .on('advisories')
        .columns(['state', 'current_release_at'])
        .execute();
      await db.schema
        .createIndex('advisories_program_idx')
        .on('advisories')
        .columns(['program_id'])
        .execute();

      await db.schema
        .createTable('advisory_revisions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id'))
        .addColumn('number', 'integer', (c) => c.notNull())
        // draft | in_review | approved | scheduled | published
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        // The revision-history entry ("Initial release.", or what a correction changed).
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
        // JSON array of user ids who edited the content: none of them may approve it.
        .addColumn('editors', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('submitted_at', 'text')
        .addColumn('approved_at', 'text')
        .addColumn('approved_by', 'text', (c) => c.references('users.id'))
        // The embargo instant (UTC ISO) of a scheduled revision; the embargo job reads it.
        .addColumn('publish_not_before', 'text')
        .addColumn('scheduled_at', 'text')
        .addColumn('published_at', 'text')
        // `user:<id>/…` or `system:embargo`.
        .addColumn('published_by', 'text')
        .addUniqueConstraint('advisory_revisions_number', ['advisory_id', 'number'])
        .execute();
      await db.schema
        .createIndex('advisory_revisions_state_idx')
        .on('advisory_revisions')
        .columns(['state', 'publish_not_before'])
        .execute();
      // At most one revision per advisory on its way to publication, even under concurrent requests.
      await sql`create unique index advisory_revisions_one_open on advisory_revisions (advisory_id) where state in ('draft', 'in_review', 'approved', 'scheduled')`.execute(
        db,
      );

      await db.schema
        .createTable('advisory_cases')
        .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id'))
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
        .addColumn('added_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('advisory_cases_pk', ['advisory_id', 'report_id'])
        .execute();
      await db.schema
        .createIndex('advisory_cases_report_idx')
        .on('advisory_cases')
        .columns(['report_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['advisory_cases', 'advisory_revisions', 'advisories', 'advisory_counters']) {
        await db.schema.dropTable(t).execute();
      }
    },
  };
}
