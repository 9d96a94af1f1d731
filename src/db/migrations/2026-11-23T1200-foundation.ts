import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.js';

/** Programs, reports with attachments and messages, the outbox, the audit chain, staff and tokens. */
export function foundation(ctx: MigrationContext) {
  const bytes = ctx.dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('programs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('case_prefix', 'text', (c) => c.notNull().unique())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('case_counters')
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('last_number', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('case_counters_pk', ['program_id', 'year'])
        .execute();

      await db.schema
        .createTable('reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
        .addColumn('case_number', 'text', (c) => c.notNull().unique())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('deadlines', 'text', (c) => c.notNull())
        .addColumn('acknowledge_by', 'text', (c) => c.notNull())
        .addColumn('content_sealed', sql.raw(bytes), (c) => c.notNull())
        .addColumn('contact_sealed', sql.raw(bytes), (c) => c.notNull())
        .addColumn('reporter_token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('reports_received_idx')
        .on('reports')
        .columns(['received_at', 'id'])
        .execute();
      await db.schema
        .createIndex('reports_program_state_idx')
        .on('reports')
        .columns(['program_id', 'state', 'received_at'])
        .execute();

      await db.schema
        .createTable('messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
        .addColumn('author_kind', 'text', (c) => c.notNull())
        .addColumn('author_id', 'text')
        .addColumn('visibility', 'text', (c) => c.notNull())
        .addColumn('body_sealed', sql.raw(bytes), (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('messages_report_idx')
        .on('messages')
        .columns(['report_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('attachments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
        .addColumn('message_id', 'text', (c) => c.references('messages.id'))
        .addColumn('blob_key', 'text', (c) => c.notNull().unique())
        .addColumn('name_sealed', sql.raw(bytes), (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('attachments_report_idx').on('attachments').column('report_id').execute();

      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload_sealed', sql.raw(bytes), (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .addColumn('last_error', 'text')
        .addColumn('report_id', 'text', (c) => c.references('reports.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .execute();
      await db.schema
        .createIndex('outbox_due_idx')
        .on('outbox')
        .columns(['state', 'next_attempt_at'])
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('program_id', 'text')
        .addColumn('report_id', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_report_idx').on('audit_log').columns(['report_id', 'seq']).execute();

      // One row that serialises appends to the hash chain (locked FOR UPDATE on PostgreSQL).
      await db.schema
        .createTable('audit_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await sql`insert into audit_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of [
        'api_tokens',
        'users',
        'audit_head',
        'audit_log',
        'outbox',
        'attachments',
        'messages',
        'reports',
        'case_counters',
        'programs',
      ]) {
        await db.schema.dropTable(t).execute();
      }
    },
  };
}
