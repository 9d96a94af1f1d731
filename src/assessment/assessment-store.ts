import { type Database, forUpdate, type Kysely, type Transaction } from '../db/index.js';

/** The SQL of the assessment: the JSON document on the report row and the columns derived from it. */

/**
 * The report's stored assessment (JSON text), read inside `trx` and locked on PostgreSQL until
 * it ends, so "what changed" is measured against what the write in the same transaction replaces.
 */
export async function lockStoredAssessment(trx: Transaction<Database>, reportId: string): Promise<string> {
  const q = trx.selectFrom('reports').select('assessment').where('id', '=', reportId);
  return (await forUpdate(q, trx).executeTakeFirstOrThrow()).assessment;
}

/** Replace the assessment with the severity and first product derived from it. */
export async function writeAssessment(
  trx: Kysely<Database>,
  reportId: string,
  row: { assessment: string; severity: string | null; productId: string | null },
): Promise<void> {
  await trx
    .updateTable('reports')
    .set({ assessment: row.assessment, severity: row.severity, product_id: row.productId })
    .where('id', '=', reportId)
    .execute();
}
