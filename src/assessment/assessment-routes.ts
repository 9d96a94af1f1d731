import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from '../accounts/index.js';
import { staffCaller } from '../accounts/index.js';
import { errorBodySchema } from '../http/index.js';
import { assessmentInputSchema, assessmentResponseSchema } from './assessment-schema.js';
import type { AssessmentService } from './assessment-service.js';
import { searchCwe } from './cwe.js';

const caseNumberParam = z
  .string()
  .regex(/^[A-Z][A-Z0-9]{1,9}-\d{4}-\d{4,}$/, 'expected a case number such as ACME-2026-0007');

export function registerAssessmentRoutes(
  app: FastifyInstance,
  deps: {
    assessment: AssessmentService;
    accounts: Pick<AccountService, 'authenticate' | 'authenticateSession'>;
  },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];
  const errors = { 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

  r.get(
    '/api/v1/reports/:caseNumber/assessment',
    {
      schema: {
        operationId: 'getAssessment',
        tags: ['assessment'],
        summary: "A case's assessment: CVSS, CWE, SSVC, patient safety, affected products",
        security,
        params: z.object({ caseNumber: caseNumberParam }),
        response: { 200: assessmentResponseSchema, ...errors },
      },
    },
    async (request) => {
      const caller = await staffCaller(deps.accounts, request);
      return deps.assessment.get(caller, request.params.caseNumber);
    },
  );

  r.put(
    '/api/v1/reports/:caseNumber/assessment',
    {
      schema: {
        operationId: 'saveAssessment',
        tags: ['assessment'],
        summary:
          'Replace the assessment; scores, SSVC decision and patient-safety risk are computed (audited)',
        security,
        params: z.object({ caseNumber: caseNumberParam }),
        body: assessmentInputSchema,
        response: { 200: assessmentResponseSchema, 400: errorBodySchema, ...errors },
      },
    },
    async (request) => {
      const caller = await staffCaller(deps.accounts, request);
      return deps.assessment.put(caller, request.params.caseNumber, request.body);
    },
  );

  r.get(
    '/api/v1/cwe',
    {
      schema: {
        operationId: 'searchCwe',
        tags: ['assessment'],
        summary: 'Search the CWE catalogue by id ("79", "CWE-79") or by words in the name',
        security,
        querystring: z.object({
          q: z.string().max(200).default(''),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: {
          200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) }),
          401: errorBodySchema,
        },
      },
    },
    async (request) => {
      await staffCaller(deps.accounts, request);
      return { items: searchCwe(request.query.q, request.query.limit) };
    },
  );
}
