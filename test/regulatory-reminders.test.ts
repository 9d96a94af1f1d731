import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import type { Program } from '../src/programs/index.js';
import { validAnswers } from './helpers/reports.js';
import { deliverQueued, type ReceivedMail, type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * Reminders of running regulatory clocks through the real job (`regulatoryReminders.runOnce`),
 * outbox worker and SMTP peer, with the clock moved: at half and four fifths of each window and
 * once overdue, each once. A CRA early warning (24 h) on Northwind goes to the leads and the
 * assignee; a GDPR processor notice (24 h) on Lakeside goes to the privacy officer and the
 * assignee; a missed one goes to leads and privacy officers together. A submitted clock and a
 * waiting one are never reminded; a first pass past several levels sends only the latest.
 */
describe.each(dialects)('regulatory reminders (%s)', (dialect) => {
  // Monday 2 November 2026, 09:00 in Chicago (CST), 10:00 in Toronto (EST).
  const t0 = Date.parse('2026-11-02T15:00:00.000Z');
  const hours = (h: number) => new Date(t0 + h * 3_600_000);
  const clock = createManualClock(new Date(t0));
  const canary = `CANARY-${randomBytes(8).toString('hex')}`;
  const reporter = `finder-${randomBytes(4).toString('hex')}@example.org`;
  const reasons: string[] = [];
  const because = (what: string) => {
    const r = `${what} ${randomBytes(6).toString('hex')}`;
    reasons.push(r);
    return r;
  };
  let peer: SmtpPeer;
  let v: TestVigil;
  const tokens: Record<'lead' | 'lkLead', string> = { lead: '', lkLead: '' };
  let craCase: string;
  let submittedCase: string;
  let lkCase: string;

  const flush = async () => (await deliverQueued(v, peer)).filter((m) => m.rcptTo[0] !== reporter);
  const run = () => v.regulatoryReminders.runOnce();
  const call = (who: keyof typeof tokens, url: string, payload: object) =>
    v.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${tokens[who]}` }, payload });
  /** Each mail as "recipient: subject", sorted. */
  const summary = (mails: ReceivedMail[]) => mails.map((m) => `${m.rcptTo[0]}: ${m.parsed.subject}`).sort();

  async function submitCase(p: Program, product: string): Promise<string> {
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.slug}/reports`,
      payload: { fields: { ...validAnswers(p, canary, reporter), product } },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().caseNumber as string;
  }
  async function trigger(who: keyof typeof tokens, caseNumber: string, body: object) {
    const res = await call(who, `/api/v1/reports/${caseNumber}/regulatory/triggers`, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { clocks: { id: string; duty: string; state: string }[] };
  }
  const reminderRows = async () =>
    (
      await v.db.kysely
        .selectFrom('regulatory_reminders')
        .innerJoin('regulatory_clocks', 'regulatory_clocks.id', 'regulatory_reminders.clock_id')
        .innerJoin('reports', 'reports.id', 'regulatory_clocks.report_id')
        .select(['reports.case_number', 'regulatory_clocks.duty', 'regulatory_reminders.level'])
        .execute()
    )
      .map((r) => `${r.case_number}:${r.duty}:${r.level}`)
      .sort();

  beforeAll(async () => {
    peer = await startSmtpPeer();
    v = await startTestVigil(dialect, {
      env: {
        VIGIL_SMTP_URL: peer.url,
        VIGIL_POW_ADDRESS_FREE_PER_HOUR: '1000',
        VIGIL_POW_QUIET_PER_HOUR: '1000',
      },
      worker: true,
      clock,
    });
    const accounts = v.services.accounts;
    const grants = [
      ['lead@rr.test', 'lead', 'northwind-medical', []],
      ['handler@rr.test', 'handler', 'northwind-medical', []],
      ['nw-officer@rr.test', 'handler', 'northwind-medical', ['privacy']],
      ['lk-lead@rr.test', 'lead', 'lakeside-health', []],
      ['lk-handler@rr.test', 'handler', 'lakeside-health', []],
      ['lk-officer@rr.test', 'handler', 'lakeside-health', ['privacy']],
    ] as const;
    for (const [email, role, program, duties] of grants)
      await accounts.createUser({ email, role, program, duties: [...duties] }, 'test');
    tokens.lead = (
      await accounts.createToken({ userEmail: 'lead@rr.test', scope: 'read-write' }, 'test')
    ).token;
    tokens.lkLead = (
      await accounts.createToken({ userEmail: 'lk-lead@rr.test', scope: 'read-write' }, 'test')
    ).token;

    const northwind = await v.services.programs.get('northwind-medical');
    const lakeside = await v.services.programs.get('lakeside-health');
    craCase = await submitCase(northwind, 'harbor-gateway');
    submittedCase = await submitCase(northwind, 'harbor-gateway');
    lkCase = await submitCase(lakeside, 'lakeside-platform');
    for (const [who, caseNumber, email] of [
      ['lead', craCase, 'handler@rr.test'],
      ['lkLead', lkCase, 'lk-handler@rr.test'],
    ] as const) {
      const res = await call(who, `/api/v1/reports/${caseNumber}/assign`, { email });
      expect(res.statusCode, res.body).toBe(200);
    }
    await flush();
  });

  afterAll(async () => {
    await v?.destroy();
    await peer?.close();
  });

  it('reminds nobody before half of a window has passed, and never a waiting clock', async () => {
    await trigger('lead', craCase, { kind: 'actively-exploited', reason: because('Exploited') });
    await trigger('lkLead', lkCase, { kind: 'personal-data-breach', reason: because('EU export') });
    // Submitted at once: its early warning and notification never run out; its final report waits.
    const done = await trigger('lead', submittedCase, {
      kind: 'actively-exploited',
      reason: because('Seen'),
    });
    for (const c of done.clocks.filter((x) => x.state === 'running')) {
      const res = await call('lead', `/api/v1/reports/${submittedCase}/regulatory/clocks/${c.id}/submit`, {
        reference: `ENISA-${c.duty}`,
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(await run()).toEqual({ reminders: 0, queued: 0 });
    clock.set(new Date(hours(12).getTime() - 1));
    expect(await run()).toEqual({ reminders: 0, queued: 0 });
    expect(await flush()).toEqual([]);
  });

  it('at half time: leads and assignee for the CRA, privacy officer and assignee for the GDPR; once', async () => {
    clock.set(hours(12));
    expect(await run()).toEqual({ reminders: 2, queued: 4 });
    expect(await run()).toEqual({ reminders: 0, queued: 0 });
    const mails = await flush();
    const cra = 'EU Cyber Resilience Act: Early warning of an actively exploited vulnerability';
    const gdpr = 'GDPR: Notify the controller without undue delay';
    expect(summary(mails)).toEqual(
      [
        `handler@rr.test: [${craCase}] ${cra} due Tuesday 3 November 2026, 09:00 CST (America/Chicago)`,
        `lead@rr.test: [${craCase}] ${cra} due Tuesday 3 November 2026, 09:00 CST (America/Chicago)`,
        `lk-handler@rr.test: [${lkCase}] ${gdpr} due Tuesday 3 November 2026, 10:00 EST (America/Toronto)`,
        `lk-officer@rr.test: [${lkCase}] ${gdpr} due Tuesday 3 November 2026, 10:00 EST (America/Toronto)`,
      ].sort(),
    );
    const text = mails.find((m) => m.rcptTo[0] === 'lead@rr.test')?.parsed.text ?? '';
    expect(text).toContain('Art. 14(2)(a)');
    expect(text).toContain('Window: 24 hours');
    expect(text).toContain(`https://vigil.test/console/cases/${craCase}`);
    const gdprText = mails.find((m) => m.rcptTo[0] === 'lk-officer@rr.test')?.parsed.text ?? '';
    expect(gdprText).toContain('Window: without undue delay (program target: 24 hours)');
    for (const m of mails) expect(m.parsed.headers.get('x-vigil-case')).toMatch(/^(NWM|LHD)-2026-/);
  });

  it('at four fifths: the same people again, once', async () => {
    // 0.8 × 24 h = 19 h 12 min.
    clock.set(new Date(hours(19.2).getTime() - 1));
    expect(await run()).toEqual({ reminders: 0, queued: 0 });
    clock.set(hours(19.2));
    const [a, b] = await Promise.all([run(), run()]);
    expect((a?.reminders ?? 0) + (b?.reminders ?? 0)).toBe(2);
    expect(await run()).toEqual({ reminders: 0, queued: 0 });
    expect((await flush()).map((m) => m.rcptTo[0]).sort()).toEqual([
      'handler@rr.test',
      'lead@rr.test',
      'lk-handler@rr.test',
      'lk-officer@rr.test',
    ]);
  });

  it('overdue: escalated to leads and privacy officers (and the assignee), once', async () => {
    clock.set(new Date(hours(24).getTime() + 1));
    expect(await run()).toEqual({ reminders: 2, queued: 6 });
    expect(await run()).toEqual({ reminders: 0, queued: 0 });
    const mails = await flush();
    expect(summary(mails)).toEqual(
      [
        `handler@rr.test: [${craCase}] Missed: EU Cyber Resilience Act: Early warning of an actively exploited vulnerability`,
        `lead@rr.test: [${craCase}] Missed: EU Cyber Resilience Act: Early warning of an actively exploited vulnerability`,
        `nw-officer@rr.test: [${craCase}] Missed: EU Cyber Resilience Act: Early warning of an actively exploited vulnerability`,
        `lk-handler@rr.test: [${lkCase}] Missed: GDPR: Notify the controller without undue delay`,
        `lk-lead@rr.test: [${lkCase}] Missed: GDPR: Notify the controller without undue delay`,
        `lk-officer@rr.test: [${lkCase}] Missed: GDPR: Notify the controller without undue delay`,
      ].sort(),
    );
    expect(mails[0]?.parsed.text).toContain('Was due: Tuesday 3 November 2026');
  });

  it('a clock submitted before its half time is never reminded', async () => {
    // The 72-hour notification's half is at 36 h; submitted at 30 h, it never is.
    const view = await v.app.inject({
      method: 'GET',
      url: `/api/v1/reports/${craCase}/regulatory`,
      headers: { authorization: `Bearer ${tokens.lead}` },
    });
    const notification = (view.json().clocks as { id: string; duty: string }[]).find(
      (c) => c.duty === 'cra-vuln-notification',
    );
    clock.set(hours(30));
    const res = await call(
      'lead',
      `/api/v1/reports/${craCase}/regulatory/clocks/${notification?.id}/submit`,
      {
        reference: 'ENISA-VN-1',
      },
    );
    expect(res.statusCode, res.body).toBe(200);
    for (const h of [36, 57.6, 72, 24 * 30]) {
      clock.set(hours(h));
      expect(await run()).toEqual({ reminders: 0, queued: 0 });
    }
    expect(await flush()).toEqual([]);
  });

  it('a first pass past several levels sends only the latest, and marks the others', async () => {
    // A 60-day HIPAA notice recorded now, first looked at by the job after 61 days.
    await trigger('lkLead', lkCase, {
      kind: 'phi-breach',
      individualsAffected: 40,
      reason: because('Support export'),
    });
    clock.set(new Date(clock.now().getTime() + 61 * 86_400_000));
    expect(await run()).toEqual({ reminders: 1, queued: 3 });
    expect(await run()).toEqual({ reminders: 0, queued: 0 });
    expect(summary(await flush())).toEqual(
      [
        `lk-handler@rr.test: [${lkCase}] Missed: HIPAA Breach Notification Rule: Notify the covered entity`,
        `lk-lead@rr.test: [${lkCase}] Missed: HIPAA Breach Notification Rule: Notify the covered entity`,
        `lk-officer@rr.test: [${lkCase}] Missed: HIPAA Breach Notification Rule: Notify the covered entity`,
      ].sort(),
    );
    expect(await reminderRows()).toEqual(
      [
        `${craCase}:cra-vuln-early-warning:half`,
        `${craCase}:cra-vuln-early-warning:four-fifths`,
        `${craCase}:cra-vuln-early-warning:overdue`,
        `${lkCase}:gdpr-controller:half`,
        `${lkCase}:gdpr-controller:four-fifths`,
        `${lkCase}:gdpr-controller:overdue`,
        `${lkCase}:hipaa-business-associate:half`,
        `${lkCase}:hipaa-business-associate:four-fifths`,
        `${lkCase}:hipaa-business-associate:overdue`,
      ].sort(),
    );
  });

  it('no mail carried report content, the reporter or a reason', () => {
    const staff = peer.received.filter((m) => m.rcptTo[0] !== reporter);
    const raw = staff.map((m) => m.raw.toString('utf8')).join('\n');
    expect(staff.some((m) => m.parsed.subject?.includes('Missed'))).toBe(true);
    for (const secret of [canary, reporter, 'Ada Researcher', ...reasons]) expect(raw).not.toContain(secret);
    expect(raw).not.toContain(submittedCase);
  });
});
