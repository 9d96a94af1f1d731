import type { Config } from '../config/index.js';
import type { Clock, WorkerLogger } from '../core/index.js';
import type { Db } from '../db/index.js';
import { createPeriodicPass } from '../jobs/index.js';
import {
  deleteEndedSessions,
  deleteExpiredPendingSignIns,
  deleteSignInFailuresBefore,
} from './housekeeping-store.js';
import { countedSince } from './throttle.js';

/** What one housekeeping pass removed. */
export interface HousekeepingResult {
  sessions: number;
  pendingSignIns: number;
  signInFailures: number;
}

export interface HousekeepingJob {
  /** Runs every `config.housekeepingMinutes`; a pass in flight is not doubled. */
  start(): void;
  stop(): Promise<void>;
  /** One pass at `now` (default: the clock's now). */
  runOnce(now?: Date): Promise<HousekeepingResult>;
}

/**
 * Sign-in leftovers removed on a schedule: ended console sessions, expired pending sign-ins
 * (with the passkey challenges they hold) and sign-in failures the throttle no longer counts.
 * Sign-in removes some of these as it goes, but only when someone signs in; this pass keeps the
 * tables small (and the hashes of ended secrets gone) on a quiet instance too. Every delete is
 * conditional on time alone, so any number of instances may run the pass at once.
 */
export function createHousekeepingJob(deps: {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'housekeepingMinutes' | 'session'>;
  logger?: WorkerLogger;
}): HousekeepingJob {
  const k = deps.db.kysely;
  const idleMs = deps.config.session.idleMinutes * 60_000;

  async function runOnce(now = deps.clock.now()): Promise<HousekeepingResult> {
    const at = now.toISOString();
    return {
      sessions: await deleteEndedSessions(k, {
        now: at,
        idleBefore: new Date(now.getTime() - idleMs).toISOString(),
      }),
      pendingSignIns: await deleteExpiredPendingSignIns(k, at),
      signInFailures: await deleteSignInFailuresBefore(k, countedSince(now)),
    };
  }

  const pass = createPeriodicPass({
    intervalMs: deps.config.housekeepingMinutes * 60_000,
    pass: () => runOnce(),
    report: (r) => {
      if (r.sessions + r.pendingSignIns + r.signInFailures > 0)
        deps.logger?.info({ removed: r }, 'housekeeping: removed ended sessions and sign-in leftovers');
    },
    failure: 'housekeeping pass failed',
    logger: deps.logger,
  });
  return { start: pass.start, stop: pass.stop, runOnce };
}
