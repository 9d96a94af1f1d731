import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptMessage } from '../src/openpgp/index.js';

/**
 * decryptMessage decodes the armour of a plain armored message itself (to spare memory) and leaves
 * anything unusual to openpgp: both must read the same messages the same way.
 */
describe('decryptMessage on armored messages', () => {
  let privateKey: openpgp.PrivateKey;
  let armored: string;
  const plaintext = new TextEncoder().encode('the report, in full\n'.repeat(500));

  beforeAll(async () => {
    const keys = await openpgp.generateKey({
      type: 'ecc',
      userIDs: [{ email: 'psirt@example.test' }],
      format: 'object',
    });
    privateKey = keys.privateKey;
    const message = await openpgp.createMessage({ binary: plaintext, format: 'binary' });
    armored = (await openpgp.encrypt({ message, encryptionKeys: keys.publicKey })) as string;
  });

  const read = async (input: string | Uint8Array) =>
    new Uint8Array((await decryptMessage(input, [privateKey], { maxBytes: 1 << 20 })).data);

  it('reads the armour as openpgp writes it, as text and as bytes, with CRLF line ends and leading space', async () => {
    expect(await read(armored)).toEqual(plaintext);
    expect(await read(Buffer.from(armored))).toEqual(plaintext);
    expect(await read(`\r\n  ${armored.replace(/\n/g, '\r\n')}`)).toEqual(plaintext);
  });

  it('reads armour headers and a checksum line', async () => {
    const lines = armored.trimEnd().split('\n');
    const bodyStart = lines.indexOf('') + 1;
    const withHeaders = [lines[0], 'Version: Test 1', 'Comment: a comment', '', ...lines.slice(bodyStart)];
    expect(await read(withHeaders.join('\n'))).toEqual(plaintext);
    // A checksum line before the end (older writers add one); it is not verified.
    const withChecksum = [...lines.slice(0, -1), '=AAAA', lines.at(-1)].join('\n');
    expect(await read(withChecksum)).toEqual(plaintext);
  });

  it('refuses a damaged armour body as corrupt, not with a crash', async () => {
    const lines = armored.trimEnd().split('\n');
    const bodyStart = lines.indexOf('') + 1;
    const damaged = [...lines.slice(0, bodyStart), 'AAAA', ...lines.slice(bodyStart + 1)].join('\n');
    await expect(read(damaged)).rejects.toMatchObject({ name: 'OpenPgpDecryptError' });
    await expect(
      read('-----BEGIN PGP MESSAGE-----\n\n*not base64*\n-----END PGP MESSAGE-----\n'),
    ).rejects.toMatchObject({
      name: 'OpenPgpDecryptError',
    });
  });
});

/**
 * Large messages (decrypted with node:crypto when they are SEIPD v1, see seipd.ts; others from
 * 256 KiB on read by openpgp as a stream, see seipd.test.ts for an AEAD one): the result must be
 * the same, and a message that fails its integrity check or grows past the limit must give
 * nothing back.
 */
describe('decryptMessage on large messages (read as a stream)', () => {
  let keys: { privateKey: openpgp.PrivateKey; publicKey: openpgp.PublicKey };
  const plaintext = randomBytes(700_000);

  beforeAll(async () => {
    keys = await openpgp.generateKey({
      type: 'ecc',
      userIDs: [{ email: 'psirt@example.test' }],
      format: 'object',
    });
  });

  const encrypt = async (armor: boolean, sign: boolean, data: Uint8Array = plaintext) => {
    const message = await openpgp.createMessage({ binary: data, format: 'binary' });
    const signing = sign ? { signingKeys: keys.privateKey } : {};
    if (armor)
      return Buffer.from(await openpgp.encrypt({ message, encryptionKeys: keys.publicKey, ...signing }));
    const binary = await openpgp.encrypt({
      message,
      encryptionKeys: keys.publicKey,
      ...signing,
      format: 'binary',
    });
    return Buffer.from(binary);
  };

  it('decrypts armored and binary messages and checks their signature', async () => {
    for (const armor of [true, false]) {
      const r = await decryptMessage(await encrypt(armor, true), [keys.privateKey], {
        maxBytes: 1 << 21,
        verificationKeys: [keys.publicKey],
      });
      expect(r.data.equals(plaintext)).toBe(true);
      expect(r.signature.status).toBe('valid');
    }
  });

  it('gives nothing back when a byte of the ciphertext was changed', async () => {
    const binary = await encrypt(false, false);
    // Flip a byte well inside the encrypted data: the integrity check at the end fails.
    const at = Math.floor(binary.length / 2);
    binary.writeUInt8((binary.readUInt8(at) ^ 0x01) & 0xff, at);
    await expect(decryptMessage(binary, [keys.privateKey], { maxBytes: 1 << 21 })).rejects.toMatchObject({
      name: 'OpenPgpDecryptError',
      reason: 'corrupt',
    });
  });

  it('refuses a message that decrypts past the limit as too large', async () => {
    const zeros = new Uint8Array(3_000_000);
    const message = await openpgp.createMessage({ binary: zeros, format: 'binary' });
    // Compressed, the 3 MB of zeros make a small message that would expand past the limit.
    const compressed = (await openpgp.encrypt({
      message,
      encryptionKeys: keys.publicKey,
      config: { preferredCompressionAlgorithm: openpgp.enums.compression.zlib },
    })) as string;
    const padded = await encrypt(true, false, Buffer.concat([randomBytes(300_000), zeros]));
    for (const input of [compressed, padded]) {
      await expect(decryptMessage(input, [keys.privateKey], { maxBytes: 1 << 20 })).rejects.toMatchObject({
        name: 'OpenPgpDecryptError',
        reason: 'too-large',
      });
    }
  });
});
