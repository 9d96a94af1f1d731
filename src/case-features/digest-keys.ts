import { randomBytes } from 'node:crypto';
import type { Sealer } from '../crypto/index.js';
import type { Database, Kysely } from '../db/index.js';
import { findDigestKey, insertDigestKey } from './digest-store.js';
import { type DigestKey, digestKeyId } from './feature-digest.js';

const keyAad = (programId: string) => `case-digest-key:${programId}`;

/**
 * The program's digest key, created on first use: 32 random bytes sealed under the instance
 * keyring, one row per program. Opening it is one small unseal; callers open it once per request
 * or pass, never per candidate. Call it outside a transaction: on first use it writes.
 */
export async function openDigestKey(
  db: Kysely<Database>,
  sealer: Pick<Sealer, 'seal' | 'open'>,
  programId: string,
  now: Date,
): Promise<DigestKey> {
  let sealed = await findDigestKey(db, programId);
  if (!sealed) {
    const fresh = randomBytes(32);
    await insertDigestKey(db, {
      program_id: programId,
      key_sealed: sealer.seal(fresh, keyAad(programId)),
      created_at: now.toISOString(),
    });
    fresh.fill(0);
    sealed = (await findDigestKey(db, programId)) as Buffer;
  }
  const key = sealer.open(sealed, keyAad(programId));
  return { key, id: digestKeyId(key) };
}
