import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecryptionError } from './errors.js';
import { type Keyring, loadKeyring } from './keyring.js';
import { createDecryptStream, createEncryptStream, STREAM_CHUNK_BYTES } from './stream.js';

const CHUNK = STREAM_CHUNK_BYTES;
const TAG = 16;

let dir: string;
let ring: Keyring;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-stream-'));
  ring = await loadKeyring({ dataDir: dir });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function pieces(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

async function run(transform: Transform, input: Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(input).pipe(transform)) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

// Collects what was emitted before the stream failed, plus the error.
async function runCapture(transform: Transform, input: Buffer[]): Promise<{ out: Buffer; error: unknown }> {
  const out: Buffer[] = [];
  try {
    for await (const chunk of Readable.from(input).pipe(transform)) out.push(chunk as Buffer);
    return { out: Buffer.concat(out), error: undefined };
  } catch (error) {
    return { out: Buffer.concat(out), error };
  }
}

const encrypt = (data: Buffer, aad?: string, pieceSize = 4096) =>
  run(createEncryptStream(ring, aad), pieces(data, pieceSize));
const decrypt = (data: Buffer, aad?: string, pieceSize = 5000) =>
  run(createDecryptStream(ring, aad), pieces(data, pieceSize));

// toEqual walks buffers element by element, which takes seconds per megabyte.
function expectSameBytes(actual: Buffer, expected: Buffer): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.equals(expected)).toBe(true);
}

function headerLength(sealed: Buffer): number {
  return 4 + 2 + sealed.readUInt16BE(4) + 8;
}

function chunksOf(sealed: Buffer): { header: Buffer; chunks: Buffer[] } {
  const h = headerLength(sealed);
  return { header: sealed.subarray(0, h), chunks: pieces(sealed.subarray(h), CHUNK + TAG) };
}

describe('stream cipher', () => {
  it.each([
    ['0 bytes', 0],
    ['1 byte', 1],
    ['exactly one chunk', CHUNK],
    ['one chunk plus one byte', CHUNK + 1],
    ['3.5 chunks', CHUNK * 3.5],
    ['5 MB', 5 * 1024 * 1024],
  ])('round-trips %s', async (_label, size) => {
    const data = randomBytes(size);
    const sealed = await encrypt(data, 'attachment:1');
    const chunkCount = Math.max(1, Math.ceil(size / CHUNK));
    expect(sealed.length).toBe(headerLength(sealed) + size + chunkCount * TAG);
    expectSameBytes(await decrypt(sealed, 'attachment:1'), data);
    // Write granularity must not matter on either side.
    expectSameBytes(await decrypt(sealed, 'attachment:1', 1 + (size % 977)), data);
    expectSameBytes(
      await decrypt(await encrypt(data, 'attachment:1', CHUNK * 2 + 3), 'attachment:1', 1 << 20),
      data,
    );
  });

  it('handles 1-byte writes on both sides', async () => {
    const data = randomBytes(3000);
    expectSameBytes(await decrypt(await encrypt(data, undefined, 1), undefined, 1), data);
  });

  it('fails on a wrong AAD or a different key', async () => {
    const sealed = await encrypt(randomBytes(100), 'attachment:1');
    await expect(decrypt(sealed, 'attachment:2')).rejects.toThrow(DecryptionError);
    const other = await loadKeyring({ masterKey: randomBytes(32).toString('base64'), dataDir: dir });
    await expect(run(createDecryptStream(other, 'attachment:1'), [sealed])).rejects.toThrow(DecryptionError);
  });

  it('detects a flipped byte in the header, a chunk body and a tag', async () => {
    const sealed = await encrypt(randomBytes(CHUNK * 2 + 10));
    const h = headerLength(sealed);
    for (const position of [0, 5, 10, h - 1, h, h + CHUNK + TAG - 1, sealed.length - 1]) {
      const copy = Buffer.from(sealed);
      copy[position] = (copy[position] ?? 0) ^ 0x01;
      await expect(decrypt(copy), `byte ${position}`).rejects.toThrow(DecryptionError);
    }
  });

  it('never emits the plaintext of a tampered chunk', async () => {
    const data = randomBytes(CHUNK * 3);
    const sealed = await encrypt(data);
    const copy = Buffer.from(sealed);
    const secondChunk = headerLength(sealed) + CHUNK + TAG;
    copy[secondChunk + 100] = (copy[secondChunk + 100] ?? 0) ^ 0x01;
    const { out, error } = await runCapture(createDecryptStream(ring), [copy]);
    expect(error).toBeInstanceOf(DecryptionError);
    expect(out.length).toBeLessThanOrEqual(CHUNK);
    expectSameBytes(out, data.subarray(0, out.length));
  });

  it('detects truncation anywhere, including at a chunk boundary and before the header ends', async () => {
    const sealed = await encrypt(randomBytes(CHUNK * 3 + 500));
    const { header, chunks } = chunksOf(sealed);
    const cuts = [
      0,
      3,
      header.length - 1,
      header.length, // header only, no final chunk
      header.length + CHUNK + TAG, // first chunk only
      header.length + 3 * (CHUNK + TAG), // all full chunks, final one dropped
      sealed.length - 1,
      sealed.length - TAG,
    ];
    expect(chunks).toHaveLength(4);
    for (const cut of cuts) {
      await expect(decrypt(sealed.subarray(0, cut)), `cut at ${cut}`).rejects.toThrow(DecryptionError);
    }
  });

  it('detects truncation of an empty stream to its header', async () => {
    const sealed = await encrypt(Buffer.alloc(0));
    await expect(decrypt(sealed.subarray(0, headerLength(sealed)))).rejects.toThrow(/truncated/);
  });

  it('detects reordered, duplicated and dropped chunks', async () => {
    const sealed = await encrypt(randomBytes(CHUNK * 3 + 10));
    const { header, chunks } = chunksOf(sealed);
    const [c0, c1, c2, c3] = chunks as [Buffer, Buffer, Buffer, Buffer];
    for (const order of [
      [c1, c0, c2, c3],
      [c0, c2, c1, c3],
      [c0, c0, c1, c2, c3],
      [c0, c2, c3],
    ]) {
      await expect(decrypt(Buffer.concat([header, ...order]))).rejects.toThrow(DecryptionError);
    }
  });

  it('detects trailing garbage', async () => {
    for (const size of [0, 10, CHUNK]) {
      const sealed = await encrypt(randomBytes(size));
      for (const extra of [1, TAG, CHUNK + TAG + 1]) {
        await expect(decrypt(Buffer.concat([sealed, randomBytes(extra)]))).rejects.toThrow(DecryptionError);
      }
    }
  });

  it('refuses to splice chunks between two streams', async () => {
    const a = chunksOf(await encrypt(randomBytes(CHUNK * 2)));
    const b = chunksOf(await encrypt(randomBytes(CHUNK * 2)));
    await expect(
      decrypt(Buffer.concat([a.header, a.chunks[0] as Buffer, b.chunks[1] as Buffer])),
    ).rejects.toThrow(DecryptionError);
  });

  it('rejects input that is not a Vigil stream', async () => {
    await expect(decrypt(Buffer.from('%PDF-1.7 plain file'))).rejects.toThrow(/not a Vigil encrypted stream/);
  });
});
