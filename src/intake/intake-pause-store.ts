import type { Kysely } from 'kysely';
import type { Database, IntakePauseTable } from '../db/index.js';

/** SQL of intake pauses: one row per paused program. */

export async function findPause(
  db: Kysely<Database>,
  programId: string,
): Promise<IntakePauseTable | undefined> {
  return db.selectFrom('intake_pauses').selectAll().where('program_id', '=', programId).executeTakeFirst();
}

/** Pauses the program, or changes the message and date of a pause in force. */
export async function upsertPause(db: Kysely<Database>, row: IntakePauseTable): Promise<void> {
  await db
    .insertInto('intake_pauses')
    .values(row)
    .onConflict((oc) =>
      oc.column('program_id').doUpdateSet({
        message: row.message,
        reopens_on: row.reopens_on,
        paused_by: row.paused_by,
        paused_at: row.paused_at,
      }),
    )
    .execute();
}

/** Ends the pause; true when there was one. */
export async function deletePause(db: Kysely<Database>, programId: string): Promise<boolean> {
  const r = await db.deleteFrom('intake_pauses').where('program_id', '=', programId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
