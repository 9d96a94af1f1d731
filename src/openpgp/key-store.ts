import type { Kysely } from 'kysely';
import type { Database, ProgramKeyRow } from '../db/index.js';

/** SQL for OpenPGP program keys. Functions take `db` or a transaction first. */

export async function insertProgramKey(db: Kysely<Database>, row: ProgramKeyRow): Promise<void> {
  await db.insertInto('program_keys').values(row).execute();
}

/** Keys of one program (or of the instance, with `null`), newest first. */
export async function listKeysOf(db: Kysely<Database>, programId: string | null): Promise<ProgramKeyRow[]> {
  const q = db.selectFrom('program_keys').selectAll();
  return (programId === null ? q.where('program_id', 'is', null) : q.where('program_id', '=', programId))
    .orderBy('activated_at', 'desc')
    .execute();
}

export async function listAllKeys(db: Kysely<Database>): Promise<ProgramKeyRow[]> {
  return db
    .selectFrom('program_keys')
    .selectAll()
    .orderBy('program_id')
    .orderBy('activated_at', 'desc')
    .execute();
}

export async function findKeyByFingerprint(
  db: Kysely<Database>,
  fingerprint: string,
): Promise<ProgramKeyRow | undefined> {
  return db.selectFrom('program_keys').selectAll().where('fingerprint', '=', fingerprint).executeTakeFirst();
}

/** Retire the active key(s) of a program: they stop being published but keep decrypting until `decryptUntil`. */
export async function retireActiveKeys(
  db: Kysely<Database>,
  programId: string | null,
  at: string,
  decryptUntil: string,
): Promise<number> {
  const q = db
    .updateTable('program_keys')
    .set({ state: 'retired', retired_at: at, decrypt_until: decryptUntil })
    .where('state', '=', 'active');
  const r = await (programId === null
    ? q.where('program_id', 'is', null)
    : q.where('program_id', '=', programId)
  ).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * The keys a program (or the instance, with `null`) has published, newest first: the active one
 * and those it replaced. A key becomes published when it is installed as active (the same
 * transaction retires its predecessor), so a row that was never active is never listed.
 */
export async function listPublishedKeysOf(
  db: Kysely<Database>,
  programId: string | null,
): Promise<ProgramKeyRow[]> {
  const q = db.selectFrom('program_keys').selectAll().where('state', 'in', ['active', 'retired']);
  return (programId === null ? q.where('program_id', 'is', null) : q.where('program_id', '=', programId))
    .orderBy('activated_at', 'desc')
    .execute();
}
