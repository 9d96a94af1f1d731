/**
 * The vocabulary of access: program roles, duties, instance roles and token scopes. The rules
 * that give them meaning are in `permissions.ts`.
 */

/** A user's role in one program (a row of `program_members`). */
export const ROLES = ['admin', 'lead', 'handler', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Duties held in a program on top of the role: privacy officer and approver. */
export const DUTIES = ['privacy', 'approver'] as const;
export type Duty = (typeof DUTIES)[number];

/** `admin` runs the whole instance; a `member` sees only the programs it was granted. */
export const INSTANCE_ROLES = ['admin', 'member'] as const;
export type InstanceRole = (typeof INSTANCE_ROLES)[number];

export const TOKEN_SCOPES = ['read', 'read-write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Whether a string names one of a closed set of values, narrowing it. */
export const isOneOf = <T extends string>(values: readonly T[], v: string): v is T =>
  (values as readonly string[]).includes(v);
