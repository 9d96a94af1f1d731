/**
 * Disclosure: the advisory content model and the documents built from it — CVE JSON 5 records
 * (checked against the CVE Program's schema) and CSAF 2.0 advisories and VEX (checked by the CSAF
 * validator). The builders are pure; storing, approving, publishing and serving live beside them.
 */
export {
  type AdvisoryContent,
  type AdvisoryRelease,
  type AdvisoryRevisionEntry,
  type AffectedProduct,
  advisoryContentSchema,
  CREDIT_TYPES,
  type Credit,
  type CreditType,
  type CvssScore,
  REMEDIATION_CATEGORIES,
  type Reference,
  type Remediation,
  type RemediationCategory,
  TLP_LABELS,
  type TlpLabel,
  type VersionStatement,
  type Vulnerability,
  versionStatementSchema,
  vulnerabilitySchema,
} from './advisory-model.js';
export { type AdvisoryService, createAdvisoryService } from './advisory-service.js';
export { latestAdvisoryOfCase } from './advisory-store.js';
export {
  ARTEFACT_KINDS,
  type ArtefactFinding,
  type ArtefactInput,
  type ArtefactKind,
  artefactRefusal,
  buildArtefacts,
  CSAF_WHITE_PATH,
  canonicalJson,
  checkArtefacts,
  type PreparedArtefact,
  type PreparedArtefacts,
  prepareArtefacts,
  signDetached,
} from './artefacts.js';
export {
  type ArtefactService,
  CveServicesUnavailableError,
  createArtefactService,
} from './artefacts-service.js';
export { storeArtefacts } from './artefacts-store.js';
export { validateCsafOffThread, warmCsafValidator } from './artefacts-validator.js';
export {
  type CoordinatorInput,
  type CoordinatorService,
  type CoordinatorView,
  createCoordinatorService,
} from './coordinators-service.js';
export {
  buildCsafAdvisory,
  type CsafCategory,
  type CsafDocument,
  type CsafOptions,
  csafCanonicalUrl,
  csafFileName,
  csafTlpLabel,
  versOf,
} from './csaf-document.js';
export { registerCsafProviderRoutes } from './csaf-provider-routes.js';
export {
  type CsafFinding,
  type CsafValidation,
  csafRefusal,
  describeCsafErrors,
  loadCsafTests,
  validateCsafDocument,
} from './csaf-validate.js';
export { registerCustomerRoutes } from './customers-routes.js';
export {
  type ContactInput,
  type ContactView,
  type CustomerService,
  createCustomerService,
  type ImportResult,
  type OrganisationView,
} from './customers-service.js';
export {
  buildCveRecord,
  type CnaIdentity,
  CVE_DATA_VERSION,
  type CveRecord,
  type CveRecordOptions,
  cveVersionOf,
} from './cve-record.js';
export { cveRecordProblems } from './cve-rules.js';
export { type CveServicesClient, CveServicesError, createCveServicesClient } from './cve-services.js';
export {
  type CveRecordValidation,
  compileCveRecordCheck,
  loadCveRecordCheck,
  validateCveRecord,
} from './cve-validate.js';
export { createEmbargoJob, type EmbargoJob } from './embargo-job.js';
export {
  affectedProductIds,
  type NotificationDeps,
  type NotificationInput,
  type NotificationStage,
  queueAdvisoryNotifications,
} from './notifications.js';
export { type DisclosureRouteDeps, disclosurePlugin } from './plugin.js';
export { buildSharingPackage, type SharingPackage } from './sharing-package.js';
export { registerSharingRoutes } from './sharing-routes.js';
export {
  createSharingService,
  type DeliveryView,
  type SharingService,
  type SharingView,
} from './sharing-service.js';
export {
  type AssessmentDraftInput,
  compareNumericVersions,
  draftVulnerabilityFromAssessment,
  isPlainVersion,
  parseVersionRanges,
} from './version-ranges.js';
