import type { Role, TokenScope } from './roles.js';

/**
 * What each role may do in a program. One table, consulted by every service (through
 * `accounts/access.ts`), so the JSON API, the console and any other channel cannot disagree.
 *
 * The rules:
 * - A user's instance-wide role is `admin` (instance administrator: every program, every
 *   permission) or `member`. A member reaches a program only through a row of `program_members`:
 *   one role per program (`admin`, `lead`, `handler`, `viewer`) and any duties. An instance role
 *   other than `admin` grants nothing by itself — including the `lead`/`handler`/`viewer` values
 *   that users created before per-program roles still carry; they need a grant.
 * - Duties (`privacy` = privacy officer, `approver`) add no permission in this table; features
 *   that need them ask `access.hasDuty(caller, program, duty)`. An instance admin holds a duty only
 *   where a membership gives it, because a duty names a person, not a level of trust.
 * - An API token may be limited to programs (`api_tokens.program_ids`): it then acts only in those,
 *   intersected with what its user may see at the moment of the request, so revoking a membership
 *   takes effect on the next request. `null` means every program the user may see.
 * - A token scoped `read` never grants more than reading (`case.read`, `case.contact`), whatever
 *   the role.
 * - `case.contact` (the reporter's contact details) belongs to the case team: admin, lead and
 *   handler of the program. A viewer sees the case without them.
 * - A caller without `case.read` in a program is answered 404 for its cases and its slug, exactly
 *   like a missing one, so probing cannot tell which cases exist; a caller who may read the case
 *   but lacks the permission asked for gets 403.
 */
export const PERMISSIONS = [
  /** See the case list and a case's report, attachments, messages and notes. */
  'case.read',
  /** See the reporter's contact details (the case team only). */
  'case.contact',
  /** Change a case: state, assignment, messages to the reporter, internal notes. */
  'case.write',
  /** Edit the risk assessment (CVSS, CWE, SSVC, patient safety). */
  'case.assess',
  /** Manage the program's members, keys and definition. */
  'program.admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  lead: ['case.read', 'case.contact', 'case.write', 'case.assess'],
  handler: ['case.read', 'case.contact', 'case.write', 'case.assess'],
  viewer: ['case.read'],
};

/** Permissions a read-only token keeps: looking, never changing. */
const READ_ONLY: readonly Permission[] = ['case.read', 'case.contact'];

/** Whether a program role grants a permission. A read-only token never grants more than reading. */
export function roleAllows(
  role: Role,
  permission: Permission,
  tokenScope: TokenScope = 'read-write',
): boolean {
  if (tokenScope === 'read' && !READ_ONLY.includes(permission)) return false;
  return GRANTS[role]?.includes(permission) ?? false;
}
