import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BlobStore, createFileBlobStore } from '../blobs/index.js';
import { loadKeyring } from '../crypto/index.js';
import { detectPhi, type PhiDetectOptions, type PhiInput } from '../privacy/index.js';
import { attachmentAad } from '../reports/index.js';
import { readStoredPrefix, SCAN_CAP_BYTES, SNIFF_BYTES, scanArrival } from './scanner.js';

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

describe('scanArrival on stored attachments', () => {
  // The detector itself, run in this process: what the worker pool runs, without the threads.
  const pool = {
    scan: async (inputs: PhiInput[], options: PhiDetectOptions) =>
      inputs.map((input) => detectPhi(input, options)),
  };
  const reporter = { emails: [], phones: [], names: [] };
  const file = async (data: Buffer, name: string) => ({
    ...(await store(data)),
    name,
    contentType: 'text/plain',
  });

  it('holds a text file longer than the cap as unchecked, though its start is clean', async () => {
    const line = '2026-12-07T10:00:00Z INFO pump 7 heartbeat ok\n';
    const clean = Buffer.from(line.repeat(Math.ceil((SCAN_CAP_BYTES + 4096) / line.length)));
    const f = await file(clean, 'pump.log');
    const flagged = await scanArrival({ blobs, pool }, { files: [f], reporter });
    expect(flagged).toEqual([
      expect.objectContaining({
        kind: 'attachment',
        ref: f.id,
        kinds: [],
        truncated: true,
        unfinished: true,
      }),
    ]);
  });

  it('passes a clean text file within the cap, and a binary file of any length after its head', async () => {
    const small = await file(Buffer.from('2026-12-07 INFO pump 7 heartbeat ok\n'.repeat(1000)), 'pump.log');
    const binary = Buffer.alloc(SCAN_CAP_BYTES + 4096, 0);
    binary.write('\x89PNG\r\n\x1a\n', 0, 'binary');
    const image = await file(binary, 'screen.png');
    expect(await scanArrival({ blobs, pool }, { files: [small, image], reporter })).toEqual([]);
  });

  it('still finds PHI at the start of a text file read in part', async () => {
    const text = Buffer.concat([
      Buffer.from('Patient: Junia Quillfeather, DOB 1961-04-02\n'),
      Buffer.alloc(SNIFF_BYTES * 2, 0x61),
    ]);
    const f = await file(text, 'export.txt');
    const flagged = await scanArrival({ blobs, pool }, { files: [f], reporter });
    expect(flagged[0]?.kinds).toContain('name-with-birth-date');
    expect(flagged[0]?.truncated).toBe(false);
  });
});
