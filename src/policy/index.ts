export { type PolicyRouteDeps, policyPlugin } from './plugin.js';
export { createPolicyReminderJob, type PolicyReminderJob } from './policy-reminders.js';
export { DISCLOSURE_POLICY, type HistoryRow } from './policy-rules.js';
export { seedExamplePolicies } from './policy-seed.js';
export { createPolicyService, type PolicyService } from './policy-service.js';
export type {
  PolicyDocumentDetail,
  PolicyDocumentSummary,
  PolicyReviewStatus,
  PublicPolicy,
} from './policy-views.js';
export { programKeyUrl } from './security-txt.js';
