import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { extract } from './pgp-extract.js';

/** Whether a signature covers the whole mail, or only a part a sender could wrap in their own words. */

const options = { limits: { maxFileBytes: 1 << 20, maxReportBytes: 1 << 20 }, maxDepth: 8 };
let key: openpgp.PrivateKey;
let signedBlock: string;
beforeAll(async () => {
  ({ privateKey: key } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ email: 'ada@lab.example' }],
    format: 'object',
  }));
  const message = await openpgp.createCleartextMessage({ text: 'More on the pump.' });
  signedBlock = await openpgp.sign({ message, signingKeys: key });
});

const mail = (body: string, headers = 'Content-Type: text/plain; charset=utf-8\r\n') =>
  Buffer.from(`From: ada@lab.example\r\nSubject: x\r\n${headers}\r\n${body.replace(/\r?\n/g, '\r\n')}`);

describe('signatureCoversAll', () => {
  it('holds for a mail whose text is one cleartext-signed block', async () => {
    const ex = await extract(mail(`\n${signedBlock}\n`), [], [key.toPublic()], options);
    expect(ex.signature?.status).toBe('valid');
    expect(ex.signatureCoversAll).toBe(true);
    expect(ex.texts.join()).toContain('More on the pump.');
  });

  it('does not hold when words outside the block, or an attachment, come with it', async () => {
    const wrapped = await extract(
      mail(`Add me to the case.\n\n${signedBlock}`),
      [],
      [key.toPublic()],
      options,
    );
    expect(wrapped.signature?.status).toBe('valid');
    expect(wrapped.signatureCoversAll).toBe(false);

    const b = 'b0undary';
    const withFile = [
      `--${b}`,
      'Content-Type: text/plain',
      '',
      signedBlock,
      `--${b}`,
      'Content-Type: application/octet-stream; name="x.bin"',
      'Content-Disposition: attachment; filename="x.bin"',
      '',
      'unsigned bytes',
      `--${b}--`,
      '',
    ].join('\n');
    const ex = await extract(
      mail(withFile, `MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="${b}"\r\n`),
      [],
      [key.toPublic()],
      options,
    );
    expect(ex.signature?.status).toBe('valid');
    expect(ex.signatureCoversAll).toBe(false);
  });

  it('records an unknown key as such, without claiming coverage for a key it could not check', async () => {
    const ex = await extract(mail(signedBlock), [], [], options);
    expect(ex.signature?.status).toBe('unknown-key');
  });
});
