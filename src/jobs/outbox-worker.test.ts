import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freePort, type SmtpPeer, startSmtpPeer } from '../../test/helpers/smtp-peer.js';
import { createManualClock } from '../core/clock.js';
import type { WorkerLogger } from '../core/job-log.js';
import { createSealer, loadKeyring, type Sealer } from '../crypto/index.js';
import { type Db, migrateToLatest, openDatabase, withDefaultUser } from '../db/index.js';
import type { OutgoingMail } from '../mail/outgoing-mail.js';
import { createSmtpSender, type MailSender } from '../mail/transport.js';
import { countOutboxByState, createOutboxWorker, enqueueMail, listOutbox, retryDelayMs } from './index.js';

const pgUrl = process.env.VIGIL_TEST_DATABASE_URL;
const dialects = [{ dialect: 'sqlite' as const }, ...(pgUrl ? [{ dialect: 'postgres' as const }] : [])];

const FROM = 'Vigil <security@vendor.test>';
const TO = 'ada.reporter@example.org';
const SUBJECT = 'VIG-2026-0001: we received your report';
const START = new Date('2026-11-23T10:00:00.000Z');

describe('retryDelayMs', () => {
  it('doubles from 30 s up to an hour, jittered down by at most half', () => {
    expect(retryDelayMs(1, () => 0)).toBe(30_000);
    expect(retryDelayMs(1, () => 1)).toBe(15_000);
    expect(retryDelayMs(3, () => 0)).toBe(120_000);
    expect(retryDelayMs(20, () => 0)).toBe(3_600_000);
    expect(retryDelayMs(200, () => 0.5)).toBe(2_700_000);
  });
});

describe.each(dialects)('outbox worker on $dialect', ({ dialect }) => {
  let dataDir: string;
  let schema: string | undefined;
  let db: Db;
  let sealer: Sealer;
  let clock: ReturnType<typeof createManualClock>;
  let logs: string[];
  let logger: WorkerLogger;
  const closers: (() => Promise<void> | void)[] = [];

  const open = () =>
    openDatabase({ dataDir, databaseUrl: dialect === 'postgres' ? pgUrl : undefined, schema });

  beforeEach(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-outbox-'));
    schema = dialect === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
    db = await open();
    await migrateToLatest(db);
    sealer = createSealer(await loadKeyring({ masterKey: randomBytes(32).toString('base64'), dataDir }));
    clock = createManualClock(START);
    logs = [];
    const record = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
      logs.push(`${level} ${JSON.stringify(obj)} ${msg ?? ''}`);
    };
    logger = { info: record('info'), warn: record('warn'), error: record('error') };
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    // Undefined when beforeEach failed; the original error is the one worth seeing.
    await db?.close();
    if (schema) {
      const client = new pg.Client({ connectionString: withDefaultUser(pgUrl as string) });
      await client.connect();
      try {
        await client.query(`drop schema "${schema}" cascade`);
      } finally {
        await client.end();
      }
    }
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const peerOn = async (port?: number): Promise<SmtpPeer> => {
    const peer = await startSmtpPeer(port);
    closers.push(() => peer.close());
    return peer;
  };

  const senderTo = (port: number): MailSender => {
    const sender = createSmtpSender({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM });
    closers.push(() => sender.close());
    return sender;
  };

  const mail = (n = 1, extra: Partial<OutgoingMail> = {}): OutgoingMail => ({
    to: TO,
    subject: SUBJECT,
    text: `Thank you. Your case number is VIG-2026-000${n}.`,
    messageId: `<vig-2026-000${n}.receipt.${randomBytes(4).toString('hex')}@vigil.test>`,
    headers: { 'X-Vigil-Case': `VIG-2026-000${n}` },
    ...extra,
  });

  const enqueue = (m: OutgoingMail, target: Db = db) =>
    target.kysely.transaction().execute((trx) => enqueueMail(trx, sealer, m, { now: clock.now() }));

  const row = (id: string) =>
    db.kysely.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('delivers a queued mail once, with its headers, and marks it sent', async () => {
    const peer = await peerOn();
    const m = mail(1, {
      html: '<p>Thank you.</p>',
      inReplyTo: '<original@example.org>',
      references: ['<original@example.org>'],
    });
    const id = await enqueue(m);
    const worker = createOutboxWorker({ db, sealer, clock, sender: senderTo(peer.port), logger });

    expect(await worker.runOnce()).toEqual({ sent: 1, failed: 0 });

    expect(peer.received).toHaveLength(1);
    const got = peer.received[0];
    if (!got) throw new Error('nothing received');
    expect(got.rcptTo).toEqual([TO]);
    expect(got.mailFrom).toBe('security@vendor.test');
    const parsed = got.parsed;
    expect(parsed.messageId).toBe(m.messageId);
    expect(parsed.subject).toBe(SUBJECT);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : []).toEqual([TO]);
    expect(parsed.from?.value[0]?.address).toBe('security@vendor.test');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.headers.get('x-vigil-case')).toBe('VIG-2026-0001');
    expect(parsed.inReplyTo).toBe('<original@example.org>');
    expect(parsed.references).toBe('<original@example.org>');
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(parsed.text?.trim()).toBe(m.text);
    expect(parsed.html).toContain('<p>Thank you.</p>');

    const r = await row(id);
    expect(r).toMatchObject({ state: 'sent', sent_at: START.toISOString(), locked_until: null, attempts: 1 });

    // Nothing is due any more, however much time passes.
    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 0 });
    clock.advance(24 * 3_600_000);
    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 0 });
    expect(peer.received).toHaveLength(1);

    expect(await countOutboxByState(db.kysely)).toEqual({ sent: 1 });
    const listed = await listOutbox(db.kysely, { state: 'sent' });
    expect(listed.map((x) => x.id)).toEqual([id]);
    expect(listed[0]).not.toHaveProperty('payload_sealed');
    expect(await listOutbox(db.kysely, { state: 'pending' })).toEqual([]);
    expect(logs.join('\n')).not.toContain(TO);
  });

  it('retries after the backoff when the peer is down, then delivers exactly once', async () => {
    const port = await freePort();
    const id = await enqueue(mail());
    const worker = createOutboxWorker({ db, sealer, clock, sender: senderTo(port), logger });

    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 1 });
    const r = await row(id);
    expect(r).toMatchObject({ state: 'pending', attempts: 1, locked_until: null, sent_at: null });
    expect(r.last_error).toBe('ESOCKET (ECONNREFUSED) at CONN');
    expect(r.next_attempt_at > START.toISOString()).toBe(true);
    expect(Date.parse(r.next_attempt_at) - START.getTime()).toBeLessThanOrEqual(30_000);

    // Before the retry is due nothing is attempted, even with the peer back up.
    const peer = await peerOn(port);
    clock.set(new Date(Date.parse(r.next_attempt_at) - 1));
    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 0 });
    expect(peer.received).toHaveLength(0);

    clock.set(START);
    clock.advance(30_000);
    expect(await worker.runOnce()).toEqual({ sent: 1, failed: 0 });
    expect(peer.received).toHaveLength(1);
    expect(await row(id)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 0 });
    expect(peer.received).toHaveLength(1);
  });

  it('retries when the peer answers 421 at connect', async () => {
    const peer = await peerOn();
    peer.refuseConnections = true;
    const id = await enqueue(mail());
    const worker = createOutboxWorker({ db, sealer, clock, sender: senderTo(peer.port), logger });

    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 1 });
    const r = await row(id);
    expect(r).toMatchObject({ state: 'pending', attempts: 1 });
    expect(r.last_error).toContain('421');

    peer.refuseConnections = false;
    clock.advance(30_000);
    expect(await worker.runOnce()).toEqual({ sent: 1, failed: 0 });
    expect(peer.received).toHaveLength(1);
  });

  it('keeps retrying a 5xx rejection and marks the mail failed after maxAttempts', async () => {
    const peer = await peerOn();
    // Real relays quote the address back; none of it may reach the row or the log.
    peer.rejectRcpt = { code: 550, message: `5.1.1 <${TO}>: Recipient address rejected` };
    const id = await enqueue(mail());
    const worker = createOutboxWorker({
      db,
      sealer,
      clock,
      sender: senderTo(peer.port),
      logger,
      maxAttempts: 3,
    });

    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 1 });
    const first = await row(id);
    expect(first).toMatchObject({
      state: 'pending',
      attempts: 1,
      last_error: 'EENVELOPE 550 5.1.1 at RCPT TO',
    });

    clock.advance(3_600_000);
    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 1 });
    expect(await row(id)).toMatchObject({ state: 'pending', attempts: 2 });

    clock.advance(3_600_000);
    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 1 });
    const last = await row(id);
    expect(last).toMatchObject({ state: 'failed', attempts: 3, locked_until: null, sent_at: null });

    clock.advance(24 * 3_600_000);
    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 0 });
    expect(peer.received).toHaveLength(0);
    expect(await countOutboxByState(db.kysely)).toEqual({ failed: 1 });

    const text = `${logs.join('\n')}\n${last.last_error}`;
    expect(text).not.toContain(TO);
    expect(text).not.toContain('ada.reporter');
    expect(text).not.toContain(SUBJECT);
  });

  it('picks up a row left in sending once its lease has expired', async () => {
    const peer = await peerOn();
    const id = await enqueue(mail());
    // What a worker that died mid-send leaves behind.
    const lease = new Date(START.getTime() + 60_000).toISOString();
    await db.kysely
      .updateTable('outbox')
      .set({ state: 'sending', locked_until: lease, attempts: 1 })
      .where('id', '=', id)
      .execute();
    const worker = createOutboxWorker({ db, sealer, clock, sender: senderTo(peer.port), logger });

    clock.advance(59_000);
    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 0 });
    expect(peer.received).toHaveLength(0);

    clock.advance(2_000);
    expect(await worker.runOnce()).toEqual({ sent: 1, failed: 0 });
    expect(peer.received).toHaveLength(1);
    expect(await row(id)).toMatchObject({ state: 'sent', attempts: 2, locked_until: null });
  });

  it('after a database error mid-batch, records the mail already sent and sends the rest of its claim without waiting for the lease', async () => {
    const peer = await peerOn();
    const ids = [await enqueue(mail(1)), await enqueue(mail(2)), await enqueue(mail(3))];
    const real = senderTo(peer.port);
    let cut = false;
    // The database goes away right after the relay accepted the first mail: its table is renamed,
    // so recording the send fails as it would against a server that is down.
    const sender: MailSender = {
      ...real,
      async send(m) {
        await real.send(m);
        if (!cut) {
          cut = true;
          await db.kysely.schema.alterTable('outbox').renameTo('outbox_away').execute();
        }
      },
    };
    const worker = createOutboxWorker({ db, sealer, clock, sender, logger });
    await expect(worker.runOnce()).rejects.toThrow();
    expect(peer.received).toHaveLength(1);
    await db.kysely.schema.alterTable('outbox_away').renameTo('outbox').execute();

    // Well within the 10-minute lease: the next batch finishes what the first one claimed.
    clock.advance(5_000);
    expect(await worker.runOnce()).toEqual({ sent: 2, failed: 0 });
    expect(peer.received).toHaveLength(3); // the first mail was not sent twice
    for (const id of ids) expect(await row(id)).toMatchObject({ state: 'sent', locked_until: null });
    expect(logs.join('\n')).toContain('outbox mail sent but not recorded');
  });

  it('gives up on a stuck row whose last allowed attempt died mid-send', async () => {
    const peer = await peerOn();
    const id = await enqueue(mail());
    await db.kysely
      .updateTable('outbox')
      .set({ state: 'sending', locked_until: START.toISOString(), attempts: 3 })
      .where('id', '=', id)
      .execute();
    const worker = createOutboxWorker({
      db,
      sealer,
      clock,
      sender: senderTo(peer.port),
      logger,
      maxAttempts: 3,
    });

    clock.advance(1_000);
    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 1 });
    expect(await row(id)).toMatchObject({ state: 'failed', attempts: 4 });
    expect(peer.received).toHaveLength(0);
  });

  it('delivers each mail exactly once when two workers run at the same time', async () => {
    const peer = await peerOn();
    // A second instance: its own connection (pool) to the same database.
    const other = await open();
    closers.push(() => other.close());
    const ids: string[] = [];
    for (let n = 1; n <= 9; n++) ids.push(await enqueue(mail(n)));

    const workers = [db, other].map((d) =>
      createOutboxWorker({ db: d, sealer, clock, sender: senderTo(peer.port), logger, batchSize: 2 }),
    );
    let sent = 0;
    for (;;) {
      const results = await Promise.all(workers.map((w) => w.runOnce()));
      const round = results.reduce((n, r) => n + r.sent + r.failed, 0);
      sent += results.reduce((n, r) => n + r.sent, 0);
      if (round === 0) break;
    }

    expect(sent).toBe(9);
    const messageIds = peer.received.map((r) => r.parsed.messageId);
    expect(messageIds).toHaveLength(9);
    expect(new Set(messageIds).size).toBe(9);
    expect(await countOutboxByState(db.kysely)).toEqual({ sent: 9 });
  });

  it('keeps the payload sealed at rest', async () => {
    const m = mail(1, { html: `<p>${SUBJECT}</p>` });
    const id = await enqueue(m);
    const r = await row(id);
    expect(Buffer.isBuffer(r.payload_sealed)).toBe(true);
    for (const clear of [TO, 'ada.reporter', SUBJECT, m.messageId]) {
      expect(r.payload_sealed.includes(Buffer.from(clear))).toBe(false);
    }
    // Bound to its row: the payload does not open as another row's.
    expect(() => sealer.openJson(r.payload_sealed, 'outbox:other')).toThrow();

    // And nowhere in the database files either (SQLite keeps them on disk in plain sight).
    for (const file of db.files) {
      const bytes = await fs.readFile(file).catch(() => Buffer.alloc(0));
      expect(bytes.includes(Buffer.from(TO))).toBe(false);
      expect(bytes.includes(Buffer.from(SUBJECT))).toBe(false);
    }
  });

  it('polls once started and lets the batch in flight finish on stop()', async () => {
    const peer = await peerOn();
    const held = peer.holdData();
    const id = await enqueue(mail());
    const worker = createOutboxWorker({
      db,
      sealer,
      clock,
      sender: senderTo(peer.port),
      logger,
      pollIntervalMs: 10,
    });

    worker.start();
    await held.reached;
    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    // The send is waiting for the peer's reply to DATA: stop() must not resolve before it.
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    held.release();
    await stopping;
    expect(await row(id)).toMatchObject({ state: 'sent' });

    // Stopped means stopped: a newly queued mail stays queued.
    const later = await enqueue(mail(2));
    await new Promise((r) => setTimeout(r, 50));
    expect(await row(later)).toMatchObject({ state: 'pending', attempts: 0 });

    // And it starts again.
    worker.start();
    await vi.waitFor(async () => expect(await row(later)).toMatchObject({ state: 'sent' }), {
      timeout: 5_000,
      interval: 10,
    });
    await worker.stop();
    expect(peer.received).toHaveLength(2);
  });
});
