import type { Kysely } from 'kysely';
import type { CaseDigestKeyTable, Database } from '../db/index.js';

/** SQL of the case feature digests: the per-program keys, and the digest column of a report. */

export async function findDigestKey(db: Kysely<Database>, programId: string): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('case_digest_keys')
    .select('key_sealed')
    .where('program_id', '=', programId)
    .executeTakeFirst();
  return row?.key_sealed;
}

/** Inserts the program's key unless another writer got there first (theirs wins). */
export async function insertDigestKey(db: Kysely<Database>, row: CaseDigestKeyTable): Promise<void> {
  await db
    .insertInto('case_digest_keys')
    .values(row)
    .onConflict((oc) => oc.column('program_id').doNothing())
    .execute();
}

/** Stores (or, with null, drops) the feature digest of a report. */
export async function writeFeatureDigest(
  db: Kysely<Database>,
  reportId: string,
  digest: Buffer | null,
): Promise<void> {
  await db.updateTable('reports').set({ feature_digest: digest }).where('id', '=', reportId).execute();
}
