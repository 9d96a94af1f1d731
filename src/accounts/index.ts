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
