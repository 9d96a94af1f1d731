import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Case handling: program membership with roles and duties, the workflow columns of a case
 * (assignee, named contact, clock stops, verdict details) and its assessment. None of these
 * hold report content: the assessment is the team's own scoring (CVSS vectors, CWE, SSVC).
 */
export function caseWorkflow(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('program_members')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        /** JSON array of extra duties, e.g. ["privacy","approver"]. */
        .addColumn('duties', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('program_members_pk', ['user_id', 'program_id'])
        .execute();

      // null: the token acts in every program its user may see; otherwise a JSON array of program ids.
      await db.schema.alterTable('api_tokens').addColumn('program_ids', 'text').execute();

      const add = (name: string, type: 'text' | 'integer', notNullDefault?: string) =>
        db.schema
          .alterTable('reports')
          .addColumn(name, type, (c) =>
            notNullDefault !== undefined ? c.notNull().defaultTo(notNullDefault) : c,
          )
          .execute();
      await add('assignee_id', 'text');
      await add('contact_person', 'text');
      await add('acknowledged_at', 'text');
      await add('verified_at', 'text');
      await add('summary_sent_at', 'text');
      await add('closed_at', 'text');
      await add('state_changed_at', 'text');
      await add('duplicate_of', 'text');
      await add('out_of_scope_category', 'text');
      await add('severity', 'text');
      await add('product_id', 'text');
      await add('assessment', 'text', '{}');
      await db.schema
        .createIndex('reports_assignee_idx')
        .on('reports')
        .columns(['assignee_id', 'state'])
        .execute();
      await db.schema
        .createIndex('reports_ack_due_idx')
        .on('reports')
        .columns(['state', 'acknowledge_by'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('reports_ack_due_idx').execute();
      await db.schema.dropIndex('reports_assignee_idx').execute();
      for (const c of [
        'assessment',
        'product_id',
        'severity',
        'out_of_scope_category',
        'duplicate_of',
        'state_changed_at',
        'closed_at',
        'summary_sent_at',
        'verified_at',
        'acknowledged_at',
        'contact_person',
        'assignee_id',
      ]) {
        await db.schema.alterTable('reports').dropColumn(c).execute();
      }
      await db.schema.alterTable('api_tokens').dropColumn('program_ids').execute();
      await db.schema.dropTable('program_members').execute();
    },
  };
}
