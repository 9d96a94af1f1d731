import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStoreUnavailableError } from '../src/blobs/index.js';
import { createManualClock } from '../src/core/clock.js';
import { IntakePausedError } from '../src/intake/index.js';
import {
  createImapPoller,
  FAILED_KEYWORD,
  IMAP_SPOOL_FROM_BYTES,
  type ImapPollerDeps,
  PROCESSED_KEYWORD,
  PROCESSING_KEYWORD,
  parseImapUrl,
  programRouting,
} from '../src/mail-intake/imap-poller.js';
import type { InboundMail, InboundResult } from '../src/mail-intake/processor.js';
import { type Dovecot, startDovecot } from './helpers/dovecot.js';
import { freePort } from './helpers/smtp-peer.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';
import { toolMissing } from './helpers/tools.js';

const PROGRAM = 'psirt@northwind-medical.example';
const routing = {
  isProgramAddress: (a: string) => /^psirt(\+[^@]*)?@northwind-medical\.example$/i.test(a),
};

describe('parseImapUrl', () => {
  it('reads user, password, host, port and mailbox; INBOX by default', () => {
    const t = parseImapUrl('imaps://psirt%40vendor.example:p%40ss%2Fw@mail.vendor.example/');
    expect(t).toMatchObject({
      secure: true,
      host: 'mail.vendor.example',
      port: 993,
      user: 'psirt@vendor.example',
      password: 'p@ss/w',
      mailbox: 'INBOX',
      processedFolder: undefined,
      failedFolder: 'Vigil-Failed',
      startTls: false,
    });
    expect(parseImapUrl('imap://u:p@mail.example:1143/INBOX.Security%20Reports').mailbox).toBe(
      'INBOX.Security Reports',
    );
    expect(parseImapUrl('imap://u:p@mail.example/INBOX%2FPSIRT').mailbox).toBe('INBOX/PSIRT');
  });

  it('requires STARTTLS for imap:// except on loopback, unless told otherwise', () => {
    expect(parseImapUrl('imap://u:p@mail.example/').startTls).toBe(true);
    expect(parseImapUrl('imap://u:p@mail.example/').port).toBe(143);
    expect(parseImapUrl('imap://u:p@mail.example/?starttls=optional').startTls).toBeUndefined();
    expect(parseImapUrl('imap://u:p@127.0.0.1/').startTls).toBeUndefined();
    expect(parseImapUrl('imap://u:p@127.0.0.1/?starttls=required').startTls).toBe(true);
    expect(() => parseImapUrl('imap://u:p@127.0.0.1/?starttls=maybe')).toThrow(/starttls/);
  });

  it('reads the move-mode folders and refuses what is not an IMAP URL', () => {
    const t = parseImapUrl('imaps://u:p@h/INBOX?processed=Done&failed=Needs%20a%20person');
    expect(t.processedFolder).toBe('Done');
    expect(t.failedFolder).toBe('Needs a person');
    expect(() => parseImapUrl('smtp://u:p@h/')).toThrow(/imap/);
    expect(() => parseImapUrl('imaps://h/')).toThrow(/user/);
  });
});

// The routing decisions (envelope from headers, keywords, marking, retries) are tested next to
// them, in src/mail-intake/imap-routing.test.ts.

const haveDovecot = !toolMissing('dovecot');

describe.skipIf(!haveDovecot)('IMAP poller against Dovecot', () => {
  let dovecot: Dovecot;
  let boxes = 0;

  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(async () => {
    await dovecot?.destroy();
  });

  /** A mailbox of its own per test, so tests cannot see each other's mail. */
  const freshBox = () => `T${++boxes}`;

  const mail = (subject: string, headers = `To: ${PROGRAM}`) =>
    `From: Researcher <researcher@lab.example>\r\n${headers}\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}.${Date.now()}@lab.example>\r\n\r\nDetails of ${subject}.\r\n`;

  /** A fake processor that records what it was given; `behave` can fail or delay it. */
  function recorder(behave?: (subject: string, n: number) => Promise<void> | void) {
    const calls: (InboundMail & { subject: string })[] = [];
    const process = async (m: InboundMail): Promise<InboundResult> => {
      const subject = /^Subject: (.*)\r$/m.exec(m.raw?.toString('utf8') ?? '')?.[1] ?? '';
      calls.push({ ...m, subject });
      await behave?.(subject, calls.filter((c) => c.subject === subject).length);
      return { kind: 'case', caseNumber: `NW-2026-${calls.length}` };
    };
    return { calls, process, subjects: () => calls.map((c) => c.subject) };
  }

  function logCollector() {
    const lines: string[] = [];
    const log = (level: string) => (obj: Record<string, unknown>, msg?: string) =>
      lines.push(JSON.stringify({ level, ...obj, msg }));
    return { lines, logger: { info: log('info'), warn: log('warn'), error: log('error') } };
  }

  function poller(box: string, over: Partial<ImapPollerDeps> & Pick<ImapPollerDeps, 'process'>) {
    return createImapPoller({
      url: dovecot.url(box),
      routing: async () => routing,
      pollSeconds: 60,
      ...over,
    });
  }

  it('processes messages in UID order, each exactly once, and picks up new mail', async () => {
    const box = freshBox();
    const uids = [];
    for (const s of ['first', 'second', 'third']) uids.push(await dovecot.append(mail(s), box));
    // A person reading the mailbox sets \Seen; that must not hide a message from the poller.
    const c = await dovecot.client();
    const lock = await c.getMailboxLock(box);
    await c.messageFlagsAdd(String(uids[1]), ['\\Seen'], { uid: true });
    lock.release();
    await c.logout();

    const rec = recorder();
    const p = poller(box, { process: rec.process });
    expect(await p.pollOnce()).toEqual({ processed: 3, failed: 0 });
    expect(rec.subjects()).toEqual(['first', 'second', 'third']);
    expect(rec.calls[0]).toMatchObject({ mailFrom: 'researcher@lab.example', rcptTo: [PROGRAM] });
    expect(rec.calls[0]?.raw?.toString('utf8')).toContain('Details of first.');

    const flags = await dovecot.flags(box);
    for (const uid of uids) {
      expect(flags.get(uid)).toContain(PROCESSED_KEYWORD);
      expect(flags.get(uid)).toContain('\\Seen');
      expect(flags.get(uid)).not.toContain(PROCESSING_KEYWORD);
    }

    expect(await p.pollOnce()).toEqual({ processed: 0, failed: 0 });
    await dovecot.append(mail('fourth'), box);
    expect(await p.pollOnce()).toEqual({ processed: 1, failed: 0 });
    expect(rec.subjects()).toEqual(['first', 'second', 'third', 'fourth']);

    // A second poller (a restart) does not process anything again either.
    expect(await poller(box, { process: rec.process }).pollOnce()).toEqual({ processed: 0, failed: 0 });
    expect(rec.calls).toHaveLength(4);
  });

  it('routes mail that names no program to VIGIL_IMAP_PROGRAM, and keeps a reply sub-address', async () => {
    const box = freshBox();
    await dovecot.append(mail('plain', 'To: inbox@northwind-medical.example'), box);
    const reply = 'psirt+r-0123456789abcdef0123456789abcdef@northwind-medical.example';
    await dovecot.append(mail('reply', `To: ${reply}`), box);
    const rec = recorder();
    const p = poller(box, { process: rec.process, routing: async () => ({ ...routing, fallback: PROGRAM }) });
    expect(await p.pollOnce()).toEqual({ processed: 2, failed: 0 });
    expect(rec.calls.map((c) => c.rcptTo)).toEqual([[PROGRAM], [reply]]);
  });

  it('leaves a message whose processing fails for a later poll, then processes it', async () => {
    const box = freshBox();
    const uid = await dovecot.append(mail('flaky'), box);
    await dovecot.append(mail('fine'), box);
    const clock = createManualClock(new Date('2026-11-23T12:00:00Z'));
    const rec = recorder((subject, n) => {
      if (subject === 'flaky' && n === 1)
        throw Object.assign(new Error('database is down'), { code: 'ECONNREFUSED' });
    });
    const { lines, logger } = logCollector();
    const p = poller(box, { process: rec.process, clock, logger });

    expect(await p.pollOnce()).toEqual({ processed: 1, failed: 1 });
    const flags = (await dovecot.flags(box)).get(uid);
    // Untouched: no marker, not even \Seen.
    expect([...(flags ?? [])].filter((f) => f !== '\\Recent')).toEqual([]);

    // Not before its retry pause, then once more.
    expect(await p.pollOnce()).toEqual({ processed: 0, failed: 0 });
    clock.advance(60_000);
    expect(await p.pollOnce()).toEqual({ processed: 1, failed: 0 });
    expect(rec.subjects()).toEqual(['flaky', 'fine', 'flaky']);
    expect((await dovecot.flags(box)).get(uid)).toContain(PROCESSED_KEYWORD);

    // The log names the UID and the error code, never the subject or an address.
    const log = lines.join('\n');
    expect(log).toContain(`"uid":${uid}`);
    expect(log).toContain('ECONNREFUSED');
    expect(log).not.toMatch(/flaky|lab\.example|northwind|database is down/);
  });

  it('sets a poison message aside after maxAttempts failures and stops retrying it', async () => {
    const box = freshBox();
    const uid = await dovecot.append(mail('poison'), box);
    const clock = createManualClock(new Date('2026-11-23T12:00:00Z'));
    const rec = recorder(() => {
      throw new Error('cannot parse');
    });
    const { lines, logger } = logCollector();
    const p = poller(box, { process: rec.process, clock, logger, maxAttempts: 3 });
    for (let i = 0; i < 3; i++) {
      expect(await p.pollOnce()).toEqual({ processed: 0, failed: 1 });
      clock.advance(60 * 60_000);
    }
    const flags = (await dovecot.flags(box)).get(uid);
    expect(flags).toContain(FAILED_KEYWORD);
    expect(flags).not.toContain(PROCESSED_KEYWORD);
    expect(flags).not.toContain('\\Seen'); // left unread for a person
    expect(await p.pollOnce()).toEqual({ processed: 0, failed: 0 });
    expect(rec.calls).toHaveLength(3);
    expect(lines.at(-1)).toContain('set aside');
  });

  it("keeps a paused program's mail in the mailbox, however long the pause, and takes it once intake reopens", async () => {
    const box = freshBox();
    const uid = await dovecot.append(mail('during the pause'), box);
    const clock = createManualClock(new Date('2026-11-23T12:00:00Z'));
    let paused = true;
    const rec = recorder(() => {
      if (paused) throw new IntakePausedError({ message: 'Closed for the holidays', reopensOn: null }, 3600);
    });
    const p = poller(box, { process: rec.process, clock, maxAttempts: 2 });
    // Far more polls than maxAttempts: a pause is not the message's fault, so it is never set aside.
    for (let i = 0; i < 5; i++) {
      expect(await p.pollOnce()).toEqual({ processed: 0, failed: 1 });
      clock.advance(60_000);
    }
    const flags = (await dovecot.flags(box)).get(uid);
    expect(flags).not.toContain(FAILED_KEYWORD);
    expect(flags).not.toContain(PROCESSED_KEYWORD);
    paused = false;
    expect(await p.pollOnce()).toEqual({ processed: 1, failed: 0 });
    expect((await dovecot.flags(box)).get(uid)).toContain(PROCESSED_KEYWORD);
  });

  it('keeps mail in the mailbox while the database or the blob store is out of reach, and takes it once they are back', async () => {
    const box = freshBox();
    const uid = await dovecot.append(mail('during the outage'), box);
    const clock = createManualClock(new Date('2026-11-23T12:00:00Z'));
    const outages: unknown[] = [
      new BlobStoreUnavailableError(new Error('S3 answered 503')),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ];
    let down = true;
    let call = 0;
    const rec = recorder(() => {
      if (down) throw outages[call++ % outages.length];
    });
    const p = poller(box, { process: rec.process, clock, maxAttempts: 2 });
    // Far more polls than maxAttempts: an outage is not the message's fault, so it is never set aside.
    for (let i = 0; i < 6; i++) {
      expect(await p.pollOnce()).toEqual({ processed: 0, failed: 1 });
      clock.advance(60_000);
    }
    const flags = (await dovecot.flags(box)).get(uid);
    expect(flags).not.toContain(FAILED_KEYWORD);
    expect(flags).not.toContain(PROCESSED_KEYWORD);
    down = false;
    expect(await p.pollOnce()).toEqual({ processed: 1, failed: 0 });
    expect((await dovecot.flags(box)).get(uid)).toContain(PROCESSED_KEYWORD);
  });

  it('stop() waits for the message in progress, marks it and takes no further one', async () => {
    const box = freshBox();
    const first = await dovecot.append(mail('slow'), box);
    const second = await dovecot.append(mail('next'), box);
    let reached!: () => void;
    const reachedP = new Promise<void>((r) => {
      reached = r;
    });
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    const rec = recorder(async (subject) => {
      if (subject === 'slow') {
        reached();
        await released;
      }
    });
    const p = poller(box, { process: rec.process });
    p.start();
    await reachedP;
    let stopped = false;
    const stopping = p.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(rec.subjects()).toEqual(['slow']);
    const flags = await dovecot.flags(box);
    expect(flags.get(first)).toContain(PROCESSED_KEYWORD);
    expect(flags.get(second)).not.toContain(PROCESSED_KEYWORD);
  });

  it('keeps working after the IMAP server restarts', async () => {
    const box = freshBox();
    await dovecot.append(mail('before'), box);
    const rec = recorder();
    const { lines, logger } = logCollector();
    const p = poller(box, { process: rec.process, logger, pollSeconds: 0.2 });
    p.start();
    await waitFor(() => rec.calls.length === 1);
    await dovecot.stop();
    await waitFor(() => lines.some((l) => l.includes('imap poll failed')));
    await dovecot.start();
    await dovecot.append(mail('after'), box);
    await waitFor(() => rec.calls.length === 2);
    await p.stop();
    expect(rec.subjects()).toEqual(['before', 'after']);
    expect(await p.pollOnce()).toEqual({ processed: 0, failed: 0 });
  });

  it('marks, without processing again, a message whose marking failed after the commit', async () => {
    const box = freshBox();
    const uid = await dovecot.append(mail('committed'), box);
    // The server goes away while the processor commits: the mark cannot be set.
    const rec = recorder(async (_s, n) => {
      if (n === 1) await dovecot.stop();
    });
    const p = poller(box, { process: rec.process });
    await expect(p.pollOnce()).rejects.toThrow();
    await dovecot.start();
    expect((await dovecot.flags(box)).get(uid)).toContain(PROCESSING_KEYWORD);
    expect(await p.pollOnce()).toEqual({ processed: 0, failed: 0 });
    expect(rec.calls).toHaveLength(1);
    const flags = (await dovecot.flags(box)).get(uid);
    expect(flags).toContain(PROCESSED_KEYWORD);
    expect(flags).not.toContain(PROCESSING_KEYWORD);
  });

  it('warns when a message was interrupted mid-processing, and processes it again', async () => {
    const box = freshBox();
    const uid = await dovecot.append(mail('interrupted'), box, [PROCESSING_KEYWORD]);
    const rec = recorder();
    const { lines, logger } = logCollector();
    expect(await poller(box, { process: rec.process, logger }).pollOnce()).toEqual({
      processed: 1,
      failed: 0,
    });
    expect(lines.find((l) => l.includes('duplicate'))).toContain(`"uid":${uid}`);
  });

  it('moves processed and poison mail to folders when the URL asks for it', async () => {
    const box = freshBox();
    await dovecot.append(mail('one'), box);
    await dovecot.append(mail('bad'), box);
    const clock = createManualClock(new Date('2026-11-23T12:00:00Z'));
    const rec = recorder((subject) => {
      if (subject === 'bad') throw new Error('no');
    });
    const p = createImapPoller({
      url: dovecot.url(box, `?processed=${box}-done&failed=${box}-failed`),
      routing: async () => routing,
      process: rec.process,
      pollSeconds: 60,
      clock,
      maxAttempts: 1,
    });
    expect(await p.pollOnce()).toEqual({ processed: 1, failed: 1 });
    expect((await dovecot.flags(box)).size).toBe(0);
    expect([...(await dovecot.flags(`${box}-done`)).values()][0]).toContain('\\Seen');
    expect((await dovecot.flags(`${box}-failed`)).size).toBe(1);
    expect(await p.pollOnce()).toEqual({ processed: 0, failed: 0 });
  });

  it('falls back to moving when the server takes no new keywords', async () => {
    const box = freshBox();
    await dovecot.append(mail('old-server'), box);
    const proxy = await noKeywordsProxy(dovecot.port);
    try {
      const rec = recorder();
      const p = createImapPoller({
        url: `imap://${dovecot.user}:${dovecot.password}@127.0.0.1:${proxy.port}/${box}`,
        routing: async () => routing,
        process: rec.process,
        pollSeconds: 60,
      });
      expect(await p.pollOnce()).toEqual({ processed: 1, failed: 0 });
      expect(await p.pollOnce()).toEqual({ processed: 0, failed: 0 });
      expect((await dovecot.flags(box)).size).toBe(0);
      const moved = [...(await dovecot.flags('Vigil-Processed')).values()];
      expect(moved).toHaveLength(1);
      expect(moved[0]).not.toContain(PROCESSED_KEYWORD);
    } finally {
      await proxy.close();
    }
  });

  it('downloads a large message into its spool in chunks, hands it over spooled, then removes it', async () => {
    const box = freshBox();
    const spoolDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-imap-spool-'));
    try {
      // 2 MiB of base64 lines: past the spool threshold; a small one beside it stays in memory.
      const body = randomBytes(1536 * 1024)
        .toString('base64')
        .replace(/.{76}/g, '$&\r\n');
      const large = Buffer.from(mail('large').replace('Details of large.', body));
      expect(large.length).toBeGreaterThan(IMAP_SPOOL_FROM_BYTES);
      await dovecot.append(large, box);
      await dovecot.append(mail('small'), box);
      const seen: { subject: string; raw?: number; spooled?: Buffer; files: number; withSpool: boolean }[] =
        [];
      const p = poller(box, {
        spoolDir,
        process: async (m) => {
          const head = m.raw ?? m.spooled?.head ?? Buffer.alloc(0);
          const subject = /^Subject: (.*)\r$/m.exec(head.toString('utf8'))?.[1] ?? '';
          seen.push({
            subject,
            raw: m.raw?.length,
            spooled: m.spooled ? await m.spooled.read() : undefined,
            files: (await fs.readdir(spoolDir)).length,
            withSpool: m.spool !== undefined,
          });
          return { kind: 'case', caseNumber: `NW-2026-${seen.length}` };
        },
      });
      expect(await p.pollOnce()).toEqual({ processed: 2, failed: 0 });
      const [big, small] = seen;
      expect(big?.subject).toBe('large');
      expect(big?.raw).toBeUndefined();
      expect(big?.spooled?.equals(large)).toBe(true);
      expect(big?.files).toBe(1);
      expect(big?.withSpool).toBe(true);
      expect(small).toMatchObject({ subject: 'small', spooled: undefined, files: 0, withSpool: false });
      expect(small?.raw).toBeGreaterThan(0);
      // Once processed, nothing of the mail is left in the spool.
      expect(await fs.readdir(spoolDir)).toEqual([]);
    } finally {
      await fs.rm(spoolDir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!haveDovecot).each(dialects)('IMAP intake through the real processor (%s)', (dialect) => {
  let dovecot: Dovecot;
  let v: TestVigil;

  beforeAll(async () => {
    dovecot = await startDovecot();
    v = await startTestVigil(dialect);
  });
  afterAll(async () => {
    await v?.destroy();
    await dovecot?.destroy();
  });

  it('turns mailbox mail into cases, once, routed by header or by VIGIL_IMAP_PROGRAM', async () => {
    const canary = `IMAP-CANARY-${Date.now()}`;
    const message = (to: string, subject: string) =>
      [
        'From: Ada Researcher <ada@lab.example>',
        `To: ${to}`,
        `Subject: ${subject}`,
        `Message-ID: <${subject.replace(/\W/g, '')}.${Date.now()}@lab.example>`,
        'Date: Mon, 23 Nov 2026 10:00:00 +0000',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        `The infusion pump accepts unsigned firmware. ${canary}`,
        '',
      ].join('\r\n');
    // One names the program; the other arrived at a mailbox alias, envelope lost.
    const named = await dovecot.append(message(PROGRAM, 'Pump firmware'));
    const alias = await dovecot.append(message('security-inbox@northwind-medical.example', 'Pump again'));

    const { lines, logger } = (() => {
      const out: string[] = [];
      const log = (obj: Record<string, unknown>, msg?: string) => out.push(JSON.stringify({ ...obj, msg }));
      return { lines: out, logger: { info: log, warn: log, error: log } };
    })();
    const p = createImapPoller({
      url: dovecot.url(),
      routing: programRouting(v.services.programs, 'northwind-medical'),
      process: (mail) => v.inbound.process(mail),
      logger,
      pollSeconds: 60,
    });
    expect(await p.pollOnce()).toEqual({ processed: 2, failed: 0 });
    expect(await p.pollOnce()).toEqual({ processed: 0, failed: 0 });

    const rows = await v.db.kysely
      .selectFrom('reports')
      .innerJoin('programs', 'programs.id', 'reports.program_id')
      .select(['reports.case_number', 'programs.slug'])
      .orderBy('reports.case_number')
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.slug === 'northwind-medical')).toBe(true);

    await v.services.accounts.createUser({ email: 'imap-lead@vendor.example', role: 'admin' }, 'test');
    const { token } = await v.services.accounts.createToken(
      { userEmail: 'imap-lead@vendor.example', scope: 'read' },
      'test',
    );
    const caller = await v.services.accounts.authenticate(token);
    for (const r of rows) {
      const detail = await v.services.cases.get(caller, r.case_number);
      expect(JSON.stringify(detail)).toContain(canary);
    }

    const flags = await dovecot.flags();
    for (const uid of [named, alias]) expect(flags.get(uid)).toContain(PROCESSED_KEYWORD);
    // The poller logged case numbers and UIDs, nothing from the mail.
    expect(lines.join('\n')).not.toMatch(/CANARY|lab\.example|Pump/);
    expect(lines.join('\n')).toContain(rows[0]?.case_number);
  });

  it('takes a large mailbox mail through the spool into a case with its attachment', async () => {
    const spoolDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-imap-spool-'));
    try {
      const firmware = randomBytes(1200 * 1024);
      const boundary = 'imap-large-boundary';
      const message = [
        'From: Ada Researcher <ada@lab.example>',
        `To: ${PROGRAM}`,
        'Subject: Pump firmware image attached',
        `Message-ID: <large.${Date.now()}@lab.example>`,
        'Date: Mon, 23 Nov 2026 10:00:00 +0000',
        'MIME-Version: 1.0',
        `Content-Type: multipart/mixed; boundary="${boundary}"`,
        '',
        `--${boundary}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'The pump accepts this unsigned image.',
        `--${boundary}`,
        'Content-Type: application/octet-stream; name="pump.bin"',
        'Content-Disposition: attachment; filename="pump.bin"',
        'Content-Transfer-Encoding: base64',
        '',
        firmware.toString('base64').replace(/.{76}/g, '$&\r\n'),
        `--${boundary}--`,
        '',
      ].join('\r\n');
      await dovecot.append(message, 'Large');
      const p = createImapPoller({
        url: dovecot.url('Large'),
        routing: programRouting(v.services.programs, 'northwind-medical'),
        process: (mail) => v.inbound.process(mail),
        pollSeconds: 60,
        spoolDir,
      });
      expect(await p.pollOnce()).toEqual({ processed: 1, failed: 0 });
      const row = await v.db.kysely
        .selectFrom('attachments')
        .innerJoin('reports', 'reports.id', 'attachments.report_id')
        .select(['attachments.size', 'attachments.sha256'])
        .where('attachments.size', '=', firmware.length)
        .executeTakeFirst();
      expect(row?.sha256).toBe(createHash('sha256').update(firmware).digest('hex'));
      expect(await fs.readdir(spoolDir)).toEqual([]);
    } finally {
      await fs.rm(spoolDir, { recursive: true, force: true });
    }
  });
});

async function waitFor(cond: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A TCP relay to Dovecot that drops `\*` from PERMANENTFLAGS, as servers that allow no new
 * keywords announce it. Lines are rewritten whole; the test's messages never contain that text.
 */
async function noKeywordsProxy(upstreamPort: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let pending = '';
    upstream.on('data', (chunk) => {
      pending += chunk.toString('latin1');
      const end = pending.lastIndexOf('\n') + 1;
      if (end === 0) return;
      const lines = pending.slice(0, end).replace(/(PERMANENTFLAGS \([^)]*?) ?\\\*\)/g, '$1)');
      pending = pending.slice(end);
      client.write(Buffer.from(lines, 'latin1'));
    });
    client.pipe(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
