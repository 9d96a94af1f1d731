import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createManualClock } from '../src/core/clock.js';
import type { Program } from '../src/programs/index.js';
import { validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * Regulatory duties end to end through the HTTP API, on the two reference programs: Northwind
 * (America/Chicago, US-MN holidays; aurora-ip400 and beacon-pm7 are FDA cyber devices under the
 * EU MDR, harbor-gateway is a CRA product) and Lakeside (America/Toronto; lakeside-platform is a
 * HIPAA business associate and GDPR processor with a 24-hour notice target).
 *
 * The manual clock only moves forward, so the tests run as one timeline: CRA clocks from
 * Wednesday 28 October 2026 across the end of summer time (1 November), privacy clocks on
 * 31 October, device malfunctions around Thanksgiving (26 November) and the FDA exception lost
 * on 28 November. Every expected instant is written from local wall time with luxon.
 */

type Who =
  | 'handler'
  | 'handler2'
  | 'lead'
  | 'approver'
  | 'approver2'
  | 'approverRead'
  | 'lkHandler'
  | 'lkOfficer'
  | 'lkApprover'
  | 'root';

interface ClockView {
  id: string;
  triggerId: string;
  duty: string;
  regime: string;
  article: string;
  startedAt: string | null;
  dueAt: string | null;
  waitingFor: string | null;
  state: string;
  submittedAt: string | null;
  submittedBy: { email: string } | null;
  reference: string | null;
}
interface TriggerView {
  id: string;
  kind: string;
  productId: string;
  awareAt: string;
  source: string;
  reason: string | null;
  recordedBy: { email: string } | null;
  measureAvailableAt: string | null;
}
interface DecisionView {
  id: string;
  triggerId: string;
  regime: string;
  state: string;
  reason: string;
  articles: string[];
  decidedBy: { email: string } | null;
  reviewedBy: { email: string } | null;
  reviewNote: string | null;
}
interface CaseView {
  caseNumber: string;
  timeZone: string;
  product: { id: string } | null;
  profile: { regimes: string[]; summary: string[] } | null;
  availableTriggers: { kind: string }[];
  triggers: TriggerView[];
  clocks: ClockView[];
  decisions: DecisionView[];
  fdaException: { applies: boolean; lost: string[] } | null;
  adverseEvent: { number: string; reasons: string[] } | null;
}

const CHICAGO = 'America/Chicago';
const TORONTO = 'America/Toronto';
/** The last millisecond of a local date, as the ISO instant the API answers. */
const endOfDay = (date: string, zone: string) =>
  DateTime.fromISO(`${date}T23:59:59.999`, { zone }).toUTC().toISO() as string;

describe.each(dialects)('regulatory duties (%s)', (dialect) => {
  // Wednesday 28 October 2026, 10:00 in Chicago (CDT, UTC−5).
  const clock = createManualClock(new Date('2026-10-28T15:00:00.000Z'));
  const canary = `CANARY-${randomBytes(8).toString('hex')}`;
  const reporter = `finder-${randomBytes(4).toString('hex')}@example.org`;
  /** Every reason given; none may reach an audit entry or a log line. */
  const reasons: string[] = [];
  const because = (what: string) => {
    const r = `${what} (reason ${randomBytes(6).toString('hex')})`;
    reasons.push(r);
    return r;
  };
  let v: TestVigil;
  let northwind: Program;
  let lakeside: Program;
  const tokens = {} as Record<Who, string>;

  const call = (who: Who, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    v.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, payload });
  const reg = (caseNumber: string) => `/api/v1/reports/${caseNumber}/regulatory`;

  async function view(caseNumber: string, who: Who = 'handler'): Promise<CaseView> {
    const res = await call(who, 'GET', reg(caseNumber));
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as CaseView;
  }
  interface Recorded extends CaseView {
    /** The trigger this request added, and its clocks by duty. */
    added: TriggerView;
    addedClocks: Record<string, ClockView>;
  }
  async function record(caseNumber: string, body: object, who: Who = 'handler'): Promise<Recorded> {
    const before = new Set((await view(caseNumber, who)).triggers.map((t) => t.id));
    const res = await call(who, 'POST', `${reg(caseNumber)}/triggers`, body);
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json() as CaseView;
    const added = only(c.triggers.find((t) => !before.has(t.id)));
    return { ...c, added, addedClocks: clocksOf(c, added.id) };
  }
  /** The clocks of one trigger (the case's only one when none is named), keyed by duty. */
  function clocksOf(c: CaseView, triggerId?: string): Record<string, ClockView> {
    if (triggerId === undefined) expect(c.triggers).toHaveLength(1);
    const id = triggerId ?? c.triggers[0]?.id;
    return Object.fromEntries(c.clocks.filter((x) => x.triggerId === id).map((x) => [x.duty, x]));
  }
  function only<T>(x: T | undefined): T {
    expect(x).toBeDefined();
    return x as T;
  }
  async function submitCase(p: Program, product: string): Promise<string> {
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.slug}/reports`,
      payload: { fields: { ...validAnswers(p, canary, reporter), product } },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().caseNumber as string;
  }
  const auditCount = async (action: string) =>
    (
      await v.db.kysely
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('action', '=', action)
        .executeTakeFirstOrThrow()
    ).n;
  const regulatoryAudit = async (caseNumber: string) =>
    (
      await v.db.kysely
        .selectFrom('audit_log')
        .innerJoin('reports', 'reports.id', 'audit_log.report_id')
        .select(['audit_log.action', 'audit_log.actor', 'audit_log.detail'])
        .where('reports.case_number', '=', caseNumber)
        .where('audit_log.action', 'like', 'regulatory.%')
        .orderBy('audit_log.seq')
        .execute()
    ).map((a) => ({ action: a.action, detail: JSON.parse(a.detail) as Record<string, unknown> }));

  // Cases, all received at the start of the timeline.
  let craCase: string;
  let incidentCase: string;
  let decisionCase: string;
  let assessCase: string;
  let deviceCase: string;
  let noProductCase: string;
  let lakesideCase: string;
  let copyCase: string;

  beforeAll(async () => {
    // Many reports from one address in an hour: keep the proof-of-work gate out of these tests.
    v = await startTestVigil(dialect, {
      clock,
      env: { VIGIL_POW_ADDRESS_FREE_PER_HOUR: '1000', VIGIL_POW_QUIET_PER_HOUR: '1000' },
    });
    northwind = await v.services.programs.get('northwind-medical');
    lakeside = await v.services.programs.get('lakeside-health');
    // A copy of Lakeside whose platform is a HIPAA covered entity and whose processor target is
    // 6 hours: the clocks follow the profile.
    const copy = parse(await v.services.programs.exportYaml('lakeside-health')) as {
      scope: { products: { regulatory?: unknown }[] };
    } & Record<string, unknown>;
    const platform = only(copy.scope.products[0]);
    platform.regulatory = { hipaa: { role: 'covered-entity' }, gdpr: { role: 'processor', noticeHours: 6 } };
    await v.services.programs.importYaml(
      stringify({ ...copy, slug: 'lakeside-copy', name: 'Lakeside copy', casePrefix: 'LKC' }),
      'test',
    );

    const accounts = v.services.accounts;
    const grants = [
      ['handler@reg.test', 'Hal Handler', 'handler', 'northwind-medical', []],
      ['handler2@reg.test', 'Hanna Second', 'handler', 'northwind-medical', []],
      ['lead@reg.test', 'Lena Lead', 'lead', 'northwind-medical', []],
      ['approver@reg.test', 'Abe Approver', 'lead', 'northwind-medical', ['approver']],
      ['approver2@reg.test', 'Ada Approver', 'handler', 'northwind-medical', ['approver']],
      ['lk-handler@reg.test', 'Lou Handler', 'handler', 'lakeside-health', []],
      ['lk-officer@reg.test', 'Olga Officer', 'handler', 'lakeside-health', ['privacy']],
      ['lk-approver@reg.test', 'Lars Approver', 'lead', 'lakeside-health', ['approver']],
    ] as const;
    for (const [email, name, role, program, duties] of grants)
      await accounts.createUser({ email, name, role, program, duties: [...duties] }, 'test');
    await accounts.createUser({ email: 'root@reg.test', name: 'Root Admin', role: 'admin' }, 'test');
    const token = async (email: string, scope: 'read' | 'read-write' = 'read-write') =>
      (await accounts.createToken({ userEmail: email, scope }, 'test')).token;
    tokens.handler = await token('handler@reg.test');
    tokens.handler2 = await token('handler2@reg.test');
    tokens.lead = await token('lead@reg.test');
    tokens.approver = await token('approver@reg.test');
    tokens.approver2 = await token('approver2@reg.test');
    tokens.approverRead = await token('approver@reg.test', 'read');
    tokens.lkHandler = await token('lk-handler@reg.test');
    tokens.lkOfficer = await token('lk-officer@reg.test');
    tokens.lkApprover = await token('lk-approver@reg.test');
    tokens.root = await token('root@reg.test');

    craCase = await submitCase(northwind, 'harbor-gateway');
    incidentCase = await submitCase(northwind, 'harbor-gateway');
    decisionCase = await submitCase(northwind, 'harbor-gateway');
    assessCase = await submitCase(northwind, 'aurora-ip400');
    deviceCase = await submitCase(northwind, 'aurora-ip400');
    noProductCase = await submitCase(northwind, 'beacon-pm7');
    lakesideCase = await submitCase(lakeside, 'lakeside-platform');
    copyCase = await submitCase(await v.services.programs.get('lakeside-copy'), 'lakeside-platform');
    // An assessment without affected products leaves the case without a product.
    const res = await call('handler', 'PUT', `/api/v1/reports/${noProductCase}/assessment`, {
      cwe: 'CWE-79',
    });
    expect(res.statusCode, res.body).toBe(200);
  });

  afterAll(async () => {
    await v?.destroy();
  });

  describe('profiles', () => {
    it('the reference programs load with their profiles', () => {
      const profiles = (p: Program) =>
        Object.fromEntries(p.definition.scope.products.map((x) => [x.id, x.regulatory]));
      expect(profiles(northwind)).toEqual({
        'aurora-ip400': { fda: { cyberDevice: true }, euMdr: { class: 'IIb' } },
        'beacon-pm7': { fda: { cyberDevice: true }, euMdr: { class: 'IIb' } },
        'harbor-gateway': { cra: { role: 'manufacturer' } },
      });
      expect(profiles(lakeside)).toEqual({
        'lakeside-platform': {
          hipaa: { role: 'business-associate' },
          gdpr: { role: 'processor', noticeHours: 24 },
        },
        'lakeside-health-server': { cra: { role: 'open-source-steward' } },
      });
    });

    it.each([
      ['an unknown regulation', { fdaa: {} }, 'scope.products.2.regulatory.fdaa'],
      [
        'the CRA on an MDR device',
        { cra: { role: 'manufacturer' }, euMdr: { class: 'IIb' } },
        'scope.products.2.regulatory.cra',
      ],
      [
        'noticeHours for a GDPR controller',
        { gdpr: { role: 'controller', noticeHours: 24 } },
        'scope.products.2.regulatory.gdpr.noticeHours',
      ],
      ['an empty profile', {}, 'scope.products.2.regulatory'],
      ['an unknown CRA role', { cra: { role: 'importer' } }, 'scope.products.2.regulatory.cra.role'],
    ])('refuses %s, naming the field', async (_what, regulatory, path) => {
      const copy = parse(await v.services.programs.exportYaml('northwind-medical')) as {
        scope: { products: Record<string, unknown>[] };
      } & Record<string, unknown>;
      (copy.scope.products[2] as Record<string, unknown>).regulatory = regulatory;
      const attempt = v.services.programs.importYaml(
        stringify({ ...copy, slug: 'northwind-bad', casePrefix: 'NWB' }),
        'test',
      );
      await expect(attempt).rejects.toMatchObject({
        fields: expect.arrayContaining([expect.objectContaining({ path })]),
      });
      await expect(v.services.programs.get('northwind-bad')).rejects.toThrow();
    });
  });

  it('a new case takes its product from the form; an assessment without one clears it', async () => {
    const fresh = await submitCase(northwind, 'beacon-pm7');
    const c = await view(fresh);
    expect(c.product).toMatchObject({ id: 'beacon-pm7' });
    expect(c.profile?.regimes).toEqual(['fda-postmarket', 'fda-mdr', 'eu-vigilance']);
    expect(c.availableTriggers.map((t) => t.kind)).toEqual(['uncontrolled-risk', 'device-malfunction']);
    const none = await view(noProductCase);
    expect(none.product).toBeNull();
    expect(none.availableTriggers).toEqual([]);
  });

  describe('CRA: actively exploited vulnerability on harbor-gateway', () => {
    it('offers the CRA triggers and starts three clocks: 24 h, 72 h and a waiting final report', async () => {
      const before = await view(craCase);
      expect(before.product).toMatchObject({ id: 'harbor-gateway' });
      expect(before.availableTriggers.map((t) => t.kind)).toEqual(['actively-exploited', 'severe-incident']);
      expect(before.triggers).toEqual([]);

      const reason = because('Exploit seen in the wild');
      const c = await record(craCase, {
        kind: 'actively-exploited',
        awareAt: '2026-10-28T09:00:00-05:00',
        reason,
      });
      expect(c.triggers).toEqual([
        expect.objectContaining({
          kind: 'actively-exploited',
          productId: 'harbor-gateway',
          awareAt: '2026-10-28T14:00:00.000Z',
          source: 'staff',
          reason,
          recordedBy: expect.objectContaining({ email: 'handler@reg.test' }),
          measureAvailableAt: null,
        }),
      ]);
      const clocks = clocksOf(c);
      expect(Object.keys(clocks).sort()).toEqual([
        'cra-vuln-early-warning',
        'cra-vuln-final',
        'cra-vuln-notification',
      ]);
      expect(clocks['cra-vuln-early-warning']).toMatchObject({
        regime: 'cra',
        startedAt: '2026-10-28T14:00:00.000Z',
        dueAt: '2026-10-29T14:00:00.000Z',
        state: 'running',
        article: expect.stringContaining('Art. 14(2)(a)'),
      });
      expect(clocks['cra-vuln-notification']).toMatchObject({
        dueAt: '2026-10-31T14:00:00.000Z',
        state: 'running',
      });
      expect(clocks['cra-vuln-final']).toMatchObject({
        startedAt: null,
        dueAt: null,
        state: 'waiting',
        waitingFor: expect.stringContaining('corrective or mitigating measure'),
      });
    });

    it('a waiting clock cannot be submitted (409); an empty reference is refused (400)', async () => {
      const c = clocksOf(await view(craCase));
      const finalId = only(c['cra-vuln-final']).id;
      const ewId = only(c['cra-vuln-early-warning']).id;
      const waiting = await call('handler', 'POST', `${reg(craCase)}/clocks/${finalId}/submit`, {
        reference: 'ENISA-FINAL-0',
      });
      expect(waiting.statusCode, waiting.body).toBe(409);
      for (const reference of ['', '   ']) {
        const empty = await call('handler', 'POST', `${reg(craCase)}/clocks/${ewId}/submit`, { reference });
        expect(empty.statusCode, empty.body).toBe(400);
        expect(empty.json().fields).toEqual([expect.objectContaining({ path: 'reference' })]);
      }
      const unknown = await call('handler', 'POST', `${reg(craCase)}/clocks/nonesuch/submit`, {
        reference: 'X-1',
      });
      expect(unknown.statusCode).toBe(404);
      expect(only(clocksOf(await view(craCase))['cra-vuln-early-warning']).state).toBe('running');
    });

    it('submitting with a reference stops the clock; a second submission is refused (409)', async () => {
      const ew = only(clocksOf(await view(craCase))['cra-vuln-early-warning']);
      const res = await call('handler', 'POST', `${reg(craCase)}/clocks/${ew.id}/submit`, {
        reference: 'ENISA-EW-2026-0042',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(only(clocksOf(res.json())['cra-vuln-early-warning'])).toMatchObject({
        state: 'submitted',
        reference: 'ENISA-EW-2026-0042',
        submittedAt: '2026-10-28T15:00:00.000Z',
        submittedBy: expect.objectContaining({ email: 'handler@reg.test' }),
      });
      const again = await call('handler', 'POST', `${reg(craCase)}/clocks/${ew.id}/submit`, {
        reference: 'ENISA-EW-2026-0043',
      });
      expect(again.statusCode, again.body).toBe(409);
      expect(only(clocksOf(await view(craCase))['cra-vuln-early-warning']).reference).toBe(
        'ENISA-EW-2026-0042',
      );
    });
  });

  describe('bad input records nothing', () => {
    it.each([
      [
        'a kind the product has no duty for',
        () => deviceCase,
        { kind: 'phi-breach', individualsAffected: 10 },
        'kind',
      ],
      ['an unknown kind', () => craCase, { kind: 'fdaa-breach' }, 'kind'],
      [
        'no product on the case and none given',
        () => noProductCase,
        { kind: 'device-malfunction', outcome: 'death' },
        'product',
      ],
      ['an unknown product', () => craCase, { kind: 'actively-exploited', product: 'nonesuch' }, 'product'],
      [
        'a PHI breach without individualsAffected',
        () => lakesideCase,
        { kind: 'phi-breach' },
        'individualsAffected',
      ],
      ['a device malfunction without outcome', () => deviceCase, { kind: 'device-malfunction' }, 'outcome'],
      [
        'awareAt in the future',
        () => craCase,
        { kind: 'severe-incident', awareAt: '2026-10-29T15:00:00Z' },
        'awareAt',
      ],
      [
        'awareAt without a zone',
        () => craCase,
        { kind: 'severe-incident', awareAt: '2026-10-28T09:00:00' },
        'awareAt',
      ],
      ['an empty reason', () => craCase, { kind: 'severe-incident', reason: '  ' }, 'reason'],
      ['an unknown field', () => craCase, { kind: 'severe-incident', severity: 'high' }, 'severity'],
    ] as const)('refuses %s with 400 naming it', async (_what, caseOf, body, path) => {
      const caseNumber = caseOf();
      const who: Who = caseNumber === lakesideCase ? 'lkHandler' : 'handler';
      const before = await view(caseNumber, who);
      const audits = await auditCount('regulatory.trigger');
      const res = await call(who, 'POST', `${reg(caseNumber)}/triggers`, {
        reason: 'Recorded by the bad-input test',
        ...body,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().fields, res.body).toEqual(
        expect.arrayContaining([expect.objectContaining({ path })]),
      );
      const after = await view(caseNumber, who);
      expect(after.triggers).toEqual(before.triggers);
      expect(after.clocks).toEqual(before.clocks);
      expect(after.adverseEvent).toEqual(before.adverseEvent);
      expect(await auditCount('regulatory.trigger')).toBe(audits);
    });

    it('a kind the product has no duty for lists the kinds it has', async () => {
      const res = await call('handler', 'POST', `${reg(deviceCase)}/triggers`, {
        kind: 'actively-exploited',
        reason: 'wrong kind',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().fields).toEqual([
        expect.objectContaining({
          path: 'kind',
          message: expect.stringContaining('uncontrolled-risk, device-malfunction'),
        }),
      ]);
    });

    it('a read-only token reads the record but changes nothing (403)', async () => {
      const c = await view(craCase, 'approverRead');
      const notification = only(clocksOf(c)['cra-vuln-notification']);
      const attempts = [
        call('approverRead', 'POST', `${reg(craCase)}/triggers`, { kind: 'severe-incident', reason: 'r' }),
        call('approverRead', 'POST', `${reg(craCase)}/clocks/${notification.id}/submit`, {
          reference: 'R-1',
        }),
        call('approverRead', 'POST', `${reg(craCase)}/triggers/${c.triggers[0]?.id}/measure`, {}),
        call('approverRead', 'POST', `${reg(craCase)}/decisions`, {
          triggerId: c.triggers[0]?.id,
          regime: 'cra',
          reason: 'r',
        }),
      ];
      for (const res of await Promise.all(attempts)) expect(res.statusCode, res.body).toBe(403);
      expect(await view(craCase)).toEqual(c);
    });

    it('another program’s handler gets 404 for every route of the case, and changes nothing', async () => {
      const c = await view(craCase);
      const clockId = c.clocks[0]?.id;
      const urls: [string, 'GET' | 'POST', object | undefined][] = [
        [reg(craCase), 'GET', undefined],
        [`${reg(craCase)}/clocks/${clockId}/report`, 'GET', undefined],
        [`${reg(craCase)}/triggers`, 'POST', { kind: 'severe-incident', reason: 'probe' }],
        [`${reg(craCase)}/clocks/${clockId}/submit`, 'POST', { reference: 'PROBE' }],
        [`/api/v1/reports/${craCase}/adverse-event`, 'GET', undefined],
      ];
      for (const [url, method, payload] of urls) {
        const res = await call('lkHandler', method, url, payload);
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(404);
      }
      expect(await view(craCase)).toEqual(c);
    });
  });

  describe('assessment: an uncontrolled patient risk on aurora-ip400', () => {
    const assessment = {
      cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      patientSafety: { severity: 'serious', notes: 'Dose limits can be changed remotely' },
      affected: [{ productId: 'aurora-ip400', versions: 'firmware >= 3.0, < 3.4.2' }],
    };

    it('records the FDA trigger from the case receipt, its 30/30/60-day clocks and the adverse event', async () => {
      const res = await call('handler', 'PUT', `/api/v1/reports/${assessCase}/assessment`, assessment);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().patientSafety).toMatchObject({ risk: 'uncontrolled', exploitability: 'high' });
      const c = await view(assessCase);
      expect(c.triggers).toEqual([
        expect.objectContaining({
          kind: 'uncontrolled-risk',
          source: 'assessment',
          productId: 'aurora-ip400',
          // The case arrived at 10:00 CDT on 28 October.
          awareAt: '2026-10-28T15:00:00.000Z',
          recordedBy: null,
          reason: null,
        }),
      ]);
      const clocks = clocksOf(c);
      expect(Object.keys(clocks).sort()).toEqual([
        'fda-customer-communication',
        'fda-isao',
        'fda-remediation',
      ]);
      // 30 and 60 days after 28 October: Friday 27 November and Sunday 27 December, in CST.
      expect(only(clocks['fda-customer-communication']).dueAt).toBe(endOfDay('2026-11-27', CHICAGO));
      expect(only(clocks['fda-isao']).dueAt).toBe(endOfDay('2026-11-27', CHICAGO));
      expect(only(clocks['fda-remediation']).dueAt).toBe(endOfDay('2026-12-27', CHICAGO));
      expect(endOfDay('2026-11-27', CHICAGO)).toBe('2026-11-28T05:59:59.999Z');
      expect(c.fdaException).toEqual({ applies: true, lost: [] });
      expect(c.adverseEvent).toMatchObject({ number: `AE-${assessCase}`, reasons: ['harm-serious'] });

      const ae = await call('handler', 'GET', `/api/v1/reports/${assessCase}/adverse-event`);
      expect(ae.statusCode, ae.body).toBe(200);
      expect(ae.json()).toMatchObject({
        number: `AE-${assessCase}`,
        caseNumber: assessCase,
        program: 'northwind-medical',
        productId: 'aurora-ip400',
        patientSafety: { severity: 'serious', exploitability: 'high', risk: 'uncontrolled' },
      });
    });

    it('a second assessment does not record the trigger twice', async () => {
      const before = await view(assessCase);
      const res = await call('handler', 'PUT', `/api/v1/reports/${assessCase}/assessment`, {
        ...assessment,
        patientSafety: { severity: 'critical', notes: 'Worse than we thought' },
      });
      expect(res.statusCode, res.body).toBe(200);
      const after = await view(assessCase);
      expect(after.triggers).toEqual(before.triggers);
      expect(after.clocks).toEqual(before.clocks);
      expect(after.adverseEvent?.reasons).toEqual(['harm-serious', 'harm-critical']);
    });

    it('a controlled risk records no trigger and no adverse event', async () => {
      const res = await call('handler', 'PUT', `/api/v1/reports/${deviceCase}/assessment`, {
        cvss31: 'CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:L/A:L',
        patientSafety: { severity: 'minor' },
        affected: [{ productId: 'aurora-ip400', versions: 'firmware >= 3.0' }],
      });
      expect(res.statusCode, res.body).toBe(200);
      const c = await view(deviceCase);
      expect(c.triggers).toEqual([]);
      expect(c.fdaException).toBeNull();
      expect(c.adverseEvent).toBeNull();
    });
  });

  describe('paste-ready report', () => {
    it('names the article and never the reporter', async () => {
      const ew = only(clocksOf(await view(craCase))['cra-vuln-early-warning']);
      const res = await call('handler', 'GET', `${reg(craCase)}/clocks/${ew.id}/report`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const r = res.json();
      expect(r).toMatchObject({ clockId: ew.id, reportKind: 'cra-vulnerability-early-warning' });
      expect(r.text).toContain('Art. 14(2)(a)');
      expect(JSON.stringify(r.json)).toContain('Art. 14(2)(a)');
      expect(r.text).toContain('Harbor Clinical Gateway');
      for (const secret of [reporter, 'Ada Researcher', canary]) {
        expect(r.text).not.toContain(secret);
        expect(JSON.stringify(r.json)).not.toContain(secret);
      }

      // The FDA report quotes the assessment, still nothing of the reporter's.
      const fda = only(clocksOf(await view(assessCase))['fda-customer-communication']);
      const fdaReport = await call('handler', 'GET', `${reg(assessCase)}/clocks/${fda.id}/report`);
      expect(fdaReport.statusCode, fdaReport.body).toBe(200);
      expect(fdaReport.json().text).toContain('VII.B');
      for (const secret of [reporter, 'Ada Researcher', canary]) expect(fdaReport.body).not.toContain(secret);
    });

    it('answers 404 for a clock of another case', async () => {
      const fda = only(clocksOf(await view(assessCase))['fda-customer-communication']);
      const res = await call('handler', 'GET', `${reg(craCase)}/clocks/${fda.id}/report`);
      expect(res.statusCode).toBe(404);
    });
  });

  describe('CRA: measures and the final reports (across the end of summer time)', () => {
    it('a measure starts the final report, due at the end of the 14th local day', async () => {
      // Friday 30 October, 15:00 CDT; the measure became available at 14:00.
      clock.set(new Date('2026-10-30T20:00:00.000Z'));
      const c = await view(craCase);
      const triggerId = only(c.triggers[0]).id;
      const early = await call('handler', 'POST', `${reg(craCase)}/triggers/${triggerId}/measure`, {
        availableAt: '2026-10-28T13:00:00Z',
      });
      expect(early.statusCode, early.body).toBe(400);
      expect(early.json().fields).toEqual([expect.objectContaining({ path: 'availableAt' })]);

      const res = await call('handler', 'POST', `${reg(craCase)}/triggers/${triggerId}/measure`, {
        availableAt: '2026-10-30T14:00:00-05:00',
      });
      expect(res.statusCode, res.body).toBe(200);
      const after = res.json() as CaseView;
      expect(after.triggers[0]?.measureAvailableAt).toBe('2026-10-30T19:00:00.000Z');
      // 14 days after Friday 30 October is Friday 13 November, by then in CST (UTC−6).
      expect(only(clocksOf(after)['cra-vuln-final'])).toMatchObject({
        startedAt: '2026-10-30T19:00:00.000Z',
        dueAt: endOfDay('2026-11-13', CHICAGO),
        state: 'running',
        waitingFor: null,
      });
      expect(endOfDay('2026-11-13', CHICAGO)).toBe('2026-11-14T05:59:59.999Z');
      const again = await call('handler', 'POST', `${reg(craCase)}/triggers/${triggerId}/measure`, {});
      expect(again.statusCode, again.body).toBe(409);
    });

    it('a severe incident: the final report waits for the notification, then runs one month', async () => {
      const c = await record(incidentCase, {
        kind: 'severe-incident',
        awareAt: '2026-10-30T12:00:00Z',
        reason: because('Ransomware reached the gateway build system'),
      });
      const clocks = clocksOf(c);
      expect(only(clocks['cra-incident-early-warning']).dueAt).toBe('2026-10-31T12:00:00.000Z');
      expect(only(clocks['cra-incident-notification']).dueAt).toBe('2026-11-02T12:00:00.000Z');
      expect(only(clocks['cra-incident-final'])).toMatchObject({
        state: 'waiting',
        dueAt: null,
        waitingFor: expect.stringContaining('cra-incident-notification'),
      });
      // No measure waits on an incident.
      const measure = await call(
        'handler',
        'POST',
        `${reg(incidentCase)}/triggers/${c.triggers[0]?.id}/measure`,
        {},
      );
      expect(measure.statusCode, measure.body).toBe(409);

      // Saturday 31 October, 00:00 CDT; the notification went out at 23:30 on Friday 30 October.
      clock.set(new Date('2026-10-31T05:00:00.000Z'));
      const future = await call(
        'handler',
        'POST',
        `${reg(incidentCase)}/clocks/${only(clocks['cra-incident-notification']).id}/submit`,
        { reference: 'ENISA-IN-7', submittedAt: '2026-10-31T06:00:00Z' },
      );
      expect(future.statusCode, future.body).toBe(400);
      expect(future.json().fields).toEqual([expect.objectContaining({ path: 'submittedAt' })]);
      const res = await call(
        'handler',
        'POST',
        `${reg(incidentCase)}/clocks/${only(clocks['cra-incident-notification']).id}/submit`,
        { reference: 'ENISA-IN-7', submittedAt: '2026-10-30T23:30:00-05:00' },
      );
      expect(res.statusCode, res.body).toBe(200);
      const after = clocksOf(res.json());
      expect(only(after['cra-incident-notification'])).toMatchObject({
        state: 'submitted',
        submittedAt: '2026-10-31T04:30:00.000Z',
      });
      // One month from the local date of the submission (30 October, not the UTC 31st).
      expect(only(after['cra-incident-final'])).toMatchObject({
        startedAt: '2026-10-31T04:30:00.000Z',
        dueAt: endOfDay('2026-11-30', CHICAGO),
        state: 'running',
      });
    });

    it('a submission after the due instant is submitted-late', async () => {
      // Saturday 31 October, 10:00 CDT: the 72-hour notification was due at 09:00.
      clock.set(new Date('2026-10-31T15:00:00.000Z'));
      const n = only(clocksOf(await view(craCase))['cra-vuln-notification']);
      expect(n.state).toBe('breached');
      const res = await call('handler', 'POST', `${reg(craCase)}/clocks/${n.id}/submit`, {
        reference: 'ENISA-VN-2026-0042',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(only(clocksOf(res.json())['cra-vuln-notification'])).toMatchObject({
        state: 'submitted-late',
        submittedAt: '2026-10-31T15:00:00.000Z',
      });
      // The incident's early warning (due 07:00 CDT) was never sent.
      expect(only(clocksOf(await view(incidentCase))['cra-incident-early-warning']).state).toBe('breached');
    });
  });

  describe('"not reportable" takes two people', () => {
    let triggerId: string;
    let decisionId: string;

    it('a proposal keeps the clocks running; nobody but another approver may approve it', async () => {
      const c = await record(decisionCase, {
        kind: 'actively-exploited',
        reason: because('Report claims exploitation; unconfirmed'),
      });
      triggerId = only(c.triggers[0]).id;
      const wrongRegime = await call('approver2', 'POST', `${reg(decisionCase)}/decisions`, {
        triggerId,
        regime: 'hipaa',
        reason: 'not ours',
      });
      expect(wrongRegime.statusCode, wrongRegime.body).toBe(400);
      expect(wrongRegime.json().fields).toEqual([expect.objectContaining({ path: 'regime' })]);

      const reason = because('The exploit needs a debug build never shipped');
      const res = await call('approver2', 'POST', `${reg(decisionCase)}/decisions`, {
        triggerId,
        regime: 'cra',
        reason,
      });
      expect(res.statusCode, res.body).toBe(201);
      const proposed = res.json() as CaseView;
      expect(proposed.decisions).toEqual([
        expect.objectContaining({
          triggerId,
          regime: 'cra',
          state: 'proposed',
          reason,
          decidedBy: expect.objectContaining({ email: 'approver2@reg.test' }),
          reviewedBy: null,
          articles: expect.arrayContaining([
            expect.stringContaining('Art. 14(2)(a)'),
            expect.stringContaining('Art. 14(2)(b)'),
            expect.stringContaining('Art. 14(2)(c)'),
          ]),
        }),
      ]);
      expect(proposed.clocks.map((x) => x.state).sort()).toEqual(['running', 'running', 'waiting']);
      decisionId = only(proposed.decisions[0]).id;

      const approve = (who: Who) => call(who, 'POST', `${reg(decisionCase)}/decisions/${decisionId}/approve`);
      const own = await approve('approver2');
      expect(own.statusCode, own.body).toBe(403);
      expect(own.json().message).toMatch(/two people/);
      for (const who of ['handler', 'lead', 'approverRead'] as const) {
        const res = await approve(who);
        expect(res.statusCode, `${who}: ${res.body}`).toBe(403);
      }
      const stranger = await approve('lkApprover');
      expect(stranger.statusCode).toBe(404);

      const second = await call('handler2', 'POST', `${reg(decisionCase)}/decisions`, {
        triggerId,
        regime: 'cra',
        reason: 'a second opinion',
      });
      expect(second.statusCode, second.body).toBe(409);
      const unchanged = await view(decisionCase);
      expect(unchanged.decisions.map((d) => d.state)).toEqual(['proposed']);
      expect(unchanged.clocks.map((x) => x.state).sort()).toEqual(['running', 'running', 'waiting']);
    });

    it('an approver closes the regime’s open clocks as not-reportable', async () => {
      const res = await call('approver', 'POST', `${reg(decisionCase)}/decisions/${decisionId}/approve`);
      expect(res.statusCode, res.body).toBe(200);
      const c = res.json() as CaseView;
      expect(c.decisions[0]).toMatchObject({
        state: 'approved',
        reviewedBy: expect.objectContaining({ email: 'approver@reg.test' }),
      });
      expect(c.clocks.map((x) => x.state)).toEqual(['not-reportable', 'not-reportable', 'not-reportable']);
      const twice = await call('approver', 'POST', `${reg(decisionCase)}/decisions/${decisionId}/approve`);
      expect(twice.statusCode).toBe(409);
      const again = await call('handler', 'POST', `${reg(decisionCase)}/decisions`, {
        triggerId,
        regime: 'cra',
        reason: 'once more',
      });
      expect(again.statusCode).toBe(409);
    });

    it('HIPAA and GDPR need the privacy duty; a rejection with its reason keeps the clocks running', async () => {
      const c = await record(
        lakesideCase,
        {
          kind: 'phi-breach',
          awareAt: '2026-10-31T10:00:00-04:00',
          individualsAffected: 1200,
          reason: because('Misconfigured export bucket'),
        },
        'lkHandler',
      );
      const phi = only(c.triggers[0]).id;
      const propose = await call('lkHandler', 'POST', `${reg(lakesideCase)}/decisions`, {
        triggerId: phi,
        regime: 'hipaa',
        reason: because('Encrypted at rest: not unsecured PHI'),
      });
      expect(propose.statusCode, propose.body).toBe(201);
      const id = only((propose.json() as CaseView).decisions[0]).id;

      // An approver without the privacy duty may not decide a privacy law.
      const wrongDuty = await call('lkApprover', 'POST', `${reg(lakesideCase)}/decisions/${id}/approve`);
      expect(wrongDuty.statusCode, wrongDuty.body).toBe(403);
      expect(wrongDuty.json().message).toMatch(/privacy duty/);

      const emptyNote = await call('lkOfficer', 'POST', `${reg(lakesideCase)}/decisions/${id}/reject`, {
        reason: '',
      });
      expect(emptyNote.statusCode).toBe(400);
      const note = because('The key was stored with the data');
      const reject = await call('lkOfficer', 'POST', `${reg(lakesideCase)}/decisions/${id}/reject`, {
        reason: note,
      });
      expect(reject.statusCode, reject.body).toBe(200);
      const rejected = reject.json() as CaseView;
      expect(rejected.decisions[0]).toMatchObject({
        state: 'rejected',
        reviewNote: note,
        reviewedBy: expect.objectContaining({ email: 'lk-officer@reg.test' }),
      });
      expect(only(clocksOf(rejected, phi)['hipaa-business-associate']).state).toBe('running');

      // After a rejection a new proposal may be made, and a privacy officer approves it.
      const retry = await call('lkHandler', 'POST', `${reg(lakesideCase)}/decisions`, {
        triggerId: phi,
        regime: 'hipaa',
        reason: because('Second look: the key was in a separate vault after all'),
      });
      expect(retry.statusCode, retry.body).toBe(201);
      const retryId = only((retry.json() as CaseView).decisions.find((d) => d.state === 'proposed')).id;
      const ok = await call('lkOfficer', 'POST', `${reg(lakesideCase)}/decisions/${retryId}/approve`);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(only(clocksOf(ok.json(), phi)['hipaa-business-associate']).state).toBe('not-reportable');
    });
  });

  describe('privacy clocks on lakeside-platform (America/Toronto)', () => {
    it('a PHI breach owes a business associate one 60-day notice to the covered entity', async () => {
      const c = await view(lakesideCase, 'lkHandler');
      const phi = only(c.triggers.find((t) => t.kind === 'phi-breach'));
      const clocks = clocksOf(c, phi.id);
      expect(Object.keys(clocks)).toEqual(['hipaa-business-associate']);
      // 60 days after Saturday 31 October: Wednesday 30 December, in EST.
      expect(only(clocks['hipaa-business-associate']).dueAt).toBe(endOfDay('2026-12-30', TORONTO));
      expect(c.timeZone).toBe(TORONTO);
    });

    it('a personal data breach owes the processor notice, 24 hours by the profile; 6 in the copy', async () => {
      const c = await record(
        lakesideCase,
        {
          kind: 'personal-data-breach',
          awareAt: '2026-10-31T14:00:00Z',
          reason: because('EU tenant export'),
        },
        'lkHandler',
      );
      const clocks = c.addedClocks;
      expect(Object.keys(clocks)).toEqual(['gdpr-controller']);
      // 24 hours exactly, though Toronto leaves summer time in between.
      expect(only(clocks['gdpr-controller'])).toMatchObject({
        dueAt: '2026-11-01T14:00:00.000Z',
        regime: 'gdpr',
        article: expect.stringContaining('Art. 33(2)'),
      });
      const copy = await record(
        copyCase,
        { kind: 'personal-data-breach', awareAt: '2026-10-31T14:00:00Z', reason: because('copy') },
        'root',
      );
      expect(only(clocksOf(copy)['gdpr-controller']).dueAt).toBe('2026-10-31T20:00:00.000Z');
    });

    it('a covered entity owes the individuals and, under 500, the annual HHS log after year end', async () => {
      const c = await record(
        copyCase,
        {
          kind: 'phi-breach',
          awareAt: '2026-10-31T14:00:00Z',
          individualsAffected: 120,
          reason: because('Lost laptop'),
        },
        'root',
      );
      const clocks = c.addedClocks;
      expect(Object.keys(clocks).sort()).toEqual(['hipaa-hhs-annual', 'hipaa-individuals']);
      expect(only(clocks['hipaa-individuals']).dueAt).toBe(endOfDay('2026-12-30', TORONTO));
      // 60 days after the end of 2026: Monday 1 March 2027.
      expect(only(clocks['hipaa-hhs-annual'])).toMatchObject({
        startedAt: endOfDay('2026-12-31', TORONTO),
        dueAt: endOfDay('2027-03-01', TORONTO),
        article: expect.stringContaining('164.408(c)'),
      });
    });

    // The annual HHS log's clock starts at the end of the year, but 45 CFR 164.408(c) sets only
    // an outer limit: a submission with its time is recorded before then, as one without.
    it('the annual HHS log may be recorded as submitted, with its time, before the year ends', async () => {
      const c = await view(copyCase, 'root');
      const annual = only(c.clocks.find((x) => x.duty === 'hipaa-hhs-annual'));
      const res = await call('root', 'POST', `${reg(copyCase)}/clocks/${annual.id}/submit`, {
        reference: 'OCR-2026-LOG-7',
        submittedAt: '2026-10-31T15:00:00Z',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(only((res.json() as CaseView).clocks.find((x) => x.id === annual.id))).toMatchObject({
        state: 'submitted',
        submittedAt: '2026-10-31T15:00:00.000Z',
        reference: 'OCR-2026-LOG-7',
      });
      // Recorded once: a second submission, with or without a time, is refused.
      const again = await call('root', 'POST', `${reg(copyCase)}/clocks/${annual.id}/submit`, {
        reference: 'OCR-2026-LOG-8',
      });
      expect(again.statusCode, again.body).toBe(409);
    });

    it('a GDPR decision needs the privacy duty too', async () => {
      const c = await view(lakesideCase, 'lkHandler');
      const pdb = only(c.triggers.find((t) => t.kind === 'personal-data-breach'));
      const res = await call('lkHandler', 'POST', `${reg(lakesideCase)}/decisions`, {
        triggerId: pdb.id,
        regime: 'gdpr',
        reason: because('No personal data in the export'),
      });
      expect(res.statusCode, res.body).toBe(201);
      const id = only((res.json() as CaseView).decisions.find((d) => d.regime === 'gdpr')).id;
      const wrongDuty = await call('lkApprover', 'POST', `${reg(lakesideCase)}/decisions/${id}/approve`);
      expect(wrongDuty.statusCode, wrongDuty.body).toBe(403);
      const reject = await call('lkOfficer', 'POST', `${reg(lakesideCase)}/decisions/${id}/reject`, {
        reason: because('Names were in the export'),
      });
      expect(reject.statusCode, reject.body).toBe(200);
      expect(only(clocksOf(reject.json(), pdb.id)['gdpr-controller']).state).toBe('running');
    });
  });

  describe('where the clocks show', () => {
    it('the running clocks list: own programs only, soonest due first', async () => {
      const list = async (who: Who) => {
        const res = await call(who, 'GET', '/api/v1/regulatory/clocks');
        expect(res.statusCode, res.body).toBe(200);
        return res.json().items as (ClockView & { caseNumber: string; program: string; productId: string })[];
      };
      const lk = await list('lkHandler');
      expect(lk.map((x) => [x.caseNumber, x.duty, x.state])).toEqual([
        [lakesideCase, 'gdpr-controller', 'running'],
      ]);
      const nw = await list('handler');
      expect(nw.every((x) => x.program === 'northwind-medical')).toBe(true);
      expect(nw.map((x) => [x.dueAt, x.caseNumber, x.state])).toEqual([
        ['2026-10-31T12:00:00.000Z', incidentCase, 'breached'],
        [endOfDay('2026-11-13', CHICAGO), craCase, 'running'],
        [endOfDay('2026-11-27', CHICAGO), assessCase, 'running'],
        [endOfDay('2026-11-27', CHICAGO), assessCase, 'running'],
        [endOfDay('2026-11-30', CHICAGO), incidentCase, 'running'],
        [endOfDay('2026-12-27', CHICAGO), assessCase, 'running'],
      ]);
      expect(nw.map((x) => x.duty).sort()).toEqual([
        'cra-incident-early-warning',
        'cra-incident-final',
        'cra-vuln-final',
        'fda-customer-communication',
        'fda-isao',
        'fda-remediation',
      ]);
      expect(nw.find((x) => x.duty === 'cra-vuln-final')?.productId).toBe('harbor-gateway');
    });

    it('the queue and the case show the soonest running due instant', async () => {
      const res = await call('handler', 'GET', '/api/v1/reports?program=northwind-medical&limit=200');
      expect(res.statusCode, res.body).toBe(200);
      const due = Object.fromEntries(
        (res.json().items as { caseNumber: string; regulatoryDueAt: string | null }[]).map((i) => [
          i.caseNumber,
          i.regulatoryDueAt,
        ]),
      );
      expect(due[craCase]).toBe(endOfDay('2026-11-13', CHICAGO));
      expect(due[incidentCase]).toBe('2026-10-31T12:00:00.000Z');
      expect(due[assessCase]).toBe(endOfDay('2026-11-27', CHICAGO));
      expect(due[decisionCase]).toBeNull();
      expect(due[deviceCase]).toBeNull();
      const detail = await call('handler', 'GET', `/api/v1/reports/${craCase}`);
      expect(detail.json().regulatoryDueAt).toBe(endOfDay('2026-11-13', CHICAGO));
    });

    it('the case export carries the regulatory section', async () => {
      const res = await call('handler', 'GET', `/api/v1/reports/${decisionCase}/export`);
      expect(res.statusCode, res.body).toBe(200);
      const doc = JSON.parse(res.body) as {
        regulatory: Record<string, unknown[]> & { fdaException: unknown };
      };
      const c = await view(decisionCase);
      expect(doc.regulatory.triggers).toEqual(c.triggers);
      expect(doc.regulatory.clocks).toEqual(c.clocks);
      expect(doc.regulatory.decisions).toEqual(c.decisions);
      expect(doc.regulatory.decisions).toHaveLength(1);
      expect(doc.regulatory.fdaException).toBeNull();

      const assessed = JSON.parse(
        (await call('handler', 'GET', `/api/v1/reports/${assessCase}/export`)).body,
      ) as { regulatory: { fdaException: unknown; adverseEvent: { number: string } } };
      expect(assessed.regulatory.fdaException).toEqual({ applies: true, lost: [] });
      expect(assessed.regulatory.adverseEvent.number).toBe(`AE-${assessCase}`);
    });

    it('metrics count kept, missed, running and not-reportable clocks per regime', async () => {
      const metrics = async (who: Who) => {
        const res = await call(who, 'GET', '/api/v1/metrics');
        expect(res.statusCode, res.body).toBe(200);
        return Object.fromEntries(
          (
            res.json().regulatory as {
              regime: string;
              kept: number;
              missed: number;
              running: number;
              notReportable: number;
            }[]
          ).map((r) => [r.regime, [r.kept, r.missed, r.running, r.notReportable]]),
        );
      };
      // cra: early warning on time and notification late (craCase), early warning missed and
      // notification on time (incidentCase), two final reports running, three decided.
      expect(await metrics('lead')).toEqual({
        cra: [2, 2, 2, 3],
        'fda-postmarket': [0, 0, 3, 0],
        'fda-mdr': [0, 0, 0, 0],
        'eu-vigilance': [0, 0, 0, 0],
        hipaa: [0, 0, 0, 0],
        gdpr: [0, 0, 0, 0],
      });
      expect(await metrics('lkOfficer')).toMatchObject({
        hipaa: [0, 0, 0, 1],
        gdpr: [0, 0, 1, 0],
        cra: [0, 0, 0, 0],
      });
    });
  });

  describe('device malfunctions around Thanksgiving', () => {
    it('remedial action: FDA 5 work days of the Minnesota calendar; a serious injury: EU 15 days', async () => {
      // Tuesday 24 November 2026, 11:00 CST.
      clock.set(new Date('2026-11-24T17:00:00.000Z'));
      const c = await record(deviceCase, {
        kind: 'device-malfunction',
        awareAt: '2026-11-24T10:00:00-06:00',
        outcome: 'serious-injury',
        remedialAction: true,
        reason: because('Pump over-infused after a drug-library update'),
      });
      const clocks = c.addedClocks;
      expect(Object.keys(clocks).sort()).toEqual(['eu-serious-incident', 'fda-mdr-5-day']);
      // Wed 25, (Thanksgiving Thu 26), Fri 27, Mon 30, Tue 1, Wed 2 December.
      expect(only(clocks['fda-mdr-5-day'])).toMatchObject({
        dueAt: endOfDay('2026-12-02', CHICAGO),
        regime: 'fda-mdr',
        article: expect.stringContaining('803.53'),
      });
      expect(only(clocks['eu-serious-incident'])).toMatchObject({
        dueAt: endOfDay('2026-12-09', CHICAGO),
        regime: 'eu-vigilance',
        article: expect.stringContaining('Art. 87(3)'),
      });
      expect(c.adverseEvent).toMatchObject({ number: `AE-${deviceCase}`, reasons: ['device-malfunction'] });
      expect(c.added).toMatchObject({ outcome: 'serious-injury', remedialAction: true });
    });

    it('death: FDA 30 days and EU 10; a public health threat: EU 2 calendar days over the holiday', async () => {
      const { addedClocks: death } = await record(deviceCase, {
        kind: 'device-malfunction',
        awareAt: '2026-11-24T10:00:00-06:00',
        outcome: 'death',
        reason: because('Patient died; pump under investigation'),
      });
      expect(Object.keys(death).sort()).toEqual(['eu-death-or-deterioration', 'fda-mdr-30-day']);
      expect(only(death['fda-mdr-30-day']).dueAt).toBe(endOfDay('2026-12-24', CHICAGO));
      expect(only(death['eu-death-or-deterioration']).dueAt).toBe(endOfDay('2026-12-04', CHICAGO));

      const c = await record(
        deviceCase,
        {
          kind: 'device-malfunction',
          product: 'beacon-pm7',
          awareAt: '2026-11-24T10:00:00-06:00',
          outcome: 'public-health-threat',
          remedialAction: false,
          reason: because('Monitors across hospitals drop alarms'),
        },
        'lead',
      );
      const threat = c.addedClocks;
      expect(c.added.productId).toBe('beacon-pm7');
      expect(only(threat['eu-public-health-threat']).dueAt).toBe(endOfDay('2026-11-26', CHICAGO));
      expect(only(threat['fda-mdr-30-day']).dueAt).toBe(endOfDay('2026-12-24', CHICAGO));
      expect(c.adverseEvent?.reasons).toEqual(['device-malfunction']);
      const ae = await call('handler', 'GET', `/api/v1/reports/${deviceCase}/adverse-event`);
      expect(ae.statusCode, ae.body).toBe(200);
      expect(ae.json().reportability.clocks).toHaveLength(6);
    });
  });

  describe('the FDA exception', () => {
    it('is lost, naming the missed duties, once the 30-day clocks pass due', async () => {
      clock.set(new Date('2026-11-28T05:59:59.999Z'));
      expect((await view(assessCase)).fdaException).toEqual({ applies: true, lost: [] });
      clock.set(new Date('2026-11-28T06:00:00.000Z'));
      const c = await view(assessCase);
      expect(c.fdaException?.applies).toBe(false);
      expect(c.fdaException?.lost.sort()).toEqual([
        'missed: Communicate the vulnerability to customers and the user community',
        'missed: Share the customer communication with the ISAO the manufacturer participates in',
      ]);
      // Submitting late does not bring it back.
      const isao = only(clocksOf(c)['fda-isao']);
      const res = await call('handler', 'POST', `${reg(assessCase)}/clocks/${isao.id}/submit`, {
        reference: 'H-ISAC-2026-118',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as CaseView).fdaException?.applies).toBe(false);
    });
  });

  describe('audit', () => {
    // The trigger an assessment records is audited like every staff-recorded one.
    it('the trigger the assessment recorded has its regulatory.trigger entry', async () => {
      const entries = await regulatoryAudit(assessCase);
      expect(entries).toContainEqual(
        expect.objectContaining({
          action: 'regulatory.trigger',
          detail: expect.objectContaining({ kind: 'uncontrolled-risk' }),
        }),
      );
    });

    it('each change wrote its regulatory.* entry, without the reasons', async () => {
      expect((await regulatoryAudit(craCase)).map((a) => a.action)).toEqual([
        'regulatory.trigger',
        'regulatory.submitted',
        'regulatory.measure',
        'regulatory.submitted',
      ]);
      const cra = await regulatoryAudit(craCase);
      // The trigger's entry names the duties in the table's order.
      expect(cra[0]?.detail).toMatchObject({
        caseNumber: craCase,
        kind: 'actively-exploited',
        product: 'harbor-gateway',
        duties: ['cra-vuln-early-warning', 'cra-vuln-notification', 'cra-vuln-final'],
      });
      expect(cra[1]?.detail).toMatchObject({
        duty: 'cra-vuln-early-warning',
        reference: 'ENISA-EW-2026-0042',
        late: false,
      });
      expect(cra[2]?.detail).toMatchObject({ availableAt: '2026-10-30T19:00:00.000Z' });
      expect(cra[3]?.detail).toMatchObject({ duty: 'cra-vuln-notification', late: true });

      expect((await regulatoryAudit(decisionCase)).map((a) => a.action)).toEqual([
        'regulatory.trigger',
        'regulatory.decision.proposed',
        'regulatory.decision.approved',
      ]);
      const approved = only((await regulatoryAudit(decisionCase))[2]);
      expect(approved.detail).toMatchObject({ regime: 'cra' });
      expect((approved.detail.closed as string[]).sort()).toEqual([
        'cra-vuln-early-warning',
        'cra-vuln-final',
        'cra-vuln-notification',
      ]);
      expect((await regulatoryAudit(lakesideCase)).map((a) => a.action)).toEqual([
        'regulatory.trigger',
        'regulatory.decision.proposed',
        'regulatory.decision.rejected',
        'regulatory.decision.proposed',
        'regulatory.decision.approved',
        'regulatory.trigger',
        'regulatory.decision.proposed',
        'regulatory.decision.rejected',
      ]);

      const all = await v.db.kysely
        .selectFrom('audit_log')
        .select('detail')
        .where('action', 'like', 'regulatory.%')
        .execute();
      const text = all.map((a) => a.detail).join('\n');
      expect(reasons.length).toBeGreaterThan(10);
      for (const r of reasons) {
        expect(text).not.toContain(r);
        expect(v.logs()).not.toContain(r);
      }
    });
  });
});
