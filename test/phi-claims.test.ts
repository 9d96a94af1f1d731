import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createManualClock } from '../src/core/clock.js';
import type { Program } from '../src/programs/index.js';
import { pgpMimeEncrypted, sendRaw, textPart } from './helpers/mail-builders.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { deliverQueued, type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * A reporter who says they reached PHI, in every way they can say it: in the words of a PGP mail
 * (flagged for the team's decision, distinct from the PHI guard), by the form's question (an
 * escalation at once, and for Lakeside an urgent case with a one-business-day clock), or in a
 * later message. Staff open escalations by hand with a reason, decline a statement with one,
 * close early with one, and reopen; each refusal changes nothing.
 */
describe.each(dialects)('PHI access statements and escalations by hand (%s)', (dialect) => {
  // Monday 2 March 2026, 09:00 in Toronto (14:00 UTC), 08:00 in Chicago.
  const clock = createManualClock(new Date('2026-03-02T14:00:00.000Z'));
  const canary = `CANARY-${randomBytes(6).toString('hex')}`;
  let peer: SmtpPeer;
  let v: TestVigil;
  let smtpPort: number;
  let northwind: Program;
  let lakeside: Program;
  const tokens: Record<string, string> = {};

  const call = (method: 'GET' | 'POST', url: string, who: string, payload?: object) =>
    v.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, payload });
  const claimUrl = (n: string) => `/api/v1/reports/${n}/phi-access-claim`;
  const escalationUrl = (n: string) => `/api/v1/reports/${n}/privacy-escalation`;

  const flush = () => deliverQueued(v, peer);

  /** A PGP/MIME mail to Northwind, encrypted to its published key; answers the new case number. */
  async function mailNorthwind(text: string): Promise<string> {
    const key = await v.services.keys.publishedKey(northwind.id);
    const encrypted = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: textPart(text) }),
      encryptionKeys: await openpgp.readKey({ armoredKey: key?.armored as string }),
    });
    const sender = `finder-${randomBytes(3).toString('hex')}@example.org`;
    const raw = pgpMimeEncrypted(
      { from: sender, to: 'psirt@northwind-medical.example', subject: '...' },
      encrypted as string,
    );
    const sent = await sendRaw(smtpPort, { from: sender, to: 'psirt@northwind-medical.example' }, raw);
    return sent.caseNumber;
  }

  const detail = async (n: string) => (await call('GET', `/api/v1/reports/${n}`, 'handler')).json();
  const queueItem = async (n: string, program: string) =>
    (await call('GET', `/api/v1/reports?program=${program}&limit=100`, 'admin'))
      .json()
      .items.find((i: { caseNumber: string }) => i.caseNumber === n);
  const auditOf = async (n: string, like: string) =>
    (
      await v.db.kysely
        .selectFrom('audit_log')
        .innerJoin('reports', 'reports.id', 'audit_log.report_id')
        .select(['audit_log.action', 'audit_log.detail'])
        .where('reports.case_number', '=', n)
        .where('audit_log.action', 'like', like)
        .orderBy('audit_log.seq')
        .execute()
    ).map((a) => ({ action: a.action, detail: JSON.parse(a.detail) as Record<string, unknown> }));

  beforeAll(async () => {
    peer = await startSmtpPeer();
    v = await startTestVigil(dialect, { env: { VIGIL_SMTP_URL: peer.url }, worker: true, clock });
    smtpPort = await v.smtp.start(0);
    northwind = await v.services.programs.get('northwind-medical');
    lakeside = await v.services.programs.get('lakeside-health');
    const accounts = v.services.accounts;
    const grants = [
      ['officer@claims.test', 'handler', 'northwind-medical', ['privacy']],
      ['handler@claims.test', 'handler', 'northwind-medical', []],
      ['viewer@claims.test', 'viewer', 'northwind-medical', []],
      ['outsider@claims.test', 'lead', 'lakeside-health', ['privacy']],
    ] as const;
    for (const [email, role, program, duties] of grants)
      await accounts.createUser({ email, role, program, duties: [...duties] }, 'test');
    await accounts.createUser({ email: 'admin@claims.test', role: 'admin' }, 'test');
    const token = async (email: string, scope: 'read' | 'read-write' = 'read-write') =>
      (await accounts.createToken({ userEmail: email, scope }, 'test')).token;
    tokens.officer = await token('officer@claims.test');
    tokens.handler = await token('handler@claims.test');
    tokens.handlerRead = await token('handler@claims.test', 'read');
    tokens.viewer = await token('viewer@claims.test');
    tokens.outsider = await token('outsider@claims.test');
    tokens.admin = await token('admin@claims.test', 'read');
  });

  afterAll(async () => {
    await v?.destroy();
    await peer?.close();
  });

  let mailed: string;

  it('flags a PGP mail whose words say PHI was reached, for a decision: no escalation, no PHI guard flag', async () => {
    mailed = await mailNorthwind(
      `Buffer overflow in the Aurora pump's drug library upload ${canary}.\n\nPHI accessed: yes, I saw patient names on the bench unit.`,
    );
    const c = await detail(mailed);
    expect(c.phiClaim).toEqual({ pending: true });
    expect(c.privacyEscalation).toBeNull();
    // The PHI guard found no patient data in the report: this is the reporter's statement, not a finding.
    expect(c.phi.flagged).toBe(false);
    expect(c.urgent).toBeNull();
    expect((await call('GET', escalationUrl(mailed), 'handler')).statusCode).toBe(404);
    expect(await queueItem(mailed, 'northwind-medical')).toMatchObject({ phiClaim: true, phi: false });

    const claim = await call('GET', claimUrl(mailed), 'handler');
    expect(claim.statusCode, claim.body).toBe(200);
    expect(claim.json()).toMatchObject({
      caseNumber: mailed,
      decision: null,
      decidedBy: null,
      findings: [
        {
          where: 'message',
          language: 'en',
          excerpt: 'PHI accessed: yes, I saw patient names on the bench unit.',
        },
      ],
    });
    // The privacy officer hears of it (case number and link only); the reporter got their receipt.
    const staff = (await flush()).filter((m) => m.rcptTo[0] === 'officer@claims.test');
    expect(staff.map((m) => m.parsed.subject)).toEqual([
      `[${mailed}] The reporter says they reached PHI: decide on a privacy escalation`,
    ]);
    expect(staff[0]?.raw.toString()).not.toContain('patient names');
    expect(await auditOf(mailed, 'phi-claim.%')).toEqual([
      {
        action: 'phi-claim.detected',
        detail: { caseNumber: mailed, statements: 1, languages: ['en'], notified: 1, notifiedAs: 'privacy' },
      },
    ]);
    // Other programs cannot tell the case exists.
    expect((await call('GET', claimUrl(mailed), 'outsider')).statusCode).toBe(404);
  });

  it('declines with a reason; refusals name the problem and change nothing', async () => {
    const viewer = await call('POST', `${claimUrl(mailed)}/decline`, 'viewer', { reason: 'x' });
    expect(viewer.statusCode).toBe(403);
    const readOnly = await call('POST', `${claimUrl(mailed)}/decline`, 'handlerRead', { reason: 'x' });
    expect(readOnly.statusCode).toBe(403);
    expect(readOnly.json().message).toContain('read-only');
    const empty = await call('POST', `${claimUrl(mailed)}/decline`, 'handler', { reason: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().fields).toEqual([{ path: 'reason', message: 'must not be empty' }]);
    expect((await call('POST', `${claimUrl(mailed)}/decline`, 'outsider', { reason: 'x' })).statusCode).toBe(
      404,
    );
    expect((await detail(mailed)).phiClaim).toEqual({ pending: true });

    const reason = 'The names were the bench unit’s demo records, not patients: confirmed by phone.';
    const declined = await call('POST', `${claimUrl(mailed)}/decline`, 'handler', { reason });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json()).toMatchObject({
      decision: 'declined',
      decidedBy: { email: 'handler@claims.test' },
      note: reason,
    });
    expect((await detail(mailed)).phiClaim).toEqual({ pending: false });
    expect(await queueItem(mailed, 'northwind-medical')).toMatchObject({ phiClaim: false });
    const again = await call('POST', `${claimUrl(mailed)}/decline`, 'handler', { reason });
    expect(again.statusCode).toBe(409);
    // The audit says that a reason was given, never the words.
    const audit = await auditOf(mailed, 'phi-claim.%');
    expect(audit.map((a) => a.action)).toEqual(['phi-claim.detected', 'phi-claim.declined']);
    expect(JSON.stringify(audit)).not.toContain('bench unit');
  });

  let escalated: string;

  it('the case team opens an escalation on a statement, with the reason; the statement is settled', async () => {
    escalated = await mailNorthwind(
      `Default credentials on the Harbor gateway ${canary}.\nDuring testing I was able to view patient names and dates of birth in the HL7 feed.`,
    );
    await flush();
    expect((await detail(escalated)).phiClaim).toEqual({ pending: true });
    const reason = 'The reporter reached the live HL7 feed of a customer: treat as a possible breach.';
    const opened = await call('POST', escalationUrl(escalated), 'handler', { reason });
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.json()).toMatchObject({
      reason: 'reporter-stated-phi',
      open: true,
      openedBy: { email: 'handler@claims.test' },
      openNote: reason,
      closeNote: null,
      // 60 calendar days from Monday 2 March in Chicago: the end of Friday 1 May.
      dueAt: '2026-05-02T04:59:59.999Z',
    });
    const c = await detail(escalated);
    expect(c.privacyEscalation).toEqual({ dueAt: '2026-05-02T04:59:59.999Z', open: true });
    expect(c.phiClaim).toEqual({ pending: false });
    expect((await call('GET', claimUrl(escalated), 'handler')).json()).toMatchObject({
      decision: 'escalated',
      decidedBy: { email: 'handler@claims.test' },
    });
    const staff = (await flush()).filter((m) => m.rcptTo[0] === 'officer@claims.test');
    expect(staff.map((m) => m.parsed.subject)).toEqual([
      `[${escalated}] Privacy escalation opened by the case team`,
    ]);
    expect(staff[0]?.raw.toString()).not.toContain('HL7 feed');
    const audit = await auditOf(escalated, 'privacy-escalation.%');
    expect(audit).toMatchObject([
      {
        action: 'privacy-escalation.open',
        detail: { reason: 'reporter-stated-phi', noted: true, notified: 1 },
      },
    ]);
    expect(JSON.stringify(audit)).not.toContain('HL7 feed');

    // Once open: a second opening is a conflict; viewers, read-only tokens and other programs are refused.
    expect((await call('POST', escalationUrl(escalated), 'officer', { reason: 'again' })).statusCode).toBe(
      409,
    );
    expect((await call('POST', escalationUrl(escalated), 'viewer', { reason: 'x' })).statusCode).toBe(403);
    expect((await call('POST', escalationUrl(escalated), 'handlerRead', { reason: 'x' })).statusCode).toBe(
      403,
    );
    expect((await call('POST', escalationUrl(escalated), 'outsider', { reason: 'x' })).statusCode).toBe(404);
    const noReason = await call('POST', escalationUrl(escalated), 'handler', {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().fields[0].path).toBe('reason');
  });

  it('a privacy officer closes early only with a reason; the case team reopens with a new deadline', async () => {
    const bare = await call('POST', `${escalationUrl(escalated)}/close`, 'officer');
    expect(bare.statusCode, bare.body).toBe(409);
    expect(bare.json().message).toContain('give a reason to close it early');
    expect(
      (await call('POST', `${escalationUrl(escalated)}/close`, 'handler', { reason: 'x' })).statusCode,
    ).toBe(403);
    const why = 'The feed was the vendor’s own test system; no patient was involved.';
    const closed = await call('POST', `${escalationUrl(escalated)}/close`, 'officer', { reason: why });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({
      open: false,
      closeNote: why,
      closedBy: { email: 'officer@claims.test' },
    });
    expect((await auditOf(escalated, 'privacy-escalation.close'))[0]?.detail).toMatchObject({
      early: true,
      noted: true,
      openItems: expect.arrayContaining(['assess-access']),
    });

    clock.advance(3 * 24 * 3_600_000);
    const reason = 'The customer confirms real patients were in the feed after all.';
    const reopened = await call('POST', escalationUrl(escalated), 'handler', { reason });
    expect(reopened.statusCode, reopened.body).toBe(201);
    expect(reopened.json()).toMatchObject({
      open: true,
      reason: 'staff-opened',
      openNote: reason,
      closeNote: null,
      closedAt: null,
      // 60 calendar days from Thursday 5 March: the end of Monday 4 May in Chicago.
      dueAt: '2026-05-05T04:59:59.999Z',
    });
    expect((await auditOf(escalated, 'privacy-escalation.%')).map((a) => a.action)).toEqual([
      'privacy-escalation.open',
      'privacy-escalation.close',
      'privacy-escalation.reopen',
    ]);
  });

  it('flags a statement made in a later message of the reporter, where the report said nothing', async () => {
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${northwind.slug}/reports`,
      payload: { fields: validAnswers(northwind, canary) },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { caseNumber, reporterUrl } = res.json();
    expect((await detail(caseNumber)).phiClaim).toBeNull();
    const token = new URL(reporterUrl).pathname.split('/').pop() as string;
    const sent = await v.app.inject({
      method: 'POST',
      url: `/r/${token}/messages`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'message=One+more+thing%3A+I+downloaded+two+patient+records+before+I+stopped.',
    });
    expect(sent.statusCode, sent.body).toBe(303);
    const claim = (await call('GET', claimUrl(caseNumber), 'handler')).json();
    expect(claim.findings).toEqual([
      {
        where: expect.stringMatching(/^message:/),
        language: 'en',
        excerpt: 'One more thing: I downloaded two patient records before I stopped.',
      },
    ]);
  });

  it('a "no" on the form with words saying yes is flagged: the contradiction is for the team to settle', async () => {
    const answers = validAnswers(northwind, canary);
    const description = northwind.definition.form.fields.find((f) => f.purpose === 'details')?.id as string;
    answers[description] = 'Reflected XSS in the gateway. We could see patient names in the rendered list.';
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${northwind.slug}/reports`,
      payload: { fields: { ...answers, phiAccessed: 'no' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const caseNumber = res.json().caseNumber;
    expect((await detail(caseNumber)).phiClaim).toEqual({ pending: true });
    expect((await call('GET', claimUrl(caseNumber), 'handler')).json().findings[0].where).toBe(description);
  });

  it('Lakeside: a "yes" to the personal-data question opens the escalation and makes the case urgent, due in 1 business day', async () => {
    const submit = async (personalData: 'yes' | 'no') => {
      const { body, contentType } = multipartBody({ ...validAnswers(lakeside, canary), personalData });
      const res = await v.app.inject({
        method: 'POST',
        url: `/p/${lakeside.slug}/report`,
        headers: { 'content-type': contentType },
        payload: body,
      });
      expect(res.statusCode, res.body).toBe(303);
      return v.db.kysely
        .selectFrom('reports')
        .select(['case_number', 'acknowledge_by', 'urgent'])
        .where('program_id', '=', lakeside.id)
        .orderBy('received_at', 'desc')
        .orderBy('case_number', 'desc')
        .executeTakeFirstOrThrow();
    };
    // Thursday 5 March, 09:00 in Toronto (the clock moved on three days above).
    const yes = await submit('yes');
    // One business day: the end of Friday 6 March in Toronto (EST).
    expect(yes).toMatchObject({ acknowledge_by: '2026-03-07T04:59:59.999Z', urgent: 'phi-accessed' });
    const no = await submit('no');
    // Two business days: the end of Monday 9 March (EDT from 8 March).
    expect(no).toMatchObject({ acknowledge_by: '2026-03-10T03:59:59.999Z', urgent: null });
    const urgent = await queueItem(yes.case_number, 'lakeside-health');
    expect(urgent).toMatchObject({ urgent: 'phi-accessed', acknowledgeBy: '2026-03-07T04:59:59.999Z' });
    const escalation = await call('GET', escalationUrl(yes.case_number), 'outsider');
    expect(escalation.json()).toMatchObject({ reason: 'reporter-accessed-phi', open: true, openedBy: null });
    expect((await call('GET', escalationUrl(no.case_number), 'outsider')).statusCode).toBe(404);
  });

  it('refuses an urgent clock in a program whose form has no PHI question, naming the path', async () => {
    const copy = parse(await v.services.programs.exportYaml('lakeside-health')) as {
      form: { fields: { purpose?: string }[] };
    } & Record<string, unknown>;
    const fields = copy.form.fields.filter((f) => f.purpose !== 'phiAccessed');
    await expect(
      v.services.programs.importYaml(
        stringify({ ...copy, slug: 'lakeside-bad', casePrefix: 'LHB', form: { ...copy.form, fields } }),
        'test',
      ),
    ).rejects.toMatchObject({
      fields: [
        {
          path: 'privacy.urgentAcknowledge',
          message: 'needs a form field with purpose "phiAccessed", whose "yes" starts this clock',
        },
      ],
    });
    expect((await v.services.programs.list()).map((p) => p.slug)).not.toContain('lakeside-bad');
  });
});
