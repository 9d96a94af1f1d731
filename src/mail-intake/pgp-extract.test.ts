import { randomBytes } from 'node:crypto';
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

describe('large entities, opened part by part', () => {
  const CRLF = '\r\n';
  const b64 = (data: Buffer) => (data.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);
  const part = (headers: string[], body: string) => [...headers, '', body].join(CRLF);
  const multipart = (type: string, bound: string, parts: string[]) =>
    [
      `Content-Type: ${type}; boundary="${bound}"`,
      '',
      ...parts.flatMap((p) => [`--${bound}`, p]),
      `--${bound}--`,
      '',
    ].join(CRLF);

  /** Both ways of reading: everything through mailparser, and every entity split here. */
  const bothWays = async (raw: Buffer, keys: openpgp.PrivateKey[], verify: openpgp.PublicKey[]) => {
    const large = { ...options, limits: { maxFileBytes: 1 << 24, maxReportBytes: 1 << 24 } };
    const whole = await extract(raw, keys, verify, { ...large, largeEntityBytes: Number.POSITIVE_INFINITY });
    const split = await extract(raw, keys, verify, { ...large, largeEntityBytes: 0 });
    return { whole, split };
  };
  const summary = (ex: Awaited<ReturnType<typeof extract>>) => ({
    texts: ex.texts,
    files: ex.files.map((f) => ({
      name: f.name,
      type: f.contentType,
      sha: (f as { data: Buffer }).data.toString('base64'),
    })),
    signature: ex.signature,
    coversAll: ex.signatureCoversAll,
    encrypted: ex.encrypted,
    innerSubject: ex.innerSubject,
    flags: [...ex.flags],
    senderKeys: ex.senderKeys.map((k) => k.getFingerprint()),
  });

  it('finds the same texts, files, names, subject and signature as mailparser does', async () => {
    const capture = randomBytes(150_000);
    const inner = multipart('multipart/mixed', 'in1', [
      part(
        ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'],
        'Pump PX-9 firmware 2.1: the service port accepts any password.',
      ),
      part(
        [
          'Content-Type: application/vnd.tcpdump.pcap; name="=?utf-8?q?capt=C3=BCre.pcap?="',
          "Content-Disposition: attachment; filename*=utf-8''capt%C3%BCre.pcap",
          'Content-Transfer-Encoding: base64',
        ],
        b64(capture),
      ),
      multipart('multipart/alternative', 'alt1', [
        part(['Content-Type: text/plain'], 'Second text, plain.'),
        part(['Content-Type: text/html'], '<p>Second text, <b>html</b>.</p>'),
      ]),
      part(
        [
          'Content-Type: application/octet-stream; name="raw.bin"',
          'Content-Disposition: attachment; filename="raw.bin"',
        ],
        'identity bytes',
      ),
      part(['Content-Type: application/pgp-keys', 'Content-Transfer-Encoding: 7bit'], key.toPublic().armor()),
    ]);
    const protectedHeaders = `Subject: Real subject inside${CRLF}`;
    const encrypted = (await openpgp.encrypt({
      message: await openpgp.createMessage({ binary: Buffer.from(protectedHeaders + inner) }),
      encryptionKeys: key.toPublic(),
      signingKeys: key,
    })) as string;
    const raw = Buffer.from(
      [
        'From: ada@lab.example',
        'Subject: ...',
        'MIME-Version: 1.0',
        multipart('multipart/encrypted; protocol="application/pgp-encrypted"', 'enc1', [
          part(['Content-Type: application/pgp-encrypted'], 'Version: 1'),
          part(['Content-Type: application/octet-stream; name="encrypted.asc"'], encrypted),
        ]),
      ].join(CRLF),
    );
    const { whole, split } = await bothWays(raw, [key], [key.toPublic()]);
    expect(
      (whole.files.find((f) => f.name === 'captüre.pcap') as { data: Buffer }).data.equals(capture),
    ).toBe(true);
    expect(whole.signature?.status).toBe('valid');
    expect(whole.innerSubject).toBe('Real subject inside');
    const a = summary(whole);
    const b = summary(split);
    // mailparser joins the texts of parts side by side; read part by part they stay apart.
    expect(b.texts.join('\n')).toBe(a.texts.join('\n'));
    expect({ ...b, texts: [] }).toEqual({ ...a, texts: [] });
  });

  it('leaves texts, quoted-printable and unsplittable entities to mailparser', async () => {
    const qp = part(
      [
        'Content-Type: application/octet-stream; name="q.bin"',
        'Content-Disposition: attachment; filename="q.bin"',
        'Content-Transfer-Encoding: quoted-printable',
      ],
      'caf=C3=A9 =3D soft',
    );
    const broken = ['Content-Type: multipart/mixed; boundary="nowhere"', '', 'no delimiter at all'].join(
      CRLF,
    );
    const raw = Buffer.from(
      [
        'From: ada@lab.example',
        'Subject: qp',
        'MIME-Version: 1.0',
        multipart('multipart/mixed', 'm1', [qp, broken]),
      ].join(CRLF),
    );
    const { whole, split } = await bothWays(raw, [], []);
    expect((split.files.find((f) => f.name === 'q.bin') as { data: Buffer }).data.toString('utf8')).toBe(
      'café = soft',
    );
    expect(summary(split).files).toEqual(summary(whole).files);
  });
});
