/**
 * The PHI guard and the event loop: how long the main thread stalls while a pathological 2 MiB
 * report is scanned, with the worker pool (as intake runs it) and without it (the detector on
 * the main thread, as intake ran it before).
 *
 *   npm run bench:phi-eventloop      (≈20–60 seconds; progress on stderr, one JSON document on stdout)
 *
 * An in-process instance on a temporary SQLite data directory, with a scan budget of 120 s so
 * the scan finishes. The report's description is 2 MiB of "DOB 01/02/1960 " — dates of birth
 * with no name beside them, the name/date pairing's worst case when this bench was written
 * (PHI_EVENTLOOP_TEXT=<file> scans another text instead).
 *  - withPool: the report submitted through the JSON API; the event loop's delay (perf_hooks
 *    monitorEventLoopDelay, 10 ms resolution) from submission to its answer, and how many
 *    /healthz probes (one every 20 ms, each awaited) were answered meanwhile.
 *  - withoutPool: the same text through `detectPhi` on the main thread, with the same monitor and
 *    probes (the probes cannot run until the scan ends: that is the stall).
 * Figures are ms: p50, p99 and max of the loop's delay, and the scan's wall time.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/index.js';
import { detectPhi } from '../src/privacy/index.js';
import { createVigil } from '../src/server.js';
import { validAnswers } from '../test/helpers/reports.js';
import { BENCH_POW_OFF } from './vigil-env.js';

const MiB = 1024 * 1024;
const log = (msg: string) => process.stderr.write(`[bench:phi-eventloop] ${msg}\n`);
const ms = (ns: number) => Math.round(ns / 1e4) / 100;

const text = process.env.PHI_EVENTLOOP_TEXT
  ? await fs.readFile(process.env.PHI_EVENTLOOP_TEXT, 'utf8')
  : 'DOB 01/02/1960 '.repeat(Math.ceil((2 * MiB) / 15)).slice(0, 2 * MiB);

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-bench-eventloop-'));
const vigil = await createVigil(
  loadConfig({
    VIGIL_DATA_DIR: dataDir,
    VIGIL_RATE_LIMIT_PER_MINUTE: '0',
    ...BENCH_POW_OFF,
    VIGIL_PUBLIC_URL: 'https://vigil.bench',
    VIGIL_MAX_FIELD_BYTES: String(4 * MiB),
    VIGIL_SCAN_BUDGET_MS: '120000',
    LOG_LEVEL: 'warn',
  }),
  { logger: false, worker: false },
);

/** Run `work` under the delay monitor while /healthz is probed every 20 ms. */
async function measure(work: () => Promise<unknown>) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  let probing = true;
  let answered = 0;
  const probes = (async () => {
    while (probing) {
      const r = await vigil.app.inject({ method: 'GET', url: '/healthz' });
      if (probing && r.statusCode === 200) answered += 1;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  h.enable();
  // Let the monitor's timer run first: a stall is measured against its previous turn.
  await new Promise((r) => setTimeout(r, 50));
  const t = performance.now();
  let outcome: unknown;
  let wallMs: number;
  try {
    outcome = await work();
  } finally {
    wallMs = Math.round(performance.now() - t);
    // A stall is recorded when the monitor's timer next runs: give it a few turns before reading.
    await new Promise((r) => setTimeout(r, 50));
    h.disable();
    probing = false;
    await probes;
  }
  return {
    wallMs,
    loopDelayMs: { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) },
    healthzAnswered: answered,
    outcome,
  };
}

try {
  const program = await vigil.services.programs.get('northwind-medical');
  // Warm: the pool's worker and the routes, so neither start-up is measured.
  const submit = (fields: Record<string, string>) =>
    vigil.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${program.slug}/reports`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ fields: { ...validAnswers(program, 'placeholder'), ...fields } }),
    });
  const warm = await submit({});
  if (warm.statusCode !== 201) throw new Error(`the warm-up report was refused: ${warm.statusCode}`);
  detectPhi({ text: 'warm-up' });

  log(`scanning ${text.length} characters through the pool …`);
  const withPool = await measure(async () => {
    const res = await submit({ description: text });
    if (res.statusCode !== 201)
      throw new Error(`the report was refused: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return { status: res.statusCode };
  });
  log('scanning the same text on the main thread …');
  const withoutPool = await measure(async () => ({ findings: detectPhi({ text }).findings.length }));
  process.stdout.write(
    `${JSON.stringify(
      {
        input: { chars: text.length, kind: process.env.PHI_EVENTLOOP_TEXT ? 'file' : 'dob-run' },
        poolSize: vigil.services.scanPool.size,
        cpus: os.availableParallelism(),
        withPool,
        withoutPool,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await vigil.close();
  await fs.rm(dataDir, { recursive: true, force: true });
}
