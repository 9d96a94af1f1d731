import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BlobStore, createFileBlobStore } from '../blobs/index.js';
import { loadKeyring } from '../crypto/index.js';
import { attachmentAad } from '../reports/index.js';
import { readStoredPrefix } from './scanner.js';

let dir: string;
let blobs: BlobStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-scan-read-'));
  blobs = createFileBlobStore({ root: join(dir, 'blobs'), keyring: await loadKeyring({ dataDir: dir }) });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function store(data: Buffer) {
  const id = `a${randomBytes(4).toString('hex')}`;
  const { key } = await blobs.put(Readable.from([data]), { maxBytes: data.length, aad: attachmentAad(id) });
  return { id, blobKey: key };
}

describe('readStoredPrefix', () => {
  const data = randomBytes(300_000); // several 64 KiB chunks of the stream format

  it.each([
    ['with its size', data.length],
    ['without its size', undefined],
    ['with a size that is too small', 1000],
  ])('reads a file whole, %s', async (_, size) => {
    const f = await store(data);
    const { bytes, truncated } = await readStoredPrefix(blobs, { ...f, size });
    expect(truncated).toBe(false);
    expect(bytes.equals(data)).toBe(true);
  });

  it.each([
    ['with its size', data.length],
    ['without its size', undefined],
  ])('stops at the cap and says so, %s', async (_, size) => {
    const f = await store(data);
    const { bytes, truncated } = await readStoredPrefix(blobs, { ...f, size }, 100_000);
    expect(truncated).toBe(true);
    expect(bytes.equals(data.subarray(0, 100_000))).toBe(true);
  });

  it('gives a buffer of its own when the size is right, so the worker can take it without a copy', async () => {
    const f = await store(data);
    const { bytes } = await readStoredPrefix(blobs, { ...f, size: data.length });
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(data.length);
  });

  it('reads an empty file', async () => {
    const f = await store(Buffer.alloc(0));
    expect((await readStoredPrefix(blobs, { ...f, size: 0 })).bytes.length).toBe(0);
  });
});
