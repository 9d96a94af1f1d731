import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobNotFoundError, isBlobKey, type MigratableBlobStore, openS3Store } from '../blobs/index.js';
import type { BlobStoreConfig } from '../config/index.js';
import { errorCode, fsyncDir, readdirIfExists } from '../core/index.js';
import { type Keyring, MAX_STREAM_HEADER_BYTES, parseStreamHeader } from '../crypto/index.js';

/**
 * The blob store's blobs as stored (still encrypted), for what must not decrypt them: copying
 * into a backup, putting back from one, and replacing the wrapped data key of a header during a
 * master-key rotation. The `BlobStore` interface only hands out plaintext, so this works on the
 * file store's layout (`<dataDir>/blobs/<first two key characters>/<key>`) directly, and on an
 * S3 bucket through the store's ciphertext access made for `vigil blobs migrate`.
 */
export interface RawBlobs {
  /** The stored bytes of a blob; the stream fails with ENOENT when it is not there. */
  read(key: string): Readable;
  /** Every stored key. */
  keys(): AsyncIterable<string>;
  /** The first bytes of a stored blob (its header), or undefined when it is not there. */
  head(key: string): Promise<Buffer | undefined>;
  /**
   * Replace a stored blob's header by `header` (same blob, same chunks after it): the new file
   * is written aside, flushed and renamed over the old one, so a reader sees one or the other.
   */
  replaceHeader(key: string, header: Buffer): Promise<void>;
  /** A staging area for restore: blobs land there and move into the store all at once. */
  stage(stagingDir: string): BlobStaging;
  /** Whether the store holds no blob at all. */
  isEmpty(): Promise<boolean>;
}

/** Blobs written during a restore, not yet visible in the store. */
export interface BlobStaging {
  write(key: string, body: AsyncIterable<Buffer>): Promise<void>;
  /** Move every staged blob into the (empty) store. */
  commit(): Promise<void>;
}

/** A blob the database refers to and the store does not hold. */
export class MissingBlobError extends Error {
  override name = 'MissingBlobError';
  readonly key: string;
  constructor(key: string) {
    super(`blob ${key} is missing from the blob store`);
    this.key = key;
  }
}

/** Raw access to the configured blob store: the data directory's folder, or the S3 bucket. */
export async function openRawBlobs(
  config: BlobStoreConfig,
  opts: { dataDir: string; keyring: Keyring },
): Promise<RawBlobs> {
  if (config.kind === 'file') return fileRawBlobs(path.join(opts.dataDir, 'blobs'));
  return storeRawBlobs(await openS3Store(config, opts.keyring));
}

/** Whether `err` says a blob is not there, whichever store said it. */
export function isMissingBlob(err: unknown): boolean {
  return err instanceof BlobNotFoundError || errorCode(err) === 'ENOENT';
}

/**
 * Raw access through a store's migration methods (the S3 store). Restored blobs are staged on
 * local disk first and uploaded only once the whole backup has been read and authenticated; an
 * upload that fails removes what it had put.
 */
function storeRawBlobs(store: MigratableBlobStore): RawBlobs {
  const head = async (key: string): Promise<Buffer | undefined> => {
    const parts: Buffer[] = [];
    let length = 0;
    const stream = store.readCiphertextForMigration(key);
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        parts.push(chunk);
        length += chunk.length;
        if (length >= MAX_STREAM_HEADER_BYTES) break;
      }
    } catch (err) {
      if (isMissingBlob(err)) return undefined;
      throw err;
    } finally {
      stream.destroy();
    }
    return Buffer.concat(parts).subarray(0, MAX_STREAM_HEADER_BYTES);
  };
  return {
    read: (key) => store.readCiphertextForMigration(key),
    keys: () => store.list(),
    head,
    async replaceHeader(key, header) {
      const first = await head(key);
      if (!first) return; // deleted meanwhile
      const old = parseStreamHeader(first);
      const rest = store.readCiphertextForMigration(key);
      const joined = (async function* () {
        yield header;
        let skip = old.length;
        for await (const chunk of rest as AsyncIterable<Buffer>) {
          if (skip >= chunk.length) {
            skip -= chunk.length;
            continue;
          }
          yield chunk.subarray(skip);
          skip = 0;
        }
      })();
      await store.writeCiphertextForMigration(key, Readable.from(joined));
    },
    stage(stagingDir) {
      const local = fileRawBlobs(path.join(stagingDir, 'upload'));
      const staged = local.stage(stagingDir);
      const keys: string[] = [];
      return {
        async write(key, body) {
          await staged.write(key, body);
          keys.push(key);
        },
        async commit() {
          const uploaded: string[] = [];
          try {
            for (const key of keys) {
              const file = path.join(stagingDir, 'blobs', key.slice(0, 2), key);
              await store.writeCiphertextForMigration(key, createReadStream(file));
              uploaded.push(key);
            }
          } catch (err) {
            for (const key of uploaded) await store.delete(key).catch(() => {});
            throw err;
          }
        },
      };
    },
    async isEmpty() {
      for await (const _ of store.list()) return false;
      return true;
    },
  };
}

function fileRawBlobs(root: string): RawBlobs {
  const pathOf = (key: string) => {
    if (!isBlobKey(key)) throw new Error('invalid blob key: expected 32 lowercase hex characters');
    return path.join(root, key.slice(0, 2), key);
  };
  const keys = async function* () {
    for (const shard of await readdirIfExists(root)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of await readdirIfExists(path.join(root, shard)))
        if (isBlobKey(name) && name.startsWith(shard)) yield name;
    }
  };
  return {
    read(key) {
      return createReadStream(pathOf(key));
    },
    keys,
    async head(key) {
      const handle = await open(pathOf(key), 'r').catch((err: unknown) => {
        if (errorCode(err) === 'ENOENT') return undefined;
        throw err;
      });
      if (!handle) return undefined;
      try {
        const buf = Buffer.alloc(MAX_STREAM_HEADER_BYTES);
        const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
        return buf.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    async replaceHeader(key, header) {
      const file = pathOf(key);
      const head = await this.head(key);
      if (!head) throw new MissingBlobError(key);
      const old = parseStreamHeader(head);
      // The file store's own temp folder: its sweep removes what a crash here leaves behind.
      const tmpDir = path.join(root, '.tmp');
      await mkdir(tmpDir, { recursive: true, mode: 0o700 });
      const tmp = path.join(tmpDir, `${randomBytes(16).toString('hex')}.part`);
      const handle = await open(tmp, 'wx', 0o600);
      try {
        const out = handle.createWriteStream({ flush: true });
        out.write(header);
        await pipeline(createReadStream(file, { start: old.length }), out);
        // A blob deleted meanwhile (a redaction) must not come back: only an existing file is
        // replaced. What a deletion in the instant between leaves is unreferenced, and the
        // orphan sweep removes it.
        if (!(await exists(file))) {
          await rm(tmp, { force: true });
          return;
        }
        await rename(tmp, file);
        await fsyncDir(path.dirname(file));
      } catch (err) {
        await handle.close().catch(() => {});
        await rm(tmp, { force: true });
        if (errorCode(err) === 'ENOENT') return; // deleted while being copied
        throw err;
      }
    },
    stage(stagingDir) {
      const stagedRoot = path.join(stagingDir, 'blobs');
      return {
        async write(key, body) {
          const dir = path.join(stagedRoot, pathOf(key).slice(root.length + 1, root.length + 3));
          await mkdir(dir, { recursive: true, mode: 0o700 });
          const handle = await open(path.join(dir, key), 'wx', 0o600);
          await pipeline(body, handle.createWriteStream({ flush: true }));
        },
        async commit() {
          if (!(await exists(stagedRoot))) await mkdir(stagedRoot, { recursive: true, mode: 0o700 });
          for await (const _ of keys())
            throw new Error(`${root} is not empty; the restore was not completed`);
          // An empty store folder (and its empty temp folder) from a first start makes way.
          await rm(root, { recursive: true, force: true });
          await rename(stagedRoot, root);
          await fsyncDir(path.dirname(root));
        },
      };
    },
    async isEmpty() {
      for await (const _ of keys()) return false;
      return true;
    },
  };
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** Publish `from` as `to` only if `to` does not exist yet (hard link, then drop the staged name). */
export async function publishNoClobber(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (err) {
    if (errorCode(err) === 'EEXIST')
      throw new Error(`${to} appeared during the restore; nothing was replaced`);
    throw err;
  }
  await rm(from, { force: true });
  await fsyncDir(path.dirname(to));
}
