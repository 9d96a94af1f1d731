/**
 * Queue benchmark: latency of `GET /api/v1/reports` on a database seeded with 100 000 cases across
 * 20 programs — default (deadline) order and newest-first, first page and deep keyset pages, with
 * and without filters — on SQLite, and on PostgreSQL when VIGIL_TEST_DATABASE_URL is set. Each
 * scenario names the indexes its page reads, and the slowest page's plan is kept in the output.
 *
 *   npm run bench:queue                               (≈3–6 minutes; progress on stderr, JSON on stdout)
 *   VIGIL_BENCH_QUEUE_CASES=1000000 npm run bench:queue     (1M cases; seeding dominates)
 *   VIGIL_BENCH_DIALECT=postgres npm run bench:queue        (one database only)
 *   VIGIL_BENCH_QUEUE_REQUESTS=50 VIGIL_BENCH_QUEUE_SCENARIOS=default,received …  (a quick look)
 *   VIGIL_BENCH_QUEUE_VIA=inject …   (requests through Fastify's inject in this process, as before)
 *
 * Requests come from a client in a process of its own (bench/queue-client.ts) over HTTP with an
 * admin's console session, as a console would send them; each measurement also gives the
 * server's own view of its requests (wall and CPU time), its garbage-collection pauses and how
 * many requests over 20 ms overlapped one. `tokenAuth` times the floor and the first page with
 * an API token instead.
 *
 * See bench/README.md for what each figure means.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import { SEVERITIES } from '../src/assessment/cvss.js';
import { CASE_STATES } from '../src/cases/case-service.js';
import { decodeQueueCursor, type QueueSort } from '../src/cases/queue.js';
import {
  compileQueueQueries,
  listQueueByDeadline,
  listQueueByReceived,
  type QueueFilter,
} from '../src/cases/queue-store.js';
import { loadConfig } from '../src/config/index.js';
import type { Database, NewReport } from '../src/db/schema.js';
import { computeDeadlines } from '../src/deadlines/index.js';
import { createCalendarCache } from '../src/programs/calendars.js';
import type { Program } from '../src/programs/index.js';
import { createVigil, type Vigil } from '../src/server.js';
import { seededRandom } from '../test/helpers/seeded-random.js';
import { dropSchema } from '../test/helpers/test-vigil.js';
import { cpuMeter, percentile, runDialectBench } from './dialect-bench.js';
import type { ClientAnswer, ClientAsk } from './queue-client.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const examplesDir = path.resolve(benchDir, '..', 'examples', 'programs');

const plan = {
  cases: Number(process.env.VIGIL_BENCH_QUEUE_CASES ?? 100_000),
  programs: 20,
  /** Timed requests per measurement (after `warmup` untimed ones). */
  requests: Number(process.env.VIGIL_BENCH_QUEUE_REQUESTS ?? 200),
  warmup: 20,
  pageSize: 50,
  /** How many pages in the "deep" page is (followed by cursor, then timed). */
  deepPages: 50,
  /** The "deeper" page starts this many cases in (reached with 200-case pages, then timed). */
  deeperCases: 20_000,
  insertBatch: 500,
  /** Seeding commits every this many cases. */
  commitEvery: 20_000,
  /** Receipts spread over this many days before "now". */
  spreadDays: 365,
};

/**
 * How requests reach the server: `http`, from a client in a process of its own over a kept-alive
 * connection, as a console would; or `inject`, Fastify's in-process call (no socket, the client's
 * work and garbage in the server's process), which the bench used before.
 */
const via = process.env.VIGIL_BENCH_QUEUE_VIA === 'inject' ? 'inject' : 'http';
/** The issue's goal for a request's p99; requests slower than this are looked at one by one. */
const GOAL_MS = 20;

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * The queries measured; each is timed on its first page, on page `deepPages + 1` and from
 * `deeperCases` in. `{handler}` is the first handler's id, `{product}` a product of bench-07.
 */
const scenarios: Record<string, string> = {
  default: '',
  stateAndSeverity:
    '&state=received&state=acknowledged&state=in_verification&severity=high&severity=critical',
  stateClosed: '&state=closed',
  severity: '&severity=critical',
  program: '&program=bench-07',
  programAndState: '&program=bench-07&state=confirmed',
  product: '&program=bench-07&product={product}',
  assigneeNone: '&assignee=none',
  assigneeHandler: '&assignee={handler}',
  received: '&sort=received',
  receivedWithFilters: '&sort=received&state=confirmed&state=in_remediation&severity=medium',
  receivedAssigneeNone: '&sort=received&assignee=none',
};

async function importPrograms(v: Vigil): Promise<{ programs: Program[]; empty: Program }> {
  const files = fs
    .readdirSync(examplesDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const texts = files.map((f) => fs.readFileSync(path.join(examplesDir, f), 'utf8'));
  const rename = (i: number, slug: string, prefix: string) =>
    (texts[i % texts.length] as string)
      .replace(/^slug: .*$/m, `slug: ${slug}`)
      .replace(/^casePrefix: .*$/m, `casePrefix: ${prefix}`)
      .replace(/^name: (.*)$/m, `name: $1 (${slug})`);
  const programs: Program[] = [];
  for (let i = 0; i < plan.programs; i++) {
    const n = String(i).padStart(2, '0');
    // Alternate the two reference programs: two calendars, two sets of clocks.
    programs.push((await v.services.programs.importYaml(rename(i, `bench-${n}`, `BQ${n}`), 'bench')).program);
  }
  // A program without cases: its queue is the request's floor (stack, sign-in, one empty read).
  const empty = (await v.services.programs.importYaml(rename(0, 'bench-empty', 'BQE'), 'bench')).program;
  return { programs, empty };
}

/**
 * Insert the cases in order of receipt, as they would arrive (so the receipt-ordered indexes grow
 * at their ends). Programs alternate two definitions with two calendars, and a due date depends
 * only on the program's definition and the local day of receipt, so due dates are computed once
 * per definition and UTC hour (both calendars' zones are whole hours off UTC).
 */
async function seed(v: Vigil, programs: Program[], now: Date, userIds: string[]): Promise<void> {
  const random = seededRandom(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const calendars = createCalendarCache();
  const blob = Buffer.from('bench: not a real sealed payload');
  const seq = new Map<string, number>();
  const day = 86_400_000;
  const hour = 3_600_000;
  const ages = Float64Array.from({ length: plan.cases }, () => random() * plan.spreadDays * day)
    .sort()
    .reverse();
  const dueCache = new Map<string, Record<string, string>>();
  const dueDates = (programIndex: number, received: Date) => {
    const program = programs[programIndex] as Program;
    const key = `${programIndex % 2}:${Math.floor(received.getTime() / hour)}`;
    let d = dueCache.get(key);
    if (!d) {
      d = Object.fromEntries(
        Object.entries(
          computeDeadlines(received, program.definition.deadlines, calendars.forProgram(program)),
        ).flatMap(([k, due]) => (due ? [[k, due.toISOString()]] : [])),
      ) as Record<string, string>;
      dueCache.set(key, d);
    }
    return d;
  };
  let batch: NewReport[] = [];
  let sinceCommit = 0;
  let trx: Awaited<ReturnType<ReturnType<Kysely<Database>['startTransaction']>['execute']>> | undefined;
  const flush = async (force = false) => {
    if (batch.length > 0) {
      if (!trx) trx = await v.db.kysely.startTransaction().execute();
      await trx.insertInto('reports').values(batch).execute();
      sinceCommit += batch.length;
      batch = [];
    }
    if (trx && (force || sinceCommit >= plan.commitEvery)) {
      await trx.commit().execute();
      trx = undefined;
      sinceCommit = 0;
    }
  };
  for (let i = 0; i < plan.cases; i++) {
    const programIndex = Math.floor(random() * programs.length);
    const program = programs[programIndex] as Program;
    const received = new Date(now.getTime() - (ages[i] as number));
    const deadlines = dueDates(programIndex, received);
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
      case_number: `${program.definition.casePrefix}-2026-${String(n).padStart(6, '0')}`,
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
    if (i > 0 && i % 100_000 === 0) log(`  … ${i} cases`);
  }
  await flush(true);
}

/**
 * The store's part of a page alone: its statements from the same cursor, `requests` times, without
 * HTTP, sign-in or the clocks computed for each case.
 */
async function measureStore(db: Kysely<Database>, args: ReturnType<typeof storeArgs>) {
  const call = () =>
    args.order.sort === 'received'
      ? listQueueByReceived(db, args.filter, args.order.after, plan.pageSize + 1)
      : listQueueByDeadline(db, args.filter, args.order.after, plan.pageSize + 1);
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

const GC_KINDS: Record<number, string> = { 1: 'minor', 4: 'major', 8: 'incremental', 16: 'weakcb' };

/**
 * Let the event loop go round once. Injected requests on SQLite (synchronous) complete without it
 * ever turning, so a loop of them never reaches the callbacks Fastify leaves for the next turn,
 * and each of those holds its request and response: 1 000 pages kept about 54 MiB alive, which
 * the collector then copied and promoted. A server on a socket turns the loop for each request.
 */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Start and end of each timed request, epoch milliseconds. */
type Span = [number, number];
const epochNow = () => performance.timeOrigin + performance.now();

/**
 * The server process's garbage-collection pauses while it is on, as epoch-millisecond spans: laid
 * over the requests' spans they say which slow requests waited for a collection.
 */
function gcPauses() {
  /** Start, end and kind (perf_hooks' NODE_PERFORMANCE_GC_*: 1 minor, 4 major, 8 incremental). */
  const pauses: [number, number, number][] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const start = performance.timeOrigin + e.startTime;
      pauses.push([start, start + e.duration, (e as { detail?: { kind?: number } }).detail?.kind ?? 0]);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    /** The pauses since the last call (observer entries arrive a turn late, so wait one). */
    async take(): Promise<[number, number, number][]> {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return pauses.splice(0);
    },
    stop: () => observer.disconnect(),
  };
}

/** The console's side, in its own process (bench/queue-client.ts), started once. */
function startClient() {
  const child: ChildProcess = fork(path.join(benchDir, 'queue-client.ts'), [], {
    // tsx's loader comes with execArgv; a larger young generation keeps the client's own
    // collections (it keeps only the timings) out of the way.
    execArgv: [...process.execArgv, '--max-semi-space-size=32'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (a: ClientAnswer) => void>();
  child.on('message', (a: ClientAnswer) => waiting.get(a.id)?.(a));
  let next = 0;
  return {
    async run(ask: Omit<ClientAsk, 'id'>): Promise<Span[]> {
      const id = next++;
      const answer = await new Promise<ClientAnswer>((resolve, reject) => {
        waiting.set(id, resolve);
        child.send({ ...ask, id }, (err) => err && reject(err));
      });
      waiting.delete(id);
      if ('error' in answer) throw new Error(answer.error);
      return answer.spans;
    },
    stop: () => child.disconnect(),
  };
}

type Client = ReturnType<typeof startClient>;

/**
 * The server's own view of each request while on: wall time from Fastify's `onRequest` to
 * `onResponse`, and the process's CPU time meanwhile. A request whose CPU time is well below
 * its wall time spent the difference off the CPU: waiting for the machine, the disk or the
 * database, not computing.
 */
function serverTimes(v: Vigil) {
  let on = false;
  const started = new WeakMap<object, [number, NodeJS.CpuUsage]>();
  const rows: { wallMs: number; cpuMs: number }[] = [];
  v.app.addHook('onRequest', async (request) => {
    if (on) started.set(request, [performance.now(), process.cpuUsage()]);
  });
  v.app.addHook('onResponse', async (request) => {
    const at = started.get(request);
    if (!at) return;
    const cpu = process.cpuUsage(at[1]);
    rows.push({ wallMs: performance.now() - at[0], cpuMs: (cpu.user + cpu.system) / 1000 });
  });
  return {
    start() {
      rows.length = 0;
      on = true;
    },
    /** The last `n` requests' figures (the warm-up came before them). */
    stop(n: number) {
      on = false;
      const last = rows.splice(0).slice(-n);
      const wall = last.map((r) => r.wallMs).sort((a, b) => a - b);
      const cpu = last.map((r) => r.cpuMs).sort((a, b) => a - b);
      const slow = last.filter((r) => r.wallMs > GOAL_MS);
      return {
        p50Ms: round(percentile(wall, 50)),
        p99Ms: round(percentile(wall, 99)),
        cpuP50Ms: round(percentile(cpu, 50)),
        cpuP99Ms: round(percentile(cpu, 99)),
        [`over${GOAL_MS}Ms`]: slow.length,
        [`over${GOAL_MS}MsMostlyOffCpu`]: slow.filter((r) => r.cpuMs < r.wallMs / 2).length,
      };
    },
  };
}

/** How the bench reaches the server, and with which credentials. */
interface Target {
  v: Vigil;
  port: number;
  client: Client | undefined;
  gc: ReturnType<typeof gcPauses>;
  server: ReturnType<typeof serverTimes>;
}

async function timedSpans(t: Target, headers: Record<string, string>, url: string): Promise<Span[]> {
  if (t.client)
    return t.client.run({ port: t.port, path: url, headers, warmup: plan.warmup, requests: plan.requests });
  const call = async () => {
    const res = await t.v.app.inject({ method: 'GET', url, headers });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  };
  for (let i = 0; i < plan.warmup; i++) {
    await call();
    await turn();
  }
  const spans: Span[] = [];
  for (let i = 0; i < plan.requests; i++) {
    const start = epochNow();
    await call();
    spans.push([start, epochNow()]);
    await turn();
  }
  return spans;
}

/**
 * `requests` timed requests of `url` (after `warmup`), p50 / p99 / max, with the server's
 * collections meanwhile: how many, their total and longest, and how many of the requests over
 * the goal overlapped one.
 */
async function measure(t: Target, headers: Record<string, string>, url: string) {
  await t.gc.take();
  t.server.start();
  const spans = await timedSpans(t, headers, url);
  const server = t.server.stop(plan.requests);
  const pauses = await t.gc.take();
  const times = spans.map(([a, b]) => b - a).sort((a, b) => a - b);
  const overlaps = ([a, b]: Span) => pauses.some(([ga, gb]) => ga < b && gb > a);
  const slow = spans.filter(([a, b]) => b - a > GOAL_MS);
  const gcMs = pauses.map(([a, b]) => b - a);
  const longest = pauses.reduce<[number, number, number] | undefined>(
    (m, p) => (m === undefined || p[1] - p[0] > m[1] - m[0] ? p : m),
    undefined,
  );
  return {
    p50Ms: round(percentile(times, 50)),
    p99Ms: round(percentile(times, 99)),
    maxMs: round(times[times.length - 1] ?? 0),
    serverGc: {
      pauses: pauses.length,
      totalMs: round(gcMs.reduce((n, x) => n + x, 0)),
      longestMs: round(Math.max(0, ...gcMs)),
      longestKind: longest ? (GC_KINDS[longest[2]] ?? String(longest[2])) : null,
      major: pauses.filter((p) => p[2] === 4).length,
    },
    [`over${GOAL_MS}Ms`]: slow.length,
    [`over${GOAL_MS}MsDuringGc`]: slow.filter(overlaps).length,
    server,
  };
}

/** Follow `nextCursor` from the first page with `limit`-sized pages; the cursor after `pages`. */
async function walk(v: Vigil, headers: Record<string, string>, url: string, limit: number, pages: number) {
  let cursor: string | null = null;
  let depth = 0;
  let matched = 0;
  for (; depth < pages; depth++) {
    const res = await v.app.inject({
      method: 'GET',
      url: `${url}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      headers,
    });
    const body = res.json() as { items: unknown[]; nextCursor: string | null };
    await turn();
    // Fewer matching cases than the depth: the last page's cursor (if it has one) stands in.
    if (!body.nextCursor) return { cursor, matched, reached: false, page: depth + 1 };
    matched += body.items.length;
    cursor = body.nextCursor;
  }
  return { cursor, matched, reached: true, page: depth + 1 };
}

/** The store's arguments for a scenario's page, as the case service would pass them (admin). */
function storeArgs(query: string, programs: Program[], cursor: string | null) {
  const p = new URLSearchParams(query);
  const sort = (p.get('sort') ?? 'deadline') as Exclude<QueueSort, 'triage'>;
  const slug = p.get('program');
  const assignee = p.get('assignee');
  const filter: QueueFilter = {
    programIds: programs.filter((x) => !slug || x.slug === slug).map((x) => x.id),
    states: p.getAll('state').length > 0 ? p.getAll('state') : undefined,
    severities: p.getAll('severity').length > 0 ? p.getAll('severity') : undefined,
    productId: p.get('product') ?? undefined,
    assignee: assignee === null ? undefined : assignee === 'none' ? 'none' : { userId: assignee },
  };
  const order =
    sort === 'received'
      ? {
          sort,
          after: cursor
            ? (decodeQueueCursor(cursor, sort).key as { receivedAt: string; id: string })
            : undefined,
        }
      : { sort, after: cursor ? (decodeQueueCursor(cursor, sort).key as never) : undefined };
  return { filter, order };
}

/**
 * The plan of each statement of a page: SQLite's `explain query plan` as an indented tree;
 * PostgreSQL's `explain (analyze, buffers)` (it runs the statement) when `analyze`, else `explain`.
 */
async function explain(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  queries: CompiledQuery[],
  analyze: boolean,
): Promise<string[][]> {
  const out: string[][] = [];
  for (const q of queries) {
    if (dialect === 'sqlite') {
      const rows = (
        await db.executeQuery<{ id: number; parent: number; detail: string }>(
          CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]),
        )
      ).rows;
      const depth = new Map<number, number>([[0, -1]]);
      out.push(
        rows.map((r) => {
          const d = (depth.get(r.parent) ?? -1) + 1;
          depth.set(r.id, d);
          return `${'  '.repeat(d)}${r.detail}`;
        }),
      );
    } else {
      const rows = (
        await db.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`explain ${analyze ? '(analyze, buffers) ' : ''}${q.sql}`, [...q.parameters]),
        )
      ).rows;
      out.push(rows.map((r) => r['QUERY PLAN']));
    }
  }
  return out;
}

/** The tables and indexes a plan reads, e.g. `reports_queue_state_due_idx`, `SCAN reports`. */
function accessPaths(plans: string[][]): string[] {
  const found = new Set<string>();
  for (const line of plans.flat()) {
    const index = /(?:USING (?:COVERING )?INDEX|Index (?:Only )?Scan(?: Backward)? using) (\w+)/.exec(line);
    if (index) found.add(index[1] as string);
    if (/\bSCAN reports\b|Seq Scan on reports|Bitmap Heap Scan on reports/.test(line))
      found.add(line.trim().replace(/\s+\(.*$/, ''));
    if (/USE TEMP B-TREE FOR ORDER BY|Sort Key/.test(line)) found.add('sort');
  }
  return [...found].sort();
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
  let stopClient = () => {};
  try {
    const t0 = performance.now();
    const { programs, empty } = await importPrograms(v);
    const accounts = v.services.accounts;
    const admin = await accounts.createUser({ email: 'admin@bench.test', role: 'admin' }, 'bench');
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
    // Fresh statistics, as autovacuum (PostgreSQL) or `pragma optimize` would leave them.
    const t1 = performance.now();
    if (dialect === 'postgres') {
      await sql`analyze reports`.execute(v.db.kysely);
      await sql`analyze users`.execute(v.db.kysely);
    } else await sql`analyze`.execute(v.db.kysely);
    const analyzeSeconds = round((performance.now() - t1) / 1000, 1);
    const open = await v.db.kysely
      .selectFrom('reports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('clock_running', '=', 1)
      .executeTakeFirstOrThrow();
    log(`${dialect}: seeded ${plan.cases} cases (${open.n} with a running clock) in ${seedSeconds} s`);

    // The console's credentials: a session cookie, as after signing in (opened after the seeding,
    // which at a million cases outlasts a session's idle time). An integrator's API token is
    // measured beside it (`tokenAuth`).
    const session = await v.db.kysely.transaction().execute((trx) => accounts.sessions.open(trx, admin.id));
    const console_ = { cookie: `vigil_session=${session.secret}`, accept: 'application/json' };
    const bearer = { authorization: `Bearer ${token}`, accept: 'application/json' };
    const server = serverTimes(v);
    if (via === 'http') await v.app.listen({ host: '127.0.0.1', port: 0 });
    const t: Target = {
      v,
      port: via === 'http' ? (v.app.server.address() as AddressInfo).port : 0,
      client: via === 'http' ? startClient() : undefined,
      gc: gcPauses(),
      server,
    };
    stopClient = () => {
      t.client?.stop();
      t.gc.stop();
    };
    const loadBefore = os.loadavg().map((x) => round(x));
    const cpu = cpuMeter();
    const bench07 = programs.find((p) => p.slug === 'bench-07') as Program;
    const visible = [...programs, empty];
    const floorUrl = `/api/v1/reports?limit=${plan.pageSize}&program=${empty.slug}`;
    const floor = await measure(t, console_, floorUrl);
    log(`${dialect}: floor (a program without cases) ${JSON.stringify(floor)}`);
    const results: Record<string, Record<string, unknown>> = {};
    type TimedPage = { scenario: string; page: string; query: string; cursor: string | null };
    const pages: (TimedPage & { p99Ms: number; storeP50Ms: number })[] = [];
    const only = process.env.VIGIL_BENCH_QUEUE_SCENARIOS?.split(',');
    for (const [name, template] of Object.entries(scenarios)) {
      if (only && !only.includes(name)) continue;
      const query = template
        .replace('{handler}', userIds[0] as string)
        .replace('{product}', bench07.definition.scope.products[0]?.id ?? '');
      const base = `/api/v1/reports?${query.slice(1)}`;
      const first = `${base}&limit=${plan.pageSize}`;
      const entry: Record<string, unknown> = { query: query || '(none)' };
      const timed = async (page: string, cursor: string | null) => {
        const m = await measure(t, console_, `${first}${cursor ? `&cursor=${cursor}` : ''}`);
        const store = await measureStore(v.db.kysely, storeArgs(query, visible, cursor));
        pages.push({ scenario: name, page, query, cursor, p99Ms: m.p99Ms, storeP50Ms: store.p50Ms });
        return { ...m, vsFloorP50: round(m.p50Ms / floor.p50Ms), store };
      };
      entry.firstPage = await timed('first', null);
      const deep = await walk(v, console_, base, plan.pageSize, plan.deepPages);
      entry.deepPage = deep.cursor
        ? {
            page: deep.page,
            ...(deep.reached ? {} : { lastPage: true }),
            ...(await timed('deep', deep.cursor)),
          }
        : 'one page holds every matching case';
      const deeper = await walk(v, console_, base, 200, plan.deeperCases / 200);
      entry.deeperPage = deeper.reached
        ? { afterCases: plan.deeperCases, ...(await timed('deeper', deeper.cursor)) }
        : `fewer than ${plan.deeperCases} matching cases`;
      // The plans of the first and the deep page: the indexes they read and, on PostgreSQL, the
      // buffers they touched (pages of table and index read, whatever the machine's load).
      const reads = new Set<string>();
      for (const [page, cursor] of [
        ['firstPage', null],
        ['deepPage', deep.cursor],
      ] as const) {
        const args = storeArgs(query, visible, cursor);
        const plans = await explain(
          v.db.kysely,
          dialect,
          compileQueueQueries(v.db.kysely, args.filter, args.order, plan.pageSize + 1),
          dialect === 'postgres',
        );
        for (const r of accessPaths(plans)) reads.add(r);
        const at = entry[page];
        if (dialect === 'postgres' && typeof at === 'object' && at !== null)
          (at as Record<string, unknown>).buffers = plans.map((lines) =>
            Number(/Buffers: shared hit=(\d+)/.exec(lines.join('\n'))?.[1] ?? 0),
          );
      }
      entry.reads = [...reads].sort();
      results[name] = entry;
      log(`${dialect}: ${name} ${JSON.stringify(entry)}`);
    }
    // The same floor and first page with the API token instead of the session.
    const tokenAuth = {
      floor: await measure(t, bearer, floorUrl),
      defaultFirstPage: await measure(t, bearer, `/api/v1/reports?limit=${plan.pageSize}`),
    };
    log(`${dialect}: with the API token ${JSON.stringify(tokenAuth)}`);
    const cpuDuringMeasurements = cpu();
    const loadAfter = os.loadavg().map((x) => round(x));
    // Slowest by the store's median: the request's p99 on a shared machine is mostly scheduling.
    const slowest = pages.reduce((a, b) => (b.storeP50Ms > a.storeP50Ms ? b : a));
    const args = storeArgs(slowest.query, visible, slowest.cursor);
    const slowestPlan = {
      scenario: slowest.scenario,
      page: slowest.page,
      p99Ms: slowest.p99Ms,
      storeP50Ms: slowest.storeP50Ms,
      statements: await explain(
        v.db.kysely,
        dialect,
        compileQueueQueries(v.db.kysely, args.filter, args.order, plan.pageSize + 1),
        true,
      ),
    };
    return {
      seedSeconds,
      analyzeSeconds,
      openCases: Number(open.n),
      ...cpuDuringMeasurements,
      loadAverage: { before: loadBefore, after: loadAfter },
      floor: { url: floorUrl, ...floor },
      scenarios: results,
      tokenAuth,
      slowestPlan,
    };
  } finally {
    stopClient();
    await v.close();
    if (process.env.VIGIL_BENCH_QUEUE_KEEP) log(`${dialect}: kept ${schema ? `schema ${schema}` : dataDir}`);
    else {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (schema) await dropSchema(schema);
    }
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
    deeperAfterCases: plan.deeperCases,
    via:
      via === 'http'
        ? 'HTTP from a client in its own process over one kept-alive connection, sequential requests, an admin console session seeing all 20 programs'
        : 'app.inject (no network, client in the server process), sequential requests, an admin console session seeing all 20 programs',
  },
  runDialect,
);
