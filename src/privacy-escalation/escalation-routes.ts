import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from '../accounts/index.js';
import { staffCaller } from '../http/auth.js';
import { errorBodySchema } from '../http/schemas.js';
import { CHECKLIST_ITEM_IDS } from './checklist.js';
import type { PrivacyEscalationService } from './escalation-service.js';

const caseNumber = z
  .string()
  .regex(/^[A-Z][A-Z0-9]{1,9}-\d{4}-\d{4,}$/, 'expected a case number such as ACME-2026-0007');
const MAX_NOTE_CHARS = 4000;

const userRef = z.object({ id: z.string(), email: z.string(), name: z.string() });
// An allowlist: only these keys leave, whatever the service returns.
const escalation = z.object({
  caseNumber: z.string(),
  reason: z.string().describe('Why it was opened, e.g. `reporter-accessed-phi`.'),
  openedAt: z.string(),
  dueAt: z.string().describe("The end of the escalation's last calendar day, in the program's zone."),
  open: z.boolean(),
  closedAt: z.string().nullable(),
  closedBy: userRef.nullable(),
  checklist: z.array(
    z.object({
      id: z.enum(CHECKLIST_ITEM_IDS),
      label: z.string(),
      done: z.boolean(),
      doneBy: userRef.nullable().describe('Who last set the item.'),
      doneAt: z.string().nullable(),
      note: z.string().nullable(),
    }),
  ),
});
const refusals = { 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

/** The privacy escalation of a case: read by the case's readers, worked by its privacy officers. */
export function registerPrivacyEscalationRoutes(
  app: FastifyInstance,
  deps: { privacyEscalations: PrivacyEscalationService; accounts: AccountService },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];
  const base = '/api/v1/reports/:caseNumber/privacy-escalation';

  r.get(
    base,
    {
      schema: {
        operationId: 'getPrivacyEscalation',
        tags: ['privacy'],
        summary: "The case's privacy escalation: deadline, checklist and who did what (404 when none)",
        security,
        params: z.object({ caseNumber }),
        response: { 200: escalation, 401: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      reply.header('Cache-Control', 'no-store');
      return deps.privacyEscalations.get(caller, request.params.caseNumber);
    },
  );

  r.put(
    `${base}/checklist/:item`,
    {
      schema: {
        operationId: 'setPrivacyEscalationItem',
        tags: ['privacy'],
        summary: 'Tick or untick one checklist item, with an optional note (privacy duty; audited)',
        security,
        params: z.object({ caseNumber, item: z.enum(CHECKLIST_ITEM_IDS) }),
        body: z.strictObject({
          done: z.boolean(),
          note: z
            .string()
            .max(MAX_NOTE_CHARS, `must be at most ${MAX_NOTE_CHARS} characters`)
            .optional()
            .describe('Replaces the item’s previous note; stored sealed, never in the audit log.'),
        }),
        response: { 200: escalation, 400: errorBodySchema, ...refusals },
      },
    },
    async (request) => {
      const caller = await staffCaller(deps.accounts, request);
      const { caseNumber: n, item } = request.params;
      return deps.privacyEscalations.setItem(caller, n, item, request.body);
    },
  );

  r.post(
    `${base}/close`,
    {
      schema: {
        operationId: 'closePrivacyEscalation',
        tags: ['privacy'],
        summary:
          'Close the escalation once every checklist item is done (privacy duty; 409 names open items)',
        security,
        params: z.object({ caseNumber }),
        response: { 200: escalation, ...refusals },
      },
    },
    async (request) => {
      const caller = await staffCaller(deps.accounts, request);
      return deps.privacyEscalations.close(caller, request.params.caseNumber);
    },
  );
}
