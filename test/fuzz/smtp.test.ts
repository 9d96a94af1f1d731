import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, startTestVigil, type TestVigil } from '../helpers/test-vigil.js';
import { announceSeed, fuzz, hostileText, invalidUtf8, trace, watchProcess } from './fuzz-kit.js';

/**
 * The SMTP listener under hostile sessions, over a real socket: junk and overlong command lines,
 * hostile envelope addresses, and mails whose content is broken every way MIME can be (bad
 * boundaries, deep nesting, NUL and invalid UTF-8, garbage encodings, huge headers). Every
 * command gets an SMTP reply; a mail is accepted whole (250, one case with its original) or
 * refused with a permanent code and no trace; never a 451 "could not be stored" (the listener's
 * answer to an error it did not expect) and never silence.
 */

announceSeed('smtp');
watchProcess();

const ADDRESS = 'psirt@northwind-medical.example';
const MAX_BYTES = 512 * 1024;

/** A DICOM file of 8 000 nested sequences (the PHI guard must hold it, not overflow), base64 in 76-column lines. */
function deepDicomBase64(): string {
  const uid = '1.2.840.10008.1.2.1\0';
  const meta = Buffer.alloc(8 + uid.length);
  meta.writeUInt16LE(0x0002, 0);
  meta.writeUInt16LE(0x0010, 2);
  meta.write('UI', 4, 'latin1');
  meta.writeUInt16LE(uid.length, 6);
  meta.write(uid, 8, 'latin1');
  const level = Buffer.from('08004011535100 00ffffffff feff00e0ffffffff'.replace(/ /g, ''), 'hex');
  const file = Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM'),
    meta,
    Buffer.alloc(level.length * 8_000, level),
  ]);
  return (file.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/** A raw SMTP client: each `send` writes one line (or DATA payload) and reads one complete reply. */
class SmtpWire {
  private buffer = '';
  private waiting: ((reply: string) => void) | undefined;
  closed = false;
  private constructor(private socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.flush();
    });
    socket.on('close', () => {
      this.closed = true;
      this.flush();
    });
    socket.on('error', () => {
      this.closed = true;
      this.flush();
    });
  }
  static async open(port: number): Promise<{ wire: SmtpWire; greeting: string }> {
    const socket = net.connect(port, '127.0.0.1');
    const wire = new SmtpWire(socket);
    return { wire, greeting: await wire.reply() };
  }
  /** The next complete reply (its last line is `NNN text`), or '' once the server closed. */
  private flush() {
    if (!this.waiting) return;
    const m = /(?:^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(this.buffer);
    if (m) {
      const end = m.index + m[0].length;
      const reply = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end);
      const w = this.waiting;
      this.waiting = undefined;
      w(reply);
    } else if (this.closed) {
      const w = this.waiting;
      this.waiting = undefined;
      w('');
    }
  }
  reply(ms = 20_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no SMTP reply within ${ms} ms`)), ms);
      this.waiting = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
      this.flush();
    });
  }
  async send(data: string | Buffer): Promise<string> {
    if (this.closed) return '';
    this.socket.write(data);
    return this.reply();
  }
  close() {
    this.socket.destroy();
  }
}

const code = (reply: string) => Number(/(\d{3}) [^\r\n]*\r\n$/.exec(reply)?.[1] ?? 0);

describe.each(dialects)('fuzz: SMTP intake (%s)', (dialect) => {
  let v: TestVigil;
  let port: number;

  beforeAll(async () => {
    v = await startTestVigil(dialect, {
      env: {
        VIGIL_SMTP_MAX_BYTES: String(MAX_BYTES),
        VIGIL_SMTP_PER_SENDER_PER_HOUR: '0',
      },
    });
    port = await v.smtp.start(0);
  });
  afterAll(async () => {
    shared?.close();
    await v?.destroy();
  });

  // One connection serves many runs (smtp-server waits 100 ms before greeting each new one, to
  // catch clients that talk too soon); a run that gets it closed just opens the next.
  let shared: SmtpWire | undefined;
  async function session(): Promise<SmtpWire> {
    if (shared && !shared.closed) {
      if (code(await shared.send('RSET\r\n')) === 250) return shared;
      shared.close();
    }
    const { wire, greeting } = await SmtpWire.open(port);
    expect(code(greeting)).toBe(220);
    expect(code(await wire.send('EHLO fuzz.example\r\n'))).toBe(250);
    shared = wire;
    return wire;
  }

  /** A reply is well-formed SMTP, and not the listener's "could not be stored" (an unexpected error). */
  const expectSane = (reply: string, what: string) => {
    expect(reply, `${what}: no reply`).toMatch(/^\d{3}[ -]/);
    expect(reply, `${what}: the server failed on it`).not.toMatch(/^451 /m);
  };

  it('junk, overlong and hostile command lines: an SMTP reply to each, and nothing stored', async () => {
    const line = fc.oneof(
      hostileText(8).map((s) => Buffer.from(`${s.replace(/\r?\n/g, ' ')}\r\n`, 'utf8')),
      fc
        .uint8Array({ minLength: 1, maxLength: 200 })
        .map((b) => Buffer.concat([Buffer.from(b).filter((x) => x !== 10 && x !== 13), Buffer.from('\r\n')])),
      fc.integer({ min: 513, max: 70_000 }).map((n) => Buffer.from(`HELO ${'a'.repeat(n)}\r\n`)),
      fc
        .constantFrom(
          'HELO\r\n',
          'EHLO \r\n',
          'MAIL FROM:\r\n',
          'MAIL FROM:<>\r\n',
          'RCPT TO:<>\r\n',
          'DATA\r\n',
          'BDAT 10\r\n',
          'AUTH PLAIN AGZvbwBiYXI=\r\n',
          'STARTTLS\r\n',
          'VRFY root\r\n',
          'EXPN staff\r\n',
          'HELP\r\n',
          'NOOP\r\n',
          'RSET\r\n',
          'EHLO x\nMAIL FROM:<a@b>\n',
          'MAIL FROM:<a@b> SIZE=999999999999\r\n',
          'MAIL FROM:<a@b> BODY=8BITMIME SMTPUTF8\r\n',
          '\r\n',
          '\0\r\n',
        )
        .map((s) => Buffer.from(s, 'latin1')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 6 }), async (lines) => {
        const before = await trace(v);
        const wire = await session();
        for (const l of lines) {
          // DATA is only ever answered 503 here (no valid envelope is built), so no mail can start.
          const reply = await wire.send(l);
          if (reply === '') break;
          expectSane(reply, JSON.stringify(l.toString('latin1').slice(0, 80)));
        }
        expect(await trace(v)).toEqual(before);
      }),
      fuzz(40, dialect),
    );
  });

  it('hostile envelope addresses: an SMTP reply to each, never a failure, nothing stored', async () => {
    const address = fc.oneof(
      hostileText(6).map((s) => s.replace(/[\r\n]/g, '')),
      fc.constantFrom(
        ADDRESS.toUpperCase(),
        `"${ADDRESS}"`,
        `psirt@northwind-medical.example.`,
        `psirt+tag@northwind-medical.example`,
        `psirt@[127.0.0.1]`,
        `@relay.example:${ADDRESS}`,
        `${'a'.repeat(300)}@northwind-medical.example`,
        `psirt@${'b'.repeat(300)}.example`,
        `psirt\0@northwind-medical.example`,
        `psirt@northwind-medical.example\u202e`,
        `ps\u0131rt@northwind-medical.example`,
        `=?utf-8?q?psirt?=@northwind-medical.example`,
      ),
    );
    await fc.assert(
      fc.asyncProperty(address, address, async (from, to) => {
        const before = await trace(v);
        const wire = await session();
        const mail = await wire.send(Buffer.from(`MAIL FROM:<${from}>\r\n`, 'utf8'));
        if (mail !== '') expectSane(mail, `MAIL FROM ${from}`);
        const rcpt = await wire.send(Buffer.from(`RCPT TO:<${to}>\r\n`, 'utf8'));
        if (rcpt !== '') expectSane(rcpt, `RCPT TO ${to}`);
        expect(await trace(v)).toEqual(before);
      }),
      fuzz(80, dialect),
    );
  });

  /** Broken and hostile mail content, built as raw bytes. */
  const hostileMail = (): fc.Arbitrary<Buffer> => {
    const head = (extra = '') =>
      `From: Finder <finder@researcher.example>\r\nTo: ${ADDRESS}\r\nSubject: Report\r\nMessage-ID: <${Math.random().toString(36).slice(2)}@researcher.example>\r\n${extra}`;
    const nested = (depth: number, boundaryOf: (i: number) => string) => {
      let open = '';
      let close = '';
      for (let i = 0; i < depth; i += 1) {
        open += `Content-Type: multipart/mixed; boundary="${boundaryOf(i)}"\r\n\r\n--${boundaryOf(i)}\r\n`;
        close = `\r\n--${boundaryOf(i)}--\r\n${close}`;
      }
      return `${open}Content-Type: text/plain\r\n\r\nThe pump accepts unsigned firmware.${close}`;
    };
    return fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 4096 }).map((b) => Buffer.from(b)),
      hostileText(20).map((s) => Buffer.from(`${head()}\r\n${s}\r\n`, 'utf8')),
      invalidUtf8.map((b) =>
        Buffer.concat([
          Buffer.from(`${head('Content-Type: text/plain; charset=utf-8\r\n')}\r\nbody `),
          b,
          Buffer.from(' \0 end\r\n'),
        ]),
      ),
      fc
        .constantFrom(10, 100, 1_000, 5_000)
        .map((d) => Buffer.from(`${head('MIME-Version: 1.0\r\n')}${nested(d, (i) => `b${i}`)}`)),
      fc
        .constantFrom(10, 1_000)
        .map((d) => Buffer.from(`${head('MIME-Version: 1.0\r\n')}${nested(d, () => 'same')}`)),
      fc
        .constantFrom(
          `${head('MIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n')}\r\n--x\r\nContent-Type: text/plain\r\n\r\nno boundary declared\r\n--x--\r\n`,
          `${head('MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=""\r\n')}\r\n--\r\n\r\nempty boundary\r\n----\r\n`,
          `${head('MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="a"\r\n')}\r\n--a\r\nContent-Type: text/plain\r\n\r\nnever closed`,
          `${head('MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="a"\r\n')}\r\n--a\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="../../etc/passwd"\r\n\r\n!!!not base64@@@\r\n--a--\r\n`,
          `${head('MIME-Version: 1.0\r\nContent-Type: text/plain; charset="x-unknown-charset"\r\nContent-Transfer-Encoding: quoted-printable\r\n')}\r\n=ZZ=0=\r\n=C3=28 soft break=\r\n`,
          `${head('Subject: =?utf-8?B?!!!?= =?x-bogus?Q?=FF=FE?=\r\n')}\r\nencoded-word garbage\r\n`,
          `${head('Content-Type: message/rfc822\r\n')}\r\n${head('Content-Type: message/rfc822\r\n')}\r\n${head()}\r\ninner\r\n`,
          `${head(`X-Long: ${'h'.repeat(200_000)}\r\n`)}\r\nlong header\r\n`,
          `${head(Array.from({ length: 5_000 }, (_, i) => `X-N${i}: v\r\n`).join(''))}\r\nmany headers\r\n`,
          `${head('Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="e"\r\n')}\r\n--e\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--e\r\nContent-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n\r\nhQEMA////garbage\r\n-----END PGP MESSAGE-----\r\n--e--\r\n`,
          `${head('Content-Type: multipart/signed; protocol="application/pgp-signature"; boundary="s"\r\n')}\r\n--s\r\nContent-Type: text/plain\r\n\r\nsigned?\r\n--s\r\nContent-Type: application/pgp-signature\r\n\r\n-----BEGIN PGP SIGNATURE-----\r\n\r\nAAAA\r\n-----END PGP SIGNATURE-----\r\n--s--\r\n`,
          `${head()}\r\n-----BEGIN PGP MESSAGE-----\r\n\r\n${'A'.repeat(5000)}\r\n-----END PGP MESSAGE-----\r\n`,
          `${head()}\r\n-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA256\r\n\r\ntext\r\n-----BEGIN PGP SIGNATURE-----\r\n\r\n!!\r\n-----END PGP SIGNATURE-----\r\n`,
          'no headers at all, just text\r\n',
          '\r\n',
        )
        .map((s) => Buffer.from(s, 'latin1')),
    );
  };

  /** Dot-stuff and terminate a DATA payload. */
  const dataPayload = (mail: Buffer) =>
    Buffer.concat([
      Buffer.from(mail.toString('latin1').replace(/(^|\r\n)\./g, '$1..'), 'latin1'),
      Buffer.from('\r\n.\r\n'),
    ]);

  it('hostile mail content: accepted whole as one case with its original, or refused with no trace', async () => {
    let accepted = 0;
    // The same bytes sent again are the same mail: answered with the case they made, nothing added.
    const caseOf = new Map<string, string>();
    await fc.assert(
      fc.asyncProperty(hostileMail(), async (mail) => {
        const before = (await trace(v)) as { reports: number; attachments: number; messages: number };
        const wire = await session();
        expect(code(await wire.send('MAIL FROM:<finder@researcher.example>\r\n'))).toBe(250);
        expect(code(await wire.send(`RCPT TO:<${ADDRESS}>\r\n`))).toBe(250);
        expect(code(await wire.send('DATA\r\n'))).toBe(354);
        const reply = await wire.send(dataPayload(mail));
        expectSane(reply, `DATA ${JSON.stringify(mail.toString('latin1').slice(0, 120))}`);
        const after = (await trace(v)) as typeof before;
        const again = caseOf.get(mail.toString('base64'));
        if (code(reply) === 250 && again !== undefined) {
          expect(reply).toContain(`Accepted as ${again}`);
          expect(after).toEqual(before);
        } else if (code(reply) === 250) {
          accepted += 1;
          expect(reply).toMatch(/Accepted as \S+/);
          caseOf.set(mail.toString('base64'), /Accepted as (\S+)/.exec(reply)?.[1] ?? '');
          // A new case (or a message on one), always with the original kept as an attachment.
          expect(after.reports + after.messages).toBe(before.reports + before.messages + 1);
          expect(after.attachments).toBeGreaterThan(before.attachments);
        } else {
          expect(code(reply), reply).toBeGreaterThanOrEqual(500);
          expect(after).toEqual(before);
        }
      }),
      fuzz(40, dialect),
    );
    // Broken content is taken in as a flagged case, not refused: most of these must be accepted.
    expect(accepted).toBeGreaterThan(0);
  });

  it('a mail carrying a DICOM file nested too deep to check: accepted, and the file held by the PHI guard', async () => {
    const mail = Buffer.from(
      'From: Finder <finder@researcher.example>\r\n' +
        `To: ${ADDRESS}\r\nSubject: Workstation export\r\nMIME-Version: 1.0\r\n` +
        'Content-Type: multipart/mixed; boundary="d"\r\n\r\n' +
        '--d\r\nContent-Type: text/plain\r\n\r\nAn image exported by the workstation.\r\n' +
        '--d\r\nContent-Type: application/dicom\r\nContent-Transfer-Encoding: base64\r\n' +
        `Content-Disposition: attachment; filename="IMG1.dcm"\r\n\r\n${deepDicomBase64()}\r\n--d--\r\n`,
    );
    const held = () =>
      v.db.kysely.selectFrom('phi_quarantine').select('id').where('part_kind', '=', 'attachment').execute();
    const before = (await held()).length;
    const wire = await session();
    expect(code(await wire.send('MAIL FROM:<finder@researcher.example>\r\n'))).toBe(250);
    expect(code(await wire.send(`RCPT TO:<${ADDRESS}>\r\n`))).toBe(250);
    expect(code(await wire.send('DATA\r\n'))).toBe(354);
    const reply = await wire.send(dataPayload(mail));
    expect(code(reply), reply).toBe(250);
    // The image and (because something in the mail is held) the original with it.
    expect((await held()).length).toBe(before + 2);
  });
});
