import type { Access, StaffCaller } from '../accounts/index.js';
import { ForbiddenError, NotFoundError } from '../core/index.js';
import type { Program } from '../programs/index.js';

/**
 * Who manages a program's customers and coordinators: its admins and leads (an instance admin is
 * admin everywhere). Their lists hold personal data of people outside the vendor, and sharing
 * lists decide who learns of a vulnerability before the public, so handlers and viewers do not
 * see them. A caller who cannot read the program at all is answered 404, like a missing one;
 * changes need a read-write token.
 */
export type ManagerAccess = Pick<Access, 'programsFor' | 'roleIn'>;

/**
 * Whether the caller manages the program's customers and coordinators (the rule of
 * `managedProgram`), for reads that show their addresses only to those who may list them.
 */
export async function managesCustomers(
  access: Pick<Access, 'roleIn'>,
  caller: StaffCaller,
  program: Pick<Program, 'id'>,
): Promise<boolean> {
  const m = await access.roleIn(caller, program);
  return m !== null && (m.role === 'admin' || m.role === 'lead');
}

export async function managedProgram(
  access: ManagerAccess,
  caller: StaffCaller,
  slug: string,
  intent: 'read' | 'change',
): Promise<Program> {
  const program = (await access.programsFor(caller, 'case.read')).find((p) => p.slug === slug);
  if (!program) throw new NotFoundError(`There is no program ${slug}.`);
  if (!(await managesCustomers(access, caller, program)))
    throw new ForbiddenError(`Only admins and leads of ${slug} manage its customers and coordinators.`);
  if (intent === 'change' && caller.scope === 'read')
    throw new ForbiddenError('This API token is read-only; changes need a read-write token.');
  return program;
}
