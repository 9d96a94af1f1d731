import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailSpool, openMailSpool, type SpooledFile } from './mail-spool.js';
import { extract } from './pgp-extract.js';
import { streamMail } from './stream-extract.js';

const CRLF = '\r\n';
const MiB = 1024 * 1024;
const b64 = (data: Buffer) => (data.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);

function innerEntity(attachment: Buffer, canary: string): string {
  return [
    'Content-Type: multipart/mixed; boundary="in"; protected-headers="v1"',
    `Subject: inner ${canary}`,
    '',
    '--in',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `The finding ${canary}.`,
    '--in',
    'Content-Type: application/octet-stream; name="dump.bin"',
    'Content-Disposition: attachment; filename="dump.bin"',
    'Content-Transfer-Encoding: base64',
    '',
    b64(attachment),
    '--in--',
    '',
  ].join(CRLF);
}

function pgpMime(armored: string): Buffer {
  return Buffer.from(
    [
      'From: finder@researcher.example',
      'To: psirt@northwind-medical.example',
      'Subject: ...',
      'MIME-Version: 1.0',
      'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="enc"',
      '',
      '--enc',
      'Content-Type: application/pgp-encrypted',
      '',
      'Version: 1',
      '',
      '--enc',
      'Content-Type: application/octet-stream; name="encrypted.asc"',
      '',
      armored.replace(/\r?\n/g, CRLF),
      '--enc--',
      '',
    ].join(CRLF),
  );
}

describe('a spooled PGP/MIME mail opened as a stream', () => {
  let dir: string;
  let spool: MailSpool;
  let key: openpgp.PrivateKey;
  const limits = { maxFileBytes: 64 * MiB, maxReportBytes: 128 * MiB };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-stream-'));
    spool = await openMailSpool(dir);
    key = (
      await openpgp.generateKey({ userIDs: [{ email: 'psirt@northwind-medical.example' }], format: 'object' })
    ).privateKey;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function encrypt(text: string, config: Partial<openpgp.Config> = {}): Promise<string> {
    return (await openpgp.encrypt({
      message: await openpgp.createMessage({ text }),
      encryptionKeys: key.toPublic(),
      config,
    })) as string;
  }

  const spoolOf = (raw: Buffer): Promise<SpooledFile> => spool.fromStream([raw]);
  const options = { decryptionKeys: [] as openpgp.PrivateKey[], maxBytes: 64 * MiB, spillFrom: MiB };

  it('keeps only a skeleton in memory, the attachment in a spool file, and reads as the whole mail does', async () => {
    const attachment = randomBytes(3 * MiB);
    const raw = pgpMime(await encrypt(innerEntity(attachment, 'CANARY1')));
    const spooled = await spoolOf(raw);
    const streamed = await streamMail(spooled, spool, { ...options, decryptionKeys: [key] });
    expect(streamed).toBeDefined();
    if (!streamed) return;
    try {
      expect(streamed.skeleton.length).toBeLessThan(4096);
      // The decrypted entity is behind the payload's token, not in the mail's skeleton.
      expect(streamed.skeleton.includes('CANARY1')).toBe(false);
      // The mail and the attachment's file.
      expect(await spool.files()).toHaveLength(2);
      const ex = await extract(streamed.skeleton, [key], [], {
        limits,
        maxDepth: 8,
        spilled: streamed.spilled,
      });
      const whole = await extract(raw, [key], [], { limits, maxDepth: 8 });
      expect(ex.failure).toBeUndefined();
      expect(ex.encrypted).toBe(true);
      expect(ex.innerSubject).toBe('inner CANARY1');
      expect(ex.texts).toEqual(whole.texts);
      expect(ex.budget).toBe(whole.budget);
      const file = ex.files[0];
      expect(ex.files).toHaveLength(1);
      expect(file && 'file' in file).toBe(true);
      if (file && 'file' in file) {
        expect(file).toMatchObject({ name: 'dump.bin', contentType: 'application/octet-stream' });
        expect((await file.file.read()).equals(attachment)).toBe(true);
      }
    } finally {
      await streamed.remove();
      await spooled.remove();
    }
    expect(await spool.files()).toEqual([]);
  });

  it('a changed byte at the end of a large payload fails its MDC: a failure, and no file of its plaintext left', async () => {
    const armored = await encrypt(innerEntity(randomBytes(3 * MiB), 'CANARY2'));
    const lines = armored.split('\n');
    // A base64 line near the end of the message (before the checksum and the end line).
    const at = lines.length - 5;
    const line = lines[at] as string;
    lines[at] = `${line.slice(0, 10)}${line[10] === 'A' ? 'B' : 'A'}${line.slice(11)}`;
    const spooled = await spoolOf(pgpMime(lines.join('\n')));
    const streamed = await streamMail(spooled, spool, { ...options, decryptionKeys: [key] });
    expect(streamed).toBeDefined();
    if (!streamed) return;
    try {
      expect(await spool.files()).toHaveLength(1);
      const ex = await extract(streamed.skeleton, [key], [], {
        limits,
        maxDepth: 8,
        spilled: streamed.spilled,
      });
      expect(ex.failure).toBe('corrupt');
      expect(ex.files).toEqual([]);
      expect(ex.texts.join('')).not.toContain('CANARY2');
    } finally {
      await streamed.remove();
      await spooled.remove();
    }
    expect(await spool.files()).toEqual([]);
  });

  it('a payload past the decryption limit fails as too large, its files removed', async () => {
    const spooled = await spoolOf(pgpMime(await encrypt(innerEntity(randomBytes(2 * MiB), 'C3'))));
    const streamed = await streamMail(spooled, spool, { ...options, decryptionKeys: [key], maxBytes: MiB });
    try {
      const ex = await extract(streamed?.skeleton ?? Buffer.alloc(0), [key], [], {
        limits,
        maxDepth: 8,
        ...(streamed ? { spilled: streamed.spilled } : {}),
      });
      expect(ex.failure).toBe('too-large');
      expect(await spool.files()).toHaveLength(1);
    } finally {
      await streamed?.remove();
      await spooled.remove();
    }
  });

  it('spills the large attachments of a mail that is not encrypted, and reads it as the whole mail', async () => {
    const attachment = randomBytes(2 * MiB);
    const raw = Buffer.from(
      [
        'From: finder@researcher.example',
        'Subject: plain',
        'MIME-Version: 1.0',
        innerEntity(attachment, 'PLAIN').replace('; protected-headers="v1"', ''),
      ].join(CRLF),
    );
    const spooled = await spoolOf(raw);
    const streamed = await streamMail(spooled, spool, { ...options, decryptionKeys: [key] });
    expect(streamed).toBeDefined();
    if (!streamed) return;
    try {
      expect(streamed.skeleton.length).toBeLessThan(4096);
      const ex = await extract(streamed.skeleton, [key], [], {
        limits,
        maxDepth: 8,
        spilled: streamed.spilled,
      });
      const whole = await extract(raw, [key], [], { limits, maxDepth: 8 });
      expect(ex.encrypted).toBe(false);
      expect(ex.texts).toEqual(whole.texts);
      const file = ex.files[0];
      expect(file && 'file' in file && (await file.file.read()).equals(attachment)).toBe(true);
    } finally {
      await streamed.remove();
      await spooled.remove();
    }
    expect(await spool.files()).toEqual([]);
  });

  it('leaves a compressed payload, and a key of no program, to the usual reading', async () => {
    const compressed = await spoolOf(
      pgpMime(
        await encrypt(innerEntity(randomBytes(2 * MiB), 'C4'), {
          preferredCompressionAlgorithm: openpgp.enums.compression.zlib,
        }),
      ),
    );
    expect(await streamMail(compressed, spool, { ...options, decryptionKeys: [key] })).toBeUndefined();
    await compressed.remove();
    const other = (await openpgp.generateKey({ userIDs: [{ email: 'x@example.org' }], format: 'object' }))
      .privateKey;
    const spooled = await spoolOf(pgpMime(await encrypt(innerEntity(randomBytes(2 * MiB), 'C5'))));
    const streamed = await streamMail(spooled, spool, { ...options, decryptionKeys: [other] });
    const ex = await extract(streamed?.skeleton ?? Buffer.alloc(0), [other], [], {
      limits,
      maxDepth: 8,
      ...(streamed ? { spilled: streamed.spilled } : {}),
    });
    expect(ex.failure).toBe('no-key');
    await streamed?.remove();
    await spooled.remove();
    expect(await spool.files()).toEqual([]);
  });
});
