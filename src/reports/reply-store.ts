import type { Kysely } from 'kysely';
import type { Database, ReportRow } from '../db/index.js';

/** SQL for finding the case an emailed reply answers. Functions take `db` or a transaction first. */

/**
 * The case that holds this reply token (its hash, as stored). The caller still checks the
 * program: a token proves a case only at the program it was sent from.
 */
export async function findReportByReplyTokenHash(
  db: Kysely<Database>,
  replyTokenHash: string,
): Promise<Pick<ReportRow, 'case_number' | 'program_id'> | undefined> {
  return db
    .selectFrom('reports')
    .select(['case_number', 'program_id'])
    .where('reply_token_hash', '=', replyTokenHash)
    .executeTakeFirst();
}
