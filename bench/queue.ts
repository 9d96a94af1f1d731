/**
 * Queue benchmark: latency of `GET /api/v1/reports` on a database seeded with 100 000 cases across
 * 20 programs — default (deadline) order and newest-first, first page and a deep keyset page,
 * with and without filters — on SQLite, and on PostgreSQL when VIGIL_TEST_DATABASE_URL is set.
 *
 *   npm run bench:queue             (≈1–3 minutes; progress on stderr, one JSON document on stdout)
 *
 * See bench/README.md for what each figure means.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { SEVERITIES } from '../src/assessment/cvss.js';
import { CASE_STATES } from '../src/cases/case-service.js';
import { loadConfig } from '../src/config/index.js';
import type { NewReport } from '../src/db/schema.js';
import { computeDeadlines } from '../src/deadlines/index.js';
import { createCalendarCache } from '../src/programs/calendars.js';
import type { Program } from '../src/programs/index.js';
import { createVigil, type Vigil } from '../src/server.js';
import { seededRandom } from '../test/helpers/seeded-random.js';
import { dropSchema } from '../test/helpers/test-vigil.js';
import { percentile, runDialectBench } from './dialect-bench.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const examplesDir = path.resolve(benchDir, '..', 'examples', 'programs');

const plan = {
  cases: 100_000,
  programs: 20,
  /** Timed requests per measurement (after `warmup` untimed ones). */
  requests: 200,
  warmup: 20,
  pageSize: 50,
  /** How many pages in the "deep" page is (followed by cursor, then timed). */
  deepPages: 50,
  insertBatch: 500,
  /** Receipts spread over this many days before "now". */
  spreadDays: 365,
};

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The queries measured; each is timed on its first page and on a page `deepPages` in. */
const scenarios: Record<string, string> = {
  default: '',
  stateAndSeverity:
    '&state=received&state=acknowledged&state=in_verification&severity=high&severity=critical',
  program: '&program=bench-07',
  assigneeNone: '&assignee=none',
  received: '&sort=received',
  receivedWithFilters: '&sort=received&state=confirmed&state=in_remediation&severity=medium',
};

async function importPrograms(v: Vigil): Promise<Program[]> {
  const files = fs
    .readdirSync(examplesDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const texts = files.map((f) => fs.readFileSync(path.join(examplesDir, f), 'utf8'));
  const out: Program[] = [];
  for (let i = 0; i < plan.programs; i++) {
    const n = String(i).padStart(2, '0');
    // Alternate the two reference programs: two calendars, two sets of clocks.
    const text = (texts[i % texts.length] as string)
      .replace(/^slug: .*$/m, `slug: bench-${n}`)
      .replace(/^casePrefix: .*$/m, `casePrefix: BQ${n}`)
      .replace(/^name: (.*)$/m, `name: $1 (bench ${n})`);
    out.push((await v.services.programs.importYaml(text, 'bench')).program);
  }
  return out;
}

async function seed(v: Vigil, programs: Program[], now: Date, userIds: string[]): Promise<void> {
  const random = seededRandom(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const calendars = createCalendarCache();
  const blob = Buffer.from('bench: not a real sealed payload');
  const seq = new Map<string, number>();
  const day = 86_400_000;
  let batch: NewReport[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await v.db.kysely.insertInto('reports').values(batch).execute();
    batch = [];
  };
  for (let i = 0; i < plan.cases; i++) {
    const program = pick(programs);
    const received = new Date(now.getTime() - random() * plan.spreadDays * day);
    const deadlines = Object.fromEntries(
      Object.entries(
        computeDeadlines(received, program.definition.deadlines, calendars.forProgram(program)),
      ).flatMap(([k, d]) => (d ? [[k, d.toISOString()]] : [])),
    ) as Record<string, string>;
    // Older cases are further along; about a third of all cases end up closed.
    const age = (now.getTime() - received.getTime()) / (plan.spreadDays * day);
    const stage = Math.min(CASE_STATES.length - 1, Math.floor((age + random() * 0.6) * CASE_STATES.length));
    const state = stage >= CASE_STATES.length - 1 ? 'closed' : (CASE_STATES[stage] as string);
    const after = (days: number) => new Date(received.getTime() + random() * days * day).toISOString();
    const n = (seq.get(program.id) ?? 0) + 1;
    seq.set(program.id, n);
    const at = received.toISOString();
    batch.push({
      id: randomUUID(),
      program_id: program.id,
      case_number: `${program.definition.casePrefix}-2026-${String(n).padStart(5, '0')}`,
      state,
      channel: 'web',
      language: 'en',
      received_at: at,
      deadlines: JSON.stringify(deadlines),
      acknowledge_by: deadlines.acknowledge as string,
      content_sealed: blob,
      contact_sealed: blob,
      reporter_token_hash: randomBytes(16).toString('hex'),
      created_at: at,
      updated_at: at,
      acknowledged_at: state === 'received' ? null : after(4),
      verified_at: stage >= 3 ? after(10) : null,
      summary_sent_at: stage >= 8 ? after(30) : null,
      closed_at: state === 'closed' ? after(120) : null,
      severity: random() < 0.2 ? null : pick(SEVERITIES),
      product_id: pick(program.definition.scope.products).id,
      assignee_id: random() < 0.3 ? null : pick(userIds),
    });
    if (batch.length >= plan.insertBatch) await flush();
  }
  await flush();
}

async function measure(v: Vigil, token: string, url: string) {
  const call = async () => {
    const res = await v.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res;
  };
  for (let i = 0; i < plan.warmup; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < plan.requests; i++) {
    const t0 = performance.now();
    await call();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)) };
}

async function runDialect(dialect: 'sqlite' | 'postgres') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-queue-'));
  const schema = dialect === 'postgres' ? `bench_${randomBytes(5).toString('hex')}` : undefined;
  const config = {
    ...loadConfig({
      VIGIL_DATA_DIR: dataDir,
      VIGIL_PUBLIC_URL: 'https://vigil.bench',
      VIGIL_SEED_EXAMPLES: 'false',
      LOG_LEVEL: 'warn',
      ...(dialect === 'postgres' ? { DATABASE_URL: process.env.VIGIL_TEST_DATABASE_URL as string } : {}),
    }),
    databaseSchema: schema,
  };
  const now = new Date();
  const v = await createVigil(config, { logger: false, worker: false });
  try {
    const t0 = performance.now();
    const programs = await importPrograms(v);
    const accounts = v.services.accounts;
    await accounts.createUser({ email: 'admin@bench.test', role: 'admin' }, 'bench');
    const userIds: string[] = [];
    for (let i = 0; i < 8; i++) {
      const u = await accounts.createUser(
        { email: `handler${i}@bench.test`, role: 'handler', program: (programs[i] as Program).slug },
        'bench',
      );
      userIds.push(u.id);
    }
    const token = (await accounts.createToken({ userEmail: 'admin@bench.test', scope: 'read' }, 'bench'))
      .token;
    await seed(v, programs, now, userIds);
    const seedSeconds = round((performance.now() - t0) / 1000, 1);
    const open = await v.db.kysely
      .selectFrom('reports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(sql`next_due_at`, 'is not', null)
      .executeTakeFirstOrThrow();
    log(`${dialect}: seeded ${plan.cases} cases (${open.n} with a running clock) in ${seedSeconds} s`);

    const results: Record<string, unknown> = {};
    for (const [name, query] of Object.entries(scenarios)) {
      const first = `/api/v1/reports?limit=${plan.pageSize}${query}`;
      // Follow the cursor to the deep page once; the timed request then asks for that page.
      let cursor: string | null = null;
      let depth = 0;
      let matched = 0;
      for (; depth < plan.deepPages; depth++) {
        const res = await v.app.inject({
          method: 'GET',
          url: `${first}${cursor ? `&cursor=${cursor}` : ''}`,
          headers: { authorization: `Bearer ${token}` },
        });
        const body = res.json() as { items: unknown[]; nextCursor: string | null };
        matched += body.items.length;
        if (!body.nextCursor) break;
        cursor = body.nextCursor;
      }
      const entry: Record<string, unknown> = { query: query || '(none)' };
      entry.firstPage = await measure(v, token, first);
      if (cursor) {
        entry.deepPage = { page: depth + 1, ...(await measure(v, token, `${first}&cursor=${cursor}`)) };
      } else {
        entry.deepPage = `only ${matched} matching cases: no page ${plan.deepPages + 1}`;
      }
      results[name] = entry;
      log(`${dialect}: ${name} ${JSON.stringify(entry)}`);
    }
    return { seedSeconds, openCases: Number(open.n), scenarios: results };
  } finally {
    await v.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (schema) await dropSchema(schema);
  }
}

runDialectBench(
  'queue',
  {
    cases: plan.cases,
    programs: plan.programs,
    pageSize: plan.pageSize,
    requestsPerMeasurement: plan.requests,
    deepPage: plan.deepPages + 1,
    via: 'app.inject (no network), sequential requests, admin token seeing all 20 programs',
  },
  runDialect,
);
