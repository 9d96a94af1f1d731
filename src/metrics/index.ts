/** Program metrics: deadlines kept, times to acknowledge/verify/summarise, volume breakdowns; JSON and CSV. */
export { csvField, metricsCsv } from './csv.js';
export { type Breakdown, computeFigures, type Figures, percentile, UNASSESSED } from './figures.js';
export {
  createMetricsService,
  DEFAULT_PERIOD_DAYS,
  type Metrics,
  type MetricsService,
} from './metrics-service.js';
export { type MetricsRouteDeps, metricsPlugin } from './plugin.js';
