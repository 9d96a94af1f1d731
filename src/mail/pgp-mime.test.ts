import { simpleParser } from 'mailparser';
import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPgpMimeMessage, outerSubject, readRecipientKey, usableRecipientKey } from './pgp-mime.js';

/** One MIME entity split by hand: unfolded headers (lower-cased names, in order) and the body. */
interface Entity {
  headers: [string, string][];
  body: string;
}

function splitEntity(raw: string): Entity {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, end).replace(/\r\n[ \t]+/g, ' ');
  const headers = head.split('\r\n').map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
  });
  return { headers, body: raw.slice(end + 4) };
}

function header(e: Entity, name: string): string | undefined {
  return e.headers.find(([k]) => k === name)?.[1];
}

function param(value: string | undefined, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}=(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value ?? '');
  return m ? (m[1] ?? m[2]) : undefined;
}

/** The body parts of a multipart entity, in order, preamble and epilogue dropped. */
function parts(e: Entity): Entity[] {
  const boundary = param(header(e, 'content-type'), 'boundary');
  if (!boundary) throw new Error('no boundary');
  const delimiter = `\r\n--${boundary}`;
  const chunks = `\r\n${e.body}`.split(delimiter);
  const closing = chunks.findIndex((c) => c.startsWith('--'));
  // chunks[0] is the preamble; every part chunk starts with the CRLF that ends the delimiter line.
  return chunks.slice(1, closing).map((c) => splitEntity(c.replace(/^[ \t]*\r\n/, '')));
}

async function ecc(email: string, opts: { date?: Date; keyExpirationTime?: number } = {}) {
  return openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name: 'Test', email }],
    format: 'object',
    ...opts,
  });
}

const CONTENT = {
  from: 'Lakeside PSIRT <psirt@vigil.test>',
  to: 'ada@example.org',
  subject: '[LH-2026-0007] Your vulnerability report was received — thank you',
  messageId: '<lh-2026-0007.receipt.1234abcd@vigil.test>',
  inReplyTo: '<earlier@vigil.test>',
  references: ['<first@vigil.test>', '<earlier@vigil.test>'],
  headers: { 'X-Vigil-Case': 'LH-2026-0007', 'Content-Type': 'text/html', Subject: 'sneaky' },
  text: 'Your private link: https://vigil.test/r/SECRETTOKENabc_123\nGrüße',
};

describe('buildPgpMimeMessage', () => {
  let reporter: Awaited<ReturnType<typeof ecc>>;
  let program: Awaited<ReturnType<typeof ecc>>;
  let raw: string;

  beforeAll(async () => {
    reporter = await ecc('ada@example.org');
    program = await ecc('psirt@lakeside.example');
    raw = (
      await buildPgpMimeMessage(CONTENT, { encryptTo: reporter.publicKey, signWith: program.privateKey })
    ).toString('latin1');
  });

  it('is multipart/encrypted with exactly two parts in the order RFC 3156 prescribes', () => {
    const top = splitEntity(raw);
    const type = header(top, 'content-type') ?? '';
    expect(type).toMatch(/^multipart\/encrypted;/);
    expect(param(type, 'protocol')).toBe('application/pgp-encrypted');
    const [control, data, ...rest] = parts(top);
    expect(rest).toEqual([]);
    expect(header(control as Entity, 'content-type')).toBe('application/pgp-encrypted');
    expect(control?.body.trim()).toBe('Version: 1');
    const dataType = header(data as Entity, 'content-type') ?? '';
    expect(dataType).toMatch(/^application\/octet-stream\b/);
    expect(param(dataType, 'name')).toBe('encrypted.asc');
    // Armor in the clear, not base64 of the armor: what clients look for.
    expect(header(data as Entity, 'content-transfer-encoding')).toBe('7bit');
    expect(data?.body).toMatch(/^-----BEGIN PGP MESSAGE-----\r\n/);
    expect(data?.body.trim()).toMatch(/-----END PGP MESSAGE-----$/);
  });

  it('uses CRLF throughout and keeps lines short', () => {
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
  });

  it('shows only addressing, threading and the case number outside', () => {
    const top = splitEntity(raw);
    expect(header(top, 'subject')).toBe('[LH-2026-0007] Encrypted message');
    expect(header(top, 'from')).toBe('Lakeside PSIRT <psirt@vigil.test>');
    expect(header(top, 'to')).toBe('ada@example.org');
    expect(header(top, 'message-id')).toBe(CONTENT.messageId);
    expect(header(top, 'in-reply-to')).toBe('<earlier@vigil.test>');
    expect(header(top, 'references')).toBe('<first@vigil.test> <earlier@vigil.test>');
    expect(header(top, 'auto-submitted')).toBe('auto-generated');
    expect(header(top, 'x-vigil-case')).toBe('LH-2026-0007');
    expect(header(top, 'date')).toBeDefined();
    expect(header(top, 'mime-version')).toBe('1.0');
    // A mail's extra headers cannot add a second Subject or Content-Type.
    expect(top.headers.filter(([k]) => k === 'subject')).toHaveLength(1);
    expect(top.headers.filter(([k]) => k === 'content-type')).toHaveLength(1);
    expect(raw).not.toContain('SECRETTOKEN');
    expect(raw).not.toContain('was received');
  });

  it('decrypts to the signed inner entity with the real subject as a protected header', async () => {
    const armored = parts(splitEntity(raw))[1]?.body as string;
    const { data, signatures } = await openpgp.decrypt({
      message: await openpgp.readMessage({ armoredMessage: armored }),
      decryptionKeys: reporter.privateKey,
      verificationKeys: program.publicKey,
      expectSigned: true,
      format: 'binary',
    });
    expect(signatures).toHaveLength(1);
    await expect(signatures[0]?.verified).resolves.toBe(true);
    expect(signatures[0]?.keyID.equals(program.privateKey.getKeyID())).toBe(true);
    const innerRaw = Buffer.from(data as Uint8Array).toString('latin1');
    const inner = splitEntity(innerRaw);
    const type = header(inner, 'content-type') ?? '';
    expect(type).toMatch(/^text\/plain\b/);
    expect(param(type, 'protected-headers')).toBe('v1');
    const parsed = await simpleParser(Buffer.from(data as Uint8Array));
    expect(parsed.subject).toBe(CONTENT.subject);
    expect(parsed.messageId).toBe(CONTENT.messageId);
    expect(parsed.from?.text).toContain('psirt@vigil.test');
    expect(parsed.text).toContain('https://vigil.test/r/SECRETTOKENabc_123');
    expect(parsed.text).toContain('Grüße');
  });

  it('is encrypted to the program key too, so the vendor can read its own mail', async () => {
    const armored = parts(splitEntity(raw))[1]?.body as string;
    const message = await openpgp.readMessage({ armoredMessage: armored });
    const recipients = message.getEncryptionKeyIDs().map((id) => id.toHex());
    const reporterSub = (await reporter.publicKey.getEncryptionKey()).getKeyID().toHex();
    const programSub = (await program.publicKey.getEncryptionKey()).getKeyID().toHex();
    expect(recipients.sort()).toEqual([reporterSub, programSub].sort());
    const { data } = await openpgp.decrypt({ message, decryptionKeys: program.privateKey, format: 'binary' });
    expect(Buffer.from(data as Uint8Array).toString('latin1')).toContain('protected-headers');
  });

  it('puts text and html in a multipart/alternative inside', async () => {
    const built = await buildPgpMimeMessage(
      { ...CONTENT, html: '<p>Your <b>link</b></p>' },
      { encryptTo: reporter.publicKey },
    );
    const armored = parts(splitEntity(built.toString('latin1')))[1]?.body as string;
    const { data, signatures } = await openpgp.decrypt({
      message: await openpgp.readMessage({ armoredMessage: armored }),
      decryptionKeys: reporter.privateKey,
      format: 'binary',
    });
    // Unsigned without a signing key, and readable by the reporter alone.
    expect(signatures).toHaveLength(0);
    const inner = splitEntity(Buffer.from(data as Uint8Array).toString('latin1'));
    const type = header(inner, 'content-type') ?? '';
    expect(type).toMatch(/^multipart\/alternative;/);
    expect(param(type, 'protected-headers')).toBe('v1');
    expect(parts(inner).map((p) => header(p, 'content-type')?.split(';')[0])).toEqual([
      'text/plain',
      'text/html',
    ]);
  });

  it('names no case outside when the mail has none', () => {
    expect(outerSubject(undefined)).toBe('Encrypted message');
    expect(outerSubject({ 'x-vigil-case': 'NW-2026-0001' })).toBe('[NW-2026-0001] Encrypted message');
  });
});

describe('readRecipientKey', () => {
  it('takes the armored key out of pasted text and keeps only the public part', async () => {
    const { privateKey, publicKey } = await ecc('ada@example.org');
    const pasted = `My key, fingerprint on my site:\n\n${publicKey.armor()}\nThanks!`;
    const armored = await readRecipientKey(pasted);
    expect(armored).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    const fromSecret = await readRecipientKey(privateKey.armor());
    expect(fromSecret).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    expect(fromSecret).not.toContain('PRIVATE');
    const key = await usableRecipientKey(fromSecret);
    expect(key?.getFingerprint()).toBe(publicKey.getFingerprint());
  });

  it('refuses what cannot be encrypted to', async () => {
    const expired = await ecc('old@example.org', {
      date: new Date(Date.now() - 10 * 86_400_000),
      keyExpirationTime: 86_400,
    });
    expect(await readRecipientKey(expired.publicKey.armor())).toBeUndefined();
    expect(await readRecipientKey('Answer to Your OpenPGP key')).toBeUndefined();
    expect(
      await readRecipientKey(
        '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnonsense\n-----END PGP PUBLIC KEY BLOCK-----',
      ),
    ).toBeUndefined();
    expect(await readRecipientKey(undefined)).toBeUndefined();
    expect(await readRecipientKey(['x'])).toBeUndefined();
  });
});
