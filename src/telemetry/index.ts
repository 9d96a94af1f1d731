/**
 * Prometheus metrics of the running instance (operations): intake accepted and refused, outbox,
 * deadline clocks, PHI holds, HTTP latency, the database pool and Node.js itself, served on a
 * listener of their own. Not to be confused with src/metrics, the programs' figures in the console.
 */
export {
  INTAKE_CHANNELS,
  type IntakeChannel,
  type IntakeEvents,
  mailRefusalReasonOf,
  REFUSAL_REASONS,
  type RefusalReason,
} from './intake-events.js';
export { type MetricsListener, MetricsPortError } from './metrics-listener.js';
export { createTelemetry, PROBE_TIMEOUT_MS, type Telemetry } from './telemetry.js';
