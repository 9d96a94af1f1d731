export { type AccountService, actorOf, createAccountService, type StaffCaller } from './accounts.js';
export {
  CsrfError,
  InvalidCodeError,
  InvalidCredentialsError,
  SignInExpiredError,
  ThrottledError,
} from './auth-errors.js';
export { type AuthServices, createAuthServices } from './auth-services.js';
export { findMembership, listMemberships, type Membership } from './membership-store.js';
export { PERMISSIONS, type Permission, roleAllows } from './permissions.js';
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
