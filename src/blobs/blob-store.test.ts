import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CreateMultipartUploadCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startS3, type TestS3 } from '../../test/helpers/s3.js';
import { DecryptionError, type Keyring, loadKeyring } from '../crypto/index.js';
import {
  BlobNotFoundError,
  BlobTooLargeError,
  createFileBlobStore,
  InvalidBlobKeyError,
  isBlobKey,
  type MigratableBlobStore,
} from './blob-store.js';
import { BlobStoreUnavailableError } from './errors.js';
import { createS3BlobStore, createS3Client, S3_PART_BYTES } from './s3-blob-store.js';

/**
 * One contract, every backend: whatever keeps the bytes (a local folder, an S3 bucket), a blob
 * store gives the same guarantees, so each case below runs against each backend.
 */

/** A store under test, and ways to look behind it at what the backend really holds. */
interface Subject {
  store: MigratableBlobStore;
  /** Every stored thing the store could have left, partial writes included (names, for messages). */
  leftovers(): Promise<string[]>;
  /** All bytes the backend keeps anywhere, to search for plaintext. */
  everything(): Promise<Buffer[]>;
  /** Leaves a partial write as a crash mid-upload would. */
  leavePartial(): Promise<void>;
  /** Bytes of partial writes the backend has received so far (read synchronously, mid-stream). */
  receivedSoFar(): number;
  /** The same backend with one listing page of `pageSize` entries, to see paging. */
  withPageSize(pageSize: number): MigratableBlobStore;
}

interface Backend {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  subject(dir: string, ring: Keyring): Promise<Subject>;
}

async function filesUnder(path: string): Promise<string[]> {
  const entries = await readdir(path, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

function sizeOfFilesUnder(path: string): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync(path, { recursive: true, encoding: 'utf8' });
  } catch {
    return 0;
  }
  for (const name of entries) {
    try {
      const st = statSync(join(path, name));
      if (st.isFile()) total += st.size;
    } catch {
      // Renamed or removed between the listing and the stat.
    }
  }
  return total;
}

const fileBackend: Backend = {
  name: 'file',
  start: async () => {},
  stop: async () => {},
  async subject(dir, ring) {
    const root = join(dir, 'blobs');
    const store = createFileBlobStore({ root, keyring: ring });
    return {
      store,
      leftovers: () => filesUnder(root),
      everything: async () => Promise.all((await filesUnder(root)).map((f) => readFile(f))),
      async leavePartial() {
        await mkdir(join(root, '.tmp'), { recursive: true });
        await writeFile(join(root, '.tmp', `${randomBytes(16).toString('hex')}.part`), randomBytes(1000));
      },
      receivedSoFar: () => sizeOfFilesUnder(join(root, '.tmp')),
      withPageSize: () => store,
    };
  },
};

/** An SDK client for the test service, as Vigil builds one from its VIGIL_S3_* settings. */
const testClient = (s3: TestS3): S3Client =>
  createS3Client({
    kind: 's3',
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    prefix: '',
  });

function s3Backend(): Backend {
  let s3: TestS3;
  let client: S3Client;
  return {
    name: 's3',
    async start() {
      s3 = await startS3();
      client = testClient(s3);
    },
    async stop() {
      client.destroy();
      await s3.close();
    },
    async subject(_dir, ring) {
      // A prefix of its own per test: tests share the bucket but never see each other's objects.
      const prefix = `t${randomBytes(4).toString('hex')}/`;
      const make = (pageSize?: number) =>
        createS3BlobStore({ client, bucket: s3.bucket, prefix, keyring: ring, pageSize });
      const objects = async () =>
        (
          (await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }))).Contents ?? []
        ).map((o) => o.Key as string);
      return {
        store: make(),
        async leftovers() {
          const uploads = (await s3.openUploads()).filter((k) => k.startsWith(prefix));
          return [...(await objects()), ...uploads.map((k) => `upload of ${k}`)];
        },
        everything: async () => Promise.all((await filesUnder(s3.directory)).map((f) => readFile(f))),
        async leavePartial() {
          const Key = `${prefix}ab/ab${randomBytes(15).toString('hex')}`;
          const { UploadId } = await client.send(
            new CreateMultipartUploadCommand({ Bucket: s3.bucket, Key }),
          );
          await client.send(
            new UploadPartCommand({
              Bucket: s3.bucket,
              Key,
              UploadId,
              PartNumber: 1,
              Body: randomBytes(1000),
            }),
          );
        },
        receivedSoFar() {
          // Parts s3rver holds for this test's uploads (another test's leftovers must not count).
          const uploads = join(s3.directory, s3.bucket, '._S3rver_uploads');
          let total = 0;
          let ids: string[] = [];
          try {
            ids = readdirSync(uploads, { encoding: 'utf8' });
          } catch {
            return 0; // no upload started yet
          }
          for (const id of ids) {
            try {
              if (readFileSync(join(uploads, id, 'key'), 'utf8').startsWith(prefix))
                total += sizeOfFilesUnder(join(uploads, id));
            } catch {
              // Completed or aborted meanwhile.
            }
          }
          return total;
        },
        withPageSize: (n) => make(n),
      };
    },
  };
}

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

async function keysOf(store: MigratableBlobStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.list()) keys.push(key);
  return keys.sort();
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe.each([fileBackend, s3Backend()])('blob store contract: $name', (backend) => {
  let dir: string;
  let ring: Keyring;
  let subject: Subject;
  let store: MigratableBlobStore;

  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-blobs-'));
    ring = await loadKeyring({ dataDir: join(dir, 'data') });
    subject = await backend.subject(dir, ring);
    store = subject.store;
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores, reads, lists and deletes a blob, reporting its plaintext size and SHA-256', async () => {
    const data = randomBytes(300 * 1024 + 7);
    const result = await store.put(source(data), { maxBytes: 1024 * 1024, aad: 'attachment:1' });
    expect(isBlobKey(result.key)).toBe(true);
    expect(result.size).toBe(data.length);
    expect(result.sha256).toBe(sha256(data));
    expect(await store.exists(result.key)).toBe(true);
    expect((await readAll(store.get(result.key, 'attachment:1'))).equals(data)).toBe(true);

    const empty = await store.put(source(Buffer.alloc(0)), { maxBytes: 10, aad: 'attachment:2' });
    expect(empty.size).toBe(0);
    expect(empty.sha256).toBe(sha256(Buffer.alloc(0)));
    expect(await readAll(store.get(empty.key, 'attachment:2'))).toHaveLength(0);

    expect(await keysOf(store)).toEqual([result.key, empty.key].sort());

    await store.delete(result.key);
    await store.delete(result.key); // idempotent
    expect(await store.exists(result.key)).toBe(false);
    await expect(readAll(store.get(result.key, 'attachment:1'))).rejects.toThrow(BlobNotFoundError);
    expect(await keysOf(store)).toEqual([empty.key]);
  });

  it('reports a key never stored as BlobNotFoundError on the stream, and as absent', async () => {
    const key = 'ab'.repeat(16);
    await expect(readAll(store.get(key, 'attachment:1'))).rejects.toThrow(BlobNotFoundError);
    await expect(readAll(store.readCiphertextForMigration(key))).rejects.toThrow(BlobNotFoundError);
    expect(await store.exists(key)).toBe(false);
    expect(await store.storedAt(key)).toBeUndefined();
    await store.delete(key);
  });

  it('lists nothing before the first write, and every blob across listing pages', async () => {
    expect(await keysOf(store)).toEqual([]);
    const keys: string[] = [];
    for (let i = 0; i < 5; i++)
      keys.push((await store.put(source(Buffer.from(`b${i}`)), { maxBytes: 10, aad: 'a' })).key);
    expect(await keysOf(subject.withPageSize(2))).toEqual(keys.sort());
  });

  it('says when a blob was stored', async () => {
    const before = Date.now();
    const { key } = await store.put(source(Buffer.from('x')), { maxBytes: 10, aad: 'a' });
    const at = await store.storedAt(key);
    expect(at).toBeInstanceOf(Date);
    // S3 keeps whole seconds.
    expect(at?.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
    expect(at?.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('binds a blob to its AAD and its key', async () => {
    const { key } = await store.put(source(Buffer.from('report body')), {
      maxBytes: 100,
      aad: 'attachment:1',
    });
    await expect(readAll(store.get(key, 'attachment:2'))).rejects.toThrow(DecryptionError);

    // Bytes copied to another key do not open there, even with the right AAD.
    const victim = await store.put(source(Buffer.from('other')), { maxBytes: 100, aad: 'attachment:1' });
    const bytes = await readAll(store.readCiphertextForMigration(key));
    await store.writeCiphertextForMigration(victim.key, Readable.from([bytes]));
    await expect(readAll(store.get(victim.key, 'attachment:1'))).rejects.toThrow(DecryptionError);
  });

  it('aborts over the limit and leaves nothing behind', async () => {
    const limit = 100 * 1024;
    const error = await store
      .put(source(randomBytes(limit + 1), 4096), { maxBytes: limit, aad: 'attachment:1' })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(BlobTooLargeError);
    expect((error as BlobTooLargeError).limit).toBe(limit);
    expect(await subject.leftovers()).toEqual([]);

    // Exactly at the limit is fine.
    const ok = await store.put(source(randomBytes(limit)), { maxBytes: limit, aad: 'attachment:1' });
    expect(ok.size).toBe(limit);
  });

  it('aborts a multipart upload over the limit and leaves no part behind', async () => {
    const limit = 2 * S3_PART_BYTES + 1000;
    const error = await store
      .put(source(randomBytes(limit + 1), 256 * 1024), { maxBytes: limit, aad: 'a' })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(BlobTooLargeError);
    expect(await subject.leftovers()).toEqual([]);
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
    expect(await subject.leftovers()).toEqual([]);
  });

  it('cleans up when the source fails, also after whole parts were uploaded', async () => {
    for (const [before, received] of [
      [70_000, 0],
      [2 * S3_PART_BYTES + 5, S3_PART_BYTES],
    ] as const) {
      const failing = Readable.from(
        (async function* () {
          yield randomBytes(before);
          // The larger source fails only once the backend holds whole parts: those must go too.
          while (subject.receivedSoFar() < received) await new Promise((r) => setTimeout(r, 5));
          throw new Error('client disconnected');
        })(),
      );
      await expect(store.put(failing, { maxBytes: 1e9, aad: 'a' })).rejects.toThrow('client disconnected');
      expect(await subject.leftovers()).toEqual([]);
    }
  });

  it('stores and reads back a blob of several parts (12 MiB)', async () => {
    const data = randomBytes(12 * 1024 * 1024);
    const {
      key,
      size,
      sha256: digest,
    } = await store.put(source(data, 1024 * 1024), {
      maxBytes: 64 * 1024 * 1024,
      aad: 'attachment:big',
    });
    expect(size).toBe(data.length);
    expect(digest).toBe(sha256(data));
    const back = await readAll(store.get(key, 'attachment:big'));
    expect(sha256(back)).toBe(sha256(data));
  });

  it('pulls a 64 MiB source only as fast as the backend takes it, never holding it whole', async () => {
    const total = 64 * 1024 * 1024;
    const piece = Buffer.alloc(64 * 1024, 0x5a);
    let produced = 0;
    let furthestAhead = 0;
    const big = new Readable({
      highWaterMark: piece.length,
      read() {
        // How far the source runs ahead of what the backend has received: what the store holds.
        furthestAhead = Math.max(furthestAhead, produced - subject.receivedSoFar());
        if (produced >= total) return void this.push(null);
        produced += piece.length;
        this.push(piece);
      },
    });
    const { size } = await store.put(big, { maxBytes: total, aad: 'a' });
    expect(size).toBe(total);
    // Bounded by parts in flight (queue of 2 plus the one filling) and stream buffers, far below 64 MiB.
    expect(furthestAhead).toBeLessThan(4 * S3_PART_BYTES + 1024 * 1024);
    expect(furthestAhead).toBeGreaterThan(0);
  });

  it('never hands the backend the plaintext', async () => {
    const canary = 'CANARY-patient-MRN-4471-insulin-pump-exploit';
    const data = Buffer.from(canary.repeat(5000)); // spans several cipher chunks
    const { key } = await store.put(source(data, 1000), { maxBytes: 1e6, aad: 'attachment:1' });
    for (const bytes of await subject.everything()) {
      expect(bytes.includes(Buffer.from(canary))).toBe(false);
      expect(bytes.includes(Buffer.from(canary, 'utf16le'))).toBe(false);
    }
    expect((await readAll(store.get(key, 'attachment:1'))).equals(data)).toBe(true);
  });

  it('sweeps partial writes older than the given age, and spares younger ones', async () => {
    const kept = await store.put(source(Buffer.from('complete')), { maxBytes: 100, aad: 'a' });
    await subject.leavePartial();
    expect(await store.sweepPartials(60_000)).toBe(0);
    expect(await subject.leftovers()).not.toEqual([]);
    expect(await store.sweepPartials(60_000, Date.now() + 120_000)).toBe(1);
    expect(await store.sweepPartials(60_000, Date.now() + 120_000)).toBe(0);
    // Only the complete blob remains, still readable.
    expect(await keysOf(store)).toEqual([kept.key]);
    expect((await readAll(store.get(kept.key, 'a'))).toString()).toBe('complete');
  });

  it('copies ciphertext as it is for migration, still bound to its key and owner', async () => {
    const { key } = await store.put(source(Buffer.from('moved as it is')), {
      maxBytes: 100,
      aad: 'attachment:7',
    });
    const bytes = await readAll(store.readCiphertextForMigration(key));
    expect(bytes.includes(Buffer.from('moved as it is'))).toBe(false);
    await store.delete(key);
    await store.writeCiphertextForMigration(key, Readable.from([bytes]));
    expect((await readAll(store.get(key, 'attachment:7'))).toString()).toBe('moved as it is');
    expect(sha256(await readAll(store.readCiphertextForMigration(key)))).toBe(sha256(bytes));
  });

  it('answers a ping', async () => {
    await store.ping();
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
    expect(() => store.readCiphertextForMigration(key)).toThrow(InvalidBlobKeyError);
    await expect(store.writeCiphertextForMigration(key, Readable.from([]))).rejects.toThrow(
      InvalidBlobKeyError,
    );
    await expect(store.delete(key)).rejects.toThrow(InvalidBlobKeyError);
    await expect(store.exists(key)).rejects.toThrow(InvalidBlobKeyError);
  });

  it('rejects a nonsensical limit', async () => {
    await expect(store.put(source(Buffer.from('x')), { maxBytes: -1, aad: 'a' })).rejects.toThrow(RangeError);
  });
});

describe('loading the AWS SDK', () => {
  it('happens only through the dynamic import of s3-blob-store.ts, so a file-store instance never pays for it', async () => {
    const srcRoot = join(import.meta.dirname, '..');
    const offenders: string[] = [];
    for (const file of await filesUnder(srcRoot)) {
      if (!/\.tsx?$/.test(file) || /\.test\.tsx?$/.test(file)) continue;
      const text = await readFile(file, 'utf8');
      const rel = file.slice(srcRoot.length + 1);
      if (rel !== join('blobs', 's3-blob-store.ts') && /from\s+['"]@aws-sdk\//.test(text))
        offenders.push(`${rel} imports the AWS SDK`);
      if (/^import\s+(?!type\b)[^;]*from\s+['"][./]*(blobs\/)?s3-blob-store\.js['"]/m.test(text)) {
        offenders.push(`${rel} imports s3-blob-store.js statically`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('file blob store', () => {
  let dir: string;
  let root: string;
  let ring: Keyring;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-blobs-'));
    root = join(dir, 'blobs');
    ring = await loadKeyring({ dataDir: join(dir, 'data') });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps each blob as a 0600 file in its shard folder, with no temp file left', async () => {
    const store = createFileBlobStore({ root, keyring: ring });
    const { key } = await store.put(source(randomBytes(1000)), { maxBytes: 1e6, aad: 'a' });
    expect((await stat(join(root, key.slice(0, 2), key))).mode & 0o777).toBe(0o600);
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
  });

  it('sweeps by the age of the partial file itself', async () => {
    const store = createFileBlobStore({ root, keyring: ring });
    await mkdir(join(root, '.tmp'), { recursive: true });
    const old = join(root, '.tmp', 'old.part');
    await writeFile(old, 'x');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(old, hourAgo, hourAgo);
    await writeFile(join(root, '.tmp', 'new.part'), 'x');
    expect(await store.sweepPartials(60_000)).toBe(1);
    expect(await readdir(join(root, '.tmp'))).toEqual(['new.part']);
  });

  it('refuses a ping when its root cannot be written', async () => {
    // A file where the root should be: the store can neither create nor write its folder.
    const blocked = join(dir, 'blocked');
    await writeFile(blocked, 'not a folder');
    await expect(createFileBlobStore({ root: blocked, keyring: ring }).ping()).rejects.toThrow();
  });
});

describe('S3 blob store', () => {
  let s3: TestS3;
  let client: S3Client;
  let ring: Keyring;
  let dir: string;

  beforeAll(async () => {
    s3 = await startS3();
    client = testClient(s3);
    dir = await mkdtemp(join(tmpdir(), 'vigil-blobs-'));
    ring = await loadKeyring({ dataDir: dir });
  });

  afterAll(async () => {
    client.destroy();
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('names objects <prefix><first two key chars>/<key> and lists only those', async () => {
    const store = createS3BlobStore({ client, bucket: s3.bucket, prefix: 'vigil/', keyring: ring });
    const { key } = await store.put(source(Buffer.from('x')), { maxBytes: 10, aad: 'a' });
    // Other things in the bucket, under the prefix and beside it, are not blobs.
    for (const Key of [
      'vigil/notes.txt',
      `vigil/zz/${key}`,
      `other/${key.slice(0, 2)}/${key}`,
      `${key.slice(0, 2)}/${key}`,
    ]) {
      await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key, Body: 'x' }));
    }
    const names = (
      await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'vigil/' }))
    ).Contents?.map((o) => o.Key);
    expect(names).toContain(`vigil/${key.slice(0, 2)}/${key}`);
    expect(await keysOf(store)).toEqual([key]);
  });

  it('leaves multipart uploads outside its prefix alone when sweeping', async () => {
    const store = createS3BlobStore({ client, bucket: s3.bucket, prefix: 'mine/', keyring: ring });
    const Key = `theirs/ab/ab${randomBytes(15).toString('hex')}`;
    await client.send(new CreateMultipartUploadCommand({ Bucket: s3.bucket, Key }));
    expect(await store.sweepPartials(0, Date.now() + 120_000)).toBe(0);
    expect(await s3.openUploads()).toContain(Key);
  });

  it('spares an old multipart upload while parts keep arriving, and aborts it once they stop', async () => {
    const store = createS3BlobStore({ client, bucket: s3.bucket, prefix: 'slow/', keyring: ring });
    const Key = `slow/ab/ab${randomBytes(15).toString('hex')}`;
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: s3.bucket, Key }));
    await client.send(
      new UploadPartCommand({ Bucket: s3.bucket, Key, UploadId, PartNumber: 1, Body: randomBytes(100) }),
    );
    // Started an hour ago (s3rver dates an upload by its folder's `key` file), last part just now.
    const folder = join(s3.directory, s3.bucket, '._S3rver_uploads', UploadId as string);
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(join(folder, 'key'), hourAgo, hourAgo);
    expect(await store.sweepPartials(10 * 60_000)).toBe(0);
    expect(await s3.openUploads()).toContain(Key);
    // The parts stop arriving: after the same age, it is a crash's leftover.
    await utimes(join(folder, '1'), hourAgo, hourAgo);
    expect(await store.sweepPartials(10 * 60_000)).toBe(1);
    expect(await s3.openUploads()).not.toContain(Key);
  });

  it('aborts the multipart upload when the service refuses a part, leaving nothing', async () => {
    const store = createS3BlobStore({ client, bucket: s3.bucket, prefix: 'refused/', keyring: ring });
    // Part 3 of any upload under the prefix is refused; parts 1 and 2 are stored by then.
    const stop = s3.refuse(
      (r) => r.method === 'PUT' && r.path.startsWith(`/${s3.bucket}/refused/`) && r.query.partNumber === '3',
    );
    try {
      const err = await store
        .put(source(randomBytes(3 * S3_PART_BYTES + 10), 256 * 1024), { maxBytes: 1e9, aad: 'a' })
        .catch((e: unknown) => e);
      // Not the request's fault: a 503 to the client, the service's own error kept as the cause.
      expect(err).toBeInstanceOf(BlobStoreUnavailableError);
      expect((err as BlobStoreUnavailableError).status).toBe(503);
      expect(((err as Error).cause as Error).name).toBe('AccessDenied');
    } finally {
      stop();
    }
    expect((await s3.openUploads()).filter((k) => k.startsWith('refused/'))).toEqual([]);
    expect(await keysOf(store)).toEqual([]);
  });

  it('surfaces a service failure on the read stream, not as a crash', async () => {
    const gone = createS3BlobStore({ client, bucket: 'no-such-bucket', prefix: '', keyring: ring });
    const err = await readAll(gone.get('ab'.repeat(16), 'a')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(BlobNotFoundError);
  });
});
