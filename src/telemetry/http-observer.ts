import { Histogram, type Registry } from 'prom-client';
import type { AnsweredRequest } from '../http/index.js';
import type { IntakeChannel, IntakeEvents } from './intake-events.js';
import { refusalReasonOf } from './intake-events.js';

/**
 * The routes that take reports, by method and pattern, and the channel each one is. Kept here,
 * next to the counting, so the intake routes need no telemetry of their own; the telemetry test
 * submits through both and fails if a pattern drifts.
 */
const INTAKE_ROUTES: Record<string, IntakeChannel> = {
  'POST /p/:slug/report': 'web',
  'POST /api/v1/programs/:slug/reports': 'api',
};

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Request latency by route pattern and status class, plus the intake counters of the web and API channels. */
export function createHttpObserver(registry: Registry, intake: IntakeEvents): (r: AnsweredRequest) => void {
  const duration = new Histogram({
    name: 'vigil_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route pattern and status class (2xx, 4xx, …).',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return (r) => {
    const method = METHODS.has(r.method) ? r.method : 'OTHER';
    // Unmatched addresses share one label: scanners probing random paths must not add series.
    const route = r.route ?? 'unmatched';
    duration.observe({ method, route, status_class: `${Math.floor(r.status / 100)}xx` }, r.seconds);
    const channel = r.route === undefined ? undefined : INTAKE_ROUTES[`${method} ${r.route}`];
    if (channel === undefined) return;
    if (r.status < 400) intake.accepted(channel, slugOf(r.params));
    else intake.refused(channel, refusalReasonOf(r.status, r.errorCode));
  };
}

function slugOf(params: unknown): string {
  const slug = (params as { slug?: unknown } | undefined)?.slug;
  return typeof slug === 'string' ? slug : 'unknown';
}
