import {
  isActiveKey,
  type Keyring,
  parseStreamHeader,
  rewrapStreamHeader,
  type Sealer,
  sameKey,
} from '../crypto/index.js';
import { type Db, rewrapColumnBatch, sealedColumns, sealedKeyCounts } from '../db/index.js';
import type { RawBlobs } from './raw-blobs.js';

/**
 * After a new master key became active: wrap every stored data key under it, so the old key can
 * be retired. Only the wrapped data keys change (a sealed value's ciphertext, a blob's chunks
 * stay as they are), in batches, each batch of sealed values in its own transaction.
 *
 * Resumable by construction: each batch asks for values *not yet* under the active key, and a
 * blob whose header already names it is skipped, so a run killed at any point is finished by
 * running it again. The same re-run catches data that an instance started before the rotation
 * (still writing under the old key) stored meanwhile: run it once more after every instance has
 * restarted with the new key.
 */

/** Progress after each batch, for the operator (and for tests that stop a run half-way). */
export interface RewrapProgress {
  batch: number;
  /** `table.column` for sealed values, `blobs` for attachment files. */
  where: string;
  rewrapped: number;
}

export interface RewrapOptions {
  db: Db;
  blobs: RawBlobs;
  keyring: Keyring;
  sealer: Sealer;
  /** Values (or blobs) per batch. */
  batchSize?: number;
  onBatch?: (progress: RewrapProgress) => Promise<void> | void;
}

/** What a run re-wrapped. */
export interface RewrapResult {
  activeKeyId: string;
  values: number;
  columns: number;
  blobs: number;
  batches: number;
}

const DEFAULT_BATCH = 200;
/** Batches in a row that found values but changed none before a column is reported as stuck. */
const STUCK_AFTER = 5;

/** Re-wrap every sealed value and every blob header under the active master key. */
export async function rewrapAll(opts: RewrapOptions): Promise<RewrapResult> {
  const size = opts.batchSize ?? DEFAULT_BATCH;
  const activeKeyId = opts.keyring.activeKeyId;
  const result: RewrapResult = { activeKeyId, values: 0, columns: 0, blobs: 0, batches: 0 };
  const report = async (where: string, rewrapped: number) => {
    result.batches++;
    await opts.onBatch?.({ batch: result.batches, where, rewrapped });
  };

  const columns = await sealedColumns(opts.db);
  result.columns = columns.length;
  for (const col of columns) {
    let idle = 0;
    for (;;) {
      const b = await rewrapColumnBatch(opts.db, col, activeKeyId, (v) => opts.sealer.rewrap(v), size);
      if (b.found === 0) break;
      result.values += b.rewrapped;
      idle = b.rewrapped === 0 ? idle + 1 : 0;
      if (idle >= STUCK_AFTER)
        throw new Error(
          `the sealed values of ${col.table}.${col.column} change faster than they can be re-wrapped; run the rotation again later`,
        );
      await report(`${col.table}.${col.column}`, b.rewrapped);
    }
  }

  let pending = 0;
  for await (const key of opts.blobs.keys()) {
    const head = await opts.blobs.head(key);
    if (!head) continue; // deleted meanwhile
    let keyId: string;
    try {
      keyId = parseStreamHeader(head).keyId;
    } catch {
      throw new Error(`the attachment file ${key} is not in Vigil's encrypted format; it was not re-wrapped`);
    }
    if (isActiveKey(opts.keyring, keyId)) continue;
    let header: Buffer;
    try {
      header = rewrapStreamHeader(opts.keyring, head);
    } catch (err) {
      throw new Error(
        `the attachment file ${key} cannot be re-wrapped: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    await opts.blobs.replaceHeader(key, header);
    result.blobs++;
    if (++pending >= size) {
      await report('blobs', pending);
      pending = 0;
    }
  }
  if (pending > 0) await report('blobs', pending);
  return result;
}

/** How much stored data a master key still wraps: sealed values, and attachment files. */
export interface KeyUse {
  values: number;
  blobs: number;
  /** Values or files whose key reference could not be read at all. */
  unreadable: number;
}

/**
 * Count what still needs `keyId` (matched by key material, whatever version label it carries),
 * before it is retired. Reads every sealed value's first bytes and every blob's header.
 */
export async function masterKeyUse(opts: { db: Db; blobs: RawBlobs }, keyId: string): Promise<KeyUse> {
  const use: KeyUse = { values: 0, blobs: 0, unreadable: 0 };
  for (const [id, n] of await sealedKeyCounts(opts.db)) {
    if (id === 'unreadable') use.unreadable += n;
    else if (sameKey(id, keyId)) use.values += n;
  }
  for await (const key of opts.blobs.keys()) {
    const head = await opts.blobs.head(key);
    if (!head) continue;
    try {
      if (sameKey(parseStreamHeader(head).keyId, keyId)) use.blobs++;
    } catch {
      use.unreadable++;
    }
  }
  return use;
}
