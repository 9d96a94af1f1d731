import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createCaseAccess } from '../cases/index.js';
import { NotFoundError } from '../core/errors.js';
import type { HttpDeps } from '../http/app.js';
import { staffCaller } from '../http/auth.js';
import { errorBodySchema } from '../http/schemas.js';
import type { StaffCaller } from './accounts.js';
import { listProgramMembers, toMembership } from './membership-store.js';

/**
 * The people of a program, for the console's assignee picker: its members with their role and
 * duties, and the instance admins (`role: 'admin'`, `instanceAdmin: true`). A caller without
 * `case.read` in the program gets 404, as for a program that does not exist.
 */
export function registerMemberRoutes(
  app: FastifyInstance,
  deps: Pick<HttpDeps, 'accounts' | 'db' | 'programs'>,
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const access = createCaseAccess({ db: deps.db, programs: deps.programs });

  async function membersOf(caller: StaffCaller, slug: string) {
    const program = await deps.programs.find(slug);
    if (!program || !(await access.can(caller, program, 'case.read')))
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
  }

  r.get(
    '/api/v1/programs/:slug/members',
    {
      schema: {
        operationId: 'listProgramMembers',
        tags: ['programs'],
        summary: "The program's members and the instance admins (for assigning cases)",
        security: [{ bearer: [] }],
        params: z.object({ slug: z.string().max(64) }),
        response: {
          200: z.object({
            members: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                email: z.string(),
                role: z.string(),
                duties: z.array(z.string()),
                instanceAdmin: z.boolean().optional(),
              }),
            ),
          }),
          401: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request) => {
      const caller = await staffCaller(deps.accounts, request);
      return { members: await membersOf(caller, request.params.slug) };
    },
  );
}
