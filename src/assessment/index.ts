/** Risk assessment of a case: CVSS 3.1/4.0, CWE, SSVC, patient safety, affected products. */
export {
  type Assessment,
  type AssessmentInput,
  type AssessmentResponse,
  assessmentInputSchema,
} from './assessment-schema.js';
export {
  ASSESSMENT_PARTS,
  type AssessmentService,
  computeAssessment,
  createAssessmentService,
  readStored,
} from './assessment-service.js';
export {
  type CvssResult,
  type CvssVersion,
  cvssProblems,
  SEVERITIES,
  type Severity,
  scoreCvss,
  severityOf,
} from './cvss.js';
export { type Cwe, findCwe, searchCwe } from './cwe.js';
export {
  assessPatientSafety,
  exploitabilityOf,
  fdaClocks,
  HARM_SEVERITIES,
  type HarmSeverity,
  patientRisk,
} from './patient-safety.js';
export { type AssessmentRouteDeps, assessmentPlugin } from './plugin.js';
export { type SsvcDecision, type SsvcInput, ssvcDecision } from './ssvc.js';
