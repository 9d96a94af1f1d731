/**
 * The server half of the large-upload memory benchmark (started by bench/intake.ts in its own
 * process, so the client's buffers never count against the server's RSS).
 *
 * Protocol, one JSON document per line:
 *   stdout: {"event":"ready","port":N,"slug":"...","fields":{…}}   once Vigil listens
 *   stdin:  "begin"  → take the baseline and start tracking the peak
 *   stdin:  "end"    → stdout: {"event":"result", ...}, then shut down and exit
 * Everything else (diagnostics) goes to stderr.
 *
 * Only Node built-ins are imported statically, so the RSS of the bare runtime (Node plus the
 * tsx loader) can be read before Vigil's own modules are loaded.
 */
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { vigilModule } from './built-child.js';
import { BENCH_POW_OFF } from './vigil-env.js';

const runtimeRss = process.memoryUsage().rss;

/** Resident memory by kind (Linux): anonymous (heaps, buffers) and file-backed (the node binary, libraries). */
function residentKinds(): { anonBytes: number; fileBytes: number } | undefined {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kib = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { anonBytes: kib('RssAnon'), fileBytes: kib('RssFile') };
  } catch {
    return undefined;
  }
}

const MiB = 1024 * 1024;
const SAMPLE_EVERY_MS = 20;

const send = (msg: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(msg)}\n`);

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await dirBytes(p);
    else if (entry.isFile()) total += (await fs.stat(p)).size;
  }
  return total;
}

async function main(): Promise<void> {
  // The compiled build is what `npm start` runs; the sources (through tsx) are the fallback
  // (spawnServerChild chose, vigilModule follows).
  const { loadConfig } = await vigilModule<typeof import('../src/config/index.js')>('config/index.js');
  const { createVigil } = await vigilModule<typeof import('../src/server.js')>('server.js');

  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-bench-rss-'));
  const config = loadConfig({
    VIGIL_DATA_DIR: dataDir,
    VIGIL_RATE_LIMIT_PER_MINUTE: '0',
    ...BENCH_POW_OFF,
    VIGIL_MAX_FILE_BYTES: String(300 * MiB),
    VIGIL_MAX_REPORT_BYTES: String(300 * MiB),
    VIGIL_PUBLIC_URL: 'http://127.0.0.1',
    VIGIL_WORKER: 'false',
    LOG_LEVEL: 'silent',
  });
  const vigil = await createVigil(config, { logger: false, worker: false });
  await vigil.app.listen({ port: 0, host: '127.0.0.1' });
  // An instance just started, before any request: what `npm start` holds once it listens.
  const started = { rssBytes: process.memoryUsage().rss, ...residentKinds() };
  const address = vigil.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const programs = await vigil.services.programs.list();
  const program = programs.find((p) => p.definition.intake.web && p.definition.form.attachments.allowed);
  if (!program) throw new Error('no program takes web reports with attachments');

  let tracking = false;
  let ending = false;
  let baseline = 0;
  let baselineMemory = process.memoryUsage();
  let startedAt = 0;
  // [ms since begin, rss bytes]
  const samples: [number, number][] = [];
  // Where the memory is at the RSS peak: the JS heap, and buffers outside it.
  let atPeak: Record<string, number> = { heapUsed: 0, external: 0, arrayBuffers: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    if (samples.every(([, rss]) => rss < m.rss))
      atPeak = {
        heapUsed: m.heapUsed,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
        ...residentKinds(),
      };
    samples.push([performance.now() - startedAt, m.rss]);
  };
  let timer: NodeJS.Timeout | undefined;

  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const cmd = line.trim();
    if (cmd === 'begin') {
      baselineMemory = process.memoryUsage();
      baseline = baselineMemory.rss;
      samples.length = 0;
      startedAt = performance.now();
      tracking = true;
      sample();
      timer = setInterval(sample, SAMPLE_EVERY_MS);
      send({ event: 'begun' });
    } else if (cmd === 'end' && tracking) {
      tracking = false;
      ending = true;
      if (timer) clearInterval(timer);
      sample();
      const trackedMs = performance.now() - startedAt;
      const peakOf = (from: number, to: number) =>
        samples.filter(([t]) => t >= from && t <= to).reduce((m, [, rss]) => Math.max(m, rss), 0);
      void (async () => {
        const stored = await dirBytes(path.join(dataDir, 'blobs')).catch(() => 0);
        send({
          event: 'result',
          runtimeRssBytes: runtimeRss,
          baselineRssBytes: baseline,
          peakRssBytes: peakOf(0, trackedMs),
          // If memory grew with the bytes received, the second half would peak well above the first.
          peakFirstHalfRssBytes: peakOf(0, trackedMs / 2),
          peakSecondHalfRssBytes: peakOf(trackedMs / 2, trackedMs),
          // Kernel high-water mark for the whole process life (KiB → bytes): catches spikes
          // shorter than the sampling interval, but also includes start-up.
          maxRssBytes: process.resourceUsage().maxRSS * 1024,
          samples: samples.length,
          atPeakHeapUsedBytes: atPeak.heapUsed,
          atPeakExternalBytes: atPeak.external,
          atPeakArrayBuffersBytes: atPeak.arrayBuffers,
          atPeakAnonBytes: atPeak.anonBytes,
          atPeakFileBytes: atPeak.fileBytes,
          startedRssBytes: started.rssBytes,
          startedAnonBytes: started.anonBytes,
          startedFileBytes: started.fileBytes,
          baselineHeapUsedBytes: baselineMemory.heapUsed,
          baselineExternalBytes: baselineMemory.external,
          sampleEveryMs: SAMPLE_EVERY_MS,
          trackedMs,
          blobBytesOnDisk: stored,
        });
        lines.close();
        await vigil.close();
        await fs.rm(dataDir, { recursive: true, force: true });
        process.exit(0);
      })();
    }
  });

  // The parent has gone away without saying "end": clean up rather than linger.
  lines.on('close', () => {
    if (ending) return;
    void vigil
      .close()
      .then(() => fs.rm(dataDir, { recursive: true, force: true }))
      .finally(() => process.exit(1));
  });

  send({
    event: 'ready',
    port: address.port,
    slug: program.slug,
    program: {
      id: program.id,
      slug: program.slug,
      revision: program.revision,
      definition: program.definition,
    },
  });
}

main().catch((err: unknown) => {
  process.stderr.write(
    `upload-rss-server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
