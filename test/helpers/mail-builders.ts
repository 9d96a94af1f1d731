import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import * as openpgp from 'openpgp';

/**
 * Real mail for the email-intake tests: MIME assembled by hand (so each test shows the exact
 * structure it sends), OpenPGP by GnuPG in a throw-away home directory, delivery by nodemailer
 * and swaks over real SMTP.
 */

export interface ProcessResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Run a program with `input` on stdin; resolves with everything it wrote. */
export async function run(cmd: string, args: string[], input?: Buffer | string): Promise<ProcessResult> {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  child.stdin.on('error', () => {});
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c));
  });
  return { code, stdout: Buffer.concat(out), stderr };
}

/** A GnuPG home of its own, so the tests never touch the user's keyring. */
export interface GpgHome {
  dir: string;
  /** `gpg --homedir <dir> --batch …`; throws with stderr on a non-zero exit. */
  gpg(args: string[], input?: Buffer | string): Promise<Buffer>;
  importKey(armored: string): Promise<void>;
  close(): Promise<void>;
}

export async function createGpgHome(): Promise<GpgHome> {
  // Short path: gpg-agent's socket lives in it and socket paths are limited to ~100 bytes.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vg-'));
  await fs.chmod(dir, 0o700);
  const gpg = async (args: string[], input?: Buffer | string) => {
    const r = await run(
      'gpg',
      ['--homedir', dir, '--batch', '--yes', '--trust-model', 'always', ...args],
      input,
    );
    if (r.code !== 0) throw new Error(`gpg ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  return {
    dir,
    gpg,
    async importKey(armored) {
      await gpg(['--import'], armored);
    },
    async close() {
      await run('gpgconf', ['--homedir', dir, '--kill', 'gpg-agent']).catch(() => undefined);
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

const CRLF = '\r\n';

/** Header lines and a body joined with CRLF, as on the wire. */
export function entity(headers: Record<string, string>, body: string): string {
  const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return [...head, '', body].join(CRLF);
}

export const boundary = (tag = 'b') => `=_${tag}_${randomBytes(6).toString('hex')}`;

/** A multipart entity (body only) from whole part entities. */
export function multipart(bound: string, parts: string[], preamble = ''): string {
  return [preamble, ...parts.map((p) => `--${bound}${CRLF}${p}`), `--${bound}--`, ''].join(CRLF);
}

/** Base64 in lines of 76, as MIME wants it. */
export function base64Lines(data: Buffer): string {
  return (data.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);
}

export function attachmentPart(name: string, type: string, data: Buffer): string {
  return entity(
    {
      'Content-Type': `${type}; name="${name}"`,
      'Content-Disposition': `attachment; filename="${name}"`,
      'Content-Transfer-Encoding': 'base64',
    },
    base64Lines(data),
  );
}

export function textPart(text: string): string {
  return entity(
    { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Transfer-Encoding': '8bit' },
    text.replace(/\r?\n/g, CRLF),
  );
}

export interface Envelope {
  from: string;
  to: string;
  subject: string;
  messageId?: string;
  extraHeaders?: Record<string, string>;
}

function topHeaders(e: Envelope): Record<string, string> {
  return {
    From: e.from,
    To: e.to,
    Subject: e.subject,
    Date: new Date().toUTCString(),
    'Message-ID': e.messageId ?? `<${randomBytes(8).toString('hex')}@sender.example>`,
    'MIME-Version': '1.0',
    ...e.extraHeaders,
  };
}

/** A whole message: top-level headers plus a body entity's headers and body. */
export function message(e: Envelope, bodyHeaders: Record<string, string>, body: string): string {
  return entity({ ...topHeaders(e), ...bodyHeaders }, body);
}

/** A plain-text message (UTF-8, 8bit). */
export function plainMessage(e: Envelope, text: string): string {
  return message(
    e,
    { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Transfer-Encoding': '8bit' },
    text.replace(/\r?\n/g, CRLF),
  );
}

/**
 * RFC 3156 section 4: `multipart/encrypted` with exactly two parts, the `application/pgp-encrypted`
 * control part (`Version: 1`) and the `application/octet-stream` part holding the armored message.
 */
export function pgpMimeEncrypted(e: Envelope, armored: string): string {
  const b = boundary('enc');
  return message(
    e,
    { 'Content-Type': `multipart/encrypted; protocol="application/pgp-encrypted"; boundary="${b}"` },
    multipart(
      b,
      [
        entity(
          {
            'Content-Type': 'application/pgp-encrypted',
            'Content-Description': 'PGP/MIME version identification',
          },
          `Version: 1${CRLF}`,
        ),
        entity(
          {
            'Content-Type': 'application/octet-stream; name="encrypted.asc"',
            'Content-Description': 'OpenPGP encrypted message',
            'Content-Disposition': 'inline; filename="encrypted.asc"',
          },
          armored.replace(/\r?\n/g, CRLF),
        ),
      ],
      'This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)',
    ),
  );
}

/** The `Autocrypt:` header of a key (Level 1: addr and base64 keydata, folded). */
export function autocryptHeader(addr: string, binaryKey: Uint8Array): string {
  const data = Buffer.from(binaryKey).toString('base64');
  return `addr=${addr}; prefer-encrypt=mutual; keydata=${CRLF} ${(data.match(/.{1,72}/g) ?? []).join(`${CRLF} `)}`;
}

export interface SendResult {
  response: string;
  /** The case number from our `250 2.0.0 Accepted as …` answer. */
  caseNumber: string;
}

/** Deliver a raw message with nodemailer over plain SMTP; rejects with the server's SMTP error. */
export async function sendRaw(
  port: number,
  envelope: { from: string; to: string | string[]; size?: number },
  raw: string | Buffer,
): Promise<SendResult> {
  const transport = createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    logger: false,
  });
  try {
    const info = await transport.sendMail({ envelope, raw });
    const response = String(info.response);
    return { response, caseNumber: /Accepted as (\S+)/.exec(response)?.[1] ?? '' };
  } finally {
    transport.close();
  }
}

/** Deliver a raw message with swaks (the Debian package), as a different SMTP client. */
export async function sendWithSwaks(
  port: number,
  envelope: { from: string; to: string },
  raw: string | Buffer,
): Promise<SendResult & { transcript: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-swaks-'));
  const file = path.join(dir, 'message.eml');
  try {
    await fs.writeFile(file, raw);
    const r = await run('swaks', [
      '--server',
      '127.0.0.1',
      '--port',
      String(port),
      '--from',
      envelope.from,
      '--to',
      envelope.to,
      '--data',
      `@${file}`,
      '--helo',
      'swaks.sender.example',
    ]);
    const transcript = r.stdout.toString('utf8');
    if (r.code !== 0) throw new Error(`swaks failed (${r.code}):\n${transcript}\n${r.stderr}`);
    const response = /<-\s+250 2\.0\.0 Accepted as (\S+)/.exec(transcript);
    return { response: response?.[0] ?? '', caseNumber: response?.[1] ?? '', transcript };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** `data` encrypted to `key` as one binary literal: ASCII armour or raw OpenPGP bytes. */
export async function encryptTo(key: openpgp.PublicKey, data: Uint8Array, armor: boolean): Promise<Buffer> {
  const message = await openpgp.createMessage({ binary: data, format: 'binary' });
  return armor
    ? Buffer.from(await openpgp.encrypt({ message, encryptionKeys: key }))
    : Buffer.from(await openpgp.encrypt({ message, encryptionKeys: key, format: 'binary' }));
}
