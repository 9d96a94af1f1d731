import { type Permission, roleAllows, type StaffCaller } from '../accounts/index.js';
import { ForbiddenError, NotFoundError } from '../core/errors.js';
import type { Db, ReportRow } from '../db/index.js';
import type { Program, ProgramService } from '../programs/index.js';
import { findReportByNumber } from './report-store.js';

/**
 * Who may touch which case. Every staff service resolves cases through here, with the caller's
 * identity and the permission it needs, so no read or change path can forget the check.
 * A case of a program the caller cannot see is answered exactly like a missing one.
 */
export function createCaseAccess(deps: { db: Db; programs: Pick<ProgramService, 'list'> }) {
  const k = deps.db.kysely;

  /** The caller's role in a program; today the user's instance-wide role. */
  async function roleIn(caller: StaffCaller, _program: Program) {
    return caller.role;
  }

  async function programsFor(caller: StaffCaller, permission: Permission): Promise<Program[]> {
    const all = await deps.programs.list();
    const out: Program[] = [];
    for (const p of all) if (roleAllows(await roleIn(caller, p), permission, caller.scope)) out.push(p);
    return out;
  }

  async function caseFor(
    caller: StaffCaller,
    caseNumber: string,
    permission: Permission,
  ): Promise<{ row: ReportRow; program: Program }> {
    const row = await findReportByNumber(k, caseNumber);
    const program = row ? (await deps.programs.list()).find((p) => p.id === row.program_id) : undefined;
    if (!row || !program) throw new NotFoundError(`There is no case ${caseNumber}.`);
    const role = await roleIn(caller, program);
    if (!roleAllows(role, 'case.read', caller.scope))
      throw new NotFoundError(`There is no case ${caseNumber}.`);
    if (!roleAllows(role, permission, caller.scope)) {
      throw new ForbiddenError(`Your role in ${program.slug} does not allow this (${permission}).`);
    }
    return { row, program };
  }

  return { programsFor, caseFor, roleIn };
}

export type CaseAccess = ReturnType<typeof createCaseAccess>;
