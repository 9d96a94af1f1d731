import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BlobStore, createFileBlobStore } from '../blobs/index.js';
import { type Limits, loadConfig } from '../config/index.js';
import { PayloadTooLargeError } from '../core/index.js';
import { loadKeyring } from '../crypto/index.js';
import { attachmentAad, createStagedFiles } from './staged-files.js';

let dir: string;
let blobs: BlobStore;
let limits: Limits;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-staged-'));
  const keyring = await loadKeyring({ dataDir: dir });
  blobs = createFileBlobStore({ root: join(dir, 'blobs'), keyring });
  limits = {
    ...loadConfig({ VIGIL_DATA_DIR: dir }).limits,
    maxFileBytes: 64 * 1024,
    maxReportBytes: 96 * 1024,
  };
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = (data: Buffer, filename = 'poc.bin') => ({
  // Several chunks, as a multipart part arrives.
  stream: Readable.from([data.subarray(0, 1000), data.subarray(1000)]),
  filename,
  contentType: 'application/octet-stream',
});

async function stored(key: string, id: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of blobs.get(key, attachmentAad(id))) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('staged files', () => {
  it('keeps the plaintext of files within the allowance, and stores every file whole', async () => {
    const staged = createStagedFiles(blobs, limits, { keepSmallFiles: 25_000 });
    const a = randomBytes(10_000);
    const b = randomBytes(20_000); // over what is left of the allowance: not kept
    const c = randomBytes(15_000); // fits what is left
    const sa = await staged.add(file(a, 'a.bin'));
    const sb = await staged.add(file(b, 'b.bin'));
    const sc = await staged.add(file(c, 'c.bin'));
    expect(sa.plain?.equals(a)).toBe(true);
    expect(sb.plain).toBeUndefined();
    expect(sc.plain?.equals(c)).toBe(true);
    for (const [s, data] of [
      [sa, a],
      [sb, b],
      [sc, c],
    ] as const)
      expect((await stored(s.blobKey, s.id)).equals(data)).toBe(true);
  });

  it('keeps nothing by default', async () => {
    const staged = createStagedFiles(blobs, limits);
    expect((await staged.add(file(randomBytes(5000)))).plain).toBeUndefined();
  });

  it('still refuses a file over the limit, and fails with a broken upload stream', async () => {
    const staged = createStagedFiles(blobs, limits, { keepSmallFiles: 1024 * 1024 });
    await expect(staged.add(file(randomBytes(65 * 1024)))).rejects.toBeInstanceOf(PayloadTooLargeError);
    const broken = new Readable({ read() {} });
    broken.push(randomBytes(2000));
    setTimeout(() => broken.destroy(new Error('connection reset')), 10);
    await expect(
      staged.add({ stream: broken, filename: 'cut.bin', contentType: 'application/octet-stream' }),
    ).rejects.toThrow('connection reset');
    expect(staged.files).toEqual([]);
  });
});
