import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createManualClock } from '../src/core/clock.js';
import type { Program } from '../src/programs/index.js';
import { confirmCase } from './helpers/case-workflow.js';
import { plainMessage, sendRaw } from './helpers/mail-builders.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { deliverQueued, type ReceivedMail, type SmtpPeer, startSmtpPeer } from './helpers/smtp-peer.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';
import { WARM_TIMEOUT, warmValidators } from './helpers/validators.js';

/**
 * Consent to public credit as the policies promise it ("subject to consent"; "CVE credit if the
 * reporter asks, with the text they choose"): asked on both reference programs' forms, given or
 * withdrawn later on the private page or by a proven mail reply, recorded by staff with evidence,
 * and honoured by advisories — a lapsed consent stops approval — and by the reporter's notice.
 */
describe.each(dialects)('credit consent (%s)', (dialect) => {
  // Monday 1 March 2027, 10:00 in Toronto.
  const clock = createManualClock(new Date('2027-03-01T15:00:00.000Z'));
  const tag = randomBytes(4).toString('hex');
  const reporter = `finder-${tag}@example.org`;
  let peer: SmtpPeer;
  let v: TestVigil;
  let smtpPort: number;
  let northwind: Program;
  let lakeside: Program;
  const tokens: Record<string, string> = {};

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, who: string, payload?: object) =>
    v.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, payload });
  async function ok(who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
    const res = await call(method, url, who, payload);
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  }
  const consentOf = async (n: string) =>
    (await call('GET', `/api/v1/reports/${n}/credit-consent`, 'nwHandler')).json();
  const rows = async () =>
    Number(
      (
        await v.db.kysely
          .selectFrom('credit_consents')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const flush = () => deliverQueued(v, peer);

  /** A report through the web form; answers the case number and the private link's token. */
  async function submitForm(p: Program, fields: Record<string, string>) {
    const { body, contentType } = multipartBody({ ...validAnswers(p, `credit ${tag}`, reporter), ...fields });
    const res = await v.app.inject({
      method: 'POST',
      url: `/p/${p.slug}/report`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    return res;
  }
  const tokenOf = (location: string) =>
    (/\/r\/([A-Za-z0-9_-]{43})/.exec(location) as RegExpExecArray)[1] as string;
  const caseOfToken = async (token: string) =>
    (
      /Case ([A-Z]+-\d{4}-\d{4})/.exec(
        (await v.app.inject({ method: 'GET', url: `/r/${token}` })).body,
      ) as RegExpExecArray
    )[1] as string;
  const postCredit = (token: string, form: string) =>
    v.app.inject({
      method: 'POST',
      url: `/r/${token}/credit`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form,
    });

  beforeAll(async () => {
    await warmValidators();
    peer = await startSmtpPeer();
    v = await startTestVigil(dialect, { env: { VIGIL_SMTP_URL: peer.url }, worker: true, clock });
    smtpPort = await v.smtp.start(0);
    northwind = await v.services.programs.get('northwind-medical');
    lakeside = await v.services.programs.get('lakeside-health');
    const people: [string, string, string, string[]][] = [
      ['nwHandler', 'handler', 'northwind-medical', []],
      ['nwViewer', 'viewer', 'northwind-medical', []],
      ['lead', 'lead', 'lakeside-health', []],
      ['approver', 'viewer', 'lakeside-health', ['approver']],
      ['outsider', 'lead', 'lakeside-health', []],
    ];
    for (const [key, role, program, duties] of people) {
      const email = `${key.toLowerCase()}@credit.test`;
      await v.services.accounts.createUser({ email, role, program, duties }, 'test');
      tokens[key] = (
        await v.services.accounts.createToken({ userEmail: email, scope: 'read-write' }, 'test')
      ).token;
    }
  }, WARM_TIMEOUT);
  afterAll(async () => {
    await v?.destroy();
    await peer?.close();
  });

  it('the device maker’s form asks for consent and the credit’s words; a yes is recorded as given on the form', async () => {
    const fields = northwind.definition.form.fields;
    expect(fields.find((f) => f.purpose === 'credit')).toMatchObject({ id: 'credit', kind: 'yesno' });
    expect(fields.find((f) => f.purpose === 'creditText')).toMatchObject({ id: 'creditText', kind: 'text' });
    const page = await v.app.inject({ method: 'GET', url: `/p/${northwind.slug}/report` });
    expect(page.body).toContain('May we acknowledge you publicly for this report?');

    const res = await submitForm(northwind, { credit: 'yes', creditText: 'Ada L. (Example Labs)' });
    expect(res.statusCode, res.body).toBe(303);
    const n = await caseOfToken(tokenOf(res.headers.location as string));
    expect(await consentOf(n)).toMatchObject({
      offered: true,
      current: { status: 'given', text: 'Ada L. (Example Labs)' },
      history: [
        { choice: 'given', text: 'Ada L. (Example Labs)', via: 'form', recordedBy: null, evidence: null },
      ],
    });
  });

  it('refuses a yes without words, or with the reporter’s email in them, at the field, storing nothing', async () => {
    const before = await rows();
    const bare = await submitForm(northwind, { credit: 'yes', creditText: '' });
    expect(bare.statusCode).toBe(400);
    expect(bare.body).toContain('say how the credit should read');
    const leaky = await submitForm(northwind, { credit: 'yes', creditText: `Ada (${reporter})` });
    expect(leaky.statusCode).toBe(400);
    expect(leaky.body).toContain('must not contain your email address or phone number');
    const api = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${northwind.slug}/reports`,
      payload: { fields: { ...validAnswers(northwind, 'x', reporter), credit: 'yes', creditText: '' } },
    });
    expect(api.statusCode).toBe(400);
    expect(api.json().fields).toEqual([
      { path: 'creditText', message: expect.stringMatching(/say how the credit/) },
    ]);
    expect(await rows()).toBe(before);
  });

  it('the reporter gives, changes and withdraws consent on the private page; bad words are refused in place', async () => {
    const res = await submitForm(northwind, { credit: '', creditText: '' });
    const token = tokenOf(res.headers.location as string);
    const n = await caseOfToken(token);
    let page = (await v.app.inject({ method: 'GET', url: `/r/${token}` })).body;
    expect(page).toContain('Public credit');
    expect(page).toContain('You have not told us yet. Until you do, we name no one.');

    const nothing = await postCredit(token, 'text=Ada');
    expect(nothing.statusCode).toBe(400);
    expect(nothing.body).toContain('choose yes or no');
    const empty = await postCredit(token, 'choice=given&text=');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('say how the credit should read');
    expect((await consentOf(n)).history).toEqual([]);

    const given = await postCredit(token, 'choice=given&text=Grace+H.');
    expect(given.statusCode, given.body).toBe(303);
    expect(given.headers.location).toBe(`/r/${token}?credit=1#credit-h`);
    page = (await v.app.inject({ method: 'GET', url: `/r/${token}?credit=1` })).body;
    expect(page).toContain('Your answer about public credit is saved.');
    expect(page).toContain('You agreed to be credited as: Grace H.');
    expect(page).toContain('Given on this page on');

    clock.advance(3_600_000);
    expect((await postCredit(token, 'choice=declined')).statusCode).toBe(303);
    const consent = await consentOf(n);
    expect(consent.current).toEqual({ status: 'declined' });
    expect(consent.history.map((h: { choice: string; via: string }) => [h.choice, h.via])).toEqual([
      ['given', 'private-page'],
      ['declined', 'private-page'],
    ]);
    expect((await v.app.inject({ method: 'GET', url: `/r/${token}` })).body).toContain(
      'You asked not to be named. We will not credit you.',
    );
    const audit = await v.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'detail', 'actor'])
      .where('action', '=', 'credit-consent.recorded')
      .orderBy('seq', 'desc')
      .limit(2)
      .execute();
    expect(audit.map((a) => [a.actor, JSON.parse(a.detail).via, JSON.parse(a.detail).choice])).toEqual([
      ['reporter', 'private-page', 'declined'],
      ['reporter', 'private-page', 'given'],
    ]);
    expect(JSON.stringify(audit)).not.toContain('Grace');
  });

  it('a reply to our mail gives consent; a mail that only names the case from the reporter’s address does not', async () => {
    const res = await submitForm(northwind, { credit: 'no' });
    const n = await caseOfToken(tokenOf(res.headers.location as string));
    await flush();
    await ok('nwHandler', 'POST', `/api/v1/reports/${n}/acknowledge`, { contactPerson: 'Pat PSIRT' });
    const ack = (await flush()).find((m) => m.rcptTo[0] === reporter) as ReceivedMail;
    const replyTo = ack.parsed.replyTo?.value[0]?.address as string;
    expect(replyTo).toMatch(/^psirt\+r-[0-9a-f]{32}@northwind-medical\.example$/);

    // Forged: the case number in the subject and the reporter's address in From, but no token.
    const forged = plainMessage(
      { from: reporter, to: 'psirt@northwind-medical.example', subject: `Re: ${n}` },
      'Credit: yes, as Mallory',
    );
    await sendRaw(smtpPort, { from: 'attacker@evil.example', to: 'psirt@northwind-medical.example' }, forged);
    expect((await consentOf(n)).current).toEqual({ status: 'declined' });

    const reply = plainMessage(
      { from: reporter, to: replyTo, subject: `Re: ${ack.parsed.subject}` },
      'Thank you for the update.\n\nCredit: yes, as Ada L.\n\n> earlier text\n> Credit: no',
    );
    await sendRaw(smtpPort, { from: reporter, to: replyTo }, reply);
    const consent = await consentOf(n);
    expect(consent.current).toEqual({ status: 'given', text: 'Ada L.' });
    expect(consent.history.map((h: { via: string }) => h.via)).toEqual(['form', 'mail-reply']);
  });

  it('staff record a consent given another way, with its evidence; refusals name the field and keep nothing', async () => {
    const res = await submitForm(northwind, { credit: '', creditText: '' });
    const n = await caseOfToken(tokenOf(res.headers.location as string));
    const url = `/api/v1/reports/${n}/credit-consent`;
    const before = await rows();
    const noEvidence = await call('POST', url, 'nwHandler', { choice: 'given', text: 'Ada', evidence: ' ' });
    expect(noEvidence.statusCode).toBe(400);
    expect(noEvidence.json().fields).toEqual([
      { path: 'evidence', message: 'say how the reporter gave this answer' },
    ]);
    const noWords = await call('POST', url, 'nwHandler', {
      choice: 'given',
      evidence: 'Phone call, 2 March',
    });
    expect(noWords.statusCode).toBe(400);
    expect(noWords.json().fields[0].path).toBe('text');
    const badChoice = await call('POST', url, 'nwHandler', { choice: 'maybe', evidence: 'x' });
    expect(badChoice.statusCode).toBe(400);
    expect(badChoice.json().fields[0].path).toBe('choice');
    expect((await call('POST', url, 'nwViewer', { choice: 'declined', evidence: 'x' })).statusCode).toBe(403);
    expect((await call('POST', url, 'outsider', { choice: 'declined', evidence: 'x' })).statusCode).toBe(404);
    expect((await call('GET', url, 'outsider')).statusCode).toBe(404);
    expect(await rows()).toBe(before);

    const evidence = 'Phone call with the reporter on 2 March 2027; confirmed by their letter of 3 March.';
    const recorded = await call('POST', url, 'nwHandler', {
      choice: 'given',
      text: 'Ada Lovelace',
      evidence,
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    expect(recorded.json()).toMatchObject({
      current: { status: 'given', text: 'Ada Lovelace' },
      history: [{ via: 'staff', evidence, recordedBy: { email: 'nwhandler@credit.test' } }],
    });
    const reporterPage = await v.app.inject({
      method: 'GET',
      url: `/r/${tokenOf(res.headers.location as string)}`,
    });
    expect(reporterPage.body).toContain('Recorded by the team on');
  });

  it('a program that credits no one has nothing to consent to (409)', async () => {
    const copy = parse(await v.services.programs.exportYaml('lakeside-health')) as Record<string, unknown> & {
      form: { fields: { purpose?: string }[] };
    };
    await v.services.programs.importYaml(
      stringify({
        ...copy,
        slug: 'quiet-labs',
        casePrefix: 'QL',
        credits: { publicAcknowledgements: false, cve: false, requireConsent: true },
        form: {
          ...copy.form,
          fields: copy.form.fields.filter((f) => f.purpose !== 'credit' && f.purpose !== 'creditText'),
        },
        disclosure: { bulletins: true },
      }),
      'test',
    );
    const quiet = await v.services.programs.get('quiet-labs');
    const res = await submitForm(quiet, {});
    expect(res.statusCode, res.body).toBe(303);
    const token = tokenOf(res.headers.location as string);
    expect((await v.app.inject({ method: 'GET', url: `/r/${token}` })).body).not.toContain('Public credit');
    const refused = await postCredit(token, 'choice=given&text=Ada');
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('credits no one publicly');
  });

  it('an advisory credits only a standing consent: a withdrawal stops approval, naming the credit', async () => {
    const res = await submitForm(lakeside, { cveCredit: 'yes', cveCreditText: 'Ada L.' });
    const token = tokenOf(res.headers.location as string);
    const n = await caseOfToken(token);
    await confirmCase(ok, n);
    const draft = await ok('lead', 'POST', '/api/v1/advisories', { cases: [n] });
    const revision = draft.revisions[0];
    expect(revision.content.vulnerabilities[0].credits).toEqual([
      { text: 'Ada L.', type: 'finder', lang: 'en' },
    ]);
    const url = `/api/v1/advisories/${draft.id}/revisions/${revision.number}`;
    await ok('lead', 'POST', `${url}/submit`);

    expect((await postCredit(token, 'choice=declined')).statusCode).toBe(303);
    const refused = await call('POST', `${url}/approve`, 'approver');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'credit_consent_lapsed' });
    expect(refused.json().message).toContain('"Ada L."');
    const after = await ok('lead', 'GET', `/api/v1/advisories/${draft.id}`);
    expect(after.revisions[0].state).toBe('in_review');
  });

  it('the reporter’s notice at publication says what they chose: never answered, or consented but not named', async () => {
    const confirmed = async (fields: Record<string, string>) => {
      const res = await submitForm(lakeside, fields);
      expect(res.statusCode, res.body).toBe(303);
      const n = await caseOfToken(tokenOf(res.headers.location as string));
      await confirmCase(ok, n);
      return n;
    };
    const silent = await confirmed({ cveCredit: '', cveCreditText: '', email: `silent-${tag}@example.org` });
    const willing = await confirmed({
      cveCredit: 'yes',
      cveCreditText: 'Grace H.',
      email: `grace-${tag}@example.org`,
    });
    const draft = await ok('lead', 'POST', '/api/v1/advisories', { cases: [silent, willing] });
    const revision = draft.revisions[0];
    const url = `/api/v1/advisories/${draft.id}/revisions/${revision.number}`;
    // The team leaves the credit out (their call); the reporter is told, in case that is a mistake.
    const content = structuredClone(revision.content);
    for (const vuln of content.vulnerabilities) vuln.credits = [];
    await ok('lead', 'PUT', url, content);
    await ok('lead', 'POST', `${url}/submit`);
    await ok('approver', 'POST', `${url}/approve`);
    await flush();
    await ok('lead', 'POST', `${url}/publish`);
    const notices = (await flush()).filter((m) =>
      /The advisory for your report is published/.test(m.parsed.subject ?? ''),
    );
    const bodyFor = (n: string) => notices.find((m) => m.parsed.subject?.includes(n))?.parsed.text ?? '';
    expect(notices).toHaveLength(2);
    expect(bodyFor(silent)).toContain('you have not told us that you want to be credited');
    expect(bodyFor(silent)).not.toContain('as you chose');
    expect(bodyFor(willing)).toContain('You agreed to be credited as "Grace H.", but this revision');
  });
});
