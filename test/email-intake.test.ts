import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { createSmtpListener } from '../src/mail-intake/index.js';
import type { Program } from '../src/programs/index.js';
import {
  attachmentPart,
  autocryptHeader,
  boundary,
  createGpgHome,
  entity,
  type GpgHome,
  message,
  multipart,
  pgpMimeEncrypted,
  plainMessage,
  run,
  sendRaw,
  sendWithSwaks,
  textPart,
} from './helpers/mail-builders.js';
import { type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';
import { toolMissing } from './helpers/tools.js';

/**
 * Reports by email, end to end: real mail (built by GnuPG and OpenPGP.js, sent by nodemailer and
 * swaks) goes to Vigil's SMTP listener, and the case is then read back through the staff API.
 */

const MiB = 1024 * 1024;
const ADDRESS = 'psirt@northwind-medical.example';
const hex = () => randomBytes(6).toString('hex');
let senderSeq = 0;
/** A fresh sender per mail, so the per-sender limit only bites where a test means it to. */
const newSender = () => `finder${++senderSeq}.${hex()}@researcher.example`;

interface CaseJson {
  caseNumber: string;
  channel: string;
  content: Record<string, string>;
  contact: Record<string, string>;
  attachments: { id: string; name: string; size: number; contentType: string; messageId: string | null }[];
  messages: { id: string; author: string; body: string }[];
}

interface IntakeMeta {
  channel: string;
  decryption: string;
  failure?: string;
  signature: { status: string; keyId?: string; fingerprint?: string };
  messageId?: string;
  attachments: { stored: number; decrypted: number; failed: string[]; dropped: number };
  flags?: string[];
  senderKey?: string;
}

async function newKey(email: string) {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name: 'Sender', email }],
    format: 'object',
  });
  return { privateKey, publicKey, fingerprint: publicKey.getFingerprint().toUpperCase() };
}

describe.skipIf(toolMissing('gpg')).each(dialects)('email intake over SMTP (%s)', (dialect) => {
  let v: TestVigil;
  let peer: SmtpPeer;
  let port: number;
  let gpg: GpgHome;
  let program: Program;
  let programKey: { fingerprint: string; armored: string; key: openpgp.PublicKey };
  let staffToken: string;

  beforeAll(async () => {
    peer = await startSmtpPeer();
    v = await startTestVigil(dialect, {
      worker: true,
      env: {
        VIGIL_SMTP_URL: peer.url,
        VIGIL_SMTP_MAX_BYTES: String(2 * MiB),
        VIGIL_MAX_FILE_BYTES: String(4 * MiB),
        VIGIL_SMTP_PER_SENDER_PER_HOUR: '5',
      },
    });
    port = await v.smtp.start(0);
    program = (await v.services.programs.list()).find((p) => p.slug === 'northwind-medical') as Program;
    expect(program.definition.intake.emailAddresses).toContain(ADDRESS);
    const published = await v.services.keys.publishedKey(program.id);
    if (!published) throw new Error('the seeded program has no key');
    programKey = published;
    gpg = await createGpgHome();
    await gpg.importKey(programKey.armored);
    await v.services.accounts.createUser({ email: 'lead@vendor.example', role: 'admin' }, 'test');
    staffToken = (
      await v.services.accounts.createToken({ userEmail: 'lead@vendor.example', scope: 'read' }, 'test')
    ).token;
  });
  afterAll(async () => {
    await v?.destroy();
    await peer?.close();
    await gpg?.close();
  });

  const auth = () => ({ authorization: `Bearer ${staffToken}` });

  async function getCase(caseNumber: string): Promise<CaseJson> {
    const res = await v.app.inject({ method: 'GET', url: `/api/v1/reports/${caseNumber}`, headers: auth() });
    expect(res.statusCode).toBe(200);
    return res.json() as CaseJson;
  }

  async function download(caseNumber: string, id: string): Promise<Buffer> {
    const res = await v.app.inject({
      method: 'GET',
      url: `/api/v1/reports/${caseNumber}/attachments/${id}`,
      headers: auth(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    return res.rawPayload;
  }

  async function fileNamed(c: CaseJson, name: string): Promise<Buffer> {
    const a = c.attachments.find((x) => x.name === name);
    expect(a, `attachment ${name} among ${c.attachments.map((x) => x.name).join(', ')}`).toBeDefined();
    return download(c.caseNumber, (a as { id: string }).id);
  }

  async function meta(caseNumber: string): Promise<IntakeMeta & { replyTokenHash: string | null }> {
    const row = await v.db.kysely
      .selectFrom('reports')
      .select(['intake_meta', 'reply_token_hash'])
      .where('case_number', '=', caseNumber)
      .executeTakeFirstOrThrow();
    const stored = JSON.parse(row.intake_meta) as IntakeMeta;
    // Staff see the same record through the API (its response schema lets every part through).
    expect(((await getCase(caseNumber)) as CaseJson & { intake: unknown }).intake).toEqual(stored);
    return { ...stored, replyTokenHash: row.reply_token_hash };
  }

  const reportCount = async () =>
    Number(
      (
        await v.db.kysely
          .selectFrom('reports')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** Send everything queued: one run sends a batch of ten, and the tests before queue more. */
  async function drainOutbox() {
    for (let i = 0; i < 50; i++) {
      const r = await v.worker?.runOnce();
      if (!r || r.sent + r.failed === 0) return;
    }
  }

  /** The original stored with every mail, byte for byte what was sent (SMTP line ends are CRLF). */
  async function expectOriginal(c: CaseJson, raw: string) {
    const original = await fileNamed(c, 'original-message.eml');
    expect(original.toString('utf8')).toBe(raw.endsWith('\r\n') ? raw : `${raw}\r\n`);
  }

  it('(a) opens a PGP/MIME mail built by gpg --encrypt --armor: protected subject, text, attachment', async () => {
    const canary = `CANARY${hex()}`;
    const sender = newSender();
    const b = boundary('inner');
    const inner = entity(
      {
        'Content-Type': `multipart/mixed; boundary="${b}"; protected-headers="v1"`,
        Subject: `Infusion pump dose overflow ${canary}`,
      },
      multipart(b, [
        textPart(`Steps to reproduce ${canary}:\n1. set rate to 9999\n2. watch the display`),
        attachmentPart('poc.txt', 'text/plain', Buffer.from(`proof of concept ${canary}`)),
      ]),
    );
    const armored = (
      await gpg.gpg(['--armor', '--encrypt', '--recipient', programKey.fingerprint], inner)
    ).toString();
    expect(armored).toMatch(/^-----BEGIN PGP MESSAGE-----/);
    const raw = pgpMimeEncrypted({ from: `Ada Finder <${sender}>`, to: ADDRESS, subject: '...' }, armored);
    expect(raw).not.toContain(canary);

    const sent = await sendRaw(port, { from: sender, to: ADDRESS }, raw);
    expect(sent.response).toMatch(/^250 /);
    expect(sent.caseNumber).toMatch(/^NWM-\d{4}-\d{4}$/);

    const c = await getCase(sent.caseNumber);
    expect(c.channel).toBe('email');
    expect(c.content.subject).toBe(`Infusion pump dose overflow ${canary}`);
    expect(c.content.message).toContain(`Steps to reproduce ${canary}:\n1. set rate to 9999`);
    expect(c.contact).toMatchObject({ email: sender, name: 'Ada Finder' });
    expect(c.attachments.map((a) => a.name).sort()).toEqual(['original-message.eml', 'poc.txt']);
    expect((await fileNamed(c, 'poc.txt')).toString()).toBe(`proof of concept ${canary}`);
    await expectOriginal(c, raw);

    const m = await meta(sent.caseNumber);
    expect(m).toMatchObject({ channel: 'email', decryption: 'ok', signature: { status: 'none' } });
    expect(m.messageId).toMatch(/@sender\.example>$/);
    expect(m.replyTokenHash).toMatch(/^[0-9a-f]{64}$/);
    // What the channel learned, never content or addresses.
    expect(JSON.stringify(m)).not.toContain(canary);
    expect(JSON.stringify(m)).not.toContain(sender);
  });

  it('(a) opens a large gpg-built PGP/MIME mail part by part, with and without SIZE announced: attachment and original byte for byte', async () => {
    // Over 1 MiB inside: decrypted as a stream, split here rather than by mailparser, the
    // attachment decoded segment by segment; with SIZE announced the mail is received into one
    // buffer of that size, without it into one of the largest size once the budget is reserved
    // partway through DATA, the chunks received until then copied in first.
    for (const announce of [true, false]) {
      const canary = `CANARY${hex()}`;
      const sender = newSender();
      const capture = randomBytes(1_100_000);
      const b = boundary('inner');
      const inner = entity(
        {
          'Content-Type': `multipart/mixed; boundary="${b}"; protected-headers="v1"`,
          Subject: `Large ${canary}`,
        },
        multipart(b, [
          textPart(`The capture shows it ${canary}.`),
          attachmentPart('capture.pcap', 'application/vnd.tcpdump.pcap', capture),
        ]),
      );
      const armored = (
        await gpg.gpg(['--armor', '--encrypt', '--recipient', programKey.fingerprint], inner)
      ).toString();
      const raw = pgpMimeEncrypted({ from: sender, to: ADDRESS, subject: '...' }, armored);
      expect(Buffer.byteLength(raw)).toBeGreaterThan(1024 * 1024);
      const envelope = { from: sender, to: ADDRESS, ...(announce ? { size: Buffer.byteLength(raw) } : {}) };
      const sent = await sendRaw(port, envelope, raw);
      expect(sent.response).toMatch(/^250 /);
      const c = await getCase(sent.caseNumber);
      expect(c.content.subject).toBe(`Large ${canary}`);
      expect(c.content.message).toContain(`The capture shows it ${canary}.`);
      expect((await fileNamed(c, 'capture.pcap')).equals(capture)).toBe(true);
      await expectOriginal(c, raw);
      expect(await meta(sent.caseNumber)).toMatchObject({ decryption: 'ok' });
    }
  });

  it('(b) verifies a mail signed and encrypted by gpg with the key in its Autocrypt header, as that key’s only', async () => {
    const sender = newSender();
    const key = await newKey(sender);
    await gpg.importKey(key.privateKey.armor());
    const canary = `SIGNED${hex()}`;
    const inner = textPart(`Signed finding ${canary}`);
    const armored = (
      await gpg.gpg(
        [
          '--armor',
          '--sign',
          '--local-user',
          key.fingerprint,
          '--encrypt',
          '--recipient',
          programKey.fingerprint,
        ],
        inner,
      )
    ).toString();
    const raw = pgpMimeEncrypted(
      {
        from: sender,
        to: ADDRESS,
        subject: 'Encrypted report',
        extraHeaders: { Autocrypt: autocryptHeader(sender, key.publicKey.write()) },
      },
      armored,
    );
    const sent = await sendRaw(port, { from: sender, to: ADDRESS }, raw);
    const c = await getCase(sent.caseNumber);
    expect(c.content.message).toContain(`Signed finding ${canary}`);
    // The sender's key is kept as their contact key (for encrypted answers), public part only.
    expect(c.contact.publicKey).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    expect(c.contact.publicKey).not.toContain('PRIVATE');
    const m = await meta(sent.caseNumber);
    expect(m.decryption).toBe('ok');
    // The key came with the mail: the signature shows the mail is intact, not who sent it.
    expect(m.signature).toEqual({
      status: 'self-supplied-key',
      keyId: expect.stringMatching(/^[0-9A-F]{16}$/),
      fingerprint: key.fingerprint,
    });
    expect(m.senderKey).toBe(key.fingerprint);
  });

  it('(b) verifies with a key attached inside the encryption, and a signed-then-encrypted multipart/signed', async () => {
    const sender = newSender();
    const key = await newKey(sender);
    await gpg.importKey(key.privateKey.armor());
    const canary = `DETACHED${hex()}`;
    // RFC 3156 6.1: sign first (a detached signature over the exact first part), then encrypt.
    const mixedB = boundary('mixed');
    const signedPart = entity(
      { 'Content-Type': `multipart/mixed; boundary="${mixedB}"` },
      multipart(mixedB, [
        textPart(`Detached-signed finding ${canary}`),
        attachmentPart('sender.asc', 'application/pgp-keys', Buffer.from(key.publicKey.armor())),
      ]),
    );
    const signature = (
      await gpg.gpg(
        ['--armor', '--detach-sign', '--local-user', key.fingerprint, '--digest-algo', 'SHA256'],
        signedPart,
      )
    ).toString();
    const signedB = boundary('signed');
    const inner = entity(
      {
        'Content-Type': `multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="${signedB}"`,
      },
      multipart(signedB, [
        signedPart,
        entity(
          { 'Content-Type': 'application/pgp-signature; name="signature.asc"' },
          signature.replace(/\r?\n/g, '\r\n'),
        ),
      ]),
    );
    const armored = (
      await gpg.gpg(['--armor', '--encrypt', '--recipient', programKey.fingerprint], inner)
    ).toString();
    const raw = pgpMimeEncrypted({ from: sender, to: ADDRESS, subject: 'Encrypted report' }, armored);
    const sent = await sendRaw(port, { from: sender, to: ADDRESS }, raw);
    const c = await getCase(sent.caseNumber);
    expect(c.content.message).toContain(`Detached-signed finding ${canary}`);
    // The key is the contact's key, not a file; the signature part is not a file either.
    expect(c.attachments.map((a) => a.name)).toEqual(['original-message.eml']);
    expect(c.contact.publicKey).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    const m = await meta(sent.caseNumber);
    expect(m.signature).toMatchObject({ status: 'self-supplied-key', fingerprint: key.fingerprint });

    // The same signature over a part changed after signing is invalid, not valid.
    const tampered = inner.replace(`Detached-signed finding ${canary}`, `Detached-signed findinG ${canary}`);
    const armoredT = (
      await gpg.gpg(['--armor', '--encrypt', '--recipient', programKey.fingerprint], tampered)
    ).toString();
    const sentT = await sendRaw(
      port,
      { from: sender, to: ADDRESS },
      pgpMimeEncrypted({ from: sender, to: ADDRESS, subject: 'Encrypted report' }, armoredT),
    );
    expect((await meta(sentT.caseNumber)).signature).toMatchObject({ status: 'invalid' });

    // A signature whose key was never shown to us is recorded as such, not as valid or invalid.
    const stranger = await newKey(newSender());
    await gpg.importKey(stranger.privateKey.armor());
    const armored2 = (
      await gpg.gpg(
        [
          '--armor',
          '--sign',
          '--local-user',
          stranger.fingerprint,
          '--encrypt',
          '--recipient',
          programKey.fingerprint,
        ],
        textPart('signed by someone unknown'),
      )
    ).toString();
    const sender2 = newSender();
    const sent2 = await sendRaw(
      port,
      { from: sender2, to: ADDRESS },
      pgpMimeEncrypted({ from: sender2, to: ADDRESS, subject: 'x' }, armored2),
    );
    expect((await meta(sent2.caseNumber)).signature).toEqual({
      status: 'unknown-key',
      keyId: expect.stringMatching(/^[0-9A-F]{16}$/),
    });
  });

  it('(c) decrypts attached .gpg and .asc files encrypted to the program key, keeping the plain names', async () => {
    const sender = newSender();
    const canary = `FILE${hex()}`;
    const pdf = Buffer.concat([Buffer.from(`%PDF-1.4\n% ${canary}\n`), randomBytes(2048)]);
    const pdfGpg = await gpg.gpg(['--encrypt', '--recipient', programKey.fingerprint], pdf);
    const notesAsc = await gpg.gpg(
      ['--armor', '--encrypt', '--recipient', programKey.fingerprint],
      `notes ${canary}`,
    );
    const b = boundary('mixed');
    const raw = message(
      { from: sender, to: ADDRESS, subject: 'Crash dump attached' },
      { 'Content-Type': `multipart/mixed; boundary="${b}"` },
      multipart(b, [
        textPart('The crash dump and my notes are attached, encrypted to your key.'),
        attachmentPart('file.pdf.gpg', 'application/octet-stream', pdfGpg),
        attachmentPart('notes.txt.asc', 'application/pgp-encrypted', notesAsc),
      ]),
    );
    const sent = await sendRaw(port, { from: sender, to: ADDRESS }, raw);
    const c = await getCase(sent.caseNumber);
    expect(c.content).toEqual({
      subject: 'Crash dump attached',
      message: 'The crash dump and my notes are attached, encrypted to your key.',
    });
    expect(c.attachments.map((a) => a.name).sort()).toEqual([
      'file.pdf',
      'notes.txt',
      'original-message.eml',
    ]);
    expect((await fileNamed(c, 'file.pdf')).equals(pdf)).toBe(true);
    expect(c.attachments.find((a) => a.name === 'file.pdf')?.contentType).toBe('application/pdf');
    expect((await fileNamed(c, 'notes.txt')).toString()).toBe(`notes ${canary}`);
    const m = await meta(sent.caseNumber);
    expect(m.decryption).toBe('not-encrypted');
    expect(m.attachments).toEqual({ stored: 2, decrypted: 2, failed: [], dropped: 0 });
  });

  it.skipIf(toolMissing('swaks'))('(d) reads inline PGP built with openpgp and sent by swaks', async () => {
    const sender = newSender();
    const canary = `INLINE${hex()}`;
    const armored = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: `Inline encrypted report ${canary}` }),
      encryptionKeys: programKey.key,
    });
    const raw = message(
      { from: sender, to: ADDRESS, subject: 'Inline PGP' },
      { 'Content-Type': 'text/plain; charset=us-ascii', 'Content-Transfer-Encoding': '7bit' },
      `Hello,\r\n\r\n${armored.replace(/\r?\n/g, '\r\n')}\r\nRegards`,
    );
    const sent = await sendWithSwaks(port, { from: sender, to: ADDRESS }, raw);
    expect(sent.caseNumber, sent.transcript).toMatch(/^NWM-/);
    const c = await getCase(sent.caseNumber);
    expect(c.content.message).toContain(`Inline encrypted report ${canary}`);
    expect(c.content.message).toMatch(/^Hello,/);
    expect(c.content.message).toMatch(/Regards$/);
    expect(c.content.message).not.toContain('BEGIN PGP MESSAGE');
    expect((await meta(sent.caseNumber)).decryption).toBe('ok');
  });

  it('(e) takes plain-text mail as is and turns HTML-only mail into text without its scripts', async () => {
    const plainSender = newSender();
    const text = `Plain report ${hex()}\n\nLine two with ünïcödé.`;
    const plain = await sendRaw(
      port,
      { from: plainSender, to: ADDRESS },
      plainMessage({ from: plainSender, to: ADDRESS, subject: 'Plain text' }, text),
    );
    const pc = await getCase(plain.caseNumber);
    expect(pc.content).toEqual({ subject: 'Plain text', message: text });
    expect((await meta(plain.caseNumber)).decryption).toBe('not-encrypted');

    const htmlSender = newSender();
    const canary = `HTML${hex()}`;
    const script = `SCRIPT${hex()}`;
    const html = `<html><head><style>p{color:red}</style><script>alert("${script}")</script></head><body><p>Hello <b>world</b> &amp; ${canary}</p><img src="x" onerror="${script}"><script>document.write("${script}")</script></body></html>`;
    const sent = await sendRaw(
      port,
      { from: htmlSender, to: ADDRESS },
      message(
        { from: htmlSender, to: ADDRESS, subject: 'HTML only' },
        { 'Content-Type': 'text/html; charset=utf-8' },
        html,
      ),
    );
    const c = await getCase(sent.caseNumber);
    expect(c.content.message).toContain(`Hello world & ${canary}`);
    expect(c.content.message).not.toContain(script);
    expect(c.content.message).not.toMatch(/<\/?[a-z]/i);
  });

  it('(f) keeps an undecryptable mail as a flagged case with the original, and the receipt says so', async () => {
    const sender = newSender();
    const other = await newKey('someone@else.example');
    await gpg.importKey(other.publicKey.armor());
    const canary = `LOST${hex()}`;
    const armored = (
      await gpg.gpg(['--armor', '--encrypt', '--recipient', other.fingerprint], textPart(`secret ${canary}`))
    ).toString();
    const raw = pgpMimeEncrypted({ from: sender, to: ADDRESS, subject: `Report ${canary}` }, armored);
    const sent = await sendRaw(port, { from: sender, to: ADDRESS }, raw);
    const c = await getCase(sent.caseNumber);
    expect(c.content.message).toMatch(/could not be decrypted \(no-key\)/);
    expect(c.attachments.map((a) => a.name)).toEqual(['original-message.eml']);
    await expectOriginal(c, raw);
    const m = await meta(sent.caseNumber);
    expect(m).toMatchObject({ decryption: 'failed', failure: 'no-key', signature: { status: 'none' } });

    // A damaged OpenPGP payload is kept the same way.
    const sender2 = newSender();
    const damaged = pgpMimeEncrypted(
      { from: sender2, to: ADDRESS, subject: 'Damaged' },
      armored.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA'),
    );
    const sent2 = await sendRaw(port, { from: sender2, to: ADDRESS }, damaged);
    expect(await meta(sent2.caseNumber)).toMatchObject({ decryption: 'failed', failure: 'corrupt' });

    // The receipt tells the sender, names the key to use, and repeats nothing they sent.
    await drainOutbox();
    const receipt = peer.received.find((r) => r.rcptTo.includes(sender));
    expect(receipt).toBeDefined();
    const body = receipt?.parsed.text ?? '';
    expect(body).toContain('could not decrypt it');
    expect(body).toContain(programKey.fingerprint);
    expect(body).toContain(sent.caseNumber);
    expect(receipt?.raw.includes(canary)).toBe(false);
  });

  it('(g) threads a reply to the receipt; a mail that only names the case, even from its reporter, is a new case', async () => {
    const sender = newSender();
    const first = await sendRaw(
      port,
      { from: sender, to: ADDRESS },
      plainMessage({ from: sender, to: ADDRESS, subject: 'Ventilator alarm bypass' }, 'First report'),
    );
    await drainOutbox();
    const receipt = peer.received.find((r) => r.rcptTo.includes(sender));
    const replyTo = receipt?.parsed.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toMatch(/^psirt\+r-[0-9a-f]{32}@northwind-medical\.example$/);
    expect(receipt?.parsed.text).toContain('You can also answer this mail');
    const before = await reportCount();

    const canary = `REPLY${hex()}`;
    // The token alone threads: no case number in the subject, sent from another address of theirs.
    const alias = newSender();
    const reply = await sendRaw(
      port,
      { from: alias, to: replyTo },
      plainMessage(
        {
          from: alias,
          to: replyTo,
          subject: 'More on the alarm',
          extraHeaders: { 'In-Reply-To': receipt?.parsed.messageId ?? '' },
        },
        `More details ${canary}`,
      ),
    );
    expect(reply.caseNumber).toBe(first.caseNumber);

    expect(await reportCount()).toBe(before);

    // No receipt token, only the case number in the subject and the reporter's own From address:
    // no proof, so a new case that names the one it claims to answer.
    const byNumber = await sendRaw(
      port,
      { from: sender, to: ADDRESS },
      plainMessage(
        { from: sender, to: ADDRESS, subject: `[${first.caseNumber}] one more thing` },
        'Second follow-up',
      ),
    );
    expect(byNumber.caseNumber).not.toBe(first.caseNumber);
    expect(await reportCount()).toBe(before + 1);
    const claim = await getCase(byNumber.caseNumber);
    expect(claim.content.message).toMatch(
      new RegExp(`^\\[Vigil: this mail claims to answer case ${first.caseNumber}, but carries no proof`),
    );
    expect(claim.content.message).toContain('Second follow-up');
    expect((await meta(byNumber.caseNumber)).flags).toEqual(['unproven-case-claim']);

    const c = await getCase(first.caseNumber);
    expect(c.messages.map((x) => [x.author, x.body])).toEqual([['reporter', `More details ${canary}`]]);
    // The reply's original is kept with its message.
    expect(c.attachments.filter((a) => a.messageId !== null).map((a) => a.name)).toEqual([
      'original-message.eml',
    ]);

    // The same from someone else: a new case too.
    const stranger = newSender();
    const other = await sendRaw(
      port,
      { from: stranger, to: ADDRESS },
      plainMessage(
        { from: stranger, to: ADDRESS, subject: `[${first.caseNumber}] hijack` },
        'not the reporter',
      ),
    );
    expect(other.caseNumber).not.toBe(first.caseNumber);
    expect(await reportCount()).toBe(before + 2);
    expect((await getCase(first.caseNumber)).messages).toHaveLength(1);
  });

  it('(h) refuses unknown recipients at RCPT (550), oversize mail (552) and a flooding sender (450)', async () => {
    const sender = newSender();
    const small = plainMessage({ from: sender, to: ADDRESS, subject: 'x' }, 'x');
    await expect(
      sendRaw(port, { from: sender, to: 'nobody@northwind-medical.example' }, small),
    ).rejects.toMatchObject({ responseCode: 550, response: expect.stringContaining('5.1.1') });
    await expect(sendRaw(port, { from: sender, to: 'psirt@elsewhere.example' }, small)).rejects.toMatchObject(
      {
        responseCode: 550,
      },
    );
    const before = await reportCount();
    const big = plainMessage(
      { from: sender, to: ADDRESS, subject: 'big' },
      'A'.repeat(70).concat('\n').repeat(45_000),
    );
    expect(big.length).toBeGreaterThan(3 * MiB);
    await expect(sendRaw(port, { from: sender, to: ADDRESS }, big)).rejects.toMatchObject({
      responseCode: 552,
    });
    expect(await reportCount()).toBe(before);

    const flood = `flood.${hex()}@researcher.example`;
    for (let i = 0; i < 5; i++) {
      const ok = await sendRaw(
        port,
        { from: flood, to: ADDRESS },
        plainMessage({ from: flood, to: ADDRESS, subject: `n${i}` }, 'x'),
      );
      expect(ok.caseNumber).toMatch(/^NWM-/);
    }
    await expect(
      sendRaw(
        port,
        { from: flood, to: ADDRESS },
        plainMessage({ from: flood, to: ADDRESS, subject: 'n5' }, 'x'),
      ),
    ).rejects.toMatchObject({ responseCode: 450, response: expect.stringContaining('4.7.1') });
  });

  it('(h) stops a decompression bomb attachment without expanding it, and keeps the case', async () => {
    // 256 MiB of zeros, zlib level 9: about a quarter of a megabyte on the wire.
    const made = await run('sh', [
      '-c',
      `head -c ${256 * MiB} /dev/zero | gpg --homedir "${gpg.dir}" --batch --trust-model always --compress-algo zlib -z 9 --encrypt --recipient ${programKey.fingerprint}`,
    ]);
    if (made.code !== 0) throw new Error(made.stderr);
    const bomb = made.stdout;
    expect(bomb.length).toBeLessThan(1.5 * MiB);
    const sender = newSender();
    const b = boundary('mixed');
    const raw = message(
      { from: sender, to: ADDRESS, subject: 'Firmware image' },
      { 'Content-Type': `multipart/mixed; boundary="${b}"` },
      multipart(b, [
        textPart('Firmware attached.'),
        attachmentPart('bomb.bin.gpg', 'application/octet-stream', bomb),
      ]),
    );
    let peak = process.memoryUsage().rss;
    const start = peak;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    let sent: Awaited<ReturnType<typeof sendRaw>>;
    try {
      sent = await sendRaw(port, { from: sender, to: ADDRESS }, raw);
    } finally {
      clearInterval(timer);
    }
    // Expansion stops at the 4 MiB file limit; following the bomb would take 256 MiB and more.
    expect(peak - start).toBeLessThan(128 * MiB);
    const c = await getCase(sent.caseNumber);
    expect(c.content.message).toContain('Firmware attached.');
    expect(c.content.message).toMatch(/1 encrypted attachment\(s\) could not be decrypted \(too-large\)/);
    // Kept as received (small), never as its expansion.
    const kept = c.attachments.find((a) => a.name === 'bomb.bin.gpg');
    expect(kept?.size).toBe(bomb.length);
    const m = await meta(sent.caseNumber);
    expect(m.attachments).toMatchObject({ decrypted: 0, failed: ['too-large'] });
  });

  it('(h) flags a mail nested deeper than the limit, and still keeps it as a case', async () => {
    const sender = newSender();
    let body = textPart(`deep ${hex()}`);
    for (let i = 0; i < 12; i++) {
      const b = boundary(`n${i}`);
      body = entity({ 'Content-Type': `multipart/mixed; boundary="${b}"` }, multipart(b, [body]));
    }
    const sep = body.indexOf('\r\n\r\n');
    const raw = message(
      { from: sender, to: ADDRESS, subject: 'Nested' },
      { 'Content-Type': body.slice('Content-Type: '.length, sep) },
      body.slice(sep + 4),
    );
    const sent = await sendRaw(port, { from: sender, to: ADDRESS }, raw);
    const c = await getCase(sent.caseNumber);
    expect(c.content.subject).toBe('Nested');
    expect(c.content.message).toMatch(/nested more than 8 levels deep/);
    await expectOriginal(c, raw);
    expect((await meta(sent.caseNumber)).flags).toEqual(['nesting-too-deep']);
  });
});

describe('the SMTP listener acknowledges a mail only once it is stored', () => {
  const program = {
    id: 'p-1',
    slug: 'northwind-medical',
    definition: { intake: { emailAddresses: [ADDRESS] } },
  } as unknown as Program;
  const silent = { info() {}, warn() {}, error() {} };
  const config = loadConfig({ VIGIL_SMTP_PER_SENDER_PER_HOUR: '0' });

  it('holds the 250 until the processor commits, answers 451 when it fails, and drains on stop', async () => {
    let gate: (() => void) | undefined;
    let fail = false;
    let calls = 0;
    const listener = createSmtpListener({
      processor: {
        async process() {
          calls++;
          if (fail) throw new Error('storage unavailable');
          await new Promise<void>((resolve) => {
            gate = resolve;
          });
          return { kind: 'case', caseNumber: 'NWM-2026-0042' };
        },
      },
      programs: { list: async () => [program] },
      config,
      logger: silent,
    });
    const port = await listener.start(0);
    try {
      const sender = newSender();
      const mail = plainMessage({ from: sender, to: ADDRESS, subject: 'held' }, 'held');
      let answered = false;
      const sending = sendRaw(port, { from: sender, to: ADDRESS }, mail).finally(() => {
        answered = true;
      });
      while (!gate) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 200));
      expect(answered, 'the client was answered before the mail was stored').toBe(false);
      // Stopping now still lets the mail in hand commit before the listener is gone.
      let stopped = false;
      const stopping = listener.stop().then(() => {
        stopped = true;
      });
      await new Promise((r) => setTimeout(r, 100));
      expect(stopped).toBe(false);
      gate();
      expect((await sending).caseNumber).toBe('NWM-2026-0042');
      await stopping;
    } finally {
      await listener.stop();
    }

    fail = true;
    const port2 = await listener.start(0);
    try {
      const sender = newSender();
      await expect(
        sendRaw(
          port2,
          { from: sender, to: ADDRESS },
          plainMessage({ from: sender, to: ADDRESS, subject: 'x' }, 'x'),
        ),
      ).rejects.toMatchObject({ responseCode: 451 });
      expect(calls).toBe(2);
    } finally {
      await listener.stop();
    }
  });
});
