import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { StaffCaller } from '../src/accounts/index.js';
import { createManualClock } from '../src/core/clock.js';
import type { Program } from '../src/programs/index.js';
import { validAnswers } from './helpers/reports.js';
import { type ReceivedMail, type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

const HOUR = 3_600_000;
// Monday 2 March 2026, 10:00 in Toronto. Lakeside: acknowledge due T0+62h, verify T0+181h.
const T0 = Date.parse('2026-03-02T15:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * HOUR);

/**
 * Triage outcomes and bulk actions through the real API: "invalid / spam" and "forward to
 * support" answer the reporter by mail (a real SMTP peer) and on their page, make the clocks not
 * yet stopped not applicable (neither kept nor missed in the metrics), and bulk actions give each
 * case its own audited change, refusing per case what the single action would refuse.
 */
describe.each(dialects)('triage outcomes and bulk actions (%s)', (dialect) => {
  const clock = createManualClock(at(0));
  let peer: SmtpPeer;
  let v: TestVigil;
  let admin: string;
  let adminCaller: StaffCaller;
  /** A handler of Northwind only: Lakeside's cases do not exist for it. */
  let northwindHandler: string;
  let programs: Record<string, Program>;

  beforeAll(async () => {
    peer = await startSmtpPeer();
    v = await startTestVigil(dialect, {
      clock,
      // Many reports from one address in a short time: no proof-of-work asked of this test.
      env: {
        VIGIL_SMTP_URL: peer.url,
        VIGIL_POW_QUIET_PER_HOUR: '1000000',
        VIGIL_POW_ADDRESS_FREE_PER_HOUR: '1000000',
      },
      worker: true,
    });
    await v.services.accounts.createUser(
      { email: 'lead@triage.test', name: 'Lee Lead', role: 'admin' },
      'test',
    );
    admin = (
      await v.services.accounts.createToken({ userEmail: 'lead@triage.test', scope: 'read-write' }, 'test')
    ).token;
    adminCaller = await v.services.accounts.authenticate(admin);
    await v.services.accounts.createUser(
      { email: 'nw@triage.test', role: 'handler', program: 'northwind-medical' },
      'test',
    );
    northwindHandler = (
      await v.services.accounts.createToken({ userEmail: 'nw@triage.test', scope: 'read-write' }, 'test')
    ).token;
    programs = Object.fromEntries((await v.services.programs.list()).map((p) => [p.slug, p]));
  });
  afterAll(async () => {
    await v?.destroy();
    await peer?.close();
  });

  const inject = (method: 'GET' | 'POST', url: string, payload?: object, token = admin) =>
    v.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });

  async function submit(slug: string, email = 'junk@example.org') {
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${slug}/reports`,
      payload: { fields: validAnswers(programs[slug] as Program, 'buy cheap followers now', email) },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { caseNumber, reporterUrl } = res.json();
    return { caseNumber: caseNumber as string, path: new URL(reporterUrl).pathname };
  }

  /** Send what the outbox holds; the mails that arrived with this run. */
  async function flush(): Promise<ReceivedMail[]> {
    const before = peer.received.length;
    await v.worker?.runOnce();
    return peer.received.slice(before);
  }

  async function detail(caseNumber: string) {
    const res = await inject('GET', `/api/v1/reports/${caseNumber}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  type Clock = { name: string; state: string; reason?: string; stoppedAt: string | null };
  const clockOf = (d: { clocks: Clock[] }, name: string) => d.clocks.find((c) => c.name === name) as Clock;

  async function auditOf(caseNumber: string) {
    const row = await v.db.kysely
      .selectFrom('reports')
      .select('id')
      .where('case_number', '=', caseNumber)
      .executeTakeFirstOrThrow();
    const rows = await v.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('report_id', '=', row.id)
      .orderBy('seq')
      .execute();
    // The changes only: reading a case (its detail, its timeline) is audited too.
    return rows
      .filter((r) => r.action !== 'report.read')
      .map((r) => ({ action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  async function counts() {
    const count = async (table: 'outbox' | 'audit_log' | 'messages') =>
      Number(
        (
          await v.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const states = await v.db.kysely
      .selectFrom('reports')
      .select(['case_number', 'state', 'closed_at', 'triage_outcome'])
      .orderBy('case_number')
      .execute();
    return {
      outbox: await count('outbox'),
      audit: await count('audit_log'),
      messages: await count('messages'),
      states,
    };
  }

  it('invalid / spam answers the reporter, makes running clocks not applicable, and is neither kept nor missed', async () => {
    clock.set(at(0));
    const late = await submit('lakeside-health');
    const acked = await submit('lakeside-health');
    const support = await submit('lakeside-health', 'asks-for-help@example.org');
    await flush(); // the receipts
    clock.set(at(1));
    await v.services.workflow.acknowledge(adminCaller, acked.caseNumber, { contactPerson: 'Dana Reyes' });
    await flush();

    // Past the acknowledgement deadline (T0+62h): closing it now is not a missed deadline.
    clock.set(at(100));
    expect(clockOf(await detail(late.caseNumber), 'acknowledge').state).toBe('breached');
    const res = await inject('POST', `/api/v1/reports/${late.caseNumber}/mark-invalid`, {
      message: 'Automated submission.',
    });
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    expect(c).toMatchObject({
      state: 'invalid',
      triageOutcome: 'invalid',
      closedAt: at(100).toISOString(),
      // Not an acknowledgement and not a verification.
      acknowledgedAt: null,
      verifiedAt: null,
    });
    const d = await detail(late.caseNumber);
    expect(clockOf(d, 'acknowledge')).toMatchObject({ state: 'not-applicable', reason: 'invalid' });
    expect(clockOf(d, 'verify')).toMatchObject({ state: 'not-applicable', reason: 'invalid' });
    expect(d.nextDueAt).toBeNull();

    // The reporter: a notice by mail (no content in clear), the program's reply on their page.
    const [notice] = await flush();
    expect(notice?.rcptTo).toEqual(['junk@example.org']);
    expect(notice?.parsed.subject).toBe(`[${late.caseNumber}] New message on your vulnerability report`);
    expect(notice?.raw.includes('Automated submission')).toBe(false);
    const page = (await v.app.inject({ url: late.path })).body;
    expect(page).toContain('closed it as invalid: it does not');
    expect(page).toContain('Automated submission.');
    expect(page).toContain('Closed as invalid');

    // The audit says which clocks became not applicable, and why.
    const audit = await auditOf(late.caseNumber);
    expect(audit.at(-1)).toMatchObject({
      action: 'case.mark-invalid',
      detail: {
        from: 'received',
        to: 'invalid',
        outcome: 'invalid',
        clocksNotApplicable: ['acknowledge', 'verify'],
        mailed: true,
      },
    });

    // An acknowledged case keeps its kept acknowledgement; only verification is not applicable.
    await inject('POST', `/api/v1/reports/${acked.caseNumber}/mark-invalid`, {});
    const a = await detail(acked.caseNumber);
    expect(clockOf(a, 'acknowledge')).toMatchObject({ state: 'met', stoppedAt: at(1).toISOString() });
    expect(clockOf(a, 'acknowledge').reason).toBeUndefined();
    expect(clockOf(a, 'verify')).toMatchObject({ state: 'not-applicable', reason: 'invalid' });
    expect((await auditOf(acked.caseNumber)).at(-1)?.detail.clocksNotApplicable).toEqual(['verify']);
    await flush();

    // Forward to support: the support contact in the clear notice and on the page; closed.
    const fwd = await inject('POST', `/api/v1/reports/${support.caseNumber}/forward-to-support`, {});
    expect(fwd.statusCode, fwd.body).toBe(200);
    expect(fwd.json()).toMatchObject({ state: 'closed', triageOutcome: 'forwarded-to-support' });
    const [toSupport] = await flush();
    expect(toSupport?.rcptTo).toEqual(['asks-for-help@example.org']);
    expect(toSupport?.parsed.text).toContain('support@lakeside-health.example');
    expect(toSupport?.parsed.text).toContain('https://lakeside-health.example/support');
    expect((await v.app.inject({ url: support.path })).body).toContain('support@lakeside-health.example');
    expect(clockOf(await detail(support.caseNumber), 'acknowledge')).toMatchObject({
      state: 'not-applicable',
      reason: 'forwarded-to-support',
    });
    expect((await auditOf(support.caseNumber)).at(-1)).toMatchObject({
      action: 'case.forward-to-support',
      detail: { from: 'received', to: 'closed', outcome: 'forwarded-to-support' },
    });

    // Metrics: one acknowledgement kept, none missed, two not applicable.
    const m = await inject('GET', '/api/v1/metrics?program=lakeside-health&from=2026-03-01&to=2026-03-31');
    expect(m.statusCode, m.body).toBe(200);
    expect(m.json().deadlines.acknowledge).toEqual({
      due: 3,
      kept: 1,
      missed: 0,
      open: 0,
      notApplicable: 2,
      keptShare: 1,
    });
    expect(m.json().deadlines.verify).toMatchObject({ due: 3, kept: 0, missed: 0, notApplicable: 3 });
    expect(m.json().durations.acknowledge.count).toBe(1);
    const csv = (
      await inject('GET', '/api/v1/metrics.csv?program=lakeside-health&from=2026-03-01&to=2026-03-31')
    ).body;
    expect(csv).toContain('deadlines,acknowledge.notApplicable,2');

    // Reopening a case called junk by mistake: its clocks count again (the deadline was missed).
    const reopened = await inject('POST', `/api/v1/reports/${late.caseNumber}/reopen`, {
      reason: 'It was a real report after all.',
    });
    expect(reopened.json()).toMatchObject({ state: 'in_verification', triageOutcome: null, closedAt: null });
    expect(clockOf(await detail(late.caseNumber), 'acknowledge').state).toBe('breached');
  });

  it('refuses triage outcomes in states that do not allow them, and forwarding without a support contact', async () => {
    clock.set(at(200));
    const { caseNumber } = await submit('northwind-medical');
    await inject('POST', `/api/v1/reports/${caseNumber}/mark-invalid`, {});
    const again = await inject('POST', `/api/v1/reports/${caseNumber}/mark-invalid`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe(
      'The case is closed as invalid: reopen it before you mark it as invalid.',
    );
    const close = await inject('POST', `/api/v1/reports/${caseNumber}/close`, {});
    expect(close.statusCode).toBe(409);

    // A program without a support contact cannot forward: the reporter would learn nothing.
    const def = parse(await v.services.programs.exportYaml('northwind-medical')) as Record<string, unknown>;
    delete def.triage;
    await v.services.programs.importYaml(
      stringify({ ...def, slug: 'no-support', casePrefix: 'NOSUP', name: 'No support contact' }),
      'test',
    );
    programs['no-support'] = (await v.services.programs.get('no-support')) as Program;
    const other = await submit('no-support');
    const before = await auditOf(other.caseNumber);
    const fwd = await inject('POST', `/api/v1/reports/${other.caseNumber}/forward-to-support`, {});
    expect(fwd.statusCode).toBe(409);
    expect(fwd.json().message).toContain('names no support contact: add triage.supportContact');
    expect(await auditOf(other.caseNumber)).toEqual(before);
    // Its invalid reply falls back to the standard words.
    const invalid = await inject('POST', `/api/v1/reports/${other.caseNumber}/mark-invalid`, {});
    expect(invalid.statusCode, invalid.body).toBe(200);
    expect((await v.app.inject({ url: other.path })).body).toContain(
      'it does not describe a security vulnerability in our products',
    );
  });

  it('bulk: each case its own audited change; other programs 404 and illegal states 409 per case', async () => {
    clock.set(at(300));
    const b1 = await submit('northwind-medical');
    const b2 = await submit('northwind-medical');
    const done = await submit('northwind-medical');
    const other = await submit('lakeside-health');
    await inject('POST', `/api/v1/reports/${done.caseNumber}/mark-invalid`, {});
    await flush();

    const res = await inject(
      'POST',
      '/api/v1/reports/bulk',
      {
        caseNumbers: [b1.caseNumber, other.caseNumber, done.caseNumber, b2.caseNumber],
        action: 'mark_invalid',
        message: 'Closed in bulk.',
      },
      northwindHandler,
    );
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out).toMatchObject({ action: 'mark_invalid', succeeded: 2, failed: 2 });
    expect(out.results.map((r: { caseNumber: string }) => r.caseNumber)).toEqual([
      b1.caseNumber,
      other.caseNumber,
      done.caseNumber,
      b2.caseNumber,
    ]);
    expect(out.results[0]).toMatchObject({ ok: true, case: { state: 'invalid', triageOutcome: 'invalid' } });
    // Another program's case is answered exactly like a missing one.
    expect(out.results[1]).toEqual({
      caseNumber: other.caseNumber,
      ok: false,
      status: 404,
      error: 'not_found',
      message: `There is no case ${other.caseNumber}.`,
    });
    expect(out.results[2]).toMatchObject({ ok: false, status: 409, error: 'conflict' });
    expect(out.results[3]).toMatchObject({ ok: true, case: { state: 'invalid' } });

    // Each changed case has its own audit entry naming the batch; the others have none.
    const e1 = (await auditOf(b1.caseNumber)).at(-1);
    const e2 = (await auditOf(b2.caseNumber)).at(-1);
    expect(e1).toMatchObject({ action: 'case.mark-invalid', detail: { bulk: out.bulkId, to: 'invalid' } });
    expect(e2).toMatchObject({ action: 'case.mark-invalid', detail: { bulk: out.bulkId, to: 'invalid' } });
    expect((await auditOf(other.caseNumber)).filter((e) => e.action.startsWith('case.'))).toEqual([]);
    expect((await auditOf(done.caseNumber)).filter((e) => e.detail.bulk)).toEqual([]);
    expect((await detail(other.caseNumber)).state).toBe('received');

    // Each reporter got their own notice.
    const mails = await flush();
    expect(mails.map((m) => m.parsed.subject).sort()).toEqual(
      [b1.caseNumber, b2.caseNumber].map((n) => `[${n}] New message on your vulnerability report`).sort(),
    );

    // Request information: the received case must be acknowledged first; the other gets the question.
    const ask = await submit('northwind-medical');
    const fresh = await submit('northwind-medical');
    await inject('POST', `/api/v1/reports/${ask.caseNumber}/acknowledge`, { contactPerson: 'Dana Reyes' });
    await flush();
    const info = await inject(
      'POST',
      '/api/v1/reports/bulk',
      {
        caseNumbers: [ask.caseNumber, fresh.caseNumber],
        action: 'request_info',
        message: 'Which firmware version?',
      },
      northwindHandler,
    );
    expect(info.statusCode, info.body).toBe(200);
    expect(info.json().results[0]).toMatchObject({ ok: true, case: { state: 'acknowledged' } });
    expect(info.json().results[1]).toMatchObject({ ok: false, status: 409 });
    expect(info.json().results[1].message).toContain('Acknowledge the report first');
    expect((await flush()).map((m) => m.parsed.subject)).toEqual([
      `[${ask.caseNumber}] New message on your vulnerability report`,
    ]);

    // Forward to support in bulk.
    const q = await submit('northwind-medical', 'question@example.org');
    const fwd = await inject(
      'POST',
      '/api/v1/reports/bulk',
      { caseNumbers: [q.caseNumber], action: 'forward_to_support' },
      northwindHandler,
    );
    expect(fwd.json().results[0]).toMatchObject({
      ok: true,
      case: { state: 'closed', triageOutcome: 'forwarded-to-support' },
    });
    const forwarded = (await flush()).find(
      (m) => m.rcptTo.includes('question@example.org') && m.parsed.subject?.includes('New message'),
    );
    expect(forwarded?.parsed.text).toContain('techsupport@northwind-medical.example');
  });

  it('bulk: bad input is refused whole with 400 naming the field, and nothing is changed', async () => {
    const { caseNumber } = await submit('northwind-medical');
    await flush();
    const readOnly = (
      await v.services.accounts.createToken({ userEmail: 'lead@triage.test', scope: 'read' }, 'test')
    ).token;
    const before = await counts();
    const cases = (n: number) =>
      Array.from({ length: n }, (_, i) => `NWM-2026-${String(9000 + i).padStart(4, '0')}`);
    const bad: [object, string][] = [
      [{ caseNumbers: [], action: 'mark_invalid' }, 'caseNumbers'],
      [{ caseNumbers: cases(101), action: 'mark_invalid' }, 'caseNumbers'],
      [{ caseNumbers: [caseNumber, caseNumber], action: 'mark_invalid' }, 'caseNumbers.1'],
      [{ caseNumbers: [caseNumber], action: 'delete_everything' }, 'action'],
      [{ caseNumbers: [caseNumber], action: 'request_info' }, 'message'],
      [{ caseNumbers: [caseNumber], action: 'mark_invalid', message: '   ' }, 'message'],
      [{ caseNumbers: ['not-a-case'], action: 'mark_invalid' }, 'caseNumbers.0'],
      [{ caseNumbers: [caseNumber], action: 'mark_invalid', extra: 1 }, ''],
      [{ action: 'mark_invalid' }, 'caseNumbers'],
    ];
    for (const [payload, field] of bad) {
      const res = await inject('POST', '/api/v1/reports/bulk', payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      const body = res.json();
      expect(body.error).toBe('validation_failed');
      if (field) expect(body.fields.map((f: { path: string }) => f.path)).toContain(field);
    }
    // Without a token: 401; with a read-only token the cases are refused one by one (403).
    expect(
      (
        await v.app.inject({
          method: 'POST',
          url: '/api/v1/reports/bulk',
          payload: { caseNumbers: [caseNumber], action: 'mark_invalid' },
        })
      ).statusCode,
    ).toBe(401);
    const refused = await inject(
      'POST',
      '/api/v1/reports/bulk',
      { caseNumbers: [caseNumber], action: 'mark_invalid' },
      readOnly,
    );
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toMatchObject({ succeeded: 0, failed: 1, results: [{ ok: false, status: 403 }] });
    expect(await counts()).toEqual(before);
  });
});
