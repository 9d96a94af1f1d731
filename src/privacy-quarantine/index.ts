export { recordArrivalQuarantine } from './arrival.js';
export { type PrivacyQuarantineRouteDeps, privacyQuarantinePlugin } from './plugin.js';
export { registerPrivacyQuarantineRoutes } from './quarantine-routes.js';
export {
  createPrivacyQuarantineService,
  type PrivacyQuarantineService,
  type QuarantinePartView,
  type RedactionView,
} from './quarantine-service.js';
export { heldPartsOf, partKey } from './quarantine-store.js';
export {
  createScanPool,
  DEFAULT_SCAN_BUDGET_MS,
  defaultScanWorkers,
  type ScanPool,
  type ScanPoolOptions,
} from './scan-pool.js';
export {
  type Arrival,
  type ArrivalScanDeps,
  type FlaggedPart,
  reporterContact,
  SCAN_CAP_BYTES,
  scanArrival,
} from './scanner.js';
export {
  type CaseQuarantine,
  caseQuarantine,
  notPrivacyOfficer,
  QUARANTINED_ATTACHMENT_NAME,
  QuarantinedError,
} from './visibility.js';
