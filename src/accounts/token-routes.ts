import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ForbiddenError } from '../core/index.js';
import { errorBodySchema } from '../http/index.js';
import type { AccountService } from './accounts.js';
import { actorOf } from './accounts.js';
import { sessionCaller } from './http-auth.js';
import { TOKEN_SCOPES } from './roles.js';

/**
 * API tokens managed from the console. Only a console session may list, mint or revoke them: a
 * token cannot mint tokens (403), so a leaked token cannot make itself permanent.
 */
export function registerTokenRoutes(app: FastifyInstance, deps: { accounts: AccountService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tokens'];
  const token = z.object({
    id: z.string(),
    name: z.string(),
    scope: z.enum(TOKEN_SCOPES),
    programs: z.array(z.string()).nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    user: z.object({ id: z.string(), email: z.string() }).optional(),
  });

  r.get(
    '/api/v1/tokens',
    {
      schema: {
        operationId: 'listTokens',
        tags,
        summary: "The caller's API tokens; an instance admin adds ?all=1 for everyone's",
        querystring: z.object({ all: z.enum(['0', '1', 'true', 'false']).optional() }),
        response: { 200: z.object({ tokens: z.array(token) }), 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => {
      const caller = await sessionCaller(deps.accounts, request);
      const all = request.query.all === '1' || request.query.all === 'true';
      if (all && caller.role !== 'admin')
        throw new ForbiddenError('Only an instance admin can list the tokens of every user.');
      const tokens = await deps.accounts.listTokens(all ? null : caller.userId);
      return { tokens: tokens.map((t) => (all ? t : { ...t, user: undefined })) };
    },
  );

  r.post(
    '/api/v1/tokens',
    {
      schema: {
        operationId: 'createToken',
        tags,
        summary: 'Create an API token for yourself; the secret is in this answer only',
        body: z.object({
          name: z.string().trim().min(1).max(100),
          scope: z.enum(TOKEN_SCOPES),
          programs: z.array(z.string().max(64)).max(100).optional(),
        }),
        response: {
          201: z.object({
            id: z.string(),
            token: z.string(),
            scope: z.enum(TOKEN_SCOPES),
            programs: z.array(z.string()).nullable(),
          }),
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const caller = await sessionCaller(deps.accounts, request);
      const t = await deps.accounts.createToken(
        { userEmail: caller.email, ...request.body },
        actorOf(caller),
      );
      reply.header('Cache-Control', 'no-store');
      return reply.code(201).send(t);
    },
  );

  r.delete(
    '/api/v1/tokens/:id',
    {
      schema: {
        operationId: 'revokeToken',
        tags,
        summary: 'Revoke a token: your own, or any for an instance admin',
        params: z.object({ id: z.string().max(64) }),
        response: { 204: z.null(), 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const caller = await sessionCaller(deps.accounts, request);
      await deps.accounts.revokeTokenAs(caller, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
