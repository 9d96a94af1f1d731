import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from '../accounts/index.js';
import { staffCaller } from '../accounts/index.js';
import { errorForLog } from '../core/index.js';
import { errorBodySchema } from '../http/index.js';
import { BULK_ACTIONS, MAX_BULK_CASES, type TriageService } from './triage-service.js';
import { caseNumber, caseSummary, text } from './workflow-routes.js';

const bulkBody = z
  .strictObject({
    caseNumbers: z
      .array(caseNumber)
      .min(1, 'list at least one case number')
      .max(MAX_BULK_CASES, `at most ${MAX_BULK_CASES} cases per request; split the selection`)
      .superRefine((numbers, ctx) => {
        const seen = new Set<string>();
        numbers.forEach((n, i) => {
          if (seen.has(n)) ctx.addIssue({ code: 'custom', path: [i], message: `${n} is listed twice` });
          seen.add(n);
        });
      })
      .describe(`The cases, each at most once; 1 to ${MAX_BULK_CASES}.`),
    action: z
      .enum(BULK_ACTIONS)
      .describe(
        '`mark_invalid`: close as invalid / spam; `request_info`: ask the reporters (the state stays); `forward_to_support`: send the support contact and close.',
      ),
    message: text('the message')
      .optional()
      .describe(
        'The one reply template: the question itself for `request_info` (required there), a note under the standard answer otherwise.',
      ),
  })
  .superRefine((b, ctx) => {
    if (b.action === 'request_info' && b.message === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['message'],
        message: 'request_info needs the question to send the reporters',
      });
  });

const bulkResult = z.discriminatedUnion('ok', [
  z.object({ caseNumber: z.string(), ok: z.literal(true), case: caseSummary }),
  z.object({
    caseNumber: z.string(),
    ok: z.literal(false),
    status: z
      .number()
      .describe(
        'What the single-case action would have answered: 404 (no such case for you), 409 (illegal in its state), …',
      ),
    error: z.string(),
    message: z.string(),
  }),
]);

export function registerTriageRoutes(
  app: FastifyInstance,
  deps: { triage: TriageService; accounts: AccountService },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/reports/bulk',
    {
      schema: {
        operationId: 'applyBulkCaseAction',
        tags: ['workflow'],
        summary: 'One triage action with one reply on many cases, each its own audited change',
        description:
          "Each case is checked, changed, audited and mailed in its own transaction, exactly as its single-case action would: a refusal on one case (404 for a case you cannot see, 409 for an action its state does not allow) is that case's result, and the others proceed. A bad request (no cases, too many, a case listed twice, an unknown action, request_info without a message) answers 400 naming the field, and changes nothing.",
        security: [{ bearer: [] }],
        body: bulkBody,
        response: {
          200: z.object({
            bulkId: z.string().describe('Named by every audit entry of this request.'),
            action: z.enum(BULK_ACTIONS),
            succeeded: z.number(),
            failed: z.number(),
            results: z.array(bulkResult).describe('One per case, in the order given.'),
          }),
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
        },
      },
    },
    async (request) => {
      const caller = await staffCaller(deps.accounts, request);
      return deps.triage.applyBulk(caller, request.body, (err) =>
        request.log.error({ err: errorForLog(err) }, 'a bulk case action failed on one case'),
      );
    },
  );
}
