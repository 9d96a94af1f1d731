import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.js';

/**
 * Everyone who wrote or edited a policy version, one row per version and person, so that none of
 * them reviews or approves it: comparing the reviewer with the author alone let a lead rewrite
 * someone else's draft and then review it. Existing versions count their author as an editor
 * (the only editor anyone recorded); versions seeded by the system have none.
 */
export function policyVersionEditors(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('policy_version_editors')
        .addColumn('version_id', 'text', (c) => c.notNull().references('policy_versions.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('first_edited_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('policy_version_editors_pk', ['version_id', 'user_id'])
        .execute();
      await sql`
        insert into policy_version_editors (version_id, user_id, first_edited_at)
        select id, author_id, created_at from policy_versions where author_id is not null
      `.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('policy_version_editors').execute();
    },
  };
}
