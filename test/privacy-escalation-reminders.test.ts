import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createManualClock } from '../src/core/clock.js';
import { CHECKLIST_ITEMS } from '../src/privacy-escalation/index.js';
import type { Program } from '../src/programs/index.js';
import { validAnswers } from './helpers/reports.js';
import { deliverQueued, type ReceivedMail, type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * Reminders of open privacy escalations, through the real job, outbox worker and SMTP peer, with
 * the clock moved: 14 and 3 calendar days before the due date (from the start of that day in
 * Chicago) and once overdue, each once, to the same people as the opening mail; none once closed.
 * `northwind-short` (5 days, German first, no privacy officer) shows a level that fell before the
 * escalation opened is skipped, the fallback recipients, and English as the fallback language.
 */
describe.each(dialects)('privacy escalation reminders (%s)', (dialect) => {
  // Monday 2 March 2026, 09:00 in Chicago (CST, UTC−6); summer time starts 8 March.
  const clock = createManualClock(new Date('2026-03-02T15:00:00.000Z'));
  const canary = `CANARY-${randomBytes(8).toString('hex')}`;
  const reporter = `finder-${randomBytes(4).toString('hex')}@example.org`;
  let peer: SmtpPeer;
  let v: TestVigil;
  let northwind: Program;
  let short: Program;
  let officerToken = '';

  const flush = async () => (await deliverQueued(v, peer)).filter((m) => m.rcptTo[0] !== reporter);

  async function openEscalation(p: Program): Promise<string> {
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.slug}/reports`,
      payload: { fields: { ...validAnswers(p, canary, reporter), phiAccessed: 'yes' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().caseNumber as string;
  }

  const escalation = (caseNumber: string) => `/api/v1/reports/${caseNumber}/privacy-escalation`;
  const tick = (caseNumber: string, item: string) =>
    v.app.inject({
      method: 'PUT',
      url: `${escalation(caseNumber)}/checklist/${item}`,
      headers: { authorization: `Bearer ${officerToken}` },
      payload: { done: true },
    });
  const reminderRows = async () =>
    (
      await v.db.kysely
        .selectFrom('privacy_escalation_reminders')
        .innerJoin(
          'privacy_escalations',
          'privacy_escalations.id',
          'privacy_escalation_reminders.escalation_id',
        )
        .innerJoin('reports', 'reports.id', 'privacy_escalations.report_id')
        .select(['reports.case_number', 'privacy_escalation_reminders.level'])
        .orderBy('reports.case_number')
        .orderBy('privacy_escalation_reminders.level')
        .execute()
    ).map((r) => `${r.case_number}:${r.level}`);

  beforeAll(async () => {
    peer = await startSmtpPeer();
    v = await startTestVigil(dialect, { env: { VIGIL_SMTP_URL: peer.url }, worker: true, clock });
    northwind = await v.services.programs.get('northwind-medical');
    const copy = parse(await v.services.programs.exportYaml('northwind-medical')) as Record<string, unknown>;
    await v.services.programs.importYaml(
      stringify({
        ...copy,
        slug: 'northwind-short',
        name: 'Northwind short program',
        casePrefix: 'NWS',
        languages: ['de', 'en'],
        privacy: { escalationDays: 5 },
      }),
      'test',
    );
    short = await v.services.programs.get('northwind-short');
    const accounts = v.services.accounts;
    await accounts.createUser(
      { email: 'officer@er.test', role: 'handler', program: 'northwind-medical', duties: ['privacy'] },
      'test',
    );
    await accounts.createUser({ email: 'lead@er.test', role: 'lead', program: 'northwind-medical' }, 'test');
    await accounts.createUser(
      { email: 'short-lead@er.test', role: 'lead', program: 'northwind-short' },
      'test',
    );
    officerToken = (await accounts.createToken({ userEmail: 'officer@er.test', scope: 'read-write' }, 'test'))
      .token;
  });

  afterAll(async () => {
    await v?.destroy();
    await peer?.close();
  });

  let caseNumber: string;
  let closedCase: string;

  it('reminds nobody while the first reminder day has not begun', async () => {
    caseNumber = await openEscalation(northwind);
    closedCase = await openEscalation(northwind);
    // The opening mails (one per case) to the privacy officer.
    expect((await flush()).map((m) => m.rcptTo)).toEqual([['officer@er.test'], ['officer@er.test']]);
    expect(await v.escalationReminders.runOnce()).toEqual({ reminders: 0, queued: 0 });
    // Due at the end of Friday 1 May in Chicago; 14 days before is Friday 17 April, whose first
    // instant is 05:00 UTC (CDT). One minute before, nothing.
    expect(await v.escalationReminders.runOnce(new Date('2026-04-17T04:59:00.000Z'))).toEqual({
      reminders: 0,
      queued: 0,
    });
  });

  it('a closed escalation is never reminded', async () => {
    for (const item of CHECKLIST_ITEMS) expect((await tick(closedCase, item.id)).statusCode).toBe(200);
    const closed = await v.app.inject({
      method: 'POST',
      url: `${escalation(closedCase)}/close`,
      headers: { authorization: `Bearer ${officerToken}` },
    });
    expect(closed.statusCode, closed.body).toBe(200);
  });

  it('14 days before: one mail to the privacy officer, once, listing the open items', async () => {
    expect((await tick(caseNumber, 'assess-access')).statusCode).toBe(200);
    clock.set(new Date('2026-04-17T05:00:00.000Z'));
    expect(await v.escalationReminders.runOnce()).toEqual({ reminders: 1, queued: 1 });
    expect(await v.escalationReminders.runOnce()).toEqual({ reminders: 0, queued: 0 });
    const mails = await flush();
    expect(mails.map((m) => m.rcptTo)).toEqual([['officer@er.test']]);
    const mail = mails[0] as ReceivedMail;
    expect(mail.parsed.subject).toBe(`[${caseNumber}] Privacy escalation due in 14 days`);
    const text = mail.parsed.text ?? '';
    expect(text).toContain('Friday 1 May 2026, 23:59 CDT (America/Chicago)');
    expect(text).toContain(`https://vigil.test/console/cases/${caseNumber}`);
    for (const item of CHECKLIST_ITEMS.slice(1)) expect(text).toContain(`- ${item.label}`);
    expect(text).not.toContain(CHECKLIST_ITEMS[0]?.label);
    expect(text).not.toContain('Nobody holds the privacy duty');
    const raw = mail.raw.toString('utf8');
    for (const secret of [canary, reporter]) expect(raw).not.toContain(secret);
    expect(mail.parsed.headers.get('x-vigil-case')).toBe(caseNumber);
  });

  it('3 days before, then overdue: each once, even when two passes race', async () => {
    // Tuesday 28 April, 00:00 CDT.
    clock.set(new Date('2026-04-28T05:00:00.000Z'));
    const [a, b] = await Promise.all([v.escalationReminders.runOnce(), v.escalationReminders.runOnce()]);
    expect((a?.reminders ?? 0) + (b?.reminders ?? 0)).toBe(1);
    const soon = await flush();
    expect(soon.map((m) => m.parsed.subject)).toEqual([`[${caseNumber}] Privacy escalation due in 3 days`]);

    clock.set(new Date('2026-05-02T04:59:59.998Z'));
    expect(await v.escalationReminders.runOnce()).toEqual({ reminders: 0, queued: 0 });
    clock.set(new Date('2026-05-02T04:59:59.999Z'));
    expect(await v.escalationReminders.runOnce()).toEqual({ reminders: 1, queued: 1 });
    clock.advance(30 * 86_400_000);
    expect(await v.escalationReminders.runOnce()).toEqual({ reminders: 0, queued: 0 });
    const overdue = await flush();
    expect(overdue.map((m) => [m.rcptTo[0], m.parsed.subject])).toEqual([
      ['officer@er.test', `[${caseNumber}] Privacy escalation overdue`],
    ]);
    expect(overdue[0]?.parsed.text).toContain('Was due: Friday 1 May 2026, 23:59 CDT (America/Chicago)');
    expect(await reminderRows()).toEqual([
      `${caseNumber}:14-days`,
      `${caseNumber}:3-days`,
      `${caseNumber}:overdue`,
    ]);
  });

  it('skips a level that fell before the escalation opened; a late job sends only the latest level', async () => {
    clock.set(new Date('2026-06-01T15:00:00.000Z'));
    const shortCase = await openEscalation(short);
    const opening = await flush();
    expect(opening.map((m) => m.rcptTo)).toEqual([['short-lead@er.test']]);
    // Due at the end of Saturday 6 June: the 14-day moment (23 May) came before the opening.
    expect(await v.escalationReminders.runOnce()).toEqual({ reminders: 0, queued: 0 });
    clock.set(new Date('2026-06-03T05:00:00.000Z'));
    expect(await v.escalationReminders.runOnce()).toEqual({ reminders: 1, queued: 1 });
    const soon = await flush();
    expect(soon.map((m) => [m.rcptTo[0], m.parsed.subject])).toEqual([
      ['short-lead@er.test', `[${shortCase}] Privacy escalation due in 3 days`],
    ]);
    // German is listed first but has no catalogue: words and dates are English.
    const text = soon[0]?.parsed.text ?? '';
    expect(text).toContain('Nobody holds the privacy duty in Northwind short program');
    expect(text).toContain('Saturday 6 June 2026, 23:59 CDT (America/Chicago)');
    expect(text).not.toContain('Samstag');

    // Reminders of a second case first run a week after its deadline: only "overdue" goes out.
    clock.set(new Date('2026-06-10T15:00:00.000Z'));
    const lateCase = await openEscalation(short);
    await flush();
    clock.set(new Date('2026-06-22T15:00:00.000Z'));
    expect(await v.escalationReminders.runOnce()).toEqual({ reminders: 2, queued: 2 });
    const late = await flush();
    expect(late.map((m) => m.parsed.subject).sort()).toEqual(
      [`[${lateCase}] Privacy escalation overdue`, `[${shortCase}] Privacy escalation overdue`].sort(),
    );
    expect((await reminderRows()).filter((r) => r.startsWith(lateCase))).toEqual([
      `${lateCase}:3-days`,
      `${lateCase}:overdue`,
    ]);
    expect((await reminderRows()).some((r) => r.startsWith(closedCase))).toBe(false);
    expect(await v.escalationReminders.runOnce()).toEqual({ reminders: 0, queued: 0 });
  });
});
