import { createHash, randomBytes } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorCode, fsyncDir } from '../core/index.js';
import { createDecryptStream, createEncryptStream, type Keyring } from '../crypto/index.js';

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

/** Options for `createFileBlobStore`. */
export type FileBlobStoreOptions = { root: string; keyring: Keyring };

/** Thrown by `put` as soon as the plaintext exceeds `maxBytes`; nothing is left on disk. */
export class BlobTooLargeError extends Error {
  override name = 'BlobTooLargeError';
  readonly limit: number;

  constructor(limit: number) {
    super(`blob exceeds the limit of ${limit} bytes`);
    this.limit = limit;
  }
}

/** Emitted by `get` when no blob with the key exists. */
export class BlobNotFoundError extends Error {
  override name = 'BlobNotFoundError';
  readonly key: string;

  constructor(key: string) {
    super(`blob ${key} not found`);
    this.key = key;
  }
}

/** Thrown for a key that is not 32 lowercase hex characters (the value is not echoed). */
export class InvalidBlobKeyError extends Error {
  override name = 'InvalidBlobKeyError';

  constructor() {
    super('invalid blob key: expected 32 lowercase hex characters');
  }
}

const KEY_PATTERN = /^[0-9a-f]{32}$/;
const SHARD_PATTERN = /^[0-9a-f]{2}$/;

/** Whether `key` has the shape of a blob key; the only check standing between keys and file paths. */
export function isBlobKey(key: unknown): key is string {
  return typeof key === 'string' && KEY_PATTERN.test(key);
}

/** Generates a random 128-bit blob key. */
export function newBlobKey(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Stores blobs as `<root>/<first two key chars>/<key>` (mode 0600), each in the stream cipher
 * format with AAD `vigil-blob:<key>:<aad>`, so a file cannot be swapped for another blob's file
 * nor read by a different owner.
 */
export function createFileBlobStore(options: FileBlobStoreOptions): BlobStore {
  const root = resolve(options.root);
  const tmpDir = join(root, '.tmp');
  const { keyring } = options;

  const pathFor = (key: string): string => {
    if (!isBlobKey(key)) throw new InvalidBlobKeyError();
    return join(root, key.slice(0, 2), key);
  };

  return {
    async put(source, { maxBytes, aad }) {
      if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
        throw new RangeError('maxBytes must be a non-negative integer');
      }
      const key = newBlobKey();
      await mkdir(tmpDir, { recursive: true, mode: 0o700 });
      // Temp files live inside the root so the final rename stays on one file system (atomic).
      const tmp = join(tmpDir, `${randomBytes(16).toString('hex')}.part`);
      const meter = createMeter(maxBytes);
      const handle = await open(tmp, 'wx', 0o600);
      try {
        // `flush: true` makes the stream fsync before it closes the handle, and pipeline only
        // resolves after that close, so the bytes are on disk before the rename publishes them.
        await pipeline(
          source,
          meter.stream,
          createEncryptStream(keyring, blobAad(key, aad)),
          handle.createWriteStream({ flush: true }),
        );
        const shard = join(root, key.slice(0, 2));
        const createdShard = await mkdir(shard, { recursive: true, mode: 0o700 });
        await rename(tmp, join(shard, key));
        // The rename is only durable once the directory is flushed (and its parent, if new).
        await fsyncDir(shard);
        if (createdShard !== undefined) await fsyncDir(root);
        return { key, size: meter.size(), sha256: meter.sha256() };
      } catch (err) {
        // Usually already closed by the stream; closing twice is harmless.
        await handle.close().catch(() => {});
        await rm(tmp, { force: true });
        throw err;
      }
    },

    get(key, aad) {
      const file = createReadStream(pathFor(key));
      const out = createDecryptStream(keyring, blobAad(key, aad));
      file.on('error', (err) => out.destroy(errorCode(err) === 'ENOENT' ? new BlobNotFoundError(key) : err));
      // If the consumer stops early, release the file descriptor.
      out.on('close', () => file.destroy());
      file.pipe(out);
      return out;
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

function blobAad(key: string, aad: string): string {
  // The key has a fixed length, so this concatenation is unambiguous.
  return `vigil-blob:${key}:${aad}`;
}

// Counts and hashes plaintext on its way to the cipher, failing the pipeline once over the limit.
function createMeter(maxBytes: number) {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      size += chunk.length;
      if (size > maxBytes) return callback(new BlobTooLargeError(maxBytes));
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { stream, size: () => size, sha256: () => hash.digest('hex') };
}

async function readdirIfExists(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
}
