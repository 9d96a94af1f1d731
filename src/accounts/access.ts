import { ForbiddenError, NotFoundError } from '../core/index.js';
import type { Db, ReportRow } from '../db/index.js';
import type { Program, ProgramService } from '../programs/index.js';
import type { StaffCaller } from './accounts.js';
import { findMembership, listMemberships, type Membership } from './membership-store.js';
import { type Permission, roleAllows } from './permissions.js';
import type { Duty } from './roles.js';

/**
 * Who may see or change what, in one place: the caller's role and duties in a program, the
 * programs it may work in, and the case it may touch. Every staff service resolves programs and
 * cases through here, with the caller's identity and the permission it needs, so no read or
 * change path can forget the check. The rules are written out in `permissions.ts`. Memberships
 * are read on every call, not cached on the caller, so a revoked grant stops working with the
 * next request. A case of a program the caller cannot see is answered exactly like a missing one.
 */
export function createAccess(deps: {
  db: Db;
  programs: Pick<ProgramService, 'list'>;
  /** The case with this number (the cases store's lookup, given by the composition root). */
  findCase: (caseNumber: string) => Promise<ReportRow | undefined>;
}) {
  const k = deps.db.kysely;

  const tokenReaches = (caller: StaffCaller, programId: string) =>
    caller.tokenPrograms === null || caller.tokenPrograms.includes(programId);

  /** An instance admin is admin everywhere, but holds only the duties a membership gives it. */
  const effective = (caller: StaffCaller, m: Membership | null | undefined): Membership | null =>
    caller.role === 'admin' ? { role: 'admin', duties: m?.duties ?? [] } : (m ?? null);

  /**
   * The caller's role and duties in a program for this request — null when it has none there or
   * its token is limited to other programs.
   */
  async function roleIn(caller: StaffCaller, program: Pick<Program, 'id'>): Promise<Membership | null> {
    if (!tokenReaches(caller, program.id)) return null;
    return effective(caller, await findMembership(k, caller.userId, program.id));
  }

  /** Whether the caller may do `permission` in the program (the token's scope included). */
  async function can(caller: StaffCaller, program: Pick<Program, 'id'>, permission: Permission) {
    const m = await roleIn(caller, program);
    return m !== null && roleAllows(m.role, permission, caller.scope);
  }

  /** Whether the caller holds a duty (privacy officer, approver) in the program. */
  async function hasDuty(caller: StaffCaller, program: Pick<Program, 'id'>, duty: Duty) {
    return (await roleIn(caller, program))?.duties.includes(duty) ?? false;
  }

  /** The programs in which the caller has `permission`; one query for all memberships. */
  async function programsFor(caller: StaffCaller, permission: Permission): Promise<Program[]> {
    const all = await deps.programs.list();
    const memberships = await listMemberships(k, caller.userId);
    return all.filter((p) => {
      if (!tokenReaches(caller, p.id)) return false;
      const m = effective(caller, memberships.get(p.id));
      return m !== null && roleAllows(m.role, permission, caller.scope);
    });
  }

  /**
   * The case, if the caller may do `permission` on it. Without `case.read` in its program the
   * answer is 404 as for a missing case; with it but without `permission`, 403.
   */
  async function caseFor(
    caller: StaffCaller,
    caseNumber: string,
    permission: Permission,
  ): Promise<{ row: ReportRow; program: Program; membership: Membership }> {
    const row = await deps.findCase(caseNumber);
    const program = row ? (await deps.programs.list()).find((p) => p.id === row.program_id) : undefined;
    const membership = program ? await roleIn(caller, program) : null;
    if (!row || !program || !membership || !roleAllows(membership.role, 'case.read', caller.scope)) {
      throw new NotFoundError(`There is no case ${caseNumber}.`);
    }
    if (!roleAllows(membership.role, permission, caller.scope)) {
      throw new ForbiddenError(`Your role in ${program.slug} does not allow this (${permission}).`);
    }
    return { row, program, membership };
  }

  return { programsFor, caseFor, roleIn, can, hasDuty };
}

export type Access = ReturnType<typeof createAccess>;
