export {
  type CaseExport,
  type CaseExportService,
  createCaseExportService,
} from './case-export.js';
export {
  CASE_STATES,
  type CaseDetail,
  type CaseListItem,
  type CasePage,
  type CaseService,
  createCaseService,
} from './case-service.js';
export { type ClockWarningJob, createClockWarningJob } from './clock-warnings.js';
export { CASE_CLOCKS, CLOCK_STATES, CLOCK_STOPS, type ClockName, notApplicable } from './clocks.js';
export { type CasesRouteDeps, casesPlugin } from './plugin.js';
export { type ArrivalSignals, assessArrival, recordQualitySignals } from './quality-arrival.js';
export {
  type QualitySignals,
  SIGNAL_KINDS,
  type SignalItem,
  type SignalKind,
  summarizeSignals,
} from './quality-signals.js';
export {
  type AttachmentSummary,
  createReporterService,
  type ReporterCaseView,
  type ReporterService,
} from './reporter-service.js';
export { createFeatureDigestBackfill, type FeatureDigestBackfill } from './similar-backfill.js';
export { createSimilarService, type SimilarCase, type SimilarService } from './similar-service.js';
export { createTriageService, type TriageService } from './triage-service.js';
export {
  type CaseState,
  CLOSED_STATES,
  hasVerdict,
  TRIAGE_OUTCOMES,
  type TriageOutcome,
  transition,
  WORKFLOW_ACTIONS,
  type WorkflowAction,
} from './workflow.js';
export {
  type CaseSummary,
  createWorkflowService,
  type TimelineItem,
  type WorkflowService,
} from './workflow-service.js';
