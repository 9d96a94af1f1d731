export {
  type AuditEntry,
  type AuditVerification,
  appendAudit,
  auditEntriesForReport,
  verifyAuditChain,
} from './audit-log.js';
