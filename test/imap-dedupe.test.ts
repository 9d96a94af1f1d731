import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../src/crypto/index.js';
import {
  createImapPoller,
  PROCESSED_KEYWORD,
  PROCESSING_KEYWORD,
  programRouting,
} from '../src/mail-intake/imap-poller.js';
import type { InboundMail, InboundResult } from '../src/mail-intake/processor.js';
import { type Dovecot, startDovecot } from './helpers/dovecot.js';
import { plainMessage, sendRaw } from './helpers/mail-builders.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';
import { toolMissing } from './helpers/tools.js';

/**
 * A mail delivered twice makes one case: the IMAP poller that died between the commit and marking
 * the message, and a relay that retries after a lost `250`, both hand the same mail over again.
 */

const ADDRESS = 'psirt@northwind-medical.example';
let serial = 0;

function report(messageId: string, text = 'The infusion pump accepts unsigned firmware.') {
  return plainMessage(
    {
      from: 'Ada Researcher <ada@lab.example>',
      to: ADDRESS,
      subject: `Pump firmware ${++serial}`,
      messageId,
      extraHeaders: { Date: 'Mon, 07 Dec 2026 10:00:00 +0000' },
    },
    text,
  );
}

const mail = (raw: string): InboundMail => ({
  raw: Buffer.from(raw),
  mailFrom: 'ada@lab.example',
  rcptTo: [ADDRESS],
});

async function caseCount(v: TestVigil): Promise<number> {
  const row = await v.db.kysely
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(dialects)('one case per delivered mail (%s)', (dialect) => {
  let v: TestVigil;
  beforeAll(async () => {
    v = await startTestVigil(dialect);
  });
  afterAll(async () => {
    await v?.destroy();
  });

  it('answers a second delivery of the same mail with the case it made, storing nothing', async () => {
    const raw = report('<same.1@lab.example>');
    const before = await caseCount(v);
    const first = await v.inbound.process(mail(raw));
    expect(first).toMatchObject({ kind: 'case' });
    expect(first.again).toBeUndefined();
    const attachments = await v.db.kysely.selectFrom('attachments').select('id').execute();
    const second = await v.inbound.process(mail(raw));
    expect(second).toEqual({ kind: 'case', caseNumber: first.caseNumber, again: true });
    expect(await caseCount(v)).toBe(before + 1);
    // Not even the original is stored again.
    expect(await v.db.kysely.selectFrom('attachments').select('id').execute()).toHaveLength(
      attachments.length,
    );
  });

  it('keeps the Message-ID out of the database, and tells apart two mails that share one', async () => {
    const before = await caseCount(v);
    const a = await v.inbound.process(mail(report('<reused@host.lab.example>', 'First finding.')));
    const b = await v.inbound.process(mail(report('<reused@host.lab.example>', 'Second finding.')));
    expect(b.caseNumber).not.toBe(a.caseNumber);
    expect(b.again).toBeUndefined();
    expect(await caseCount(v)).toBe(before + 2);
    const rows = await v.db.kysely.selectFrom('inbound_messages').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain('host.lab.example');
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.message_key))).toBe(true);
  });

  it('records nothing for a mail that made no case', async () => {
    const rows = await v.db.kysely.selectFrom('inbound_messages').select('message_key').execute();
    const stray = { ...mail(report('<nowhere@lab.example>')), rcptTo: ['nobody@elsewhere.example'] };
    await expect(v.inbound.process(stray)).rejects.toThrow(/not addressed to any program/);
    expect(await v.db.kysely.selectFrom('inbound_messages').select('message_key').execute()).toHaveLength(
      rows.length,
    );
  });

  it('adds a reply delivered twice to its case once', async () => {
    const made = await v.inbound.process(mail(report('<first-of-thread@lab.example>')));
    // The receipt's Reply-To carries a token; this test sets one it knows.
    const token = randomBytes(16).toString('hex');
    await v.db.kysely
      .updateTable('reports')
      .set({ reply_token_hash: hashToken(token) })
      .where('case_number', '=', made.caseNumber)
      .execute();
    const replyTo = `psirt+r-${token}@northwind-medical.example`;
    const reply = plainMessage(
      {
        from: 'Ada Researcher <ada@lab.example>',
        to: replyTo,
        subject: 'Re: more detail',
        messageId: '<reply.1@lab.example>',
      },
      'The firmware check is skipped on cold boot.',
    );
    const delivery = { raw: Buffer.from(reply), mailFrom: 'ada@lab.example', rcptTo: [replyTo] };
    const messages = async () =>
      (
        await v.db.kysely
          .selectFrom('messages')
          .innerJoin('reports', 'reports.id', 'messages.report_id')
          .select('messages.id')
          .where('reports.case_number', '=', made.caseNumber)
          .execute()
      ).length;
    const before = await messages();
    expect(await v.inbound.process(delivery)).toEqual({ kind: 'reply', caseNumber: made.caseNumber });
    expect(await messages()).toBe(before + 1);
    expect(await v.inbound.process(delivery)).toEqual({
      kind: 'reply',
      caseNumber: made.caseNumber,
      again: true,
    });
    expect(await messages()).toBe(before + 1);

    // Two deliveries at once (two instances, or a poll racing a relay's retry) both pass the
    // lookup before either commits: the key is written in the message's own transaction, so one
    // commits and the other is refused whole (its sender retries and is told "again").
    const racing = plainMessage(
      {
        from: 'Ada Researcher <ada@lab.example>',
        to: replyTo,
        subject: 'Re: and one more',
        messageId: '<reply.2@lab.example>',
      },
      'It is also skipped after a watchdog reset.',
    );
    const twice = { raw: Buffer.from(racing), mailFrom: 'ada@lab.example', rcptTo: [replyTo] };
    const outcomes = await Promise.allSettled([v.inbound.process(twice), v.inbound.process(twice)]);
    const added = outcomes.filter((o) => o.status === 'fulfilled' && o.value.again === undefined);
    expect(added).toHaveLength(1);
    expect(await messages()).toBe(before + 2);
    expect(await v.inbound.process(twice)).toEqual({
      kind: 'reply',
      caseNumber: made.caseNumber,
      again: true,
    });
    expect(await messages()).toBe(before + 2);
  });

  it('answers an SMTP retry of an accepted mail with the same case number', async () => {
    const port = await v.smtp.start(0);
    try {
      const raw = report('<smtp-retry@lab.example>');
      const before = await caseCount(v);
      const first = await sendRaw(port, { from: 'ada@lab.example', to: ADDRESS }, raw);
      const retry = await sendRaw(port, { from: 'ada@lab.example', to: ADDRESS }, raw);
      expect(first.caseNumber).toMatch(/^NWM-/);
      expect(retry.caseNumber).toBe(first.caseNumber);
      expect(await caseCount(v)).toBe(before + 1);
    } finally {
      await v.smtp.stop();
    }
  });
});

describe.skipIf(toolMissing('dovecot')).each(dialects)(
  'IMAP poller after a crash, and its lease (%s)',
  (dialect) => {
    let dovecot: Dovecot;
    let v: TestVigil;
    let boxes = 0;
    const freshBox = () => `D${++boxes}`;

    beforeAll(async () => {
      dovecot = await startDovecot();
      v = await startTestVigil(dialect);
    });
    afterAll(async () => {
      await v?.destroy();
      await dovecot?.destroy();
    });

    const pollerFor = (
      box: string,
      process: (m: InboundMail) => Promise<InboundResult>,
      lease?: { holder: string; ttlMs?: number },
    ) =>
      createImapPoller({
        url: dovecot.url(box),
        routing: programRouting(v.services.programs, 'northwind-medical'),
        process,
        pollSeconds: 60,
        ...(lease ? { lease: { db: v.db.kysely, ...lease } } : {}),
      });

    it('marks a mail committed before a crash without making a second case', async () => {
      const box = freshBox();
      const uid = await dovecot.append(report('<crash@lab.example>'), box);
      const before = await caseCount(v);
      // The commit goes through, then the mailbox is gone before the mark: the poller that took it
      // is abandoned, as a process killed at that moment would be.
      const crashed = pollerFor(box, async (m) => {
        const made = await v.inbound.process(m);
        await dovecot.stop();
        return made;
      });
      await expect(crashed.pollOnce()).rejects.toThrow();
      await dovecot.start();
      expect(await caseCount(v)).toBe(before + 1);
      expect((await dovecot.flags(box)).get(uid)).toContain(PROCESSING_KEYWORD);
      expect((await dovecot.flags(box)).get(uid)).not.toContain(PROCESSED_KEYWORD);

      // The restarted instance knows nothing of it and hands the mail over again.
      const results: InboundResult[] = [];
      const restarted = pollerFor(box, async (m) => {
        const r = await v.inbound.process(m);
        results.push(r);
        return r;
      });
      expect(await restarted.pollOnce()).toEqual({ processed: 1, failed: 0 });
      expect(results).toEqual([expect.objectContaining({ kind: 'case', again: true })]);
      expect(await caseCount(v)).toBe(before + 1);
      const flags = (await dovecot.flags(box)).get(uid);
      expect(flags).toContain(PROCESSED_KEYWORD);
      expect(flags).not.toContain(PROCESSING_KEYWORD);
    });

    it('lets one poller of two poll a mailbox, and hands the mailbox over on stop', async () => {
      const box = freshBox();
      await dovecot.append(report('<lease.1@lab.example>'), box);
      const taken: string[] = [];
      const process = (who: string) => async (m: InboundMail) => {
        taken.push(who);
        return v.inbound.process(m);
      };
      const a = pollerFor(box, process('a'), { holder: 'instance-a' });
      const b = pollerFor(box, process('b'), { holder: 'instance-b' });
      expect(await a.pollOnce()).toEqual({ processed: 1, failed: 0 });
      await dovecot.append(report('<lease.2@lab.example>'), box);
      expect(await b.pollOnce()).toEqual({ processed: 0, failed: 0, skipped: true });
      expect(taken).toEqual(['a']);
      // a stops and gives the lease back: b polls at once, without waiting for it to expire.
      await a.stop();
      expect(await b.pollOnce()).toEqual({ processed: 1, failed: 0 });
      expect(taken).toEqual(['a', 'b']);
      await b.stop();
    });

    it('takes the mailbox over from a holder that stopped renewing once its lease expires', async () => {
      const box = freshBox();
      await dovecot.append(report('<before-takeover@lab.example>'), box);
      const a = pollerFor(box, (m) => v.inbound.process(m), { holder: 'dead-a', ttlMs: 1500 });
      const b = pollerFor(box, (m) => v.inbound.process(m), { holder: 'live-b', ttlMs: 1500 });
      expect(await a.pollOnce()).toEqual({ processed: 1, failed: 0 });
      // a "dies": it is never stopped, so it never releases and never renews.
      expect((await b.pollOnce()).skipped).toBe(true);
      await new Promise((r) => setTimeout(r, 1600));
      await dovecot.append(report('<takeover@lab.example>'), box);
      expect(await b.pollOnce()).toEqual({ processed: 1, failed: 0 });
      expect((await a.pollOnce()).skipped).toBe(true);
      await b.stop();
    });
  },
);
