export {
  type AuditEntry,
  type AuditVerification,
  appendAudit,
  auditEntriesForReport,
  verifyAuditChain,
} from './audit-store.js';
export { auditor, programAuditor } from './auditor.js';
