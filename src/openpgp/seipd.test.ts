import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptMessage } from './decrypt.js';
import { decryptSeipdV1, packetsOf } from './seipd.js';

/**
 * SEIPD v1 messages are decrypted with node:crypto (seipd.ts), everything else by openpgp: both
 * must give the same plaintext, and the same refusals.
 */
describe('SEIPD v1 decryption', () => {
  let key: openpgp.PrivateKey;
  let other: openpgp.PrivateKey;
  const plaintext = randomBytes(300_000);
  const config = { ...openpgp.config, maxDecompressedMessageSize: 1 << 22 };

  beforeAll(async () => {
    const [a, b] = await Promise.all(
      ['psirt@example.test', 'other@example.test'].map((email) =>
        openpgp.generateKey({ type: 'ecc', userIDs: [{ email }], format: 'object' }),
      ),
    );
    key = (a as { privateKey: openpgp.PrivateKey }).privateKey;
    other = (b as { privateKey: openpgp.PrivateKey }).privateKey;
  });

  /** A binary message; from a stream, openpgp writes its data packets in partial lengths. */
  async function encrypted(
    data: Uint8Array,
    opts: { streamed?: boolean; sign?: boolean; compress?: boolean; filename?: string } = {},
  ): Promise<Buffer> {
    const source = opts.streamed
      ? new ReadableStream<Uint8Array>({
          start(c) {
            for (let at = 0; at < data.length; at += 50_000) c.enqueue(data.subarray(at, at + 50_000));
            c.close();
          },
        })
      : data;
    const message = await openpgp.createMessage({
      binary: source,
      format: 'binary',
      ...(opts.filename ? { filename: opts.filename } : {}),
    });
    const out = await openpgp.encrypt({
      message,
      encryptionKeys: key.toPublic(),
      ...(opts.sign ? { signingKeys: key } : {}),
      format: 'binary',
      config: opts.compress ? { preferredCompressionAlgorithm: openpgp.enums.compression.zlib } : {},
    });
    if (out instanceof Uint8Array) return Buffer.from(out);
    const chunks: Uint8Array[] = [];
    for await (const c of out as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
    return Buffer.concat(chunks);
  }

  it('decrypts a message in partial lengths as openpgp does, with its filename', async () => {
    const binary = await encrypted(plaintext, { streamed: true, filename: 'capture.pcap' });
    const seipd = packetsOf(binary)?.find((p) => p.tag === 18);
    expect(seipd?.segments.length).toBeGreaterThan(1);
    const fast = await decryptSeipdV1(binary, [key], config);
    expect(fast?.inner).toBeUndefined();
    expect(fast?.data.equals(plaintext)).toBe(true);
    expect(fast?.filename).toBe('capture.pcap');
    const r = await decryptMessage(binary, [key], { maxBytes: 1 << 22 });
    expect(r.data.equals(plaintext)).toBe(true);
    expect(r.signature).toEqual({ status: 'none' });
  });

  it('decrypts in place only a buffer it may overwrite: the caller’s binary message stays as it was', async () => {
    const binary = await encrypted(plaintext, { streamed: true });
    const before = Buffer.from(binary);
    const r = await decryptMessage(binary, [key], { maxBytes: 1 << 22 });
    expect(r.data.equals(plaintext)).toBe(true);
    expect(binary.equals(before)).toBe(true);
    expect(r.data.buffer === binary.buffer).toBe(false);

    const owned = Buffer.from(binary);
    const fast = await decryptSeipdV1(owned, [key], config, true);
    expect(fast?.data.equals(plaintext)).toBe(true);
    expect(fast?.data.buffer === owned.buffer).toBe(true);
    // Armour is decoded into a buffer of decryptMessage's own, which it decrypts in place.
    const armored = openpgp.armor(openpgp.enums.armor.message, binary);
    expect((await decryptMessage(armored, [key], { maxBytes: 1 << 22 })).data.equals(plaintext)).toBe(true);
  });

  it('hands a signed and compressed plaintext to openpgp, which checks the signature', async () => {
    const binary = await encrypted(plaintext, { sign: true, compress: true });
    const fast = await decryptSeipdV1(binary, [key], config);
    expect(fast?.inner).toBeDefined();
    const r = await decryptMessage(binary, [key], { maxBytes: 1 << 22, verificationKeys: [key.toPublic()] });
    expect(r.data.equals(plaintext)).toBe(true);
    expect(r.signature).toMatchObject({ status: 'valid', fingerprint: key.getFingerprint().toUpperCase() });
  });

  it('refuses a changed ciphertext byte as corrupt and a message for another key as no-key', async () => {
    const binary = await encrypted(plaintext, { streamed: true });
    const damaged = Buffer.from(binary);
    const at = damaged.length - 1000;
    damaged[at] = (damaged[at] as number) ^ 1;
    await expect(decryptMessage(damaged, [key], { maxBytes: 1 << 22 })).rejects.toMatchObject({
      reason: 'corrupt',
    });
    await expect(decryptMessage(binary, [other], { maxBytes: 1 << 22 })).rejects.toMatchObject({
      reason: 'no-key',
    });
  });

  it('refuses a compressed plaintext that expands past the limit as too large', async () => {
    const bomb = await encrypted(new Uint8Array(4 << 20), { compress: true });
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expect(decryptMessage(bomb, [key], { maxBytes: 1 << 20 })).rejects.toMatchObject({
      reason: 'too-large',
    });
    const plain = await encrypted(plaintext);
    await expect(decryptMessage(plain, [key], { maxBytes: 1000 })).rejects.toMatchObject({
      reason: 'too-large',
    });
  });

  it('leaves an AEAD (SEIPD v2) message to openpgp, which decrypts it', async () => {
    const { privateKey } = await openpgp.generateKey({
      type: 'curve25519',
      userIDs: [{ email: 'v6@example.test' }],
      format: 'object',
      config: { v6Keys: true, aeadProtect: true },
    });
    const message = await openpgp.createMessage({ binary: plaintext, format: 'binary' });
    const binary = Buffer.from(
      (await openpgp.encrypt({
        message,
        encryptionKeys: privateKey.toPublic(),
        format: 'binary',
        config: { aeadProtect: true },
      })) as Uint8Array,
    );
    expect(await decryptSeipdV1(binary, [privateKey], config)).toBeUndefined();
    const r = await decryptMessage(binary, [privateKey], { maxBytes: 1 << 22 });
    expect(r.data.equals(plaintext)).toBe(true);
  });
});
