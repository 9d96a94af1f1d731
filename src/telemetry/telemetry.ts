import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Config } from '../config/index.js';
import type { Clock } from '../core/index.js';
import type { Db } from '../db/index.js';
import type { AnsweredRequest, ReadinessProbes } from '../http/index.js';
import { createHttpObserver } from './http-observer.js';
import { createIntakeCounters, type IntakeEvents } from './intake-events.js';
import { type MetricsListener, startMetricsListener } from './metrics-listener.js';
import { registerScrapeGauges, withTimeout } from './scrape-gauges.js';
import { oldestUnsentMailAt } from './telemetry-store.js';

/** How long a readiness check waits for an answer before it counts as failing. */
export const PROBE_TIMEOUT_MS = 2_000;

/**
 * One Vigil instance's Prometheus metrics: a registry of its own (never prom-client's global
 * one, so several instances in one process, as in the tests, each count only their own), the
 * intake counters the channels report to, the HTTP latency histogram, the gauges read at scrape
 * time, and the listener `vigil serve` starts. docs/operations-metrics.md lists every metric.
 */
export interface Telemetry {
  readonly registry: Registry;
  /** Where the intake channels report what they accepted and refused. */
  readonly intake: IntakeEvents;
  /** What the HTTP app hands on: its response hook and its readiness probes (src/http/app.ts). */
  readonly http: {
    observe: (r: AnsweredRequest) => void;
    probes: ReadinessProbes;
  };
  /** The exposition text of one scrape (reads the database gauges first). */
  render(): Promise<{ contentType: string; body: string }>;
  /** Start the `/metrics` listener when `config.metrics.listen` is set; undefined when it is off. */
  listen(): Promise<MetricsListener | undefined>;
  /** Stop the listener, if started. */
  close(): Promise<void>;
}

export function createTelemetry(deps: {
  db: Db;
  blobs: { ping(): Promise<void> };
  clock: Clock;
  config: Pick<Config, 'metrics'>;
}): Telemetry {
  const registry = new Registry();
  // Event-loop lag, heap, GC, CPU and file descriptors under their usual names (nodejs_*,
  // process_*), so the common Node.js dashboards work unchanged.
  collectDefaultMetrics({ register: registry });
  const intake = createIntakeCounters(registry);
  const observe = createHttpObserver(registry, intake);
  const gauges = registerScrapeGauges(registry, deps);
  let listener: MetricsListener | undefined;

  const render = async () => {
    await gauges.refresh();
    return { contentType: registry.contentType, body: await registry.metrics() };
  };

  return {
    registry,
    intake,
    http: {
      observe,
      probes: {
        blobs: () => withTimeout(deps.blobs.ping(), PROBE_TIMEOUT_MS),
        async oldestPendingMailSeconds() {
          const oldest = await withTimeout(oldestUnsentMailAt(deps.db.kysely), PROBE_TIMEOUT_MS);
          return oldest ? Math.max(0, (deps.clock.now().getTime() - oldest.getTime()) / 1000) : 0;
        },
      },
    },
    render,
    async listen() {
      const { metrics } = deps.config;
      if (!metrics.listen || listener) return listener;
      listener = await startMetricsListener({
        host: metrics.host,
        port: metrics.port,
        token: metrics.token,
        render,
      });
      return listener;
    },
    async close() {
      const l = listener;
      listener = undefined;
      await l?.close();
    },
  };
}
