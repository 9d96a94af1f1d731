import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from '../accounts/index.js';
import { staffCaller } from '../accounts/index.js';
import { errorBodySchema } from '../http/index.js';
import { CONSENT_VIAS, CREDIT_TEXT_MAX } from './consent.js';
import type { CreditConsentService } from './consent-service.js';

const caseNumber = z
  .string()
  .regex(/^[A-Z][A-Z0-9]{1,9}-\d{4}-\d{4,}$/, 'expected a case number such as ACME-2026-0007');
const userRef = z.object({ id: z.string(), email: z.string(), name: z.string() });

// Allowlists: only these keys leave, whatever the service returns.
const status = z.discriminatedUnion('status', [
  z.object({ status: z.literal('given'), text: z.string() }),
  z.object({ status: z.literal('declined') }),
  z.object({ status: z.literal('unanswered') }),
]);
const consentView = z.object({
  caseNumber: z.string(),
  offered: z.boolean().describe('Whether the program credits reporters at all.'),
  current: status.describe('Where the case stands: the latest answer, or what the form said.'),
  history: z.array(
    z.object({
      choice: z.enum(['given', 'declined']),
      text: z.string().nullable().describe('The credit in the reporter’s words, for a `given`.'),
      via: z.enum(CONSENT_VIAS as [string, ...string[]]),
      recordedAt: z.string(),
      recordedBy: userRef
        .nullable()
        .describe('The staff member who recorded it; null when the reporter did.'),
      evidence: z.string().nullable().describe('How the reporter gave it, for a consent recorded by staff.'),
    }),
  ),
});

/** A case's consent to public credit: read by its readers, recorded on the reporter's behalf by its team. */
export function registerCreditConsentRoutes(
  app: FastifyInstance,
  deps: { creditConsents: CreditConsentService; accounts: AccountService },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];
  const path = '/api/v1/reports/:caseNumber/credit-consent';

  r.get(
    path,
    {
      schema: {
        operationId: 'getCreditConsent',
        tags: ['cases'],
        summary:
          'The reporter’s consent to public credit: where it stands and every change, with how it was given',
        security,
        params: z.object({ caseNumber }),
        response: { 200: consentView, 401: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      reply.header('Cache-Control', 'no-store');
      return deps.creditConsents.get(caller, request.params.caseNumber);
    },
  );

  r.post(
    path,
    {
      schema: {
        operationId: 'recordCreditConsent',
        tags: ['cases'],
        summary:
          'Record a consent (or withdrawal) the reporter gave another way, with the evidence (case team; audited)',
        security,
        params: z.object({ caseNumber }),
        body: z.strictObject({
          choice: z.enum(['given', 'declined'], { error: 'expected "given" or "declined"' }),
          text: z
            .string({ error: 'expected the credit as text' })
            .max(CREDIT_TEXT_MAX, `must be at most ${CREDIT_TEXT_MAX} characters`)
            .optional()
            .describe('The credit exactly as the reporter wants it to read (required for `given`).'),
          evidence: z
            .string({ error: 'expected the evidence as text' })
            .max(2000, 'must be at most 2000 characters')
            .describe('How the reporter gave it (a call, a letter): stored sealed, never in the audit log.'),
        }),
        response: {
          201: consentView,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      const saved = await deps.creditConsents.record(caller, request.params.caseNumber, request.body);
      return reply.code(201).send(saved);
    },
  );
}
