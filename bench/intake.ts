/**
 * Intake benchmark: how many reports Vigil accepts per second over real HTTP, how that compares
 * with the raw cost of the same durable writes, and how much memory a very large upload takes.
 *
 *   npm run bench:intake            (≈1–3 minutes; progress on stderr, one JSON document on stdout)
 *
 * See bench/README.md for what each figure means.
 */
import { createHash, randomBytes, randomFillSync, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../src/config/index.js';
import type { Program } from '../src/programs/index.js';
import { createVigil } from '../src/server.js';
import { spawnServerChild } from './built-child.js';
import { childMessages } from './child-messages.js';
import { BENCH_POW_OFF } from './vigil-env.js';
import { answerBytes, multipartFrame, sizedAnswers } from './workload.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** What the benchmark sends and how much of it (kept small enough for ~1–3 minutes on 2 cores). */
const plan = {
  answerBytes: 4 * KiB,
  attachmentBytes: 100 * KiB,
  distinctBodies: 32,
  warmup: { concurrency: 8, requests: 60 },
  levels: [
    { concurrency: 1, requests: 300 },
    { concurrency: 16, requests: 1000 },
    { concurrency: 64, requests: 1000 },
  ],
  raw: { transactions: 2000 },
  largeUploadBytes: 200 * MiB,
  rssTargetBytes: 150 * MiB,
};

/**
 * Which parts run: `BENCH_INTAKE_PARTS=vigil` (or any comma list of vigil, raw, upload) runs
 * only those, e.g. under `node --cpu-prof`; the ratios need vigil and raw together.
 */
const parts = new Set((process.env.BENCH_INTAKE_PARTS ?? 'vigil,raw,upload').split(',').map((s) => s.trim()));

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const toMiB = (n: number) => round(n / MiB, 1);

// ---------------------------------------------------------------------------------------------
// Request bodies

interface PreparedBody {
  body: Buffer;
  contentType: string;
}

function prepareBodies(program: Program, count: number): PreparedBody[] {
  const out: PreparedBody[] = [];
  for (let i = 0; i < count; i++) {
    const answers = sizedAnswers(program, plan.answerBytes);
    const data = randomBytes(plan.attachmentBytes);
    const frame = multipartFrame(answers, { name: `poc-${i}.bin`, size: data.length });
    out.push({ body: Buffer.concat([frame.head, data, frame.tail]), contentType: frame.contentType });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// HTTP client (node:http with a keep-alive agent; undici is not a dependency of this project)

interface HttpResult {
  status: number;
  body: string;
}

function post(
  agent: http.Agent | undefined,
  port: number,
  urlPath: string,
  contentType: string,
  contentLength: number,
  body: Buffer | Readable,
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path: urlPath,
        method: 'POST',
        headers: { 'content-type': contentType, 'content-length': contentLength, accept: 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (Buffer.isBuffer(body)) req.end(body);
    else pipeline(body, req).catch(reject);
  });
}

// ---------------------------------------------------------------------------------------------
// Statistics

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

function latencySummary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((n, v) => n + v, 0) / Math.max(1, sorted.length);
  return {
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
    mean: round(mean),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

/** Busy and total CPU time of the whole machine from /proc/stat (Linux), in clock ticks. */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const t = line.trim().split(/\s+/).slice(1).map(Number);
    const total = t.reduce((n, v) => n + v, 0);
    // user nice system idle iowait irq softirq steal …: idle and iowait are not busy.
    return { busy: total - (t[3] ?? 0) - (t[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

/**
 * Start measuring CPU: the stop function returns the cores this process used and, on Linux,
 * the cores everything else on the machine used meanwhile (other work skews every figure).
 */
function cpuMeter() {
  const cores = os.cpus().length;
  const t0 = performance.now();
  const own0 = process.cpuUsage();
  const m0 = machineTicks();
  return () => {
    const wallMs = performance.now() - t0;
    const own = process.cpuUsage(own0);
    const ownCores = (own.user + own.system) / 1000 / wallMs;
    const m1 = machineTicks();
    const machineCores =
      m0 && m1 && m1.total > m0.total ? ((m1.busy - m0.busy) / (m1.total - m0.total)) * cores : undefined;
    return {
      cpuMs: (own.user + own.system) / 1000,
      cpuCores: round(ownCores),
      otherCpuCores: machineCores === undefined ? null : round(Math.max(0, machineCores - ownCores)),
    };
  };
}

// ---------------------------------------------------------------------------------------------
// 1. Vigil over HTTP

interface LevelResult {
  concurrency: number;
  requests: number;
  accepted: number;
  errors: number;
  errorSamples: string[];
  durationS: number;
  acceptedPerSec: number;
  latencyMs: ReturnType<typeof latencySummary>;
  /** Share of wall time the (shared client + server) event loop was busy. */
  eventLoopUtilization: number;
  /** Process CPU time (user + system, all threads) over wall time; 1.0 = one core. */
  cpuCores: number;
  /** CPU used by other processes meanwhile, in cores (Linux; null elsewhere). */
  otherCpuCores: number | null;
  /**
   * Process CPU (all threads, client included) per accepted submission, in ms: what one
   * submission costs, far less sensitive to other load than the rates.
   */
  cpuMsPerAccepted: number;
  /** Busy event-loop time per accepted submission, in ms (client included; inflated when starved of CPU). */
  loopBusyMsPerAccepted: number;
}

async function runLevel(
  port: number,
  urlPath: string,
  bodies: PreparedBody[],
  concurrency: number,
  requests: number,
): Promise<LevelResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let accepted = 0;
  let errors = 0;
  let next = 0;
  const elu0 = performance.eventLoopUtilization();
  const stopCpu = cpuMeter();
  const t0 = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= requests) return;
      const b = bodies[i % bodies.length] as PreparedBody;
      const start = performance.now();
      try {
        const res = await post(agent, port, urlPath, b.contentType, b.body.length, b.body);
        const ok = res.status === 201 && /"caseNumber"/.test(res.body);
        if (ok) {
          accepted++;
          latencies.push(performance.now() - start);
        } else {
          errors++;
          if (errorSamples.length < 5) errorSamples.push(`${res.status} ${res.body.slice(0, 200)}`);
        }
      } catch (err) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(err instanceof Error ? err.message : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - t0;
  const cpu = stopCpu();
  const elu = performance.eventLoopUtilization(elu0);
  agent.destroy();
  return {
    concurrency,
    requests,
    accepted,
    errors,
    errorSamples,
    durationS: round(wallMs / 1000, 3),
    acceptedPerSec: round(accepted / (wallMs / 1000), 1),
    latencyMs: latencySummary(latencies),
    eventLoopUtilization: round(elu.utilization, 3),
    cpuCores: cpu.cpuCores,
    otherCpuCores: cpu.otherCpuCores,
    cpuMsPerAccepted: round(cpu.cpuMs / Math.max(1, accepted)),
    loopBusyMsPerAccepted: round(elu.active / Math.max(1, accepted)),
  };
}

interface RowSample {
  report: Record<string, unknown>;
  attachment: Record<string, unknown>;
  audit: Record<string, unknown>;
  outbox: Record<string, unknown>;
  caseCounter: Record<string, unknown>;
}

interface StoredSizes {
  reportsPerSubmission: number;
  attachmentsPerSubmission: number;
  auditEntriesPerSubmission: number;
  outboxRowsPerSubmission: number;
  avgBytes: {
    contentSealed: number;
    contactSealed: number;
    nameSealed: number;
    payloadSealed: number;
    auditDetail: number;
  };
  blobFileBytes: number;
}

/** Read what the Vigil run actually stored, so the raw loop writes rows of the same shape and size. */
function inspectVigilDb(dataDir: string): { sample: RowSample; sizes: StoredSizes } {
  const db = new SQLite(path.join(dataDir, 'vigil.sqlite'), { readonly: true });
  try {
    const one = (q: string) => db.prepare(q).get() as Record<string, unknown>;
    const num = (q: string) => Number(Object.values(one(q))[0]);
    const reports = num('select count(*) from reports');
    const blobDir = path.join(dataDir, 'blobs');
    let blobBytes = 0;
    let blobCount = 0;
    for (const shard of fs.readdirSync(blobDir)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const f of fs.readdirSync(path.join(blobDir, shard))) {
        blobBytes += fs.statSync(path.join(blobDir, shard, f)).size;
        blobCount++;
      }
    }
    return {
      sample: {
        report: one('select * from reports order by rowid desc limit 1'),
        attachment: one('select * from attachments order by rowid desc limit 1'),
        audit: one('select * from audit_log order by seq desc limit 1'),
        outbox: one('select * from outbox order by rowid desc limit 1'),
        caseCounter: one('select * from case_counters limit 1'),
      },
      sizes: {
        reportsPerSubmission: 1,
        attachmentsPerSubmission: round(num('select count(*) from attachments') / reports, 2),
        auditEntriesPerSubmission: round(
          num(`select count(*) from audit_log where action = 'report.received'`) / reports,
          2,
        ),
        outboxRowsPerSubmission: round(num('select count(*) from outbox') / reports, 2),
        avgBytes: {
          contentSealed: Math.round(num('select avg(length(content_sealed)) from reports')),
          contactSealed: Math.round(num('select avg(length(contact_sealed)) from reports')),
          nameSealed: Math.round(num('select avg(length(name_sealed)) from attachments')),
          payloadSealed: Math.round(num('select avg(length(payload_sealed)) from outbox')),
          auditDetail: Math.round(num('select avg(length(detail)) from audit_log')),
        },
        blobFileBytes: Math.round(blobBytes / Math.max(1, blobCount)),
      },
    };
  } finally {
    db.close();
  }
}

async function benchVigil(opts: { levels?: typeof plan.levels } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-'));
  const config = loadConfig({
    VIGIL_DATA_DIR: dataDir,
    VIGIL_RATE_LIMIT_PER_MINUTE: '0',
    ...BENCH_POW_OFF,
    VIGIL_PUBLIC_URL: 'http://127.0.0.1',
    VIGIL_WORKER: 'false',
    LOG_LEVEL: 'silent',
  });
  const vigil = await createVigil(config, { logger: false, worker: false });
  let closed = false;
  try {
    await vigil.app.listen({ port: 0, host: '127.0.0.1' });
    const address = vigil.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const port = address.port;
    const programs = await vigil.services.programs.list();
    const program = programs.find((p) => p.definition.intake.web && p.definition.form.attachments.allowed);
    if (!program) throw new Error('no program takes web reports with attachments');
    const urlPath = `/api/v1/programs/${program.slug}/reports`;
    const bodies = prepareBodies(program, plan.distinctBodies);
    const sampleAnswers = sizedAnswers(program, plan.answerBytes);
    log(
      `Vigil listening on 127.0.0.1:${port}, program ${program.slug}, body ${bodies[0]?.body.length} bytes`,
    );

    log(`warm-up: ${plan.warmup.requests} requests at concurrency ${plan.warmup.concurrency}`);
    const warm = await runLevel(port, urlPath, bodies, plan.warmup.concurrency, plan.warmup.requests);
    if (warm.errors > 0) throw new Error(`warm-up failed: ${warm.errorSamples.join('; ')}`);

    const levels: LevelResult[] = [];
    for (const level of opts.levels ?? plan.levels) {
      log(`concurrency ${level.concurrency}: ${level.requests} requests…`);
      const r = await runLevel(port, urlPath, bodies, level.concurrency, level.requests);
      log(
        `  ${r.acceptedPerSec}/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, errors ${r.errors}`,
      );
      levels.push(r);
    }
    closed = true;
    await vigil.close();
    const stored = inspectVigilDb(dataDir);
    return {
      program: program.slug,
      answerBytes: answerBytes(sampleAnswers),
      answerFields: Object.keys(sampleAnswers).length,
      requestBytes: bodies[0]?.body.length ?? 0,
      warmupRequests: plan.warmup.requests,
      levels,
      stored,
    };
  } finally {
    if (!closed) await vigil.close().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// 2. The raw limit: the same rows with better-sqlite3 directly, same durability settings

const RAW_SCHEMA = `
  create table programs (id text primary key, slug text not null unique);
  create table case_counters (
    program_id text not null references programs(id), year integer not null,
    last_number integer not null, primary key (program_id, year));
  create table reports (
    id text primary key, program_id text not null references programs(id),
    case_number text not null unique, state text not null, channel text not null,
    language text not null, received_at text not null, deadlines text not null,
    acknowledge_by text not null, content_sealed blob not null, contact_sealed blob not null,
    reporter_token_hash text not null unique, created_at text not null, updated_at text not null);
  create index reports_received_idx on reports (received_at, id);
  create index reports_program_state_idx on reports (program_id, state, received_at);
  create table attachments (
    id text primary key, report_id text not null references reports(id), message_id text,
    blob_key text not null unique, name_sealed blob not null, content_type text not null,
    size bigint not null, sha256 text not null, created_at text not null);
  create index attachments_report_idx on attachments (report_id);
  create table outbox (
    id text primary key, kind text not null, payload_sealed blob not null, state text not null,
    attempts integer not null, next_attempt_at text not null, locked_until text, last_error text,
    report_id text references reports(id), created_at text not null, sent_at text);
  create index outbox_due_idx on outbox (state, next_attempt_at);
  create table audit_log (
    seq bigint primary key, at text not null, actor text not null, action text not null,
    program_id text, report_id text, detail text not null, prev_hash text not null, hash text not null);
  create index audit_report_idx on audit_log (report_id, seq);
  create table audit_head (id integer primary key, seq bigint not null, hash text not null);
`;

type FileMode = 'none' | 'fsync' | 'fsync+rename+dirfsync';

interface RawResult {
  transactions: number;
  durationS: number;
  perSec: number;
  latencyMs: ReturnType<typeof latencySummary>;
  otherCpuCores: number | null;
}

/**
 * One transaction per submission — counter upsert, report, attachment, audit entry (read head,
 * insert, update head), outbox row — each sealed column being random bytes of the size Vigil
 * stored. Optionally also write a file of the blob size per submission and fsync it (and, in
 * the last mode, publish it by rename and fsync the directory, as Vigil's blob store does).
 */
function rawLoop(sample: RowSample, sizes: StoredSizes, n: number, fileMode: FileMode): RawResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-raw-'));
  const db = new SQLite(path.join(dir, 'raw.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('secure_delete = ON');
    db.exec(RAW_SCHEMA);
    const programId = randomUUID();
    db.prepare('insert into programs (id, slug) values (?, ?)').run(programId, 'raw');
    db.prepare('insert into audit_head (id, seq, hash) values (1, 0, ?)').run('0'.repeat(64));

    const upsertCounter = db.prepare(
      `insert into case_counters (program_id, year, last_number) values (?, ?, 1)
       on conflict (program_id, year) do update set last_number = case_counters.last_number + 1
       returning last_number`,
    );
    const insertReport = db.prepare(
      `insert into reports (id, program_id, case_number, state, channel, language, received_at,
         deadlines, acknowledge_by, content_sealed, contact_sealed, reporter_token_hash, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertAttachment = db.prepare(
      `insert into attachments (id, report_id, message_id, blob_key, name_sealed, content_type, size, sha256, created_at)
       values (?, ?, null, ?, ?, ?, ?, ?, ?)`,
    );
    const readHead = db.prepare('select seq, hash from audit_head where id = 1');
    const insertAudit = db.prepare(
      `insert into audit_log (seq, at, actor, action, program_id, report_id, detail, prev_hash, hash)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const updateHead = db.prepare('update audit_head set seq = ?, hash = ? where id = 1');
    const insertOutbox = db.prepare(
      `insert into outbox (id, kind, payload_sealed, state, attempts, next_attempt_at, report_id, created_at)
       values (?, 'mail', ?, 'pending', 0, ?, ?, ?)`,
    );
    const r = sample.report;
    const a = sample.attachment;
    const au = sample.audit;
    const year = Number(sample.caseCounter.year);
    const av = sizes.avgBytes;
    const submit = db.transaction(() => {
      const now = new Date().toISOString();
      const seq = Number((upsertCounter.get(programId, year) as { last_number: number }).last_number);
      const reportId = randomUUID();
      insertReport.run(
        reportId,
        programId,
        `RAW-${year}-${String(seq).padStart(4, '0')}`,
        r.state,
        r.channel,
        r.language,
        now,
        r.deadlines,
        r.acknowledge_by,
        randomBytes(av.contentSealed),
        randomBytes(av.contactSealed),
        randomBytes(32).toString('base64url'),
        now,
        now,
      );
      insertAttachment.run(
        randomUUID(),
        reportId,
        randomBytes(16).toString('hex'),
        randomBytes(av.nameSealed),
        a.content_type,
        a.size,
        randomBytes(32).toString('hex'),
        now,
      );
      const head = readHead.get() as { seq: number; hash: string };
      const nextSeq = Number(head.seq) + 1;
      const detail = String(au.detail);
      const hash = createHash('sha256')
        .update(JSON.stringify([head.hash, nextSeq, now, au.actor, au.action, programId, reportId, detail]))
        .digest('hex');
      insertAudit.run(nextSeq, now, au.actor, au.action, programId, reportId, detail, head.hash, hash);
      updateHead.run(nextSeq, hash);
      insertOutbox.run(randomUUID(), randomBytes(av.payloadSealed), now, reportId, now);
    });

    const blob = randomBytes(sizes.blobFileBytes);
    const tmpDir = path.join(dir, 'tmp');
    const shardDir = path.join(dir, 'blobs');
    fs.mkdirSync(tmpDir);
    fs.mkdirSync(shardDir);
    const writeFile = (i: number) => {
      const tmp = path.join(tmpDir, `${i}.part`);
      const fd = fs.openSync(tmp, 'wx', 0o600);
      try {
        fs.writeSync(fd, blob);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      if (fileMode === 'fsync+rename+dirfsync') {
        fs.renameSync(tmp, path.join(shardDir, String(i)));
        const dfd = fs.openSync(shardDir, 'r');
        try {
          fs.fsyncSync(dfd);
        } finally {
          fs.closeSync(dfd);
        }
      }
    };

    const latencies: number[] = [];
    const stopCpu = cpuMeter();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      if (fileMode !== 'none') writeFile(i);
      submit();
      latencies.push(performance.now() - start);
    }
    const wallMs = performance.now() - t0;
    return {
      transactions: n,
      durationS: round(wallMs / 1000, 3),
      perSec: round(n / (wallMs / 1000), 1),
      latencyMs: latencySummary(latencies),
      otherCpuCores: stopCpu().otherCpuCores,
    };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Peak RSS while a 200 MB attachment streams in (server in a child process)

async function benchLargeUpload() {
  // The compiled server under plain node, as `npm start` runs it (the sources through tsx only
  // when there is no build).
  const { child, built } = await spawnServerChild('upload-rss-server.ts', {});
  const { next: nextMessage, exited } = childMessages(child, 'rss-server');

  try {
    const ready = await nextMessage('ready');
    const port = Number(ready.port);
    const urlPath = `/api/v1/programs/${String(ready.slug)}/reports`;
    const fields = sizedAnswers(ready.program as Parameters<typeof sizedAnswers>[0], 4 * 1024);

    // A small submission first, so lazily loaded code is in the baseline, not in the peak.
    const small = multipartFrame(fields, { name: 'warm.bin', size: 1024 });
    const warm = await post(
      undefined,
      port,
      urlPath,
      small.contentType,
      small.contentLength,
      Buffer.concat([small.head, randomBytes(1024), small.tail]),
    );
    if (warm.status !== 201)
      throw new Error(`warm-up upload failed: ${warm.status} ${warm.body.slice(0, 200)}`);

    child.stdin?.write('begin\n');
    await nextMessage('begun');
    const size = plan.largeUploadBytes;
    const frame = multipartFrame(fields, { name: 'capture.pcap', size });
    function* body() {
      yield frame.head;
      const chunk = 64 * KiB;
      for (let sent = 0; sent < size; sent += chunk) {
        // A fresh buffer each time: the socket may still hold the previous one.
        yield randomFillSync(Buffer.allocUnsafe(Math.min(chunk, size - sent)));
      }
      yield frame.tail;
    }
    log(`large upload: streaming ${toMiB(size)} MiB…`);
    const t0 = performance.now();
    const res = await post(
      undefined,
      port,
      urlPath,
      frame.contentType,
      frame.contentLength,
      Readable.from(body(), { objectMode: false }),
    );
    const ms = performance.now() - t0;
    child.stdin?.write('end\n');
    const result = await nextMessage('result');
    await exited;
    const mib = (k: string) => toMiB(Number(result[k]));
    const peak = Math.max(Number(result.peakRssBytes), Number(result.maxRssBytes));
    const out = {
      attachmentBytes: size,
      // The compiled build under plain node (as `npm start`), else the sources through tsx.
      compiledBuild: built,
      status: res.status,
      accepted: res.status === 201,
      error: res.status === 201 ? undefined : res.body.slice(0, 300),
      durationS: round(ms / 1000, 2),
      throughputMiBPerSec: round(size / MiB / (ms / 1000), 1),
      runtimeRssMiB: mib('runtimeRssBytes'),
      // Once listening, before any request (an instance just started), then anonymous and
      // file-backed (the node binary's pages) parts of it.
      startedRssMiB: mib('startedRssBytes'),
      startedAnonMiB: mib('startedAnonBytes'),
      startedFileMiB: mib('startedFileBytes'),
      baselineRssMiB: mib('baselineRssBytes'),
      peakRssMiB: mib('peakRssBytes'),
      peakAboveBaselineMiB: toMiB(Number(result.peakRssBytes) - Number(result.baselineRssBytes)),
      peakFirstHalfRssMiB: mib('peakFirstHalfRssBytes'),
      peakSecondHalfRssMiB: mib('peakSecondHalfRssBytes'),
      maxRssMiB: mib('maxRssBytes'),
      // Where the memory is: JS heap and buffers outside it, at baseline and at the peak sample.
      baselineHeapUsedMiB: mib('baselineHeapUsedBytes'),
      baselineExternalMiB: mib('baselineExternalBytes'),
      atPeakHeapUsedMiB: mib('atPeakHeapUsedBytes'),
      atPeakExternalMiB: mib('atPeakExternalBytes'),
      atPeakArrayBuffersMiB: mib('atPeakArrayBuffersBytes'),
      atPeakAnonMiB: mib('atPeakAnonBytes'),
      atPeakFileMiB: mib('atPeakFileBytes'),
      rssSamples: Number(result.samples),
      sampleEveryMs: Number(result.sampleEveryMs),
      blobBytesOnDisk: Number(result.blobBytesOnDisk),
      targetPeakRssMiB: toMiB(plan.rssTargetBytes),
      underTarget: peak < plan.rssTargetBytes,
    };
    log(
      `  ${out.throughputMiBPerSec} MiB/s, RSS runtime ${out.runtimeRssMiB}, started ${out.startedRssMiB}, idle Vigil ${out.baselineRssMiB} → peak ${out.peakRssMiB} MiB`,
    );
    return out;
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const environment = {
    node: process.version,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    availableParallelism: os.availableParallelism(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemoryMiB: toMiB(os.totalmem()),
    tmpdir: os.tmpdir(),
    date: new Date().toISOString(),
  };
  log(`Node ${environment.node} on ${environment.cpuModel} (${environment.cores} cores)`);

  const vigil = parts.has('vigil') ? await benchVigil() : undefined;

  let raw: { dbOnly: RawResult; dbPlusFile: RawResult; dbPlusDurableFile: RawResult } | undefined;
  if (parts.has('raw')) {
    log(`raw better-sqlite3 loop: ${plan.raw.transactions} transactions per variant…`);
    // The raw loop copies the rows Vigil stored; without a Vigil run, a short one provides them.
    const { sample, sizes } = vigil?.stored ?? (await benchVigil({ levels: [] })).stored;
    const dbOnly = rawLoop(sample, sizes, plan.raw.transactions, 'none');
    log(`  DB only: ${dbOnly.perSec}/s`);
    const dbPlusFile = rawLoop(sample, sizes, plan.raw.transactions, 'fsync');
    log(`  DB + fsynced file: ${dbPlusFile.perSec}/s`);
    const dbPlusDurableFile = rawLoop(sample, sizes, plan.raw.transactions, 'fsync+rename+dirfsync');
    log(`  DB + fsynced file + rename + directory fsync: ${dbPlusDurableFile.perSec}/s`);
    raw = { dbOnly, dbPlusFile, dbPlusDurableFile };
  }

  const largeUpload = parts.has('upload') ? await benchLargeUpload() : undefined;

  const ratio = (x: number, y: number) => round(x / y, 3);
  const vigilVsRaw =
    vigil && raw
      ? Object.fromEntries(
          vigil.levels.map((l) => [
            `c${l.concurrency}`,
            {
              vigilPerSec: l.acceptedPerSec,
              ofRawDbOnly: ratio(l.acceptedPerSec, raw.dbOnly.perSec),
              ofRawDbPlusFile: ratio(l.acceptedPerSec, raw.dbPlusFile.perSec),
              ofRawDbPlusDurableFile: ratio(l.acceptedPerSec, raw.dbPlusDurableFile.perSec),
            },
          ]),
        )
      : undefined;

  const totalErrors =
    (vigil?.levels.reduce((n, l) => n + l.errors, 0) ?? 0) + (largeUpload && !largeUpload.accepted ? 1 : 0);
  const result = {
    benchmark: 'vigil-intake',
    environment,
    workload: vigil && {
      transport: 'multipart/form-data over HTTP/1.1 keep-alive (node:http), client in the server process',
      endpoint: 'POST /api/v1/programs/:slug/reports',
      program: vigil.program,
      answerFields: vigil.answerFields,
      answerBytes: vigil.answerBytes,
      attachments: 1,
      attachmentBytes: plan.attachmentBytes,
      requestBytes: vigil.requestBytes,
      warmupRequests: vigil.warmupRequests,
      database: 'SQLite, WAL, synchronous=FULL',
    },
    vigil: vigil && {
      levels: vigil.levels,
      storedPerSubmission: vigil.stored.sizes,
    },
    raw: raw && {
      description:
        'better-sqlite3, WAL, synchronous=FULL, one transaction per submission with the same rows and sizes; sequential loop',
      dbOnly: raw.dbOnly,
      dbPlusFsyncedFile: raw.dbPlusFile,
      dbPlusFsyncedFileRenameDirFsync: raw.dbPlusDurableFile,
    },
    vigilVsRaw,
    largeUpload,
    totalErrors,
    benchSeconds: round((performance.now() - started) / 1000, 1),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (totalErrors > 0) {
    log(`${totalErrors} request(s) failed; see errorSamples`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
