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
