import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import type { Program } from '../src/programs/index.js';
import { fieldFor } from '../src/reports/index.js';
import { validAnswers } from './helpers/reports.js';
import { type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

describe.each(dialects)('the receipt mail reaches a real SMTP peer through the outbox (%s)', (dialect) => {
  let peer: SmtpPeer;
  let v: TestVigil;
  let p: Program;
  const clock = createManualClock(new Date('2026-11-23T15:00:00Z'));

  beforeAll(async () => {
    peer = await startSmtpPeer();
    v = await startTestVigil(dialect, {
      clock,
      worker: true,
      env: { VIGIL_SMTP_URL: peer.url, VIGIL_MAIL_FROM: 'Lakeside PSIRT <psirt@vigil.test>' },
    });
    p = (await v.services.programs.list()).find((x) => x.slug === 'lakeside-health') as Program;
  });
  afterAll(async () => {
    await v?.destroy();
    await peer?.close();
  });

  it('sends one receipt with the case number and private link, and no report details', async () => {
    const canary = `DETAIL${randomBytes(8).toString('hex')}`;
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.slug}/reports`,
      payload: { fields: validAnswers(p, `secret detail ${canary}`, 'finder@example.org') },
    });
    expect(res.statusCode).toBe(201);
    const { caseNumber, reporterUrl } = res.json();
    expect(v.worker).toBeDefined();
    expect(await v.worker?.runOnce()).toEqual({ sent: 1, failed: 0 });
    expect(await v.worker?.runOnce()).toEqual({ sent: 0, failed: 0 });
    expect(peer.received).toHaveLength(1);
    const mail = peer.received[0];
    expect(mail?.rcptTo).toEqual(['finder@example.org']);
    expect(mail?.parsed.subject).toBe(`[${caseNumber}] Your vulnerability report was received`);
    expect(mail?.parsed.from?.text).toContain('psirt@vigil.test');
    expect(mail?.parsed.messageId).toMatch(new RegExp(`^<${caseNumber.toLowerCase()}\\.receipt\\.`));
    expect(mail?.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    const text = mail?.parsed.text ?? '';
    expect(text).toContain(caseNumber);
    expect(text).toContain(reporterUrl);
    // 2 business days in Toronto from Monday 23 November 2026: end of Wednesday 25 November.
    expect(text).toContain('Wednesday 25 November 2026, 23:59');
    expect(mail?.raw.includes(canary)).toBe(false);
    const row = await v.db.kysely.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row.state).toBe('sent');
  });

  it('queues no mail when the reporter left no email address', async () => {
    const answers = validAnswers(p, 'anonymous');
    const email = fieldFor(p.definition, 'contact.email');
    if (email && !email.required) {
      delete answers[email.id];
      const before = await v.db.kysely.selectFrom('outbox').select('id').execute();
      const res = await v.app.inject({
        method: 'POST',
        url: `/api/v1/programs/${p.slug}/reports`,
        payload: { fields: answers },
      });
      expect(res.statusCode).toBe(201);
      const after = await v.db.kysely.selectFrom('outbox').select('id').execute();
      expect(after.length).toBe(before.length);
    } else {
      expect(email?.required).toBe(true);
    }
  });
});
