import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffCaller } from '../src/accounts/index.js';
import { createManualClock } from '../src/core/clock.js';
import type { Program } from '../src/programs/index.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { deliverQueued, type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * Deadline warnings end to end: cases through intake, the warning job at chosen instants, the
 * outbox worker, a real SMTP peer. Lakeside (Toronto) acknowledges within 2 business days and
 * verifies within 7 calendar days.
 */
describe.each(dialects)('deadline clock warnings (%s)', (dialect) => {
  // Monday 2 March 2026, 10:00 in Toronto. Acknowledgement due at the end of Wednesday 4 March
  // (2026-03-05T04:59:59.999Z), so 80 % of that clock is reached on 4 March at about 16:36 UTC.
  const clock = createManualClock(new Date('2026-03-02T15:00:00.000Z'));
  const canary = `CANARY-${randomBytes(8).toString('hex')}`;
  const reporter = `finder-${randomBytes(4).toString('hex')}@example.org`;
  let peer: SmtpPeer;
  let v: TestVigil;
  let lakeside: Program;
  let admin: StaffCaller;
  let assigned: string;
  let acknowledged: string;

  async function submit(p: Program): Promise<string> {
    const { body, contentType } = multipartBody(validAnswers(p, canary, reporter));
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.slug}/reports`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().caseNumber as string;
  }

  /** Send everything queued and return what the peer received since the last call. */
  const flush = () => deliverQueued(v, peer);

  /** `clock:level` of every warning recorded for a case. */
  const markers = async (caseNumber: string) =>
    (
      await sql<{ clock: string; level: string }>`select w.clock, w.level from clock_warnings w
        join reports r on r.id = w.report_id where r.case_number = ${caseNumber}`.execute(v.db.kysely)
    ).rows
      .map((r) => `${r.clock}:${r.level}`)
      .sort();

  beforeAll(async () => {
    peer = await startSmtpPeer();
    v = await startTestVigil(dialect, { env: { VIGIL_SMTP_URL: peer.url }, worker: true, clock });
    lakeside = await v.services.programs.get('lakeside-health');
    await v.services.accounts.createUser({ email: 'admin@warn.test', role: 'admin' }, 'test');
    await v.services.accounts.createUser(
      { email: 'lead@warn.test', name: 'Lee Lead', role: 'lead', program: 'lakeside-health' },
      'test',
    );
    const handler = await v.services.accounts.createUser(
      { email: 'handler@warn.test', role: 'handler', program: 'lakeside-health' },
      'test',
    );
    const token = (
      await v.services.accounts.createToken({ userEmail: 'admin@warn.test', scope: 'read-write' }, 'test')
    ).token;
    admin = await v.services.accounts.authenticate(token);

    assigned = await submit(lakeside);
    acknowledged = await submit(lakeside);
    await v.services.workflow.assign(admin, assigned, { userId: handler.id });
    await v.services.workflow.acknowledge(admin, acknowledged, { contactPerson: 'Dana Reyes' });
    await flush(); // receipts and the acknowledgement
  });

  afterAll(async () => {
    await v?.destroy();
    await peer?.close();
  });

  it('stays quiet before 80 % of a clock', async () => {
    clock.set(new Date('2026-03-04T16:00:00.000Z'));
    expect(await v.clockWarnings.runOnce()).toEqual({ warnings: 0, queued: 0 });
    expect(await flush()).toEqual([]);
  });

  it('warns the assignee and the lead once when a clock passes 80 %', async () => {
    clock.set(new Date('2026-03-04T17:00:00.000Z'));
    expect(await v.clockWarnings.runOnce()).toEqual({ warnings: 1, queued: 2 });
    expect(await v.clockWarnings.runOnce()).toEqual({ warnings: 0, queued: 0 });
    const mails = await flush();
    expect(mails.map((m) => m.rcptTo[0]).sort()).toEqual(['handler@warn.test', 'lead@warn.test']);
    for (const m of mails) {
      expect(m.parsed.subject).toBe(`[${assigned}] Acknowledgement deadline: 80 % of the time used`);
      expect(m.parsed.text).toContain(`https://vigil.test/console/cases/${assigned}`);
      // The due time as Toronto reads it: the end of Wednesday 4 March.
      expect(m.parsed.text).toContain('Wednesday 4 March 2026, 23:59 EST (America/Toronto)');
    }
    expect(await markers(assigned)).toEqual(['acknowledge:warning']);
    expect(await markers(acknowledged)).toEqual([]);
  });

  it('warns once more, at breach, and never about an acknowledged case’s acknowledgement', async () => {
    clock.set(new Date('2026-03-05T12:00:00.000Z'));
    expect(await v.clockWarnings.runOnce()).toEqual({ warnings: 1, queued: 2 });
    expect(await v.clockWarnings.runOnce()).toEqual({ warnings: 0, queued: 0 });
    const mails = await flush();
    expect(mails).toHaveLength(2);
    expect(new Set(mails.map((m) => m.parsed.subject))).toEqual(
      new Set([`[${assigned}] Acknowledgement deadline missed`]),
    );
    expect(await markers(assigned)).toEqual(['acknowledge:breach', 'acknowledge:warning']);
    expect(await markers(acknowledged)).toEqual([]);
  });

  it('warns about verification on both cases; the unassigned one goes to the lead only', async () => {
    // Verification: 7 calendar days, due at the end of Monday 9 March; 80 % is on 8 March.
    clock.set(new Date('2026-03-08T20:00:00.000Z'));
    expect(await v.clockWarnings.runOnce()).toEqual({ warnings: 2, queued: 3 });
    const mails = await flush();
    const to = (n: string) =>
      mails
        .filter((m) => m.parsed.subject?.startsWith(`[${n}]`))
        .map((m) => m.rcptTo[0])
        .sort();
    expect(to(assigned)).toEqual(['handler@warn.test', 'lead@warn.test']);
    expect(to(acknowledged)).toEqual(['lead@warn.test']);
    expect(await markers(acknowledged)).toEqual(['verify:warning']);
    // Past due a week later: a breach each, and closing stops every clock for good.
    await v.db.kysely
      .updateTable('reports')
      .set({ state: 'closed', closed_at: clock.now().toISOString() })
      .where('case_number', '=', assigned)
      .execute();
    clock.set(new Date('2026-03-15T12:00:00.000Z'));
    expect(await v.clockWarnings.runOnce()).toEqual({ warnings: 1, queued: 1 });
    expect(await markers(acknowledged)).toEqual(['verify:breach', 'verify:warning']);
    expect(await markers(assigned)).toEqual(['acknowledge:breach', 'acknowledge:warning', 'verify:warning']);
    await flush();
  });

  it('puts no report content in any warning', () => {
    const warnings = peer.received.filter((m) => /deadline/.test(m.parsed.subject ?? ''));
    expect(warnings.length).toBe(8);
    for (const m of warnings) {
      const raw = m.raw.toString('utf8');
      expect(raw).not.toContain(canary);
      expect(raw).not.toContain(reporter);
      expect(raw).not.toContain('/r/');
      expect(m.parsed.text).toContain('This mail carries no details of the report.');
    }
  });
});
