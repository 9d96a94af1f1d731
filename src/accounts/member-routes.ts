import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../http/index.js';
import type { AccountService } from './accounts.js';
import { staffCaller } from './http-auth.js';
import type { MemberDirectory } from './member-directory.js';

/** The people of a program, for the console's assignee picker (see `member-directory.ts`). */
export function registerMemberRoutes(
  app: FastifyInstance,
  deps: { accounts: AccountService } & { members: MemberDirectory },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
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
      return { members: await deps.members.membersOf(caller, request.params.slug) };
    },
  );
}
