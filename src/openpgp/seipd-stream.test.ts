import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSeipdV1StreamDecryptor } from './seipd-stream.js';

describe('SEIPD v1 decrypted as a stream', () => {
  let key: openpgp.PrivateKey;
  const data = randomBytes(300_000);
  let binary: Buffer;

  beforeAll(async () => {
    key = (await openpgp.generateKey({ userIDs: [{ email: 'a@example.org' }], format: 'object' })).privateKey;
    const message = await openpgp.createMessage({ binary: data, filename: 'dump.bin' });
    binary = Buffer.from(
      (await openpgp.encrypt({ message, encryptionKeys: key.toPublic(), format: 'binary' })) as Uint8Array,
    );
  });

  async function run(input: Buffer, chunk: number, maxBytes = 1 << 30) {
    const got: Buffer[] = [];
    const d = createSeipdV1StreamDecryptor({
      decryptionKeys: [key],
      maxBytes,
      literal: (c) => {
        got.push(Buffer.from(c));
      },
    });
    for (let at = 0; at < input.length; at += chunk) await d.write(input.subarray(at, at + chunk));
    return { outcome: await d.end(), data: Buffer.concat(got) };
  }

  for (const chunk of [1, 17, 8192, 1 << 20]) {
    it(`gives the literal data and its filename, whatever the chunks (${chunk})`, async () => {
      const { outcome, data: out } = await run(binary, chunk);
      expect(outcome).toEqual({ kind: 'ok', bytes: data.length, filename: 'dump.bin' });
      expect(out.equals(data)).toBe(true);
    });
  }

  it('answers corrupt for a changed ciphertext byte anywhere, the MDC included', async () => {
    for (const from of [binary.length - 1, binary.length - 30, Math.floor(binary.length / 2)]) {
      const t = Buffer.from(binary);
      t[from] = (t[from] as number) ^ 0x40;
      expect((await run(t, 4096)).outcome).toEqual({ kind: 'failed', reason: 'corrupt' });
    }
    expect((await run(binary.subarray(0, binary.length - 10), 4096)).outcome).toEqual({
      kind: 'failed',
      reason: 'corrupt',
    });
  });

  it('stops handing on data past maxBytes and answers too-large once the MDC verifies', async () => {
    const { outcome, data: out } = await run(binary, 4096, 100_000);
    expect(outcome).toEqual({ kind: 'failed', reason: 'too-large' });
    expect(out.length).toBeLessThanOrEqual(100_000);
  });

  it('answers no-key for a message to another key, unsupported for a compressed one', async () => {
    const other = (await openpgp.generateKey({ userIDs: [{ email: 'b@example.org' }], format: 'object' }))
      .privateKey;
    const d = createSeipdV1StreamDecryptor({ decryptionKeys: [other], maxBytes: 1 << 30, literal: () => {} });
    await d.write(binary);
    expect(await d.end()).toEqual({ kind: 'failed', reason: 'no-key' });
    const compressed = Buffer.from(
      (await openpgp.encrypt({
        message: await openpgp.createMessage({ binary: data }),
        encryptionKeys: key.toPublic(),
        format: 'binary',
        config: { preferredCompressionAlgorithm: openpgp.enums.compression.zlib },
      })) as Uint8Array,
    );
    expect((await run(compressed, 4096)).outcome).toEqual({ kind: 'unsupported' });
  });
});
