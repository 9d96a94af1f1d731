import { NotFoundError } from '../core/index.js';
import type { Db } from '../db/index.js';
import type { ProgramService } from '../programs/index.js';
import type { Access } from './access.js';
import type { StaffCaller } from './accounts.js';
import { listProgramMembers, toMembership } from './membership-store.js';

export interface ProgramMember {
  id: string;
  name: string;
  email: string;
  role: string;
  duties: string[];
  instanceAdmin?: boolean;
}

/**
 * The people of a program, for the console's assignee picker: its members with their role and
 * duties, and the instance admins (`role: 'admin'`, `instanceAdmin: true`). A caller without
 * `case.read` in the program gets 404, as for a program that does not exist.
 */
export function createMemberDirectory(deps: {
  db: Db;
  programs: Pick<ProgramService, 'find'>;
  access: Pick<Access, 'can'>;
}) {
  return {
    async membersOf(caller: StaffCaller, slug: string): Promise<ProgramMember[]> {
      const program = await deps.programs.find(slug);
      if (!program || !(await deps.access.can(caller, program, 'case.read')))
        throw new NotFoundError(`There is no program "${slug}".`);
      const { members, admins } = await listProgramMembers(deps.db.kysely, program.id);
      const out = new Map<
        string,
        { id: string; name: string; email: string; role: string; duties: string[]; instanceAdmin?: boolean }
      >();
      for (const m of members) {
        const ms = toMembership(m);
        if (ms) out.set(m.id, { id: m.id, name: m.name, email: m.email, role: ms.role, duties: ms.duties });
      }
      for (const a of admins) {
        const held = out.get(a.id);
        out.set(a.id, {
          id: a.id,
          name: a.name,
          email: a.email,
          role: 'admin',
          duties: held?.duties ?? [],
          instanceAdmin: true,
        });
      }
      return [...out.values()].sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email));
    },
  };
}

export type MemberDirectory = ReturnType<typeof createMemberDirectory>;
