/**
 * Similar-cases benchmark: latency and memory of `similar(case)` on one program holding 10 000
 * large cases, through the feature digests (what the case page does) and, for comparison, the way
 * it was done before (every candidate opened and tokenised: `similarByText`). On SQLite, and on
 * PostgreSQL when VIGIL_TEST_DATABASE_URL is set.
 *
 *   npm run bench:similar             (progress on stderr, one JSON document on stdout)
 *   VIGIL_BENCH_SIMILAR_CASES=2000 npm run bench:similar     (a quicker, smaller run)
 *
 * See bench/README.md for what each figure means.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { StaffCaller } from '../src/accounts/index.js';
import { createFeatureDigestBackfill } from '../src/cases/index.js';
import { similarByText } from '../src/cases/similar-text.js';
import { loadConfig } from '../src/config/index.js';
import { systemClock } from '../src/core/clock.js';
import { createSealer, loadKeyring } from '../src/crypto/index.js';
import type { NewReport } from '../src/db/schema.js';
import type { Program } from '../src/programs/index.js';
import { reportAad } from '../src/reports/index.js';
import { createVigil, type Vigil } from '../src/server.js';
import { mainTextField, validAnswers } from '../test/helpers/reports.js';
import { seededRandom } from '../test/helpers/seeded-random.js';
import { dropSchema } from '../test/helpers/test-vigil.js';
import { percentile, runDialectBench } from './dialect-bench.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const programFile = path.resolve(benchDir, '..', 'examples', 'programs', 'medical-device-maker.yaml');

const plan = {
  cases: Number(process.env.VIGIL_BENCH_SIMILAR_CASES ?? 10_000),
  /** Words in each case's description (about 8 characters each with the space). */
  wordsPerCase: 2_000,
  /** Cases come in groups about one vulnerability: this many per group, on average. */
  perTopic: 5,
  digestRequests: 50,
  textRequests: 5,
  warmup: 3,
  insertBatch: 200,
};

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const mib = (n: number) => round(n / 2 ** 20, 1);

/**
 * Report texts: a common vocabulary (Zipf-like: a few words everywhere) and, per topic, its own
 * words and endpoint. A case is 55 % its topic's words, the rest common words, so cases of one
 * topic are near-duplicates and others share only the common vocabulary.
 */
function textGenerator(seed: number) {
  const random = seededRandom(seed);
  const syllables = 'ka ri to mu se na lo pe vi du ra ne so mi tu ge ba lu fo de'.split(' ');
  const word = () =>
    Array.from({ length: 2 + Math.floor(random() * 3) }, () => syllables[Math.floor(random() * 20)]).join('');
  const common = Array.from({ length: 6000 }, word);
  const zipf = () => common[Math.floor(common.length * random() ** 3)] as string;
  const topics = new Map<number, { words: string[]; endpoint: string }>();
  const topic = (t: number) => {
    let x = topics.get(t);
    if (!x) {
      x = {
        words: Array.from({ length: 400 }, word),
        endpoint: `/api/v${1 + (t % 3)}/${word()}/${word()}/upload`,
      };
      topics.set(t, x);
    }
    return x;
  };
  return (t: number): string => {
    const { words, endpoint } = topic(t);
    const out: string[] = [];
    for (let i = 0; i < plan.wordsPerCase; i++)
      out.push(random() < 0.55 ? (words[Math.floor(random() * words.length)] as string) : zipf());
    out.splice(40, 0, `POST https://pump.northwind.example${endpoint}?format=raw`);
    return out.join(' ');
  };
}

async function seed(v: Vigil, program: Program, sealer: ReturnType<typeof createSealer>, now: Date) {
  const random = seededRandom(7);
  const text = textGenerator(11);
  const base = validAnswers(program, '');
  const main = mainTextField(program);
  const products = program.definition.scope.products;
  const topics = Math.max(1, Math.round(plan.cases / plan.perTopic));
  const placeholder = Buffer.from('bench: not a real sealed payload');
  let batch: NewReport[] = [];
  let contentBytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await v.db.kysely.insertInto('reports').values(batch).execute();
    batch = [];
  };
  for (let i = 0; i < plan.cases; i++) {
    const t = Math.floor(random() * topics);
    const id = randomUUID();
    // Newest last, a minute apart; all open, so every case is a candidate.
    const at = new Date(now.getTime() - (plan.cases - i) * 60_000).toISOString();
    const answers = {
      ...base,
      [main]: text(t),
      product: (products[t % products.length] as { id: string }).id,
    };
    const content = sealer.sealJson(answers, reportAad(id, 'content'));
    contentBytes += content.length;
    batch.push({
      id,
      program_id: program.id,
      case_number: `${program.definition.casePrefix}-2026-${String(i + 1).padStart(5, '0')}`,
      state: 'received',
      channel: 'web',
      language: 'en',
      received_at: at,
      deadlines: '{}',
      acknowledge_by: at,
      content_sealed: content,
      contact_sealed: placeholder,
      reporter_token_hash: randomBytes(16).toString('hex'),
      created_at: at,
      updated_at: at,
      product_id: answers.product,
    });
    if (batch.length >= plan.insertBatch) await flush();
  }
  await flush();
  return { averageSealedContentBytes: Math.round(contentBytes / plan.cases) };
}

/** Times `call` on each case number in turn; memory as the heap after each call and the kernel's RSS high-water mark. */
async function measure(
  label: string,
  caseNumbers: string[],
  requests: number,
  call: (n: string) => Promise<unknown>,
) {
  for (let i = 0; i < plan.warmup; i++) await call(caseNumbers[i % caseNumbers.length] as string);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  let heapPeak = 0;
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    await call(caseNumbers[i % caseNumbers.length] as string);
    times.push(performance.now() - t0);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed - heapBefore);
  }
  times.sort((a, b) => a - b);
  const out = {
    requests,
    p50Ms: round(percentile(times, 50)),
    p99Ms: round(percentile(times, 99)),
    meanMs: round(times.reduce((a, b) => a + b, 0) / times.length),
    heapGrowthPerRequestMaxMiB: mib(heapPeak),
    rssBeforeMiB: mib(rssBefore),
    maxRssMiB: mib(process.resourceUsage().maxRSS * 1024),
    maxRssGrowthMiB: mib(Math.max(0, process.resourceUsage().maxRSS * 1024 - maxRssBefore)),
  };
  log(`${label}: ${JSON.stringify(out)}`);
  return out;
}

async function runDialect(dialect: 'sqlite' | 'postgres') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-similar-'));
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
    // The same key file Vigil made for itself, so the bench seals content Vigil can open.
    const sealer = createSealer(await loadKeyring({ dataDir }));
    const program = (await v.services.programs.importYaml(fs.readFileSync(programFile, 'utf8'), 'bench'))
      .program;
    await v.services.accounts.createUser({ email: 'admin@bench.test', role: 'admin' }, 'bench');
    const token = (
      await v.services.accounts.createToken({ userEmail: 'admin@bench.test', scope: 'read' }, 'bench')
    ).token;
    const caller: StaffCaller = await v.services.accounts.authenticate(token);

    let t0 = performance.now();
    const stored = await seed(v, program, sealer, now);
    const seedSeconds = round((performance.now() - t0) / 1000, 1);
    log(`${dialect}: seeded ${plan.cases} cases in ${seedSeconds} s`);

    // Existing cases get their digests from the backfill pass, as after the migration.
    const backfill = createFeatureDigestBackfill({
      db: v.db,
      sealer,
      clock: systemClock,
      programs: v.services.programs,
      perPass: plan.cases,
    });
    t0 = performance.now();
    const filled = await backfill.runOnce();
    const backfillSeconds = (performance.now() - t0) / 1000;
    log(`${dialect}: backfill ${JSON.stringify(filled)} in ${round(backfillSeconds, 1)} s`);
    const digestBytes = await v.db.kysely
      .selectFrom('reports')
      .select((eb) => eb.fn.avg<number>(eb.fn('length', ['feature_digest'])).as('n'))
      .executeTakeFirstOrThrow();

    // The newest cases: what a handler opens.
    const asked = (
      await v.db.kysely
        .selectFrom('reports')
        .select('case_number')
        .orderBy('received_at', 'desc')
        .limit(20)
        .execute()
    ).map((r) => r.case_number);
    const deps = { db: v.db, sealer, clock: systemClock, access: v.services.access };
    // Same suggestions, as sets (copies of one report score within a hair of each other, so
    // their order can differ), and the same first suggestion.
    const agreement = { asked: asked.length, sameSuggestions: 0, sameFirst: 0 };
    for (const n of asked) {
      const a = (await v.services.similar.similar(caller, n)).similar.map((s) => s.caseNumber);
      const b = (await similarByText(deps, caller, n)).similar.map((s) => s.caseNumber);
      if (a[0] === b[0]) agreement.sameFirst++;
      if ([...a].sort().join() === [...b].sort().join()) agreement.sameSuggestions++;
    }
    log(`${dialect}: agreement ${JSON.stringify(agreement)}`);
    const digest = await measure(`${dialect} digests`, asked, plan.digestRequests, (n) =>
      v.services.similar.similar(caller, n),
    );
    const text = await measure(`${dialect} text`, asked, plan.textRequests, (n) =>
      similarByText(deps, caller, n),
    );
    return {
      seedSeconds,
      stored: { ...stored, averageDigestBytes: Math.round(Number(digestBytes.n)) },
      backfill: {
        ...filled,
        seconds: round(backfillSeconds, 1),
        perSecond: round(filled.written / backfillSeconds, 0),
      },
      rankingAgreement: agreement,
      similar: { after: digest, before: text },
      speedupP50: round(text.p50Ms / digest.p50Ms, 1),
    };
  } finally {
    await v.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (schema) await dropSchema(schema);
  }
}

runDialectBench(
  'similar',
  {
    cases: plan.cases,
    programs: 1,
    wordsPerCase: plan.wordsPerCase,
    casesPerTopic: plan.perTopic,
    requests: { after: plan.digestRequests, before: plan.textRequests, warmup: plan.warmup },
    via: 'services.similar.similar (after) and similarByText (before), sequential, admin caller',
  },
  runDialect,
);
