import { Gauge, type Registry } from 'prom-client';
import { CASE_CLOCKS } from '../cases/index.js';
import type { Clock } from '../core/index.js';
import type { Db } from '../db/index.js';
import { countRunningClocks, RUNNING_CLOCK_STATES } from './clock-states.js';
import {
  casesWithRunningClocks,
  oldestUnsentMailAt,
  openPhiHoldsByProgram,
  programSlugs,
  UNSENT_STATES,
  unsentMailByState,
} from './telemetry-store.js';

/** Cases read per scrape for the clock gauges; past it `vigil_deadline_clocks_truncated` reads 1. */
export const CLOCK_SCAN_LIMIT = 20_000;

/** How long a scrape waits for the database before it answers without the database's figures. */
export const SCRAPE_DB_TIMEOUT_MS = 3_000;

/**
 * The gauges read from the database when Prometheus scrapes: outbox depth and age, running
 * deadline clocks, PHI holds, and whether the database answered at all. `refresh()` reads them
 * all at once before each scrape (the caller awaits it, then renders the registry), so the gauges
 * of one scrape come from one read. When the database does not answer in time,
 * `vigil_database_up` reads 0 and the other database gauges are left out of that scrape rather
 * than failing it: the process gauges still tell the operator what they can.
 */
export function registerScrapeGauges(
  registry: Registry,
  deps: { db: Db; clock: Clock },
): {
  refresh(): Promise<void>;
} {
  let current: Snapshot | undefined;
  const snapshot = () => current;

  new Gauge({
    name: 'vigil_database_up',
    help: '1 when the database answered the last scrape, 0 when it did not (the other database gauges are then absent).',
    registers: [registry],
    collect() {
      this.set(snapshot() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'vigil_outbox_mails',
    help: 'Outgoing mail not yet sent, by state (pending, sending, failed).',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const s = snapshot();
      if (s) for (const state of UNSENT_STATES) this.set({ state }, s.unsent[state]);
    },
  });
  new Gauge({
    name: 'vigil_outbox_oldest_pending_age_seconds',
    help: 'Seconds the oldest mail still waiting to be sent has waited; 0 when none waits.',
    registers: [registry],
    collect() {
      this.reset();
      const s = snapshot();
      if (s) this.set(s.oldestUnsentSeconds);
    },
  });
  new Gauge({
    name: 'vigil_deadline_clocks_running',
    help: 'Deadline clocks still running, by program, clock and state: ok, warning (80 % used), breached (past due).',
    labelNames: ['program', 'clock', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const s = snapshot();
      if (!s) return;
      // Every series exists at 0, so an alert (or a graph) has something to compare with.
      for (const program of s.programs)
        for (const clock of CASE_CLOCKS)
          for (const state of RUNNING_CLOCK_STATES) this.set({ program, clock, state }, 0);
      for (const c of s.clocks) this.set({ program: c.program, clock: c.clock, state: c.state }, c.count);
    },
  });
  new Gauge({
    name: 'vigil_deadline_clocks_truncated',
    help: `1 when more than ${CLOCK_SCAN_LIMIT} cases have running clocks and the clock gauges count only that many.`,
    registers: [registry],
    collect() {
      this.reset();
      const s = snapshot();
      if (s) this.set(s.clocksTruncated ? 1 : 0);
    },
  });
  new Gauge({
    name: 'vigil_phi_holds_open',
    help: 'Parts of cases (fields, messages, attachments) held by the PHI guard and not yet released or redacted, by program.',
    labelNames: ['program'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const s = snapshot();
      if (!s) return;
      for (const program of s.programs) this.set({ program }, s.phiHolds.get(program) ?? 0);
    },
  });
  const poolUse = deps.db.poolUse;
  if (poolUse) {
    new Gauge({
      name: 'vigil_database_pool_connections',
      help: 'PostgreSQL pool connections by state: total (open), idle, and waiting (queries queued for a connection).',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const use = poolUse();
        this.set({ state: 'total' }, use.total);
        this.set({ state: 'idle' }, use.idle);
        this.set({ state: 'waiting' }, use.waiting);
      },
    });
  }
  return {
    async refresh() {
      current = await readSnapshot(deps);
    },
  };
}

interface Snapshot {
  unsent: Awaited<ReturnType<typeof unsentMailByState>>;
  oldestUnsentSeconds: number;
  programs: string[];
  clocks: ReturnType<typeof countRunningClocks>;
  clocksTruncated: boolean;
  phiHolds: Map<string, number>;
}

async function readSnapshot(deps: { db: Db; clock: Clock }): Promise<Snapshot | undefined> {
  const q = deps.db.kysely;
  const read = async (): Promise<Snapshot> => {
    const [unsent, oldest, programs, clockRows, phiHolds] = await Promise.all([
      unsentMailByState(q),
      oldestUnsentMailAt(q),
      programSlugs(q),
      casesWithRunningClocks(q, CLOCK_SCAN_LIMIT + 1),
      openPhiHoldsByProgram(q),
    ]);
    const now = deps.clock.now();
    return {
      unsent,
      oldestUnsentSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0,
      programs,
      clocks: countRunningClocks(clockRows.slice(0, CLOCK_SCAN_LIMIT), now),
      clocksTruncated: clockRows.length > CLOCK_SCAN_LIMIT,
      phiHolds,
    };
  };
  return withTimeout(read(), SCRAPE_DB_TIMEOUT_MS).catch(() => undefined);
}

/** The promise's value, or a rejection once `ms` have passed; the timer never keeps the process up. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  // A read that fails after the deadline must not surface as an unhandled rejection.
  promise.catch(() => {});
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
