import { randomBytes } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PassThrough, type Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorCode, fsyncDir, readdirIfExists } from '../core/index.js';
import type { Keyring } from '../crypto/index.js';
import { BlobNotFoundError, BlobStoreUnavailableError, isDiskFault } from './errors.js';
import { checkBlobKey, checkLimit, isBlobKey, newBlobKey, openingStream, sealingStages } from './sealing.js';

export { BlobNotFoundError, BlobTooLargeError, InvalidBlobKeyError } from './errors.js';
export { isBlobKey, newBlobKey } from './sealing.js';

/** Options for `BlobStore.put`. */
export type PutOptions = {
  /** Maximum plaintext size in bytes; exceeding it aborts the write with BlobTooLargeError. */
  maxBytes: number;
  /** Binds the blob to its owner (e.g. `attachment:<id>`); the same string is needed to read it. */
  aad: string;
};

/** Result of a successful `BlobStore.put`; `size` and `sha256` describe the plaintext. */
export type PutResult = { key: string; size: number; sha256: string };

/**
 * Encrypted storage for attachments. Keys are chosen by the store (random, 128-bit hex) and are
 * opaque to callers, so a backend such as S3 can implement the same interface: `put` consumes a
 * stream and resolves only once the object is durable, `get` returns a stream synchronously and
 * reports a missing object through a BlobNotFoundError on that stream.
 */
export type BlobStore = {
  /** Encrypts and stores `source`; resolves once the blob is durable. */
  put(source: Readable, opts: PutOptions): Promise<PutResult>;
  /** Returns the decrypted, verified plaintext; errors with BlobNotFoundError or DecryptionError. */
  get(key: string, aad: string): Readable;
  /** Removes a blob; deleting a missing blob is not an error. */
  delete(key: string): Promise<void>;
  /** Whether a blob with this key is stored. */
  exists(key: string): Promise<boolean>;
  /** Every stored key, in no particular order, for orphan cleanup. */
  list(): AsyncIterable<string>;
  /** When a blob was stored (undefined if missing): orphan cleanup spares recent, possibly in-flight, blobs. */
  storedAt(key: string): Promise<Date | undefined>;
  /** Remove partial writes older than `minAgeMs` left by a crash mid-upload; returns how many. */
  sweepPartials(minAgeMs: number, now?: number): Promise<number>;
  /**
   * Resolves when the store can take writes right now, rejects (naming what is wrong) when not.
   * Cheap enough for a readiness probe: one metadata call, never a blob transfer.
   */
  ping(): Promise<void>;
};

/**
 * Moving stored blobs between backends as they are (`vigil blobs migrate`). A blob's ciphertext
 * is bound to its key and its owner, not to where it is kept, so it moves without being decrypted
 * or re-encrypted. For migration only: these bypass the size limit and never see plaintext.
 */
export type BlobMigrationAccess = {
  /** The bytes stored under `key`, exactly as stored; errors with BlobNotFoundError. */
  readCiphertextForMigration(key: string): Readable;
  /** Stores `source` as the bytes of `key`, replacing any; resolves once they are durable. */
  writeCiphertextForMigration(key: string, source: Readable): Promise<void>;
};

/** A blob store that `vigil blobs migrate` can copy from or to. */
export type MigratableBlobStore = BlobStore & BlobMigrationAccess;

/** Options for `createFileBlobStore`. */
export type FileBlobStoreOptions = { root: string; keyring: Keyring };

const SHARD_PATTERN = /^[0-9a-f]{2}$/;

/**
 * Stores blobs as `<root>/<first two key chars>/<key>` (mode 0600), each in the stream cipher
 * format with AAD `vigil-blob:<key>:<aad>`, so a file cannot be swapped for another blob's file
 * nor read by a different owner.
 */
export function createFileBlobStore(options: FileBlobStoreOptions): MigratableBlobStore {
  const root = resolve(options.root);
  const tmpDir = join(root, '.tmp');
  const { keyring } = options;

  const pathFor = (key: string): string => join(root, checkBlobKey(key).slice(0, 2), key);

  /**
   * Writes `source` through `stages` to a temp file, then publishes it as `key`, durably. A disk
   * that is full, read-only or failing is the store's fault, not the request's: it surfaces as
   * BlobStoreUnavailableError (503 with Retry-After).
   */
  const writeDurably = async (key: string, source: Readable, stages: Transform[]): Promise<void> => {
    try {
      await writeThroughTemp(key, source, stages);
    } catch (err) {
      throw isDiskFault(errorCode(err)) ? new BlobStoreUnavailableError(err) : err;
    }
  };

  const writeThroughTemp = async (key: string, source: Readable, stages: Transform[]): Promise<void> => {
    await mkdir(tmpDir, { recursive: true, mode: 0o700 });
    // Temp files live inside the root so the final rename stays on one file system (atomic).
    const tmp = join(tmpDir, `${randomBytes(16).toString('hex')}.part`);
    const handle = await open(tmp, 'wx', 0o600);
    try {
      // `flush: true` makes the stream fsync before it closes the handle, and pipeline only
      // resolves after that close, so the bytes are on disk before the rename publishes them.
      await pipeline([source, ...stages, handle.createWriteStream({ flush: true })]);
      const shard = join(root, key.slice(0, 2));
      const createdShard = await mkdir(shard, { recursive: true, mode: 0o700 });
      await rename(tmp, join(shard, key));
      // The rename is only durable once the directory is flushed (and its parent, if new).
      await fsyncDir(shard);
      if (createdShard !== undefined) await fsyncDir(root);
    } catch (err) {
      // Usually already closed by the stream; closing twice is harmless.
      await handle.close().catch(() => {});
      await rm(tmp, { force: true });
      throw err;
    }
  };

  /** The stored bytes of `key` as a stream; a missing file surfaces as BlobNotFoundError on `out`. */
  const readStored = (key: string, out: Transform): Transform => {
    const file = createReadStream(pathFor(key));
    file.on('error', (err) => out.destroy(errorCode(err) === 'ENOENT' ? new BlobNotFoundError(key) : err));
    // If the consumer stops early, release the file descriptor.
    out.on('close', () => file.destroy());
    file.pipe(out);
    return out;
  };

  return {
    async put(source, { maxBytes, aad }) {
      checkLimit(maxBytes);
      const key = newBlobKey();
      const sealing = sealingStages(keyring, key, aad, maxBytes);
      await writeDurably(key, source, sealing.stages);
      return { key, size: sealing.size(), sha256: sealing.sha256() };
    },

    get(key, aad) {
      return readStored(key, openingStream(keyring, checkBlobKey(key), aad));
    },

    readCiphertextForMigration(key) {
      return readStored(key, new PassThrough());
    },

    async writeCiphertextForMigration(key, source) {
      checkBlobKey(key);
      await writeDurably(key, source, []);
    },

    async delete(key) {
      await rm(pathFor(key), { force: true });
      // A deleted report attachment must not reappear after a crash.
      await fsyncDir(join(root, key.slice(0, 2))).catch((err: unknown) => {
        if (errorCode(err) !== 'ENOENT') throw err;
      });
    },

    async exists(key) {
      const path = pathFor(key);
      try {
        return (await stat(path)).isFile();
      } catch (err) {
        if (errorCode(err) === 'ENOENT') return false;
        throw err;
      }
    },

    async storedAt(key) {
      try {
        return (await stat(pathFor(key))).mtime;
      } catch (err) {
        if (errorCode(err) === 'ENOENT') return undefined;
        throw err;
      }
    },

    async sweepPartials(minAgeMs, now = Date.now()) {
      let removed = 0;
      for (const name of await readdirIfExists(tmpDir)) {
        const p = join(tmpDir, name);
        const st = await stat(p).catch(() => undefined);
        if (st && now - st.mtimeMs >= minAgeMs) {
          await rm(p, { force: true });
          removed++;
        }
      }
      return removed;
    },

    async ping() {
      // The root is created on first use; a store that cannot create or write it cannot take blobs.
      await mkdir(root, { recursive: true, mode: 0o700 });
      await access(root, constants.W_OK);
    },

    async *list() {
      const shards = await readdirIfExists(root);
      for (const shard of shards) {
        if (!SHARD_PATTERN.test(shard)) continue;
        for (const name of await readdirIfExists(join(root, shard))) {
          if (isBlobKey(name) && name.startsWith(shard)) yield name;
        }
      }
    },
  };
}
