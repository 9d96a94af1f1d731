/**
 * Regulatory duties of a vendor: per-product profiles, triggers recorded on cases, the clocks
 * they start (one table of duties with their sources), two-person "not reportable" decisions,
 * paste-ready report content, adverse-event records and reminders.
 */
export { adverseEventNumber } from './adverse-events.js';
export {
  DUTIES,
  type DutyDefinition,
  REGIME_INFO,
  REGIMES,
  type Regime,
  TRIGGER_KINDS,
  type TriggerKind,
} from './duties.js';
export { type RegulatoryRouteDeps, regulatoryPlugin } from './plugin.js';
export { createRegulatoryReminderJob, type RegulatoryReminderJob } from './regulatory-reminders.js';
export { createRegulatoryService, noteAssessment, type RegulatoryService } from './regulatory-service.js';
export { soonestDueByReport } from './regulatory-store.js';
export type { RegulatoryCaseView, RegulatoryMetric } from './regulatory-views.js';
export type { ReportContext } from './report-content.js';
export type { ReportContextSource } from './report-context.js';
