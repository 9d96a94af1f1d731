import type { Kysely } from 'kysely';
import { newId } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Database } from '../db/index.js';
import type { OutgoingMail } from '../mail/index.js';
import { insertOutbox } from './outbox-store.js';

/** The associated data that binds a sealed outbox payload to its row. */
export const outboxAad = (id: string) => `outbox:${id}`;

/**
 * Queue a mail in the same transaction as the change that causes it: the mail exists if and
 * only if the change committed. The worker sends it later, retrying until the peer accepts it.
 */
export async function enqueueMail(
  trx: Kysely<Database>,
  sealer: Sealer,
  mail: OutgoingMail,
  opts: { reportId?: string; now: Date },
): Promise<string> {
  // Checked here, in the caller's transaction, rather than found out at send time after the
  // change it belongs to has long committed.
  if (mail.requireEncryption && mail.encryptTo === undefined)
    throw new Error('a mail that must be encrypted needs a recipient key (encryptTo)');
  const id = newId();
  const at = opts.now.toISOString();
  await insertOutbox(trx, {
    id,
    kind: 'mail',
    payload_sealed: sealer.sealJson(mail, outboxAad(id)),
    state: 'pending',
    attempts: 0,
    next_attempt_at: at,
    locked_until: null,
    last_error: null,
    report_id: opts.reportId ?? null,
    created_at: at,
    sent_at: null,
  });
  return id;
}
