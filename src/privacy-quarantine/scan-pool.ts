import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PhiDetectOptions, PhiInput, PhiResult } from '../privacy/index.js';
import type { ScanAnswer, ScanRequest } from './scan-worker.js';

/**
 * The PHI guard's worker pool: detection on arrival runs here, never on the main thread, so a
 * report shaped to make the detector slow stalls one worker and not every request of the
 * instance (health checks, sign-in, other reporters).
 *
 * A job is the inputs of one arrival that go together (its text parts, or one attachment's
 * bytes) and carries a deadline, the submission's budget. A job still queued at its deadline is
 * not started; a job still running at its deadline has its worker terminated (a synchronous
 * detector cannot be interrupted any other way) and replaced on the next job. Either way the
 * inputs it did not finish come back as `undefined` — "not checked" — and the caller holds them
 * as it would PHI: nothing passes unscanned.
 *
 * Workers start on first use and do not keep the process alive while idle; one left idle for
 * `idleMs` (a minute by default) is stopped, giving back the memory of its isolate (about 14 MiB
 * of RSS), and the next job starts a new one. The worker file is
 * resolved as the CSAF validator's is (src/disclosure/artefacts-validator.ts): from the build it
 * is the compiled `scan-worker.js` next to this file; from the sources (tsx, vitest) a `data:`
 * bootstrap loads `scan-worker.ts` through tsx, whose loader a worker does not otherwise inherit.
 */

/** Per-input results of a job, in input order; `undefined` where the input was not checked. */
export type ScanResults = (PhiResult | undefined)[];

export interface ScanPool {
  /** Detect PHI in each input before `deadline` (epoch ms); inputs not checked by then are `undefined`. */
  scan(inputs: PhiInput[], options: PhiDetectOptions, deadline: number): Promise<ScanResults>;
  /** Terminate the workers; jobs still pending resolve as not checked. */
  close(): Promise<void>;
  readonly size: number;
  /** Workers started now (they start on first use and stop after `idleMs` without a job). */
  readonly started: number;
}

export interface ScanPoolOptions {
  /** Worker threads; default one per CPU beyond the main thread's, at least 1 and at most 4. */
  size?: number;
  /** Another worker file (tests use one that waits on a signal); default scan-worker.ts/.js. */
  workerUrl?: URL;
  /** Stop a worker that has had no job for this long, in ms (default 60 s; 0 keeps it). */
  idleMs?: number;
}

/** How long a worker waits for its next job before it is stopped, unless told otherwise. */
export const DEFAULT_IDLE_MS = 60_000;

/** The PHI guard's time for one submission unless `limits.scanBudgetMs` says otherwise. */
export const DEFAULT_SCAN_BUDGET_MS = 10_000;

/** Workers by default: the CPUs the main thread does not need, between 1 and 4. */
export const defaultScanWorkers = (): number => Math.max(1, Math.min(4, availableParallelism() - 1));

interface Job {
  id: number;
  inputs: PhiInput[];
  options: PhiDetectOptions;
  deadline: number;
  results: ScanResults;
  resolve: (r: ScanResults) => void;
  timer?: NodeJS.Timeout;
  slot?: Slot;
}

interface Slot {
  worker?: Worker;
  job?: Job;
  idle?: NodeJS.Timeout;
}

const fromSources = import.meta.url.endsWith('.ts');

function workerFor(url: URL | undefined): Worker {
  const entry = url ?? new URL(`./scan-worker.${fromSources ? 'ts' : 'js'}`, import.meta.url);
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(
    /\.cjs$/,
    '.mjs',
  );
  const boot = `const { tsImport } = await import(${JSON.stringify(tsx)});
await tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}

/**
 * Bytes go to the worker without a copy when the view owns its whole buffer (a decrypted
 * attachment does); a view into a shared buffer (Node's small-buffer pool) is copied, as
 * transferring it would detach memory that other buffers use.
 */
function transferables(inputs: PhiInput[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const input of inputs) {
    if (!('bytes' in input)) continue;
    const { buffer, byteOffset, byteLength } = input.bytes;
    if (
      buffer instanceof ArrayBuffer &&
      byteOffset === 0 &&
      byteLength === buffer.byteLength &&
      byteLength > 0
    )
      out.push(buffer);
  }
  return out;
}

/** Create the pool (once per instance; see services.ts). */
export function createScanPool(opts: ScanPoolOptions = {}): ScanPool {
  const size = Math.max(1, Math.floor(opts.size ?? defaultScanWorkers()));
  const idleMs = opts.idleMs ?? DEFAULT_IDLE_MS;
  const slots: Slot[] = Array.from({ length: size }, () => ({}));
  const queue: Job[] = [];
  let nextId = 0;
  let closed = false;

  function finish(job: Job) {
    if (job.timer) clearTimeout(job.timer);
    const at = queue.indexOf(job);
    if (at >= 0) queue.splice(at, 1);
    const slot = job.slot;
    if (slot?.job === job) {
      slot.job = undefined;
      slot.worker?.unref();
      if (idleMs > 0 && slot.worker) {
        slot.idle = setTimeout(() => {
          slot.idle = undefined;
          if (!slot.job) retire(slot);
        }, idleMs);
        slot.idle.unref();
      }
    }
    job.resolve(job.results);
  }

  /** Stop a slot's worker (its job over budget, failed, or the pool closing); the next job starts a new one. */
  function retire(slot: Slot) {
    const w = slot.worker;
    slot.worker = undefined;
    if (w) {
      w.removeAllListeners();
      w.on('error', () => {});
      void w.terminate();
    }
  }

  function spawn(slot: Slot): Worker {
    const w = workerFor(opts.workerUrl);
    w.on('message', (m: ScanAnswer | { ready: true }) => {
      const job = slot.job;
      if ('ready' in m || !job || m.id !== job.id) return;
      if ('done' in m) {
        finish(job);
        pump();
      } else if ('result' in m) job.results[m.index] = m.result;
    });
    const failed = () => {
      if (slot.worker !== w) return;
      retire(slot);
      const job = slot.job;
      if (job) finish(job);
      pump();
    };
    w.on('error', failed);
    w.on('exit', failed);
    w.unref();
    return w;
  }

  function pump() {
    for (const slot of slots) {
      if (closed || queue.length === 0) return;
      if (slot.job) continue;
      const job = queue.shift() as Job;
      let worker: Worker;
      try {
        worker = slot.worker ?? spawn(slot);
      } catch {
        // No worker can be started: the job is not checked, and so held.
        finish(job);
        continue;
      }
      if (slot.idle) clearTimeout(slot.idle);
      slot.idle = undefined;
      slot.worker = worker;
      slot.job = job;
      job.slot = slot;
      worker.ref();
      const request: ScanRequest = { id: job.id, inputs: job.inputs, options: job.options };
      try {
        worker.postMessage(request, transferables(job.inputs));
      } catch {
        worker.postMessage(request);
      }
    }
  }

  return {
    size,
    get started() {
      return slots.filter((slot) => slot.worker !== undefined).length;
    },
    scan(inputs, options, deadline) {
      const results: ScanResults = inputs.map(() => undefined);
      if (inputs.length === 0) return Promise.resolve(results);
      if (closed || deadline <= Date.now()) return Promise.resolve(results);
      return new Promise<ScanResults>((resolve) => {
        const job: Job = { id: nextId++, inputs, options, deadline, results, resolve };
        job.timer = setTimeout(() => {
          // Over budget: a running job's worker is stopped mid-detection and replaced.
          if (job.slot?.job === job) retire(job.slot);
          finish(job);
          pump();
        }, deadline - Date.now());
        queue.push(job);
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of [...queue]) finish(job);
      await Promise.all(
        slots.map(async (slot) => {
          if (slot.idle) clearTimeout(slot.idle);
          const w = slot.worker;
          const job = slot.job;
          retire(slot);
          if (job) finish(job);
          await w?.terminate();
        }),
      );
    },
  };
}
