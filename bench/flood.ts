/**
 * Flood benchmark: while junk reports arrive at a steady rate from many addresses (each within the
 * shipped per-address limit, as a botnet would send them), does the staff queue stay fast and is
 * a genuine report still accepted quickly? Measured first on a quiet instance (the baseline) and
 * then during the flood, in the same run.
 *
 *   npm run bench:flood                              (≈90 s: 15 s quiet, 60 s flood at 50/s)
 *   BENCH_FLOOD_RATE=20 BENCH_FLOOD_SECONDS=30 npm run bench:flood
 *
 * Vigil runs in a child process (flood-server.ts; the compiled build when `dist/` exists) with the
 * shipped limits and `VIGIL_TRUST_PROXY=true`, so each request's X-Forwarded-For is its sender.
 * Progress on stderr, one JSON document on stdout. Timing never fails the run; only a genuine
 * report that is not accepted does (exit status 1).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Program } from '../src/programs/index.js';
import { validAnswers } from '../test/helpers/reports.js';
import { spawnServerChild } from './built-child.js';
import { childMessages } from './child-messages.js';
import { percentile } from './dialect-bench.js';
import { benchVigilEnv } from './vigil-env.js';

const PROGRAM = 'lakeside-health';
const RATE = Number(process.env.BENCH_FLOOD_RATE ?? 50);
const FLOOD_SECONDS = Number(process.env.BENCH_FLOOD_SECONDS ?? 60);
const QUIET_SECONDS = Number(process.env.BENCH_QUIET_SECONDS ?? 15);
/** The staff queue is read this often (a console open on the queue, refreshing). */
const QUEUE_EVERY_MS = 100;
/** A genuine report this often, each from its own address. */
const GENUINE_EVERY_MS = 2000;
/** Junk requests in flight at most; past it the flood counts what it could not send. */
const MAX_IN_FLIGHT = 256;

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

interface Answer {
  status: number;
  ms: number;
}

function request(
  agent: http.Agent,
  port: number,
  opts: { method: string; path: string; headers: Record<string, string>; body?: string },
): Promise<Answer> {
  const start = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, agent, method: opts.method, path: opts.path, headers: opts.headers },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }));
      },
    );
    req.on('error', () => resolve({ status: 0, ms: performance.now() - start }));
    req.end(opts.body);
  });
}

function latency(answers: Answer[]) {
  const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
  return {
    count: ms.length,
    p50: round(percentile(ms, 50)),
    p99: round(percentile(ms, 99)),
    max: round(ms.at(-1) ?? 0),
  };
}

function statuses(answers: Answer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) out[String(a.status)] = (out[String(a.status)] ?? 0) + 1;
  return out;
}

/** One phase: the queue poller and genuine reports for `seconds`, with junk at `rate` per second. */
async function phase(port: number, token: string, program: Program, seconds: number, rate: number) {
  const agents = {
    queue: new http.Agent({ keepAlive: true, maxSockets: 1 }),
    genuine: new http.Agent({ keepAlive: true, maxSockets: 1 }),
    junk: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  };
  const reportPath = `/api/v1/programs/${program.slug}/reports`;
  const json = (body: unknown, from: string) => ({
    'content-type': 'application/json',
    'x-forwarded-for': from,
    body: JSON.stringify(body),
  });
  const queue: Answer[] = [];
  const genuine: Answer[] = [];
  const junk: Answer[] = [];
  let junkSkipped = 0;
  let inFlight = 0;
  let genuineSeq = 0;
  let junkSeq = 0;
  const end = performance.now() + seconds * 1000;
  const pending: Promise<unknown>[] = [];

  const queueLoop = (async () => {
    while (performance.now() < end) {
      const t = performance.now();
      queue.push(
        await request(agents.queue, port, {
          method: 'GET',
          path: '/api/v1/reports',
          headers: { authorization: `Bearer ${token}` },
        }),
      );
      await new Promise((r) => setTimeout(r, Math.max(0, QUEUE_EVERY_MS - (performance.now() - t))));
    }
  })();
  const genuineLoop = (async () => {
    while (performance.now() < end) {
      const t = performance.now();
      genuineSeq++;
      const from = `198.51.100.${genuineSeq % 250}`;
      const text = `Genuine report ${genuineSeq}: the pump's service port accepts any password. `.repeat(4);
      const { body, ...headers } = json(
        { fields: validAnswers(program, text, 'finder@researcher.example') },
        from,
      );
      genuine.push(await request(agents.genuine, port, { method: 'POST', path: reportPath, headers, body }));
      await new Promise((r) => setTimeout(r, Math.max(0, GENUINE_EVERY_MS - (performance.now() - t))));
    }
  })();
  if (rate > 0) {
    // Open loop: junk is sent on schedule whether or not earlier junk was answered.
    const start = performance.now();
    while (performance.now() < end) {
      const due = Math.floor(((performance.now() - start) / 1000) * rate);
      while (junkSeq < due) {
        junkSeq++;
        if (inFlight >= MAX_IN_FLIGHT) {
          junkSkipped++;
          continue;
        }
        const from = `10.${(junkSeq >> 16) & 255}.${(junkSeq >> 8) & 255}.${junkSeq & 255}`;
        const { body, ...headers } = json({ fields: validAnswers(program, `asdf ${junkSeq} lorem`) }, from);
        inFlight++;
        pending.push(
          request(agents.junk, port, { method: 'POST', path: reportPath, headers, body }).then((a) => {
            inFlight--;
            junk.push(a);
          }),
        );
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  await Promise.all([queueLoop, genuineLoop, ...pending]);
  for (const a of Object.values(agents)) a.destroy();
  return {
    seconds,
    junk: {
      sent: junk.length,
      skippedAtInFlightCap: junkSkipped,
      statuses: statuses(junk),
      latencyMs: latency(junk),
    },
    queue: { statuses: statuses(queue), latencyMs: latency(queue) },
    genuine: { statuses: statuses(genuine), latencyMs: latency(genuine) },
  };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-flood-'));
  const env: Record<string, string> = {
    ...benchVigilEnv(dataDir),
    VIGIL_TRUST_PROXY: 'true',
    BENCH_PROGRAM: PROGRAM,
  };
  // The shipped per-address submission limit, not the benches' "off".
  delete env.VIGIL_RATE_LIMIT_PER_MINUTE;
  const { child, built } = await spawnServerChild('flood-server.ts', {
    VIGIL_BENCH_ENV: JSON.stringify(env),
  });
  const { next } = childMessages(child, 'flood-server');
  try {
    const ready = await next('ready');
    const port = Number(ready.port);
    const token = String(ready.token);
    const program = ready.program as Program;
    // Warm the code paths, then measure.
    await phase(port, token, program, 3, 0);
    child.stdin?.write('begin\n');
    await next('begun');
    log(
      `quiet: ${QUIET_SECONDS} s, queue every ${QUEUE_EVERY_MS} ms, a genuine report every ${GENUINE_EVERY_MS} ms`,
    );
    const quiet = await phase(port, token, program, QUIET_SECONDS, 0);
    log(`flood: ${FLOOD_SECONDS} s of junk at ${RATE}/s from a new address each`);
    const flood = await phase(port, token, program, FLOOD_SECONDS, RATE);
    child.stdin?.write('end\n');
    const rss = await next('result');
    const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 2) : null);
    const genuineRefused = Object.entries(flood.genuine.statuses).filter(([s]) => s !== '201');
    process.stdout.write(
      `${JSON.stringify(
        {
          server: built ? 'compiled build (dist/), as npm start runs it' : 'sources through tsx (no build)',
          machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
          date: new Date().toISOString(),
          plan: {
            junkPerSecond: RATE,
            floodSeconds: FLOOD_SECONDS,
            quietSeconds: QUIET_SECONDS,
            program: PROGRAM,
          },
          quiet,
          flood: {
            ...flood,
            junkAcceptedPerSecond: round((flood.junk.statuses['201'] ?? 0) / FLOOD_SECONDS),
          },
          floodOverQuiet: {
            queueP99: ratio(flood.queue.latencyMs.p99, quiet.queue.latencyMs.p99),
            genuineP99: ratio(flood.genuine.latencyMs.p99, quiet.genuine.latencyMs.p99),
          },
          rssMiB: {
            baseline: round(Number(rss.baselineBytes) / 2 ** 20),
            peak: round(Number(rss.peakBytes) / 2 ** 20),
          },
          reportsStored: rss.reports,
        },
        null,
        2,
      )}\n`,
    );
    if (genuineRefused.length > 0) {
      log(`genuine reports not accepted: ${JSON.stringify(genuineRefused)}`);
      process.exitCode = 1;
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
