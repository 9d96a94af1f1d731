import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTriageQuery, type QueueFilter } from '../src/cases/queue-store.js';
import { runMigrations } from '../src/db/index.js';
import type { Program } from '../src/programs/index.js';
import { validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * Quality signals and the "needs triage" lane through the real API, on both databases: signals
 * computed on arrival and explained in words, the lane ordering a genuine report above junk,
 * keyset pages, the reporter's standing (counted by a keyed hash, never by the address, and
 * shown only to staff who may read the case), cases without signals, the program's `components`
 * checked on import, and the lane's plan on each database.
 */

interface Signals {
  score: number;
  summary: string;
  items: { kind: string; tone: string; points: number; explanation: string }[];
  similar: { caseNumber: string; score: number } | null;
  outOfScope: string[];
  aiUse: string | null;
  standing: { basis: string; earlier: number; byOutcome: Record<string, number> } | null;
}
interface Item {
  caseNumber: string;
  state: string;
  signals: Signals | null;
}

const GENUINE_DETAILS = `The export download does not check the tenant of the export it serves.

1. Sign in to the platform as a clinician of tenant A.
2. Start an export in the report builder and note its exportId.
3. As a user of tenant B, request the same exportId:

\`\`\`
GET /api/v2/exports?exportId=8812&tenantId=A HTTP/1.1
Host: app.lakeside-health.example
Authorization: Bearer <tenant B token>
\`\`\`

4. The response is tenant A's export, patient rows included (we stopped at the first page).`;

const JUNK_DETAILS = `I have discovered a critical security vulnerability in your application that could allow
attackers to gain unauthorized access to sensitive information. This vulnerability poses a serious
risk to your organization and users. Exploitation could lead to data breaches, reputational damage
and regulatory penalties. I recommend addressing this issue as soon as possible. I am happy to
provide further details upon request and hope to be rewarded for this responsible disclosure.`;

describe.each(dialects)('quality signals and the triage lane (%s)', (dialect) => {
  let v: TestVigil;
  let lakeside: Program;
  let northwind: Program;
  let lead: string;
  let northwindHandler: string;
  let genuine: string;
  const junk: string[] = [];
  const spam: string[] = [];

  const get = (token: string, url: string) =>
    v.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  async function submit(p: Program, fields: Record<string, string>): Promise<string> {
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.slug}/reports`,
      headers: { 'content-type': 'application/json' },
      payload: { fields },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().caseNumber as string;
  }

  function junkAnswers(email: string): Record<string, string> {
    const a = validAnswers(lakeside, 'x', email);
    delete a.version;
    return {
      ...a,
      summary: 'Critical security vulnerability found in your system',
      details: JUNK_DETAILS,
      stepsToReproduce: 'Follow standard security testing procedures to reproduce the vulnerability.',
      product: 'other',
      aiUse: 'generated',
    };
  }

  async function lane(token: string, query = '', limit = 50): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(
        token,
        `/api/v1/reports?sort=triage&limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { items: Item[]; nextCursor: string | null };
      items.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    return items;
  }

  beforeAll(async () => {
    // Many reports from one client in a minute: the proof-of-work gate would ask for a solution.
    v = await startTestVigil(dialect, {
      env: { VIGIL_POW_QUIET_PER_HOUR: '100000', VIGIL_POW_ADDRESS_FREE_PER_HOUR: '100000' },
    });
    lakeside = await v.services.programs.get('lakeside-health');
    northwind = await v.services.programs.get('northwind-medical');
    await v.services.accounts.createUser(
      { email: 'lead@lakeside.test', role: 'lead', program: 'lakeside-health' },
      'test',
    );
    lead = (await v.services.accounts.createToken({ userEmail: 'lead@lakeside.test', scope: 'read' }, 'test'))
      .token;
    await v.services.accounts.createUser(
      { email: 'handler@northwind.test', role: 'handler', program: 'northwind-medical' },
      'test',
    );
    northwindHandler = (
      await v.services.accounts.createToken({ userEmail: 'handler@northwind.test', scope: 'read' }, 'test')
    ).token;

    for (let i = 0; i < 3; i++) junk.push(await submit(lakeside, junkAnswers(`junk${i}@flood.example`)));
    genuine = await submit(lakeside, {
      ...validAnswers(lakeside, 'x', 'ada@research.example'),
      summary: 'Cross-tenant export download in the Lakeside platform',
      details: GENUINE_DETAILS,
      stepsToReproduce: 'See the numbered steps in the details.',
      product: 'lakeside-platform',
      version: '2026.11.2',
      aiUse: 'none',
    });
    // A reporter whose two earlier reports were found out of scope sends a third.
    for (let i = 0; i < 2; i++) spam.push(await submit(lakeside, junkAnswers('Repeat.Sender@Flood.example')));
    await v.db.kysely
      .updateTable('reports')
      .set({ state: 'out_of_scope' })
      .where('case_number', 'in', spam)
      .execute();
    spam.push(await submit(lakeside, junkAnswers('repeat.sender@flood.example')));
    await submit(northwind, validAnswers(northwind, 'a device report'));
  });

  afterAll(async () => {
    await v?.destroy();
  });

  it('ranks the genuine report first in the lane, junk below, each with explained signals', async () => {
    const items = await lane(lead);
    expect(items[0]?.caseNumber).toBe(genuine);
    // Only received cases, in score order, and the two closed-out spam reports are not in the lane.
    expect(items.every((i) => i.state === 'received')).toBe(true);
    expect(items.map((i) => i.caseNumber)).not.toContain(spam[0]);
    const scores = items.map((i) => i.signals?.score ?? -1);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const best = items[0]?.signals as Signals;
    const worst = items.find((i) => i.caseNumber === junk[0])?.signals as Signals;
    expect(best.score).toBeGreaterThan(worst.score + 30);
    expect(best.summary).toContain('product named: Lakeside Clinical Data Platform');
    expect(best.summary).toMatch(/in-scope endpoints or components mentioned: .*\/api\/v2\/exports/);
    expect(best.summary).toMatch(/reproduction: 4 numbered steps/);
    expect(worst.summary).toContain('no known product named ("other")');
    expect(worst.summary).toContain('no version named');
    expect(worst.summary).toContain('0 in-scope endpoints mentioned');
    expect(worst.aiUse).toBe('generated');
    expect(worst.items.find((i) => i.kind === 'aiUse')?.explanation).toBe(
      'declared AI use: The report was mostly generated by AI',
    );
    // The junk reports are near copies of each other: each later one names an earlier one.
    const later = items.find((i) => i.caseNumber === junk[2])?.signals as Signals;
    expect(later.similar?.caseNumber).toMatch(/^LHD-/);
    expect(later.summary).toMatch(/similar to LHD-\d{4}-\d{4} \(score 0\.\d\d\)/);
  });

  it('pages the lane with a cursor, every case once, and shows the same signals on the case', async () => {
    const whole = await lane(lead);
    const paged = await lane(lead, '', 1);
    expect(paged.map((i) => i.caseNumber)).toEqual(whole.map((i) => i.caseNumber));
    const detail = await get(lead, `/api/v1/reports/${genuine}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().signals).toEqual(whole[0]?.signals);
    // A cursor of another order is refused, as is a state the lane cannot hold.
    const other = await get(lead, '/api/v1/reports?sort=received&limit=1');
    const res = await get(lead, `/api/v1/reports?sort=triage&cursor=${other.json().nextCursor}`);
    expect(res.statusCode).toBe(400);
    const bad = await get(lead, '/api/v1/reports?sort=triage&state=acknowledged');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0]).toMatchObject({ path: 'state' });
    expect((await get(lead, '/api/v1/reports?sort=triage&state=received')).statusCode).toBe(200);
  });

  it("counts a reporter's earlier reports by outcome, keyed without the address", async () => {
    const res = await get(lead, `/api/v1/reports/${spam[2]}`);
    const s = res.json().signals as Signals;
    expect(s.standing).toEqual({ basis: 'address', earlier: 2, byOutcome: { out_of_scope: 2 } });
    const item = s.items.find((i) => i.kind === 'standing');
    expect(item).toMatchObject({ tone: 'bad', points: -12 });
    expect(item?.explanation).toBe(
      '2 earlier reports from this reporter (by address, unverified): 2 out of scope',
    );
    // A first-time reporter has a clean record.
    const first = (await get(lead, `/api/v1/reports/${genuine}`)).json().signals as Signals;
    expect(first.standing).toEqual({ basis: 'address', earlier: 0, byOutcome: {} });
    // The address is nowhere in the signals, in the API or in the table; the key is a keyed hash.
    const rows = await v.db.kysely.selectFrom('quality_signals').selectAll().execute();
    const stored = JSON.stringify(rows);
    expect(stored).not.toMatch(/flood\.example|research\.example|repeat\.sender/i);
    expect(JSON.stringify(s)).not.toMatch(/flood\.example/i);
    const keys = rows.map((r) => r.reporter_key);
    expect(keys.every((k) => k === null || /^[0-9a-f]{64}$/.test(k))).toBe(true);
    expect(new Set(keys).size).toBeLessThan(keys.length);
  });

  it('shows signals and standing to nobody outside the program', async () => {
    expect((await get(northwindHandler, `/api/v1/reports/${spam[2]}`)).statusCode).toBe(404);
    const theirs = await lane(northwindHandler);
    expect(theirs.length).toBe(1);
    expect(theirs.every((i) => i.caseNumber.startsWith('NWM-'))).toBe(true);
    expect(
      (await get(northwindHandler, '/api/v1/reports?sort=triage&program=lakeside-health')).statusCode,
    ).toBe(404);
  });

  it('lists cases from before the signals last, with none', async () => {
    const old = junk[1] as string;
    const row = await v.db.kysely
      .selectFrom('reports')
      .select('id')
      .where('case_number', '=', old)
      .executeTakeFirstOrThrow();
    await v.db.kysely.deleteFrom('quality_signals').where('report_id', '=', row.id).execute();
    await v.db.kysely.updateTable('reports').set({ triage_rank: -1 }).where('id', '=', row.id).execute();
    const items = await lane(lead);
    expect(items[items.length - 1]).toMatchObject({ caseNumber: old, signals: null });
    expect((await get(lead, `/api/v1/reports/${old}`)).json().signals).toBeNull();
  });

  it('refuses a program whose product lists a bad component, naming the field', async () => {
    const yaml = await v.services.programs.exportYaml('lakeside-health');
    const broken = yaml.replace('        - /api/v2/patients\n', '        - "x"\n');
    expect(broken).not.toBe(yaml);
    const err = await v.services.programs.importYaml(broken, 'test').catch((e: unknown) => e);
    expect(err).toMatchObject({
      fields: [
        {
          path: 'scope.products.0.components.0',
          message: 'expected an endpoint, parameter or component name of at least 3 characters',
        },
      ],
    });
    const notAList = yaml.replace(/ {6}components:\n(?: {8}- .*\n)+/, '      components: /api/v2/patients\n');
    const err2 = await v.services.programs.importYaml(notAList, 'test').catch((e: unknown) => e);
    expect(JSON.stringify(err2)).toContain('scope.products.0.components');
    expect(JSON.stringify(err2)).toContain('expected a list of endpoints, parameters or component names');
  });

  it('reads the lane from its partial indexes, without sorting the table', async () => {
    const [one, two] = [lakeside.id, northwind.id];
    const filters: QueueFilter[] = [
      { programIds: [one] },
      { programIds: [one, two] },
      { programIds: [one, two, 'p3', 'p4', 'p5'] },
      { programIds: [one], severities: ['high'], assignee: 'none' },
    ];
    const problems: string[] = [];
    await v.db.kysely.connection().execute(async (db) => {
      if (dialect === 'postgres')
        for (const s of ['enable_seqscan', 'enable_bitmapscan', 'enable_sort'])
          await db.executeQuery(CompiledQuery.raw(`set ${s} = off`));
      for (const f of filters)
        for (const after of [undefined, { rank: 50, id: 'zzzz' }]) {
          const q = compileTriageQuery(db, f, after, 51);
          const where = `${JSON.stringify(f)} after=${JSON.stringify(after)}`;
          if (dialect === 'sqlite') {
            const plan = (
              await db.executeQuery<{ parent: number; detail: string }>(
                CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]),
              )
            ).rows;
            for (const r of plan) {
              if (!/\breports\b/.test(r.detail)) continue;
              if (!/^(SEARCH|SCAN) reports USING INDEX reports_triage_/.test(r.detail))
                problems.push(`${where}: ${r.detail}`);
              if (plan.some((x) => x.parent === r.parent && x.detail.startsWith('USE TEMP B-TREE')))
                problems.push(`${where}: sorts`);
            }
          } else {
            const res = await db.executeQuery<{ 'QUERY PLAN': { Plan: PgNode }[] }>(
              CompiledQuery.raw(`explain (format json) ${q.sql}`, [...q.parameters]),
            );
            const walk = (n: PgNode, sortAbove: boolean) => {
              if (n['Relation Name'] === 'reports') {
                if (
                  !/^Index (Only )?Scan( Backward)?$/.test(n['Node Type']) ||
                  !n['Index Name']?.startsWith('reports_triage_')
                )
                  problems.push(`${where}: ${n['Node Type']} ${n['Index Name'] ?? ''}`);
                if (sortAbove) problems.push(`${where}: sort over ${n['Index Name']}`);
              }
              const sorting = n['Node Type'] === 'Sort' || n['Node Type'] === 'Incremental Sort';
              for (const c of n.Plans ?? [])
                walk(c, n['Node Type'] === 'Limit' ? false : sortAbove || sorting);
            };
            const [row] = res.rows;
            if (!row) throw new Error('explain returned no plan');
            walk((row['QUERY PLAN'][0] as { Plan: PgNode }).Plan, false);
          }
        }
      if (dialect === 'postgres')
        for (const s of ['enable_seqscan', 'enable_bitmapscan', 'enable_sort'])
          await db.executeQuery(CompiledQuery.raw(`reset ${s}`));
    });
    expect(problems).toEqual([]);
  });
  it('fills the reporter key of earlier reports when an older database gains the standing index', async () => {
    // Back to the schema before the key was on the report row, then forward again: the migration
    // copies each report's key from its signals, and standing counts the same from the index.
    await runMigrations(v.db, { target: '2026-12-08T1000-job-leases' });
    await runMigrations(v.db);
    const rows = await v.db.kysely
      .selectFrom('reports')
      .innerJoin('quality_signals', 'quality_signals.report_id', 'reports.id')
      .select(['reports.reporter_key as onReport', 'quality_signals.reporter_key as onSignals'])
      .execute();
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.every((r) => r.onReport === r.onSignals)).toBe(true);
    const fourth = await submit(lakeside, junkAnswers('repeat.sender@flood.example'));
    const s = (await get(lead, `/api/v1/reports/${fourth}`)).json().signals as Signals;
    expect(s.standing).toEqual({ basis: 'address', earlier: 3, byOutcome: { out_of_scope: 2, received: 1 } });
  });
});

interface PgNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PgNode[];
}
