import { createHash } from 'node:crypto';
import type { Database, Kysely, Transaction } from '../db/index.js';

/**
 * The mails that already made a case or a reply, so a second delivery of one finds what it made.
 * Second deliveries happen: the IMAP poller may die between the commit and marking the message,
 * and a relay that lost our `250` sends the mail again.
 *
 * A mail is known by a key, not by its Message-ID: SHA-256 over the Message-ID and the SHA-256 of
 * the raw bytes. The Message-ID alone is not enough (a client may reuse one for a different mail,
 * and a forged one could otherwise swallow a genuine report), and it is not stored either, as it
 * often names a host or a person.
 */

export interface KnownMail {
  kind: 'case' | 'reply';
  reportId: string;
  caseNumber: string;
}

/** The key a mail is known by: the same bytes under the same Message-ID give the same key. */
export function inboundMessageKey(raw: Buffer, messageId: string | undefined): string {
  return inboundMessageKeyOfDigest(createHash('sha256').update(raw).digest('hex'), messageId);
}

/** The same key from the hex SHA-256 of the bytes (a mail hashed as it was spooled). */
export function inboundMessageKeyOfDigest(content: string, messageId: string | undefined): string {
  return createHash('sha256')
    .update(`vigil-inbound-v1\n${messageId ?? ''}\n${content}`)
    .digest('hex');
}

/** What the mail with this key made, if it was taken before. */
export async function findInboundMessage(db: Kysely<Database>, key: string): Promise<KnownMail | undefined> {
  const row = await db
    .selectFrom('inbound_messages')
    .innerJoin('reports', 'reports.id', 'inbound_messages.report_id')
    .select(['inbound_messages.kind', 'inbound_messages.report_id', 'reports.case_number'])
    .where('inbound_messages.message_key', '=', key)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    kind: row.kind === 'reply' ? 'reply' : 'case',
    reportId: row.report_id,
    caseNumber: row.case_number,
  };
}

/**
 * Record that the mail with this key made `reportId`'s case (in the case's own transaction) or a
 * reply on it. Two deliveries racing each other both pass `findInboundMessage`; the primary key
 * lets only one record, and the other's transaction fails, so the transport answers it "try again
 * later" and the retry finds the case.
 */
export async function recordInboundMessage(
  db: Kysely<Database> | Transaction<Database>,
  row: { key: string; reportId: string; kind: 'case' | 'reply'; at: Date },
): Promise<void> {
  await db
    .insertInto('inbound_messages')
    .values({
      message_key: row.key,
      report_id: row.reportId,
      kind: row.kind,
      received_at: row.at.toISOString(),
    })
    .execute();
}
