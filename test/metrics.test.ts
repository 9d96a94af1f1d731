import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffCaller } from '../src/accounts/index.js';
import { createManualClock } from '../src/core/clock.js';
import type { Program } from '../src/programs/index.js';
import { validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

const HOUR = 3_600_000;
// Monday 2 March 2026, 10:00 in Toronto, 09:00 in Chicago.
const T0 = Date.parse('2026-03-02T15:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * HOUR);

/** RFC 4180 reader: quoted fields with doubled quotes and line breaks, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** The JSON figures flattened to the CSV's (section, key) → value, to compare the two. */
function flatten(m: Record<string, unknown>): string[][] {
  const out: string[][] = [];
  const s = (v: unknown) => (v === null ? '' : String(v));
  const period = m.period as { from: string; to: string };
  out.push(['period', 'from', period.from], ['period', 'to', period.to]);
  for (const slug of m.programs as string[]) out.push(['programs', 'slug', slug]);
  out.push(['cases', 'total', s(m.cases)]);
  for (const section of ['deadlines', 'durations'] as const) {
    for (const [clock, figures] of Object.entries(m[section] as Record<string, Record<string, unknown>>)) {
      for (const [k, v] of Object.entries(figures)) out.push([section, `${clock}.${k}`, s(v)]);
    }
  }
  for (const section of ['byState', 'bySeverity', 'byProduct', 'byCwe'] as const) {
    for (const b of m[section] as { key: string; count: number }[]) out.push([section, b.key, s(b.count)]);
  }
  return out;
}

/**
 * Metrics through the real API, over cases that went through intake and the workflow with the
 * manual clock moved between steps, so every kept and missed deadline and every duration below
 * is known by hand:
 *
 * Lakeside (Toronto; acknowledge 2 business days → due Wed 4 March 23:59:59.999 EST = T0+62h;
 * verify 7 calendar days → due Mon 9 March 23:59:59.999 EDT = T0+181h), Northwind (Chicago;
 * acknowledge 5 business days → due Mon 9 March 23:59:59.999 CDT = T0+182h). "Now" is T0+250h
 * (13 March 01:00 UTC).
 *
 * | case | received | acknowledged | verified | summary | at T0+250h |
 * | L1 | T0 | +2h kept | +30h kept | +40h | confirmed |
 * | L2 | T0 | +5h kept | +100h kept | | confirmed |
 * | L3 | T0 | +50h kept | +200h missed | | not_reproducible |
 * | L4 | T0 | +80h missed | — missed (running past due) | | acknowledged |
 * | L5 | T0+249h | — open | — open | | received |
 * | N1 | T0 | +24h kept | (no clock) | | acknowledged |
 * | N2 | T0 | — missed | (no clock) | | received |
 * | L0 | 1 March 03:00Z = 28 Feb 22:00 in Toronto: outside a March period | | | | received |
 */
describe.each(dialects)('metrics (%s)', (dialect) => {
  const clock = createManualClock(new Date('2026-03-01T03:00:00.000Z'));
  let v: TestVigil;
  let admin: { token: string; caller: StaffCaller };
  let northwindHandler: string;
  const n: Record<string, string> = {};

  const get = (token: string, url: string) =>
    v.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  async function metrics(token: string, query: string) {
    const res = await get(token, `/api/v1/metrics?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  async function submit(p: Program): Promise<string> {
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.slug}/reports`,
      payload: { fields: validAnswers(p, 'metrics test') },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().caseNumber as string;
  }

  beforeAll(async () => {
    v = await startTestVigil(dialect, { clock });
    const lakeside = await v.services.programs.get('lakeside-health');
    const northwind = await v.services.programs.get('northwind-medical');
    await v.services.accounts.createUser({ email: 'admin@metrics.test', role: 'admin' }, 'test');
    const token = (
      await v.services.accounts.createToken({ userEmail: 'admin@metrics.test', scope: 'read-write' }, 'test')
    ).token;
    admin = { token, caller: await v.services.accounts.authenticate(token) };
    await v.services.accounts.createUser(
      { email: 'nw@metrics.test', role: 'handler', program: 'northwind-medical' },
      'test',
    );
    northwindHandler = (
      await v.services.accounts.createToken({ userEmail: 'nw@metrics.test', scope: 'read' }, 'test')
    ).token;

    n.L0 = await submit(lakeside);
    clock.set(at(0));
    for (const c of ['L1', 'L2', 'L3', 'L4']) n[c] = await submit(lakeside);
    for (const c of ['N1', 'N2']) n[c] = await submit(northwind);

    const w = v.services.workflow;
    const ack = (c: string) => w.acknowledge(admin.caller, n[c] as string, { contactPerson: 'Dana Reyes' });
    const steps: [number, () => Promise<unknown>][] = [
      [2, () => ack('L1')],
      [5, () => ack('L2')],
      [24, () => ack('N1')],
      [30, () => w.startVerification(admin.caller, n.L1 as string)],
      [30, () => w.confirm(admin.caller, n.L1 as string)],
      [40, () => w.sendSummary(admin.caller, n.L1 as string, { text: 'Confirmed; a fix is planned.' })],
      [50, () => ack('L3')],
      [80, () => ack('L4')],
      [100, () => w.startVerification(admin.caller, n.L2 as string)],
      [100, () => w.confirm(admin.caller, n.L2 as string)],
      [200, () => w.startVerification(admin.caller, n.L3 as string)],
      [200, () => w.notReproducible(admin.caller, n.L3 as string, {})],
    ];
    for (const [hours, step] of steps) {
      clock.set(at(hours));
      await step();
    }
    const assess = (c: string, input: Parameters<typeof v.services.assessment.put>[2]) =>
      v.services.assessment.put(admin.caller, n[c] as string, input);
    await assess('L1', {
      cvss31: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N',
      cwe: 'CWE-89',
      affected: [{ productId: 'lakeside-platform', versions: '2026.1' }],
    });
    await assess('L2', {
      cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N',
      cwe: 'CWE-89',
      affected: [{ productId: 'lakeside-platform', versions: '2026.1' }],
    });
    await assess('N1', { cwe: 'CWE-798', affected: [{ productId: 'aurora-ip400', versions: '4.2' }] });
    clock.set(at(249));
    n.L5 = await submit(lakeside);
    clock.set(at(250));
  });

  afterAll(async () => {
    await v?.destroy();
  });

  it('has the due instants the table above assumes', async () => {
    const due = async (c: string) =>
      JSON.parse(
        (
          await v.db.kysely
            .selectFrom('reports')
            .select('deadlines')
            .where('case_number', '=', n[c] as string)
            .executeTakeFirstOrThrow()
        ).deadlines,
      );
    expect(await due('L1')).toEqual({
      acknowledge: new Date(at(62).getTime() - 1).toISOString(),
      verify: new Date(at(181).getTime() - 1).toISOString(),
    });
    expect(await due('N1')).toEqual({ acknowledge: new Date(at(182).getTime() - 1).toISOString() });
  });

  it('counts deadlines kept, missed and open, and times each step, for March', async () => {
    const m = await metrics(admin.token, 'from=2026-03-01&to=2026-03-31');
    expect(m.period).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect([...m.programs].sort()).toEqual(['lakeside-health', 'northwind-medical']);
    expect(m.cases).toBe(7);
    expect(m.deadlines).toEqual({
      acknowledge: { due: 7, kept: 4, missed: 2, open: 1, notApplicable: 0, keptShare: 0.6667 },
      verify: { due: 5, kept: 2, missed: 2, open: 1, notApplicable: 0, keptShare: 0.5 },
      summary: { due: 0, kept: 0, missed: 0, open: 0, notApplicable: 0, keptShare: null },
    });
    // Acknowledged after 2, 5, 24, 50, 80 h: median 24; p90 at rank 3.6 = 50 + 0.6 · 30 = 68.
    // Verified after 30, 100, 200 h: median 100; p90 at rank 1.8 = 100 + 0.8 · 100 = 180.
    expect(m.durations).toEqual({
      acknowledge: { count: 5, medianHours: 24, p90Hours: 68 },
      verify: { count: 3, medianHours: 100, p90Hours: 180 },
      summary: { count: 1, medianHours: 40, p90Hours: 40 },
    });
  });

  it('breaks the cases down by state, severity, product and CWE', async () => {
    const m = await metrics(admin.token, 'from=2026-03-01&to=2026-03-31');
    expect(m.byState).toEqual([
      { key: 'received', count: 2 },
      { key: 'acknowledged', count: 2 },
      { key: 'confirmed', count: 2 },
      { key: 'not_reproducible', count: 1 },
    ]);
    expect(m.bySeverity).toEqual([
      { key: 'unassessed', count: 5 },
      { key: 'critical', count: 1 },
      { key: 'high', count: 1 },
    ]);
    // The product is the reporter's choice on the form until the assessment says otherwise.
    expect(m.byProduct).toEqual([
      { key: 'lakeside-platform', count: 5, label: 'Lakeside Clinical Data Platform' },
      { key: 'aurora-ip400', count: 2, label: 'Aurora IP-400 Infusion Pump' },
    ]);
    expect(m.byCwe).toEqual([
      { key: 'unassessed', count: 4 },
      { key: 'CWE-89', count: 2, label: expect.stringContaining('SQL') },
      { key: 'CWE-798', count: 1, label: 'Use of Hard-coded Credentials' },
    ]);
  });

  it("counts a case on the day it arrived in its program's time zone", async () => {
    const feb = await metrics(admin.token, 'from=2026-02-01&to=2026-02-28&program=lakeside-health');
    expect(feb.cases).toBe(1);
    expect(feb.deadlines.acknowledge).toEqual({
      due: 1,
      kept: 0,
      missed: 1,
      open: 0,
      notApplicable: 0,
      keptShare: 0,
    });
    expect(feb.byState).toEqual([{ key: 'received', count: 1 }]);
    const firstOfMarch = await metrics(admin.token, 'from=2026-03-01&to=2026-03-01');
    expect(firstOfMarch.cases).toBe(0);
    expect(firstOfMarch.durations.acknowledge).toEqual({ count: 0, medianHours: null, p90Hours: null });
    expect(firstOfMarch.byState).toEqual([]);
  });

  it('covers the last 90 days of every readable program by default', async () => {
    const m = await metrics(admin.token, '');
    // Now is T0+250h = 13 March 01:00 UTC.
    expect(m.period).toEqual({ from: '2025-12-14', to: '2026-03-13' });
    expect(m.cases).toBe(8);
  });

  it("shows a program's handler only that program's figures", async () => {
    const m = await metrics(northwindHandler, 'from=2026-03-01&to=2026-03-31');
    expect(m.programs).toEqual(['northwind-medical']);
    expect(m.cases).toBe(2);
    expect(m.deadlines.acknowledge).toEqual({
      due: 2,
      kept: 1,
      missed: 1,
      open: 0,
      notApplicable: 0,
      keptShare: 0.5,
    });
    expect(m.deadlines.verify.due).toBe(0);
    expect(m.durations.acknowledge).toEqual({ count: 1, medianHours: 24, p90Hours: 24 });
    expect(m.byProduct).toEqual([{ key: 'aurora-ip400', count: 2, label: 'Aurora IP-400 Infusion Pump' }]);
    const other = await get(northwindHandler, '/api/v1/metrics?program=lakeside-health');
    expect(other.statusCode).toBe(404);
    expect(other.json().message).toBe('There is no program "lakeside-health".');
    const csv = await get(northwindHandler, '/api/v1/metrics.csv?program=lakeside-health');
    expect(csv.statusCode).toBe(404);
  });

  it('gives the same figures as CSV, as a download', async () => {
    const query = 'from=2026-03-01&to=2026-03-31';
    const json = await metrics(admin.token, query);
    const res = await get(admin.token, `/api/v1/metrics.csv?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="vigil-metrics-2026-03-01-2026-03-31.csv"',
    );
    expect(res.body.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(res.body);
    expect(header).toEqual(['section', 'key', 'value']);
    expect(rows).toEqual(flatten(json));
    expect(rows).toContainEqual(['deadlines', 'acknowledge.keptShare', '0.6667']);
    expect(rows).toContainEqual(['durations', 'verify.p90Hours', '180']);
  });

  it('refuses bad parameters with a 400 naming each', async () => {
    const refused = async (query: string) => {
      const res = await get(admin.token, `/api/v1/metrics?${query}`);
      expect(res.statusCode, res.body).toBe(400);
      return (res.json().fields as { path: string }[]).map((f) => f.path);
    };
    expect(await refused('from=2026-02-30')).toEqual(['from']);
    expect(await refused('to=yesterday')).toEqual(['to']);
    expect(await refused('from=march&to=2026-13-01')).toEqual(['from', 'to']);
    expect(await refused('from=2026-03-10&to=2026-03-01')).toEqual(['from']);
    expect(await refused('program=Not%20A%20Slug')).toEqual(['program']);
    const csv = await get(admin.token, '/api/v1/metrics.csv?from=2026-02-30');
    expect(csv.statusCode).toBe(400);
    expect(csv.json().fields).toEqual([{ path: 'from', message: 'expected a real date as YYYY-MM-DD' }]);
    expect((await v.app.inject({ method: 'GET', url: '/api/v1/metrics' })).statusCode).toBe(401);
    expect((await get(admin.token, '/api/v1/metrics?program=no-such-program')).statusCode).toBe(404);
  });
});
