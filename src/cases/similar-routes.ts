import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from '../accounts/index.js';
import { staffCaller } from '../accounts/index.js';
import { errorBodySchema } from '../http/index.js';
import type { SimilarService } from './similar-service.js';

// An allowlist: a suggestion carries its title, never the rest of the candidate's content.
const similarCase = z.object({
  caseNumber: z.string(),
  title: z.string().describe("The first line of the report's title, summary or details."),
  state: z.string(),
  receivedAt: z.string(),
  score: z.number().describe('0 to 1; suggestions score above 0.3.'),
  reasons: z.array(
    z.object({
      kind: z.enum(['product', 'version', 'cwe', 'endpoint', 'text']),
      detail: z.string().describe('A short explanation, e.g. "shared endpoint: /api/v1/patients".'),
    }),
  ),
});

export function registerSimilarRoutes(
  app: FastifyInstance,
  deps: { similar: SimilarService; accounts: AccountService },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/reports/:caseNumber/similar',
    {
      schema: {
        operationId: 'listSimilarReports',
        tags: ['cases'],
        summary: 'Duplicate suggestions: up to five similar open or recently closed cases (audited)',
        description:
          'Cases of the same program that are open or were closed within 180 days, scored on shared ' +
          'product, version, CWE, endpoints and text, most similar first, each with the reasons it ' +
          'was picked. Needs `case.read`; a case the caller cannot read answers 404.',
        security: [{ bearer: [] }],
        params: z.object({
          caseNumber: z
            .string()
            .regex(/^[A-Z][A-Z0-9]{1,9}-\d{4}-\d{4,}$/, 'expected a case number such as ACME-2026-0007'),
        }),
        response: {
          200: z.object({ similar: z.array(similarCase).max(5) }),
          400: errorBodySchema,
          401: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      reply.header('Cache-Control', 'no-store');
      return deps.similar.similar(caller, request.params.caseNumber);
    },
  );
}
