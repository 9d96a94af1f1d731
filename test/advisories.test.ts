import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import type { Program } from '../src/programs/index.js';
import { confirmCase } from './helpers/case-workflow.js';
import { validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';
import { WARM_TIMEOUT, warmValidators } from './helpers/validators.js';

/**
 * Advisories through the staff API with API tokens, on the CNA program (Lakeside): drafting from
 * confirmed cases with the prefill from each assessment and only the consented credits; whole-
 * content edits refused with the field named and nothing kept; the approval rule (approver duty,
 * never the author or an editor, told apart by id even when they share a name); publication,
 * immutability and corrections; the embargo job on a moved clock; the audit trail; and the
 * reporter's contact details in no response.
 */

const SLUG = 'lakeside-health';
const DAY = 86_400_000;

describe.each(dialects)('advisories (%s)', (dialect) => {
  // Monday 1 March 2027, 10:00 in Toronto.
  const clock = createManualClock(new Date('2027-03-01T15:00:00.000Z'));
  const tag = randomBytes(4).toString('hex');
  const canary = {
    name: `Canary Name ${tag}`,
    email: `canary-${tag}@reporter.example`,
    organization: `Canary Org ${tag}`,
  };
  let v: TestVigil;
  let lakeside: Program;
  const tokens: Record<string, string> = {};
  /** Every advisory API body seen, scanned for the canary at the end. */
  const seen: string[] = [];

  const call = async (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const res = await v.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[who]}` },
      ...(payload !== undefined ? { payload } : {}),
    });
    if (url.startsWith('/api/v1/advisories')) seen.push(res.body);
    return res;
  };
  async function ok(who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
    const res = await call(who, method, url, payload);
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  }
  const count = async (table: 'advisories' | 'advisory_revisions' | 'audit_log') =>
    Number(
      (
        await v.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const paths = (res: { json(): { fields?: { path: string }[] } }) => res.json().fields?.map((f) => f.path);

  /** A report through the intake API, taken to `confirmed` and assessed. */
  async function confirmedCase(fields: Record<string, string>, assessment?: object): Promise<string> {
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${SLUG}/reports`,
      payload: { fields: { ...validAnswers(lakeside, 'advisory test', canary.email), ...canary, ...fields } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const n = res.json().caseNumber as string;
    await confirmCase(ok, n, assessment ?? null);
    return n;
  }

  const assessed = {
    cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    cwe: 'CWE-89',
    affected: [{ productId: 'lakeside-health-server', versions: '>= 4.0, < 4.2.1', fixedIn: '4.2.1' }],
  };
  let caseA: string;
  let caseB: string;
  let id: string;

  beforeAll(async () => {
    await warmValidators();
    v = await startTestVigil(dialect, { clock });
    lakeside = await v.services.programs.get(SLUG);
    const people: [string, string, string, string, string[]][] = [
      ['lead', 'Lee Lead', 'lead', SLUG, []],
      ['author', 'Avery Author', 'handler', SLUG, ['approver']],
      ['approver', 'Casey Chief', 'viewer', SLUG, ['approver']],
      ['editor', 'Eddie Editor', 'handler', SLUG, ['approver']],
      ['viewer', 'Vic Viewer', 'viewer', SLUG, []],
      ['outsider', 'Out Sider', 'lead', 'northwind-medical', ['approver']],
    ];
    for (const [key, name, role, program, duties] of people) {
      const email = `${key}@advisories.test`;
      await v.services.accounts.createUser({ email, name, role, program, duties }, 'test');
      tokens[key] = (
        await v.services.accounts.createToken({ userEmail: email, scope: 'read-write' }, 'test')
      ).token;
    }
    tokens.authorRead = (
      await v.services.accounts.createToken({ userEmail: 'author@advisories.test', scope: 'read' }, 'test')
    ).token;
  }, WARM_TIMEOUT);
  afterAll(async () => {
    await v?.destroy();
  });

  it('refuses drafts from unconfirmed, unassessed or unreachable cases, and writes nothing', async () => {
    const before = { advisories: await count('advisories'), audit: await count('audit_log') };
    const received = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${SLUG}/reports`,
      payload: { fields: { ...validAnswers(lakeside, 'x', canary.email), ...canary } },
    });
    const unconfirmed = received.json().caseNumber as string;
    const unassessed = await confirmedCase({});
    const vague = await confirmedCase(
      {},
      { affected: [{ productId: 'lakeside-health-server', versions: 'the spring builds' }] },
    );
    const audit = await count('audit_log');
    let res = await call('author', 'POST', '/api/v1/advisories', { cases: [unconfirmed] });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual([
      { path: 'cases.0', message: expect.stringMatching(/only a confirmed/) },
    ]);
    res = await call('author', 'POST', '/api/v1/advisories', { cases: [unassessed] });
    expect(res.statusCode).toBe(400);
    expect(res.json().fields[0].message).toMatch(/names no affected product/);
    res = await call('author', 'POST', '/api/v1/advisories', { cases: [unassessed, vague] });
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toEqual(['cases.0', 'cases.1']);
    expect(res.json().fields[1].message).toMatch(new RegExp(`^${vague}: assessment affected\\.0\\.versions`));
    res = await call('author', 'POST', '/api/v1/advisories', { cases: ['not a case'] });
    expect(paths(res)).toEqual(['cases.0']);
    // A viewer may read the case but not draft from it; another program's lead does not see it.
    expect((await call('viewer', 'POST', '/api/v1/advisories', { cases: [unassessed] })).statusCode).toBe(
      403,
    );
    expect((await call('outsider', 'POST', '/api/v1/advisories', { cases: [unassessed] })).statusCode).toBe(
      404,
    );
    expect({ advisories: await count('advisories'), audit: await count('audit_log') }).toEqual({
      advisories: before.advisories,
      audit,
    });
  });

  it('drafts from two cases, prefilled from their assessments, crediting only the consenting reporter', async () => {
    caseA = await confirmedCase({ cveCredit: 'yes', cveCreditText: `Team Finder ${tag}` }, assessed);
    caseB = await confirmedCase(
      { cveCredit: 'no', cveCreditText: `Not Consented ${tag}` },
      {
        cvss40: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
        affected: [{ productId: 'lakeside-platform', versions: '2027.1' }],
      },
    );
    const detail = await ok('author', 'POST', '/api/v1/advisories', { cases: [caseA, caseB] });
    id = detail.id;
    expect(id).toBe('LHD-SA-2027-0001');
    expect(detail).toMatchObject({
      state: 'draft',
      program: SLUG,
      publishedRevision: null,
      cases: [caseA, caseB].sort(),
    });
    const [rev] = detail.revisions;
    expect(rev).toMatchObject({
      number: 1,
      state: 'draft',
      summary: 'Initial release.',
      author: 'Avery Author',
    });
    const [va, vb] = rev.content.vulnerabilities;
    expect(va).toMatchObject({
      cvss31: { baseScore: 9.8, severity: 'critical' },
      cwe: { id: 'CWE-89' },
      affected: [
        {
          productId: 'lakeside-health-server',
          productName: 'Lakeside Health Server',
          versions: [{ version: '4.0', lessThan: '4.2.1', status: 'affected' }],
          fixedIn: '4.2.1',
        },
      ],
      remediations: [{ category: 'vendor_fix', productIds: ['lakeside-health-server'] }],
      credits: [{ text: `Team Finder ${tag}`, type: 'finder' }],
      caseNumbers: [caseA],
    });
    expect(vb.credits).toEqual([]);
    expect(vb.cvss40.severity).toBe('critical');
    expect(JSON.stringify(detail)).not.toContain('Not Consented');
    // Numbers run per program and year.
    const second = await ok('author', 'POST', '/api/v1/advisories', { cases: [caseB] });
    expect(second.id).toBe('LHD-SA-2027-0002');
  });

  it('edits a draft as whole content: 400 naming each bad field, and nothing kept', async () => {
    const before = await ok('author', 'GET', `/api/v1/advisories/${id}`);
    const content = before.revisions[0].content;
    const audit = await count('audit_log');
    const bad = [
      [{ ...content, title: ' ' }, ['title']],
      [{ ...content, tlp: 'WHITE' }, ['tlp']],
      [{ ...content, vulnerabilities: [] }, ['vulnerabilities']],
      [{ ...content, surprise: 1 }, ['surprise']],
      [
        {
          ...content,
          vulnerabilities: [
            {
              ...content.vulnerabilities[0],
              affected: [{ ...content.vulnerabilities[0].affected[0], productId: 'toaster' }],
              cwe: { id: 'CWE-999999', name: 'x' },
              cvss31: { vector: 'CVSS:3.1/AV:N', baseScore: 1, severity: 'low' },
              credits: [{ text: `Not Consented ${tag}`, type: 'finder', lang: 'en' }],
            },
          ],
        },
        [
          'vulnerabilities.0.affected.0.productId',
          'vulnerabilities.0.cwe.id',
          'vulnerabilities.0.cvss31.vector',
          'vulnerabilities.0.credits.0.text',
        ],
      ],
    ] as const;
    for (const [body, expected] of bad) {
      const res = await call('editor', 'PUT', `/api/v1/advisories/${id}/revisions/1`, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(paths(res)).toEqual(expect.arrayContaining([...expected]));
    }
    expect((await ok('author', 'GET', `/api/v1/advisories/${id}`)).revisions).toEqual(before.revisions);
    expect(await count('audit_log')).toBe(audit);

    // A good edit: scores are recomputed from the vector, whatever was sent.
    const edited = await ok('editor', 'PUT', `/api/v1/advisories/${id}/revisions/1`, {
      ...content,
      title: 'SQL injection in Lakeside Health Server and a platform flaw',
      references: [{ url: 'https://lakeside.example/security', summary: 'Vendor security page' }],
      vulnerabilities: [
        {
          ...content.vulnerabilities[0],
          cve: 'CVE-2027-10001',
          cvss31: { ...content.vulnerabilities[0].cvss31, baseScore: 1, severity: 'low' },
        },
        content.vulnerabilities[1],
      ],
    });
    expect(edited.revisions[0].content.vulnerabilities[0].cvss31).toMatchObject({
      baseScore: 9.8,
      severity: 'critical',
    });
    expect(edited.revisions[0].editors).toEqual(['Eddie Editor']);
    expect(await count('audit_log')).toBe(audit + 1);
  });

  it('needs approval by an approver who neither wrote nor edited the revision; refusals change nothing', async () => {
    const url = `/api/v1/advisories/${id}/revisions/1`;
    expect((await call('approver', 'POST', `${url}/approve`)).statusCode).toBe(409);
    expect((await call('author', 'POST', `${url}/publish`)).statusCode).toBe(409);
    expect((await call('viewer', 'POST', `${url}/submit`)).statusCode).toBe(403);
    expect((await call('authorRead', 'POST', `${url}/submit`)).statusCode).toBe(403);
    await ok('author', 'POST', `${url}/submit`);
    // What is in review is what gets approved: no edits now.
    const put = await call(
      'author',
      'PUT',
      url,
      (await ok('author', 'GET', `/api/v1/advisories/${id}`)).revisions[0].content,
    );
    expect(put.statusCode).toBe(409);
    const audit = await count('audit_log');
    const refusals = [
      ['author', 403, /You wrote revision 1/],
      ['editor', 403, /You edited revision 1/],
      ['viewer', 403, /approver duty/],
      ['outsider', 404, /no advisory/],
    ] as const;
    for (const [who, status, message] of refusals) {
      const res = await call(who, 'POST', `${url}/approve`);
      expect(res.statusCode).toBe(status);
      expect(res.json().message).toMatch(message);
    }
    const still = await ok('author', 'GET', `/api/v1/advisories/${id}`);
    expect(still.revisions[0]).toMatchObject({ state: 'in_review', approvedBy: null });
    expect(await count('audit_log')).toBe(audit);
    // An approver may decline and send it back; someone without the duty or the role may not.
    expect((await call('viewer', 'POST', `${url}/return`)).statusCode).toBe(403);
    expect((await ok('approver', 'POST', `${url}/return`)).revisions[0]).toMatchObject({
      state: 'draft',
      submittedAt: null,
    });
    await ok('author', 'POST', `${url}/submit`);
    const approved = await ok('approver', 'POST', `${url}/approve`);
    expect(approved.revisions[0]).toMatchObject({ state: 'approved', approvedBy: 'Casey Chief' });
  });

  it('publishes at once; a published revision is immutable and a correction goes through approval again', async () => {
    const url = `/api/v1/advisories/${id}/revisions`;
    const published = await ok('author', 'POST', `${url}/1/publish`);
    expect(published).toMatchObject({
      state: 'published',
      publishedRevision: 1,
      initialReleaseAt: clock.now().toISOString(),
      history: [{ number: '1', date: clock.now().toISOString(), summary: 'Initial release.' }],
    });
    const content = published.revisions[0].content;
    const put = await call('author', 'PUT', `${url}/1`, content);
    expect(put.statusCode).toBe(409);
    expect(put.json().message).toMatch(/published and can no longer change/);
    expect((await call('author', 'POST', `${url}/1/return`)).statusCode).toBe(409);

    const noSummary = await call('author', 'POST', url, { summary: '  ' });
    expect(noSummary.statusCode).toBe(400);
    expect(paths(noSummary)).toEqual(['summary']);
    clock.advance(3 * DAY);
    const corrected = await ok('editor', 'POST', url, {
      summary: 'Corrected the fixed version of the platform.',
    });
    expect(corrected.revisions[1]).toMatchObject({
      number: 2,
      state: 'draft',
      author: 'Eddie Editor',
      content,
    });
    expect((await call('author', 'POST', url, { summary: 'Another' })).statusCode).toBe(409);
    await ok('editor', 'PUT', `${url}/2`, {
      ...content,
      mitigations: 'Restrict network access to the server.',
    });
    await ok('editor', 'POST', `${url}/2/submit`);
    expect((await call('editor', 'POST', `${url}/2/approve`)).statusCode).toBe(403);
    await ok('approver', 'POST', `${url}/2/approve`);
    const done = await ok('author', 'POST', `${url}/2/publish`);
    expect(done.publishedRevision).toBe(2);
    expect(done.currentReleaseAt).toBe(clock.now().toISOString());
    expect(done.initialReleaseAt).toBe(published.initialReleaseAt);
    expect(done.history.map((h: { number: string; summary: string }) => [h.number, h.summary])).toEqual([
      ['1', 'Initial release.'],
      ['2', 'Corrected the fixed version of the platform.'],
    ]);
    // The first revision is still what was published, unchanged.
    expect(done.revisions[0].content).toEqual(content);
  });

  it('holds an embargoed revision as scheduled until the job runs past its instant', async () => {
    const advisory = await ok('author', 'GET', '/api/v1/advisories/LHD-SA-2027-0002');
    const url = `/api/v1/advisories/${advisory.id}/revisions/1`;
    const embargo = new Date(clock.now().getTime() + 2 * DAY);
    await ok('author', 'PUT', url, {
      ...advisory.revisions[0].content,
      publishNotBefore: embargo.toISOString(),
    });
    await ok('author', 'POST', `${url}/submit`);
    await ok('approver', 'POST', `${url}/approve`);
    const scheduled = await ok('author', 'POST', `${url}/publish`);
    expect(scheduled).toMatchObject({
      state: 'draft',
      publishedRevision: null,
      openRevision: { number: 1, state: 'scheduled', publishNotBefore: embargo.toISOString() },
    });
    expect(await v.embargo.runOnce()).toEqual([]);
    clock.set(new Date(embargo.getTime() - 1));
    expect(await v.embargo.runOnce()).toEqual([]);
    expect((await ok('author', 'GET', `/api/v1/advisories/${advisory.id}`)).state).toBe('draft');
    clock.set(embargo);
    expect(await v.embargo.runOnce()).toEqual([advisory.id]);
    expect(await v.embargo.runOnce()).toEqual([]);
    const live = await ok('author', 'GET', `/api/v1/advisories/${advisory.id}`);
    expect(live).toMatchObject({
      state: 'published',
      publishedRevision: 1,
      initialReleaseAt: embargo.toISOString(),
    });
    const entry = await v.db.kysely
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'advisory.published')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry.actor).toBe('system:embargo');
    expect(JSON.parse(entry.detail)).toMatchObject({
      advisory: advisory.id,
      from: 'scheduled',
      to: 'published',
    });
  });

  it('audits every change and lists advisories only to those who may read the program', async () => {
    const actions = (
      await v.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'detail'])
        .where('action', 'like', 'advisory.%')
        .orderBy('seq')
        .execute()
    )
      .filter((a) => JSON.parse(a.detail).advisory === id)
      .map((a) => `${a.action}:${JSON.parse(a.detail).revision}`);
    expect(actions).toEqual([
      'advisory.drafted:1',
      'advisory.edited:1',
      'advisory.submitted:1',
      'advisory.returned:1',
      'advisory.submitted:1',
      'advisory.approved:1',
      'advisory.published:1',
      'advisory.correction_started:2',
      'advisory.edited:2',
      'advisory.submitted:2',
      'advisory.approved:2',
      'advisory.published:2',
    ]);
    const list = await ok('viewer', 'GET', `/api/v1/advisories?program=${SLUG}`);
    expect(list.advisories.map((a: { id: string }) => a.id)).toEqual([
      'LHD-SA-2027-0002',
      'LHD-SA-2027-0001',
    ]);
    expect((await ok('outsider', 'GET', '/api/v1/advisories')).advisories).toEqual([]);
    expect((await call('outsider', 'GET', `/api/v1/advisories/${id}`)).statusCode).toBe(404);
    expect((await call('outsider', 'GET', `/api/v1/advisories?program=${SLUG}`)).statusCode).toBe(404);
  });

  it('documents the routes under their tag and never answers with the reporter contact details', async () => {
    const doc = (await v.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const ops = Object.values(
      doc.paths as Record<string, Record<string, { operationId: string; tags: string[] }>>,
    )
      .flatMap((p) => Object.values(p))
      .filter((o) => o.tags?.includes('advisories'))
      .map((o) => o.operationId);
    expect(ops).toEqual(
      expect.arrayContaining([
        'listAdvisories',
        'draftAdvisory',
        'getAdvisory',
        'editAdvisoryDraft',
        'correctAdvisory',
        'approveAdvisoryRevision',
      ]),
    );
    expect(seen.length).toBeGreaterThan(20);
    for (const body of seen) for (const value of Object.values(canary)) expect(body).not.toContain(value);
  });

  it('tells holders of the approver duty with the same display name apart by their ids', async () => {
    // Three people named alike, all approvers: the author, an editor, and the one who approves.
    const ids: Record<string, string> = {};
    for (const key of ['samAuthor', 'samEditor', 'samApprover']) {
      const email = `${key.toLowerCase()}@advisories.test`;
      ids[key] = (
        await v.services.accounts.createUser(
          { email, name: 'Sam Same', role: 'handler', program: SLUG, duties: ['approver'] },
          'test',
        )
      ).id;
      tokens[key] = (
        await v.services.accounts.createToken({ userEmail: email, scope: 'read-write' }, 'test')
      ).token;
    }
    const n = await confirmedCase({}, assessed);
    const drafted = await ok('samAuthor', 'POST', '/api/v1/advisories', { cases: [n] });
    const url = `/api/v1/advisories/${drafted.id}/revisions/1`;
    await ok('samEditor', 'PUT', url, { ...drafted.revisions[0].content, title: 'Edited by the second Sam' });
    const submitted = await ok('samAuthor', 'POST', `${url}/submit`);
    // The names cannot tell them apart; the ids the console compares can.
    expect(submitted.revisions[0]).toMatchObject({
      author: 'Sam Same',
      editors: ['Sam Same'],
      authorId: ids.samAuthor,
      editorIds: [ids.samEditor],
      approvedBy: null,
      approvedById: null,
    });
    const audit = await count('audit_log');
    let res = await call('samAuthor', 'POST', `${url}/approve`);
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/You wrote revision 1/);
    res = await call('samEditor', 'POST', `${url}/approve`);
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/You edited revision 1/);
    expect(await count('audit_log')).toBe(audit);
    const approved = await ok('samApprover', 'POST', `${url}/approve`);
    expect(approved.revisions[0]).toMatchObject({
      state: 'approved',
      approvedBy: 'Sam Same',
      approvedById: ids.samApprover,
      authorId: ids.samAuthor,
    });
  });
});
