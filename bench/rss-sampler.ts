/**
 * Peak-RSS measurement for the PGP benchmark, shared by bench/pgp.ts and its server child.
 *
 * `process.memoryUsage.rss()` is sampled every `everyMs` from a worker thread: RSS is per process,
 * so the worker sees the main thread's memory, and unlike a timer on the main thread it keeps
 * sampling while the main thread is busy in a long synchronous step (base64 decoding, MIME parsing,
 * a cipher over a whole buffer). On Linux the kernel's high-water mark (VmHWM) is also reset when
 * sampling starts and read when it stops, which catches spikes between two samples.
 *
 * Only Node built-ins are imported, so the server child can still read the bare runtime's RSS
 * before Vigil's own modules are loaded.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';

export interface RssWindow {
  /** RSS when sampling started (the worker already running). */
  baselineBytes: number;
  /** Highest sampled RSS in the window. */
  peakBytes: number;
  peakFirstHalfBytes: number;
  peakSecondHalfBytes: number;
  /** Kernel high-water mark over exactly this window (Linux), else null. */
  kernelPeakBytes: number | null;
  samples: number;
  sampleEveryMs: number;
  windowMs: number;
}

// Runs as a CommonJS script inside the worker (eval mode), so it needs no loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const t0 = performance.now();
const samples = [];
const take = () => samples.push([performance.now() - t0, process.memoryUsage.rss()]);
take();
const timer = setInterval(take, workerData.everyMs);
parentPort.on('message', (msg) => {
  if (msg !== 'stop') return;
  clearInterval(timer);
  take();
  parentPort.postMessage(samples);
  parentPort.close();
});
parentPort.postMessage('ready');
`;

function readHwmBytes(): number | null {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Reset the kernel's peak-RSS mark to the current RSS (Linux ≥ 4.0); false where unsupported. */
function resetHwm(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Start sampling; `stop()` ends the window and summarises it. */
export async function startRssSampler(everyMs = 20): Promise<{ stop(): Promise<RssWindow> }> {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { everyMs } });
  const messages: unknown[] = [];
  const waiting: ((m: unknown) => void)[] = [];
  worker.on('message', (m: unknown) => {
    const w = waiting.shift();
    if (w) w(m);
    else messages.push(m);
  });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      const m = messages.shift();
      if (m !== undefined) return resolve(m);
      waiting.push(resolve);
      worker.once('error', reject);
    });
  if ((await next()) !== 'ready') throw new Error('the RSS sampler did not start');
  const hwm = resetHwm();
  const baselineBytes = process.memoryUsage.rss();
  const t0 = performance.now();
  return {
    async stop() {
      worker.postMessage('stop');
      const samples = (await next()) as [number, number][];
      const windowMs = performance.now() - t0;
      const kernelPeakBytes = hwm ? readHwmBytes() : null;
      await worker.terminate();
      const peakOf = (from: number, to: number) =>
        samples.filter(([t]) => t >= from && t <= to).reduce((m, [, rss]) => Math.max(m, rss), 0);
      const end = samples[samples.length - 1]?.[0] ?? windowMs;
      return {
        baselineBytes,
        peakBytes: Math.max(baselineBytes, peakOf(0, end)),
        peakFirstHalfBytes: peakOf(0, end / 2),
        peakSecondHalfBytes: peakOf(end / 2, end),
        kernelPeakBytes,
        samples: samples.length,
        sampleEveryMs: everyMs,
        windowMs,
      };
    },
  };
}
