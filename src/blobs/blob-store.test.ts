import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DecryptionError, type Keyring, loadKeyring } from '../crypto/index.js';
import {
  BlobNotFoundError,
  type BlobStore,
  BlobTooLargeError,
  createFileBlobStore,
  InvalidBlobKeyError,
  isBlobKey,
} from './blob-store.js';

let dir: string;
let root: string;
let ring: Keyring;
let store: BlobStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-blobs-'));
  root = join(dir, 'blobs');
  ring = await loadKeyring({ dataDir: join(dir, 'data') });
  store = createFileBlobStore({ root, keyring: ring });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const source = (data: Buffer, pieceSize = 16 * 1024) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += pieceSize) yield data.subarray(i, i + pieceSize);
    })(),
  );

async function readAll(stream: Readable): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of stream) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

async function filesUnder(path: string): Promise<string[]> {
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('file blob store', () => {
  it('stores, reads, lists and deletes a blob', async () => {
    const data = randomBytes(300 * 1024 + 7);
    const result = await store.put(source(data), { maxBytes: 1024 * 1024, aad: 'attachment:1' });
    expect(isBlobKey(result.key)).toBe(true);
    expect(result.size).toBe(data.length);
    expect(result.sha256).toBe(sha256(data));

    const path = join(root, result.key.slice(0, 2), result.key);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await store.exists(result.key)).toBe(true);
    expect((await readAll(store.get(result.key, 'attachment:1'))).equals(data)).toBe(true);

    const other = await store.put(source(Buffer.alloc(0)), { maxBytes: 10, aad: 'attachment:2' });
    expect(other.size).toBe(0);
    expect(other.sha256).toBe(sha256(Buffer.alloc(0)));
    expect(await readAll(store.get(other.key, 'attachment:2'))).toHaveLength(0);

    const keys: string[] = [];
    for await (const key of store.list()) keys.push(key);
    expect(keys.sort()).toEqual([result.key, other.key].sort());

    await store.delete(result.key);
    await store.delete(result.key); // idempotent
    expect(await store.exists(result.key)).toBe(false);
    await expect(readAll(store.get(result.key, 'attachment:1'))).rejects.toThrow(BlobNotFoundError);
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
  });

  it('lists nothing before the first write', async () => {
    const keys: string[] = [];
    for await (const key of store.list()) keys.push(key);
    expect(keys).toEqual([]);
  });

  it('binds a blob to its AAD and its key', async () => {
    const { key } = await store.put(source(Buffer.from('report body')), {
      maxBytes: 100,
      aad: 'attachment:1',
    });
    await expect(readAll(store.get(key, 'attachment:2'))).rejects.toThrow(DecryptionError);

    // A file copied to another key's path does not open there, even with the right AAD.
    const victim = await store.put(source(Buffer.from('other')), { maxBytes: 100, aad: 'attachment:1' });
    const bytes = await readFile(join(root, key.slice(0, 2), key));
    await writeFile(join(root, victim.key.slice(0, 2), victim.key), bytes);
    await expect(readAll(store.get(victim.key, 'attachment:1'))).rejects.toThrow(DecryptionError);
  });

  it('aborts over the limit and leaves no file behind', async () => {
    const limit = 100 * 1024;
    const error = await store
      .put(source(randomBytes(limit + 1), 4096), { maxBytes: limit, aad: 'attachment:1' })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(BlobTooLargeError);
    expect((error as BlobTooLargeError).limit).toBe(limit);
    expect(await filesUnder(root)).toEqual([]);
    expect(await readdir(join(root, '.tmp'))).toEqual([]);

    // Exactly at the limit is fine.
    const ok = await store.put(source(randomBytes(limit)), { maxBytes: limit, aad: 'attachment:1' });
    expect(ok.size).toBe(limit);
  });

  it('stops reading the source soon after the limit is exceeded', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1024;
        this.push(Buffer.alloc(1024, 0x61));
      },
    });
    await expect(store.put(endless, { maxBytes: 10 * 1024, aad: 'a' })).rejects.toThrow(BlobTooLargeError);
    expect(produced).toBeLessThan(1024 * 1024);
    expect(await filesUnder(root)).toEqual([]);
  });

  it('cleans up when the source fails', async () => {
    const failing = Readable.from(
      (async function* () {
        yield Buffer.alloc(70_000, 1);
        throw new Error('client disconnected');
      })(),
    );
    await expect(store.put(failing, { maxBytes: 1e6, aad: 'a' })).rejects.toThrow('client disconnected');
    expect(await filesUnder(root)).toEqual([]);
  });

  it('never writes the plaintext to disk', async () => {
    const canary = 'CANARY-patient-MRN-4471-insulin-pump-exploit';
    const data = Buffer.from(canary.repeat(5000)); // spans several cipher chunks
    const { key } = await store.put(source(data, 1000), { maxBytes: 1e6, aad: 'attachment:1' });
    for (const file of await filesUnder(root)) {
      const bytes = await readFile(file);
      expect(bytes.includes(Buffer.from(canary))).toBe(false);
      expect(bytes.includes(Buffer.from(canary, 'utf16le'))).toBe(false);
    }
    expect((await readAll(store.get(key, 'attachment:1'))).equals(data)).toBe(true);
  });

  it.each([
    '',
    '../../etc/passwd',
    '..',
    'ABCDEF0123456789ABCDEF0123456789',
    '0123456789abcdef0123456789abcde',
    '0123456789abcdef0123456789abcdef0',
    '0123456789abcdef/123456789abcdef',
    '0123456789abcdef0123456789abcdeg',
    '0123456789abcdef0123456789abcdef\n',
  ])('rejects the invalid key %j', async (key) => {
    expect(isBlobKey(key)).toBe(false);
    expect(() => store.get(key, 'a')).toThrow(InvalidBlobKeyError);
    await expect(store.delete(key)).rejects.toThrow(InvalidBlobKeyError);
    await expect(store.exists(key)).rejects.toThrow(InvalidBlobKeyError);
  });

  it('answers a ping while its root is writable, and refuses one when it is not', async () => {
    await store.ping();
    // A file where the root should be: the store can neither create nor write its folder.
    const blocked = join(dir, 'blocked');
    await writeFile(blocked, 'not a folder');
    await expect(createFileBlobStore({ root: blocked, keyring: ring }).ping()).rejects.toThrow();
  });

  it('rejects a nonsensical limit', async () => {
    await expect(store.put(source(Buffer.from('x')), { maxBytes: -1, aad: 'a' })).rejects.toThrow(RangeError);
  });
});
