import type { Kysely } from 'kysely';
import type { Database, ReportRow } from '../db/index.js';

/** SQL for finding the case an emailed reply answers. Functions take `db` or a transaction first. */

/**
 * The case that holds this reply token (its hash, as stored), with its sealed contact details (the
 * reporter's key is among them, for checking a signature). The caller still checks the program: a
 * token proves a case only at the program it was sent from.
 */
export async function findReportByReplyTokenHash(
  db: Kysely<Database>,
  replyTokenHash: string,
): Promise<Pick<ReportRow, 'id' | 'case_number' | 'program_id' | 'contact_sealed'> | undefined> {
  return db
    .selectFrom('reports')
    .select(['id', 'case_number', 'program_id', 'contact_sealed'])
    .where('reply_token_hash', '=', replyTokenHash)
    .executeTakeFirst();
}
