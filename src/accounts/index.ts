export {
  type AccountService,
  actorOf,
  createAccountService,
  ROLES,
  type Role,
  type StaffCaller,
  TOKEN_SCOPES,
  type TokenScope,
} from './accounts.js';
export { PERMISSIONS, type Permission, roleAllows } from './permissions.js';
