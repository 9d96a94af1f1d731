import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createManualClock } from '../src/core/clock.js';
import { CHECKLIST_ITEMS } from '../src/privacy-escalation/index.js';
import type { Program } from '../src/programs/index.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { deliverQueued, type ReceivedMail, type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * Privacy escalations end to end: reports through the JSON API and the HTML form with the
 * reporter's "did you reach PHI?" answer, the outbox worker and a real SMTP peer, then the
 * checklist worked through the API by tokens with and without the privacy duty.
 * Northwind (Chicago) asks the question; its copy `northwind-trial` shortens the deadline to 30
 * days and has no privacy officer, so its notices go to its lead.
 */
describe.each(dialects)('privacy escalations (%s)', (dialect) => {
  // Monday 2 March 2026, 09:00 in Chicago.
  const clock = createManualClock(new Date('2026-03-02T15:00:00.000Z'));
  const canary = `CANARY-${randomBytes(8).toString('hex')}`;
  const reporter = `finder-${randomBytes(4).toString('hex')}@example.org`;
  let peer: SmtpPeer;
  let v: TestVigil;
  let northwind: Program;
  let trial: Program;
  const tokens: Record<'officer' | 'officerRead' | 'handler' | 'outsider', string> = {
    officer: '',
    officerRead: '',
    handler: '',
    outsider: '',
  };

  /** Send everything queued and return what the peer received since the last call. */
  const flush = () => deliverQueued(v, peer);

  async function submitApi(p: Program, phiAccessed: string): Promise<string> {
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.slug}/reports`,
      payload: { fields: { ...validAnswers(p, canary, reporter), phiAccessed } },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().caseNumber as string;
  }

  const call = (method: 'GET' | 'PUT' | 'POST', url: string, who: keyof typeof tokens, payload?: object) =>
    v.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, payload });
  const escalationUrl = (caseNumber: string) => `/api/v1/reports/${caseNumber}/privacy-escalation`;
  const tick = (caseNumber: string, item: string, body: object, who: keyof typeof tokens = 'officer') =>
    call('PUT', `${escalationUrl(caseNumber)}/checklist/${item}`, who, body);

  const auditOf = async (caseNumber: string) =>
    (
      await v.db.kysely
        .selectFrom('audit_log')
        .innerJoin('reports', 'reports.id', 'audit_log.report_id')
        .select(['audit_log.action', 'audit_log.detail'])
        .where('reports.case_number', '=', caseNumber)
        .where('audit_log.action', 'like', 'privacy-escalation.%')
        .orderBy('audit_log.seq')
        .execute()
    ).map((a) => ({ action: a.action, detail: JSON.parse(a.detail) as Record<string, unknown> }));

  beforeAll(async () => {
    peer = await startSmtpPeer();
    v = await startTestVigil(dialect, { env: { VIGIL_SMTP_URL: peer.url }, worker: true, clock });
    northwind = await v.services.programs.get('northwind-medical');
    const copy = parse(await v.services.programs.exportYaml('northwind-medical')) as Record<string, unknown>;
    await v.services.programs.importYaml(
      stringify({
        ...copy,
        slug: 'northwind-trial',
        name: 'Northwind clinical trial program',
        casePrefix: 'NWT',
        privacy: { escalationDays: 30 },
      }),
      'test',
    );
    trial = await v.services.programs.get('northwind-trial');

    const accounts = v.services.accounts;
    const grants = [
      ['officer@pe.test', 'handler', 'northwind-medical', ['privacy']],
      ['handler@pe.test', 'handler', 'northwind-medical', []],
      ['lead@pe.test', 'lead', 'northwind-medical', []],
      ['trial-lead@pe.test', 'lead', 'northwind-trial', []],
      ['outsider@pe.test', 'handler', 'lakeside-health', ['privacy']],
    ] as const;
    for (const [email, role, program, duties] of grants)
      await accounts.createUser({ email, role, program, duties: [...duties] }, 'test');
    const token = async (email: string, scope: 'read' | 'read-write' = 'read-write') =>
      (await accounts.createToken({ userEmail: email, scope }, 'test')).token;
    tokens.officer = await token('officer@pe.test');
    tokens.officerRead = await token('officer@pe.test', 'read');
    tokens.handler = await token('handler@pe.test');
    tokens.outsider = await token('outsider@pe.test');
  });

  afterAll(async () => {
    await v?.destroy();
    await peer?.close();
  });

  it('validates the deadline setting: at most 60 calendar days, no unknown keys', async () => {
    const copy = parse(await v.services.programs.exportYaml('northwind-medical')) as Record<string, unknown>;
    for (const privacy of [{ escalationDays: 61 }, { escalationDays: 0 }, { escalationDay: 30 }]) {
      await expect(
        v.services.programs.importYaml(stringify({ ...copy, slug: 'northwind-bad', privacy }), 'test'),
      ).rejects.toMatchObject({
        fields: [expect.objectContaining({ path: expect.stringMatching(/^privacy/) })],
      });
    }
  });

  it('a "no" answer opens nothing', async () => {
    const caseNumber = await submitApi(northwind, 'no');
    const mails = await flush();
    expect(mails.map((m) => m.rcptTo[0])).toEqual([reporter]);
    expect((await call('GET', escalationUrl(caseNumber), 'officer')).statusCode).toBe(404);
    const detail = await call('GET', `/api/v1/reports/${caseNumber}`, 'officer');
    expect(detail.json().privacyEscalation).toBeNull();
    expect(await auditOf(caseNumber)).toEqual([]);
  });

  let caseNumber: string;

  it('a "yes" through the API opens the escalation, due 60 days on, and mails the privacy officer once', async () => {
    caseNumber = await submitApi(northwind, 'yes');
    // The end of Friday 1 May 2026 in Chicago (CDT): 60 calendar days after 2 March.
    const dueAt = '2026-05-02T04:59:59.999Z';
    const res = await call('GET', escalationUrl(caseNumber), 'officer');
    expect(res.statusCode, res.body).toBe(200);
    const e = res.json();
    expect(e).toMatchObject({
      caseNumber,
      reason: 'reporter-accessed-phi',
      dueAt,
      open: true,
      closedAt: null,
    });
    expect(e.checklist.map((i: { id: string; done: boolean }) => [i.id, i.done])).toEqual(
      CHECKLIST_ITEMS.map((i) => [i.id, false]),
    );
    const detail = await call('GET', `/api/v1/reports/${caseNumber}`, 'handler');
    expect(detail.json().privacyEscalation).toEqual({ dueAt, open: true });

    const mails = await flush();
    const staff = mails.filter((m) => m.rcptTo[0] !== reporter);
    expect(staff.map((m) => m.rcptTo)).toEqual([['officer@pe.test']]);
    const mail = staff[0] as ReceivedMail;
    expect(mail.parsed.subject).toBe(
      `[${caseNumber}] Privacy escalation: the reporter reached PHI or personal data`,
    );
    expect(mail.parsed.text).toContain(`https://vigil.test/console/cases/${caseNumber}`);
    expect(mail.parsed.text).toContain('Friday 1 May 2026, 23:59 CDT (America/Chicago)');
    expect(mail.parsed.text).not.toContain('Nobody holds the privacy duty');
    // No report content and no reporter contact: the mail goes out in clear.
    const raw = mail.raw.toString('utf8');
    for (const secret of [canary, reporter, 'Ada Researcher', 'Answer to']) expect(raw).not.toContain(secret);
    expect(await flush()).toEqual([]);

    expect(await auditOf(caseNumber)).toEqual([
      {
        action: 'privacy-escalation.open',
        detail: {
          caseNumber,
          reason: 'reporter-accessed-phi',
          dueAt,
          days: 60,
          notified: 1,
          notifiedAs: 'privacy',
        },
      },
    ]);
  });

  it('a "yes" through the HTML form opens one too; a program override shortens it and mails the lead', async () => {
    const { body, contentType } = multipartBody({
      ...validAnswers(trial, canary, reporter),
      phiAccessed: 'yes',
    });
    const res = await v.app.inject({
      method: 'POST',
      url: `/p/${trial.slug}/report`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(303);
    const escalation = await v.db.kysely
      .selectFrom('privacy_escalations')
      .innerJoin('reports', 'reports.id', 'privacy_escalations.report_id')
      .select(['reports.case_number', 'privacy_escalations.due_at', 'reports.channel'])
      .where('privacy_escalations.program_id', '=', trial.id)
      .executeTakeFirstOrThrow();
    // 30 calendar days after 2 March: the end of Wednesday 1 April in Chicago.
    expect(escalation).toMatchObject({ due_at: '2026-04-02T04:59:59.999Z', channel: 'web' });

    const staff = (await flush()).filter((m) => m.rcptTo[0] !== reporter);
    expect(staff.map((m) => m.rcptTo)).toEqual([['trial-lead@pe.test']]);
    const text = staff[0]?.parsed.text ?? '';
    expect(text).toContain('Nobody holds the privacy duty in Northwind clinical trial program');
    expect(text).toContain(`https://vigil.test/console/cases/${escalation.case_number}`);
    expect(text).not.toContain(canary);
    expect(await auditOf(escalation.case_number)).toMatchObject([
      { action: 'privacy-escalation.open', detail: { days: 30, notified: 1, notifiedAs: 'fallback' } },
    ]);
  });

  it('a handler without the duty reads but cannot tick or close; other programs see nothing', async () => {
    expect((await call('GET', escalationUrl(caseNumber), 'handler')).statusCode).toBe(200);
    const refused = await tick(caseNumber, 'assess-access', { done: true }, 'handler');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toContain('Only a privacy officer of northwind-medical');
    expect((await call('POST', `${escalationUrl(caseNumber)}/close`, 'handler')).statusCode).toBe(403);
    // The officer's read-only token reads, never changes.
    expect((await call('GET', escalationUrl(caseNumber), 'officerRead')).statusCode).toBe(200);
    expect((await tick(caseNumber, 'assess-access', { done: true }, 'officerRead')).statusCode).toBe(403);
    // A privacy officer of another program cannot tell the case exists.
    expect((await call('GET', escalationUrl(caseNumber), 'outsider')).statusCode).toBe(404);
    expect((await tick(caseNumber, 'assess-access', { done: true }, 'outsider')).statusCode).toBe(404);
    expect((await call('GET', escalationUrl(caseNumber), 'officer')).json().checklist[0].done).toBe(false);
  });

  it('refuses to close with open items (naming them), then closes once all are done', async () => {
    const first = await tick(caseNumber, 'assess-access', {
      done: true,
      note: 'Reached the test database only; no export.',
    });
    expect(first.statusCode, first.body).toBe(200);
    const item = first.json().checklist[0];
    expect(item).toMatchObject({
      id: 'assess-access',
      done: true,
      doneBy: { email: 'officer@pe.test' },
      note: 'Reached the test database only; no export.',
    });
    expect(item.doneAt).toEqual(expect.any(String));
    expect((await tick(caseNumber, 'no-such-item', { done: true })).statusCode).toBe(400);

    const early = await call('POST', `${escalationUrl(caseNumber)}/close`, 'officer');
    expect(early.statusCode).toBe(409);
    const open = CHECKLIST_ITEMS.slice(1).map((i) => i.id);
    for (const id of open) expect(early.json().message).toContain(id);
    expect(early.json().message).not.toContain('assess-access');

    for (const id of open) expect((await tick(caseNumber, id, { done: true })).statusCode).toBe(200);
    // Unticking reopens an item; closing is refused again until it is done.
    expect((await tick(caseNumber, 'record-outcome', { done: false })).statusCode).toBe(200);
    const again = await call('POST', `${escalationUrl(caseNumber)}/close`, 'officer');
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('record-outcome');
    expect((await tick(caseNumber, 'record-outcome', { done: true })).statusCode).toBe(200);

    const closed = await call('POST', `${escalationUrl(caseNumber)}/close`, 'officer');
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ open: false, closedBy: { email: 'officer@pe.test' } });
    const detail = await call('GET', `/api/v1/reports/${caseNumber}`, 'officer');
    expect(detail.json().privacyEscalation).toEqual({ dueAt: '2026-05-02T04:59:59.999Z', open: false });
    // A closed escalation no longer changes.
    expect((await tick(caseNumber, 'assess-access', { done: false })).statusCode).toBe(409);
  });

  it('audits every change, with no note text in the log, and the note sealed at rest', async () => {
    const audit = await auditOf(caseNumber);
    expect(audit.map((a) => a.action)).toEqual([
      'privacy-escalation.open',
      ...Array(CHECKLIST_ITEMS.length + 2).fill('privacy-escalation.item'),
      'privacy-escalation.close',
    ]);
    expect(audit[1]?.detail).toEqual({ caseNumber, item: 'assess-access', done: true, noted: true });
    expect(JSON.stringify(audit)).not.toContain('test database');
    const row = await v.db.kysely
      .selectFrom('privacy_escalations')
      .select('checklist')
      .where('closed_at', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(row.checklist).not.toContain('test database');
  });
});
