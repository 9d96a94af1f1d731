import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';

/** One attachment's claim on a blob: the key, the attachment it is bound to, the recorded digest. */
export interface AttachmentBlobRef {
  attachmentId: string;
  blobKey: string;
  /** Hex SHA-256 of the plaintext, recorded when the file was stored. */
  sha256: string;
}

/**
 * Every attachment that still has a blob (redacted ones are tombstones without one), in pages of
 * `pageSize` ordered by id, for `vigil blobs verify`: an instance may hold far more rows than fit
 * in memory at once.
 */
export async function* attachmentBlobRefs(
  db: Kysely<Database>,
  pageSize = 500,
): AsyncIterable<AttachmentBlobRef> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('attachments')
      .select(['id', 'blob_key', 'sha256'])
      .where('redacted_at', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    for (const r of rows) yield { attachmentId: r.id, blobKey: r.blob_key, sha256: r.sha256 };
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < pageSize) return;
    after = last.id;
  }
}
