export { type Access, createAccess } from './access.js';
export { type AccountService, actorOf, createAccountService, type StaffCaller } from './accounts.js';
export {
  CsrfError,
  InvalidCodeError,
  InvalidCredentialsError,
  SignInExpiredError,
  ThrottledError,
} from './auth-errors.js';
export { type AuthServices, createAuthServices } from './auth-services.js';
export {
  createHousekeepingJob,
  type HousekeepingJob,
  type HousekeepingResult,
} from './housekeeping.js';
export { sessionCaller, staffCaller } from './http-auth.js';
export { createMemberDirectory, type MemberDirectory, type ProgramMember } from './member-directory.js';
export { findMembership, listMemberships, type Membership, toMembership } from './membership-store.js';
export { PERMISSIONS, type Permission, roleAllows } from './permissions.js';
export { type AccountsRouteDeps, accountsPlugin } from './plugin.js';
export { type NoticeKind, type NoticeRecipients, noticeRecipients } from './recipients.js';
export {
  DUTIES,
  type Duty,
  INSTANCE_ROLES,
  type InstanceRole,
  ROLES,
  type Role,
  TOKEN_SCOPES,
  type TokenScope,
} from './roles.js';
export { PENDING_COOKIE, SESSION_COOKIE, type SessionService, type SessionView } from './sessions.js';
