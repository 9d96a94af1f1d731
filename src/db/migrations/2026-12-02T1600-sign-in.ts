import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Interactive staff sign-in: password (argon2id) and TOTP on the user, console sessions,
 * pending sign-ins between the password and the second factor, passkeys, recovery codes,
 * setup/enrolment links and the failed attempts that throttling counts. Every secret a browser
 * holds (session, pending sign-in, link) is stored only as its SHA-256; TOTP secrets are sealed.
 */
export function signIn(ctx: MigrationContext) {
  const bytes = ctx.dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('users').addColumn('password_hash', 'text').execute();
      await db.schema.alterTable('users').addColumn('totp_sealed', sql.raw(bytes)).execute();
      // The last TOTP time step accepted: a code of that step or an earlier one is refused.
      await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        // The WebAuthn challenge of a passkey registration in progress.
        .addColumn('challenge', 'text')
        .execute();
      await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

      await db.schema
        .createTable('pending_sign_ins')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('challenge', 'text')
        .execute();

      await db.schema
        .createTable('passkeys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('credential_id', 'text', (c) => c.notNull().unique())
        .addColumn('public_key', sql.raw(bytes), (c) => c.notNull())
        .addColumn('counter', 'bigint', (c) => c.notNull())
        .addColumn('transports', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .execute();
      await db.schema.createIndex('passkeys_user_idx').on('passkeys').column('user_id').execute();

      await db.schema
        .createTable('recovery_codes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('code_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await db.schema.createIndex('recovery_codes_user_idx').on('recovery_codes').column('user_id').execute();

      await db.schema
        .createTable('enrolment_links')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        // null: the first-admin setup link of an instance without users.
        .addColumn('user_id', 'text', (c) => c.references('users.id'))
        .addColumn('totp_sealed', sql.raw(bytes), (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await db.schema
        .createIndex('enrolment_links_user_idx')
        .on('enrolment_links')
        .column('user_id')
        .execute();

      await db.schema
        .createTable('sign_in_failures')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // The normalised email tried (whether or not such a user exists), and the client address.
        .addColumn('account', 'text')
        .addColumn('ip', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('sign_in_failures_account_idx')
        .on('sign_in_failures')
        .columns(['account', 'at'])
        .execute();
      await db.schema
        .createIndex('sign_in_failures_ip_idx')
        .on('sign_in_failures')
        .columns(['ip', 'at'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of [
        'sign_in_failures',
        'enrolment_links',
        'recovery_codes',
        'passkeys',
        'pending_sign_ins',
        'sessions',
      ]) {
        await db.schema.dropTable(t).execute();
      }
      await db.schema.alterTable('users').dropColumn('totp_last_step').execute();
      await db.schema.alterTable('users').dropColumn('totp_sealed').execute();
      await db.schema.alterTable('users').dropColumn('password_hash').execute();
    },
  };
}
