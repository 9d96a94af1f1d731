import { describeError, type WorkerLogger } from '../core/index.js';

/** A pass that runs every `intervalMs` in this process; `stop()` waits for the pass in flight. */
export interface PeriodicPass {
  start(): void;
  stop(): Promise<void>;
}

/**
 * Runs `pass` on an interval, never two at once in this process (a tick while one runs is skipped:
 * the next tick catches up, as every pass works from the state in the database, not from the
 * ticks it saw). What a pass did is logged by `report`; a failed pass is logged and the next tick
 * tries again. The timer is unref'd so it never keeps the process alive; several instances may run
 * the same pass, so each pass must be safe to run concurrently (conditional updates, unique rows).
 */
export function createPeriodicPass<T>(opts: {
  intervalMs: number;
  pass: () => Promise<T>;
  /** Log what the pass did (called only on success). */
  report?: (result: T) => void;
  /** The log line of a failed pass, e.g. "embargo pass failed". */
  failure: string;
  logger?: WorkerLogger;
}): PeriodicPass {
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> | undefined;

  function tick(): void {
    if (inFlight !== undefined) return;
    const run = opts.pass().then(
      (result) => opts.report?.(result),
      (err: unknown) => opts.logger?.error({ err: describeError(err) }, opts.failure),
    );
    inFlight = run;
    void run.finally(() => {
      if (inFlight === run) inFlight = undefined;
    });
  }

  return {
    start() {
      if (timer !== undefined) return;
      timer = setInterval(tick, opts.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
