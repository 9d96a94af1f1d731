import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffCaller } from '../src/accounts/index.js';
import { createManualClock } from '../src/core/clock.js';
import type { Program } from '../src/programs/index.js';
import { validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

interface Suggestion {
  caseNumber: string;
  title: string;
  state: string;
  receivedAt: string;
  score: number;
  reasons: { kind: string; detail: string }[];
}

const DAY = 86_400_000;

const LIBRARY_BUG =
  'The drug library update service of the pump accepts unsigned library files, so a crafted library ' +
  'raises the bolus dose limit above the safe maximum.\n' +
  'Reproduce: POST https://pump.northwind.example/api/v1/library/upload?format=raw with the crafted file.';
const LIBRARY_DUPLICATE =
  'Unsigned drug library files are accepted by the library update service; the bolus dose limit can be ' +
  'raised that way. Endpoint: /api/v1/library/upload';
const MONITOR_XSS =
  'Alarm labels are shown unescaped in the monitor web console, so a label with script runs in the nurse ' +
  'station browser. See /console/alarms?label=';
const TELNET =
  'Telnet is left enabled on the service port with a default technician password; anyone on the ward ' +
  'network can log in.';
const FHIR_LEAK =
  'FHIR Patient search with _has chained parameters returns patients of other tenants: ' +
  'GET /fhir/Patient?_has:Observation:patient:code=1234 leaks records across organisations.';

/**
 * Duplicate suggestions through the real API: reports arrive through intake (a manual clock
 * spaces them), are assessed through the service, and `/similar` is asked as staff of different
 * programs.
 */
describe.each(dialects)('similar cases (%s)', (dialect) => {
  const clock = createManualClock(new Date('2026-03-02T15:00:00.000Z'));
  let v: TestVigil;
  let northwind: Program;
  let lakeside: Program;
  let admin: { token: string; caller: StaffCaller };
  let northwindHandler: string;
  let lakesideHandler: string;
  const n: Record<string, string> = {};

  const get = (token: string, url: string) =>
    v.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  async function submit(p: Program, text: string, answers: Record<string, string> = {}): Promise<string> {
    const fields = { ...validAnswers(p, 'x'), ...answers };
    const main = p.slug === 'northwind-medical' ? 'description' : 'details';
    fields[main] = text;
    if (p.slug === 'lakeside-health') fields.summary = text.split('\n')[0] as string;
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.slug}/reports`,
      payload: { fields },
    });
    expect(res.statusCode, res.body).toBe(201);
    clock.advance(3_600_000);
    return res.json().caseNumber as string;
  }

  async function similar(token: string, caseNumber: string): Promise<Suggestion[]> {
    const res = await get(token, `/api/v1/reports/${caseNumber}/similar`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().similar as Suggestion[];
  }

  async function userToken(email: string, role: string, program: string) {
    await v.services.accounts.createUser({ email, role, program }, 'test');
    return (await v.services.accounts.createToken({ userEmail: email, scope: 'read' }, 'test')).token;
  }

  beforeAll(async () => {
    v = await startTestVigil(dialect, { clock });
    northwind = await v.services.programs.get('northwind-medical');
    lakeside = await v.services.programs.get('lakeside-health');
    await v.services.accounts.createUser({ email: 'admin@similar.test', role: 'admin' }, 'test');
    const token = (
      await v.services.accounts.createToken({ userEmail: 'admin@similar.test', scope: 'read-write' }, 'test')
    ).token;
    admin = { token, caller: await v.services.accounts.authenticate(token) };
    northwindHandler = await userToken('nw@similar.test', 'handler', 'northwind-medical');
    lakesideHandler = await userToken('lh@similar.test', 'handler', 'lakeside-health');

    // Closed long ago: the same report, but outside the 180-day window.
    n.ancient = await submit(northwind, LIBRARY_BUG, { product: 'aurora-ip400' });
    await v.db.kysely
      .updateTable('reports')
      .set({ state: 'closed', closed_at: clock.now().toISOString() })
      .where('case_number', '=', n.ancient)
      .execute();
    clock.advance(200 * DAY);

    n.target = await submit(northwind, LIBRARY_BUG, { product: 'aurora-ip400' });
    n.unrelated = await submit(northwind, MONITOR_XSS, { product: 'beacon-pm7' });
    n.sameProduct = await submit(northwind, TELNET, { product: 'aurora-ip400' });
    n.duplicate = await submit(northwind, LIBRARY_DUPLICATE, { product: 'aurora-ip400' });
    for (const [i, t] of ['Battery drains in standby', 'Keypad beeps twice', 'Screen dims early'].entries()) {
      n[`filler${i}`] = await submit(northwind, `${t} after the nightly self-test.`, {
        product: 'harbor-gateway',
      });
    }
    // Word for word the target, but in another program.
    n.otherProgram = await submit(lakeside, LIBRARY_BUG);
    for (let i = 0; i < 7; i++)
      n[`fhir${i}`] = await submit(lakeside, FHIR_LEAK, {
        product: 'lakeside-health-server',
        version: '5.1.0',
      });

    for (const c of [n.target, n.duplicate] as string[]) {
      await v.services.assessment.put(admin.caller, c, {
        cwe: 'CWE-347',
        affected: [{ productId: 'aurora-ip400', versions: 'firmware 4.2' }],
      });
    }
  });

  afterAll(async () => {
    await v?.destroy();
  });

  it('ranks the duplicate first, with the reasons it was picked', async () => {
    const found = await similar(northwindHandler, n.target as string);
    expect(found[0]?.caseNumber).toBe(n.duplicate);
    const best = found[0] as Suggestion;
    expect(best).toMatchObject({
      title:
        'Unsigned drug library files are accepted by the library update service; the bolus dose limit can be raised that way. En…',
      state: 'received',
    });
    expect(best.title).toHaveLength(120);
    expect(best.score).toBeGreaterThan(0.5);
    expect(best.score).toBeLessThanOrEqual(1);
    expect(best.reasons).toEqual(
      expect.arrayContaining([
        { kind: 'product', detail: 'same product: Aurora IP-400 Infusion Pump' },
        { kind: 'version', detail: 'same version: Aurora IP-400 Infusion Pump 4.2' },
        { kind: 'cwe', detail: 'same weakness: CWE-347' },
        { kind: 'endpoint', detail: 'shared endpoint: /api/v1/library/upload' },
      ]),
    );
    expect(best.reasons.find((r) => r.kind === 'text')?.detail).toMatch(/^similar text \(\d+ %\): .*library/);
    // Most similar first.
    expect(found.map((s) => s.score)).toEqual([...found.map((s) => s.score)].sort((a, b) => b - a));
  });

  it('does not suggest unrelated cases, nor one sharing only the product', async () => {
    const found = (await similar(northwindHandler, n.target as string)).map((s) => s.caseNumber);
    expect(found).not.toContain(n.unrelated);
    expect(found).not.toContain(n.sameProduct);
    for (let i = 0; i < 3; i++) expect(found).not.toContain(n[`filler${i}`]);
    expect(await similar(northwindHandler, n.unrelated as string)).toEqual([]);
  });

  it('never suggests a case of another program, even word for word the same', async () => {
    for (const token of [northwindHandler, admin.token]) {
      const found = await similar(token, n.target as string);
      expect(found.map((s) => s.caseNumber)).not.toContain(n.otherProgram);
      expect(found.every((s) => s.caseNumber.startsWith(n.target?.slice(0, 4) as string))).toBe(true);
    }
    const fromLakeside = await similar(admin.token, n.otherProgram as string);
    expect(fromLakeside.map((s) => s.caseNumber)).not.toContain(n.target);
  });

  it('leaves out cases closed more than 180 days ago', async () => {
    const found = await similar(admin.token, n.target as string);
    expect(found.map((s) => s.caseNumber)).not.toContain(n.ancient);
  });

  it('answers 404 to a caller who may not read the case, like a missing case', async () => {
    const res = await get(lakesideHandler, `/api/v1/reports/${n.target}/similar`);
    expect(res.statusCode).toBe(404);
    const missing = await get(
      lakesideHandler,
      `/api/v1/reports/${n.target?.replace(/\d+$/, '9999')}/similar`,
    );
    expect(missing.statusCode).toBe(404);
    expect(res.json().message).toBe(`There is no case ${n.target}.`);
    expect(
      (await v.app.inject({ method: 'GET', url: `/api/v1/reports/${n.target}/similar` })).statusCode,
    ).toBe(401);
  });

  it('returns at most five, each explained', async () => {
    const found = await similar(lakesideHandler, n.fhir0 as string);
    expect(found).toHaveLength(5);
    for (const s of found) {
      expect(s.caseNumber).toMatch(/^LHD-/);
      // The endpoint is no reason here: seven of the program's eight cases name it.
      expect(s.reasons.map((r) => r.kind).sort()).toEqual(['product', 'text', 'version']);
      expect(s.reasons).toContainEqual({
        kind: 'version',
        detail: 'same version: Lakeside Health Server 5.1.0',
      });
    }
    expect(found.map((s) => s.caseNumber)).not.toContain(n.fhir0);
  });

  it('audits the read once, on the asked case, naming the suggestions', async () => {
    const target = await v.db.kysely
      .selectFrom('reports')
      .select('id')
      .where('case_number', '=', n.target as string)
      .executeTakeFirstOrThrow();
    const before = await v.db.kysely
      .selectFrom('audit_log')
      .select(['report_id', 'detail', 'actor'])
      .where('action', '=', 'report.similar')
      .execute();
    const found = await similar(northwindHandler, n.target as string);
    const after = await v.db.kysely
      .selectFrom('audit_log')
      .select(['report_id', 'detail', 'actor'])
      .where('action', '=', 'report.similar')
      .execute();
    expect(after.length).toBe(before.length + 1);
    const entry = after[after.length - 1];
    expect(entry?.report_id).toBe(target.id);
    expect(JSON.parse(entry?.detail as string)).toEqual({
      compared: 6,
      suggested: found.map((s) => s.caseNumber),
    });
    expect(entry?.detail).not.toContain('library');
  });
});
