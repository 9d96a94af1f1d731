import { describeError, type WorkerLogger } from '../jobs/outbox-worker.js';
import type { AdvisoryService } from './advisory-service.js';

/**
 * The embargo: an approved revision with a `publishNotBefore` still ahead is `scheduled` when
 * published, and this job publishes it once the clock has passed that instant — nobody has to
 * remember to press a button at midnight, and nothing goes out early. Each pass publishes every
 * due revision in its own transaction with a conditional update, so several instances running
 * the job publish each revision once.
 */

export interface EmbargoJob {
  start(): void;
  stop(): Promise<void>;
  /** One pass at `now` (default: the clock's now); the public ids it published. */
  runOnce(now?: Date): Promise<string[]>;
}

export function createEmbargoJob(deps: {
  advisories: Pick<AdvisoryService, 'publishDue'>;
  logger?: WorkerLogger;
  /** How often to look (default one minute: an embargo ends at most this late). */
  intervalMs?: number;
}): EmbargoJob {
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> | undefined;

  const runOnce = (now?: Date) => deps.advisories.publishDue(now);

  function tick(): void {
    if (inFlight !== undefined) return;
    const run = runOnce().then(
      (published) => {
        if (published.length > 0)
          deps.logger?.info({ advisories: published }, 'embargoed advisories published');
      },
      (err: unknown) => deps.logger?.error({ err: describeError(err) }, 'embargo pass failed'),
    );
    inFlight = run;
    void run.finally(() => {
      if (inFlight === run) inFlight = undefined;
    });
  }

  return {
    start() {
      if (timer !== undefined) return;
      timer = setInterval(tick, deps.intervalMs ?? 60_000);
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await inFlight;
    },
    runOnce,
  };
}
