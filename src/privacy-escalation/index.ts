export { CHECKLIST_ITEMS, type ChecklistItemId } from './checklist.js';
export {
  createEscalationReminderJob,
  ESCALATION_REMINDERS,
  type EscalationReminderJob,
  type EscalationReminderLevel,
} from './escalation-reminders.js';
export { registerPrivacyEscalationRoutes } from './escalation-routes.js';
export {
  createPrivacyEscalationService,
  type PrivacyEscalationService,
  type PrivacyEscalationView,
} from './escalation-service.js';
export { findEscalationByReport } from './escalation-store.js';
export {
  type EscalationReason,
  escalationDays,
  openPrivacyEscalation,
  reopenPrivacyEscalation,
} from './open-escalation.js';
export { findClaim } from './phi-claim-store.js';
export { type ClaimFinding, findClaims, recordPhiClaim } from './phi-claims.js';
export { type PrivacyEscalationRouteDeps, privacyEscalationPlugin } from './plugin.js';
