import type { Role } from './accounts.js';

/**
 * What each role may do in a program. One table, consulted by every service, so the JSON API,
 * the console and any other channel cannot disagree.
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

/** Whether a role grants a permission. A read-only token never grants more than `case.read`. */
export function roleAllows(
  role: Role,
  permission: Permission,
  tokenScope: 'read' | 'read-write' = 'read-write',
): boolean {
  if (tokenScope === 'read' && permission !== 'case.read' && permission !== 'case.contact') return false;
  return GRANTS[role].includes(permission);
}
