import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffCaller } from '../src/accounts/index.js';
import { caseClocks } from '../src/cases/clocks.js';
import { createManualClock } from '../src/core/clock.js';
import { businessDaysLeft, computeDeadlines } from '../src/deadlines/index.js';
import { createCalendarCache } from '../src/programs/calendars.js';
import type { Program } from '../src/programs/index.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

interface Item {
  caseNumber: string;
  program: string;
  state: string;
  receivedAt: string;
  severity: string | null;
  product: string | null;
  assignee: { id: string; email: string } | null;
  nextDueAt: string | null;
  clocks: { name: string; due: string; state: string; businessDaysLeft: number; fractionUsed: number }[];
}

const HOUR = 3_600_000;

/**
 * The staff queue through the real API: cases arrive through intake at moments set by a manual
 * clock, in two programs with different calendars (Toronto/Ontario, 2 business days; Chicago/
 * Minnesota, 5 business days), and the order, filters, pages and clocks are checked against an
 * independent computation with `src/deadlines`.
 */
describe.each(dialects)('case queue (%s)', (dialect) => {
  // Monday 2 March 2026, 10:00 in Toronto.
  const clock = createManualClock(new Date('2026-03-02T15:00:00.000Z'));
  let v: TestVigil;
  let lakeside: Program;
  let northwind: Program;
  let admin: { id: string; token: string; caller: StaffCaller };
  let handler: { id: string; token: string };
  /** Case number → program slug, in submission order. */
  const submitted = new Map<string, string>();
  let acknowledged: string;
  let closed: string;

  const get = (token: string, url: string) =>
    v.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  async function submit(p: Program): Promise<string> {
    const { body, contentType } = multipartBody(validAnswers(p, 'queue test'));
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.slug}/reports`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    const n = res.json().caseNumber as string;
    submitted.set(n, p.slug);
    return n;
  }

  async function page(token: string, query: string) {
    const res = await get(token, `/api/v1/reports?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Item[]; nextCursor: string | null };
  }

  /** Every item, following the cursor with small pages. */
  async function listAll(token: string, query = '', limit = 2): Promise<Item[]> {
    const seen: Item[] = [];
    let cursor: string | null = null;
    do {
      const p = await page(token, `limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(p.items.length).toBeLessThanOrEqual(limit);
      seen.push(...p.items);
      cursor = p.nextCursor;
    } while (cursor);
    return seen;
  }

  const numbers = (items: Item[]) => items.map((i) => i.caseNumber);

  beforeAll(async () => {
    v = await startTestVigil(dialect, { clock });
    lakeside = await v.services.programs.get('lakeside-health');
    northwind = await v.services.programs.get('northwind-medical');
    const a = await v.services.accounts.createUser({ email: 'lead@queue.test', role: 'admin' }, 'test');
    const aToken = (
      await v.services.accounts.createToken({ userEmail: 'lead@queue.test', scope: 'read-write' }, 'test')
    ).token;
    admin = { id: a.id, token: aToken, caller: await v.services.accounts.authenticate(aToken) };
    const h = await v.services.accounts.createUser(
      { email: 'handler@queue.test', role: 'handler', program: 'lakeside-health' },
      'test',
    );
    handler = {
      id: h.id,
      token: (
        await v.services.accounts.createToken({ userEmail: 'handler@queue.test', scope: 'read' }, 'test')
      ).token,
    };

    // Receipts spread over a week and a half, alternating programs, some on the weekend.
    for (let i = 0; i < 12; i++) {
      await submit(i % 2 === 0 ? lakeside : northwind);
      clock.advance(19 * HOUR);
    }
    const all = [...submitted.keys()];
    acknowledged = all[0] as string;
    closed = all[3] as string;
    await v.services.workflow.acknowledge(admin.caller, acknowledged, { contactPerson: 'Dana Reyes' });
    await v.services.workflow.assign(admin.caller, all[2] as string, { userId: admin.id });
    await v.services.workflow.assign(admin.caller, all[4] as string, { userId: handler.id });
    // Severity and product come from the assessment; set in clear columns directly for the filters.
    const set = (n: string, severity: string, product: string) =>
      v.db.kysely
        .updateTable('reports')
        .set({ severity, product_id: product })
        .where('case_number', '=', n)
        .execute();
    await set(all[1] as string, 'high', 'aurora-ip400');
    await set(all[5] as string, 'critical', 'beacon-pm7');
    await set(all[6] as string, 'low', 'lakeside-platform');
    await set(all[8] as string, 'high', 'lakeside-platform');
    // Closing is written straight to the row: the sort key follows any path that sets closed_at.
    await v.db.kysely
      .updateTable('reports')
      .set({ state: 'closed', closed_at: clock.now().toISOString() })
      .where('case_number', '=', closed)
      .execute();
  });

  afterAll(async () => {
    await v?.destroy();
  });

  /** The expected earliest running due instant, from src/deadlines alone. */
  function expectedNextDue(i: Item): string | null {
    if (i.caseNumber === closed) return null;
    const p = i.program === lakeside.slug ? lakeside : northwind;
    const cal = createCalendarCache().forProgram(p);
    const due = computeDeadlines(new Date(i.receivedAt), p.definition.deadlines, cal);
    const running = (['acknowledge', 'verify', 'summary'] as const)
      .filter((c) => !(c === 'acknowledge' && i.caseNumber === acknowledged))
      .map((c) => due[c])
      .filter((d): d is Date => d !== undefined)
      .map((d) => d.toISOString())
      .sort();
    return running[0] ?? null;
  }

  it('orders by the nearest running deadline across programs, overdue first, finished last', async () => {
    const items = (await page(admin.token, 'limit=200')).items;
    expect(new Set(numbers(items))).toEqual(new Set(submitted.keys()));
    for (const i of items) expect(i.nextDueAt, i.caseNumber).toBe(expectedNextDue(i));
    const open = items.filter((i) => i.nextDueAt !== null);
    const keys = open.map((i) => i.nextDueAt as string);
    expect(keys).toEqual([...keys].sort());
    expect(items.slice(open.length).map((i) => i.caseNumber)).toEqual([closed]);
    // Both programs interleave, and the earliest deadlines are already missed.
    expect(new Set(open.slice(0, 6).map((i) => i.program))).toEqual(
      new Set(['lakeside-health', 'northwind-medical']),
    );
    const first = open[0] as Item;
    expect(first.clocks.find((c) => c.due === first.nextDueAt)?.state).toBe('breached');
    const overdue = open.map((i) => i.clocks.some((c) => c.state === 'breached'));
    expect(overdue.indexOf(false)).toBeGreaterThan(0);
    expect(overdue.slice(overdue.indexOf(false)).some(Boolean)).toBe(false);
    // The acknowledged case (acknowledged days late) now waits on its verification clock.
    const ack = items.find((i) => i.caseNumber === acknowledged) as Item;
    expect(ack.clocks.map((c) => [c.name, c.state])).toEqual([
      ['acknowledge', 'stopped-late'],
      ['verify', expect.stringMatching(/running|breached/)],
    ]);
    expect(ack.nextDueAt).toBe(ack.clocks[1]?.due);
  });

  it('reports businessDaysLeft exactly as src/deadlines computes it, in each program calendar', async () => {
    const items = (await page(admin.token, 'limit=200')).items;
    const now = clock.now();
    let checked = 0;
    for (const i of items) {
      const p = i.program === lakeside.slug ? lakeside : northwind;
      const cal = createCalendarCache().forProgram(p);
      for (const c of i.clocks) {
        if (c.state !== 'running' && c.state !== 'breached') continue;
        expect(c.businessDaysLeft, `${i.caseNumber} ${c.name}`).toBe(
          businessDaysLeft(now, new Date(c.due), cal),
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(items.some((i) => i.clocks.some((c) => c.businessDaysLeft < 0))).toBe(true);
    expect(items.some((i) => i.clocks.some((c) => c.businessDaysLeft > 0))).toBe(true);
  });

  it.each([
    ['deadline', ''],
    ['received', '&sort=received'],
  ])('keyset pages cover every case exactly once (sort=%s)', async (_sort, query) => {
    const whole = numbers((await page(admin.token, `limit=200${query}`)).items);
    for (const limit of [1, 2, 5]) expect(numbers(await listAll(admin.token, query, limit))).toEqual(whole);
    expect(new Set(whole).size).toBe(submitted.size);
    if (query) {
      const received = (await page(admin.token, `limit=200${query}`)).items.map((i) => i.receivedAt);
      expect(received).toEqual([...received].sort().reverse());
    }
  });

  it('refuses a cursor of the other sort, or a made-up one', async () => {
    const first = await page(admin.token, 'limit=2');
    const res = await get(admin.token, `/api/v1/reports?sort=received&cursor=${first.nextCursor}`);
    expect(res.statusCode).toBe(400);
    expect((await get(admin.token, '/api/v1/reports?cursor=bm9wZQ')).statusCode).toBe(400);
  });

  it('filters by program, state, assignee, severity and product, with pages', async () => {
    const all = await listAll(admin.token, '', 200);
    const cases: [string, (i: Item) => boolean][] = [
      ['&program=northwind-medical', (i) => i.program === 'northwind-medical'],
      ['&state=acknowledged&state=closed', (i) => i.state === 'acknowledged' || i.state === 'closed'],
      ['&state=received', (i) => i.state === 'received'],
      ['&assignee=me', (i) => i.assignee?.id === admin.id],
      [`&assignee=${handler.id}`, (i) => i.assignee?.id === handler.id],
      ['&assignee=none', (i) => i.assignee === null],
      ['&severity=high&severity=critical', (i) => i.severity === 'high' || i.severity === 'critical'],
      ['&severity=low', (i) => i.severity === 'low'],
      ['&product=lakeside-platform', (i) => i.product === 'lakeside-platform'],
      [
        '&program=lakeside-health&severity=high&sort=received',
        (i) => i.program === 'lakeside-health' && i.severity === 'high',
      ],
    ];
    for (const [query, keep] of cases) {
      const expected = all.filter(keep);
      expect(expected.length, query).toBeGreaterThan(0);
      expect(expected.length, query).toBeLessThan(all.length);
      const got = await listAll(admin.token, query);
      const order = query.includes('sort=received')
        ? numbers([...expected].sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : -1)))
        : numbers(expected);
      expect(numbers(got), query).toEqual(order);
    }
    const assigned = all.find((i) => i.assignee?.id === handler.id);
    expect(assigned?.assignee).toMatchObject({ email: 'handler@queue.test' });
    expect((await get(admin.token, '/api/v1/reports?program=nope')).statusCode).toBe(404);
    expect((await get(admin.token, '/api/v1/reports?severity=bad')).statusCode).toBe(400);
    expect((await get(admin.token, '/api/v1/reports?assignee=someone')).statusCode).toBe(400);
  });

  it('shows a member of one program only that program, whatever the filters', async () => {
    const mine = await listAll(handler.token);
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((i) => i.program))).toEqual(new Set(['lakeside-health']));
    expect(numbers(mine).sort()).toEqual(
      [...submitted]
        .filter(([, slug]) => slug === 'lakeside-health')
        .map(([n]) => n)
        .sort(),
    );
    expect(await listAll(handler.token, '&product=aurora-ip400')).toEqual([]);
    expect(await listAll(handler.token, '&sort=received&severity=critical')).toEqual([]);
    expect((await get(handler.token, '/api/v1/reports?program=northwind-medical')).statusCode).toBe(404);
  });

  it('computes clocks purely: stops, states and the fraction of wall time used', () => {
    const cal = createCalendarCache().forProgram(lakeside);
    const row = {
      received_at: '2026-03-02T15:00:00.000Z',
      deadlines: { acknowledge: '2026-03-05T04:59:59.999Z', verify: '2026-03-10T03:59:59.999Z' },
      acknowledged_at: null,
      verified_at: null,
      summary_sent_at: null,
      closed_at: null,
    };
    const span = Date.parse('2026-03-05T04:59:59.999Z') - Date.parse(row.received_at);
    const at = new Date(Date.parse(row.received_at) + span / 2);
    const [ackClock, verify] = caseClocks(row, cal, at);
    expect(ackClock).toMatchObject({ name: 'acknowledge', state: 'running', stoppedAt: null });
    expect(ackClock?.fractionUsed).toBeCloseTo(0.5, 6);
    expect(verify?.name).toBe('verify');
    expect(caseClocks(row, cal, new Date('2026-03-06T12:00:00Z'))[0]).toMatchObject({
      // Due at the end of Wednesday 4 March in Toronto; Friday is two business days later.
      state: 'breached',
      businessDaysLeft: -2,
    });
    const acked = { ...row, acknowledged_at: '2026-03-03T12:00:00.000Z' };
    expect(caseClocks(acked, cal, new Date('2026-03-20T00:00:00Z'))[0]).toMatchObject({
      state: 'met',
      stoppedAt: '2026-03-03T12:00:00.000Z',
      businessDaysLeft: 1,
    });
    const late = { ...row, acknowledged_at: '2026-03-06T12:00:00.000Z' };
    expect(caseClocks(late, cal, new Date('2026-03-20T00:00:00Z'))[0]?.state).toBe('stopped-late');
    // Closing stops every clock; the fraction freezes at the stop.
    const shut = { ...row, closed_at: '2026-03-09T12:00:00.000Z' };
    const clocks = caseClocks(shut, cal, new Date('2026-04-01T00:00:00Z'));
    expect(clocks.map((c) => c.state)).toEqual(['stopped-late', 'met']);
    expect(clocks[0]?.fractionUsed).toBeCloseTo(
      (Date.parse(shut.closed_at) - Date.parse(row.received_at)) / span,
    );
  });
});
