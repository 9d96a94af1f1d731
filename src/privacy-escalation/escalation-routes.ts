import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from '../accounts/index.js';
import { staffCaller } from '../accounts/index.js';
import { errorBodySchema } from '../http/index.js';
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
  reason: z
    .string()
    .describe(
      'Why it was opened: `reporter-accessed-phi` (the form’s answer), `reporter-stated-phi` (the team acted on the reporter’s words) or `staff-opened`.',
    ),
  openedAt: z.string(),
  openedBy: userRef.nullable().describe('Who opened it by hand; null when the reporter’s answer did.'),
  openNote: z.string().nullable().describe('Why it was opened by hand.'),
  closeNote: z.string().nullable().describe('Why it was closed before its checklist was done.'),
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
const claim = z.object({
  caseNumber: z.string(),
  detectedAt: z.string(),
  findings: z
    .array(
      z.object({
        where: z.string().describe('The report field id, or `message:<id>` for a later message.'),
        language: z.string(),
        excerpt: z
          .string()
          .nullable()
          .describe('The sentence that says it; null when that part is held in PHI quarantine from you.'),
      }),
    )
    .describe('Where the reporter’s words say they reached PHI or personal data.'),
  decision: z.enum(['escalated', 'declined']).nullable().describe('null while the team has not decided.'),
  decidedBy: userRef.nullable(),
  decidedAt: z.string().nullable(),
  note: z.string().nullable().describe('Why the team declined.'),
});
const reasonBody = z.strictObject({
  reason: z
    .string({ error: 'expected the reason as text' })
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_NOTE_CHARS, `must be at most ${MAX_NOTE_CHARS} characters`)
    .describe('Stored sealed on the case; the audit log records only that a reason was given.'),
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
    base,
    {
      schema: {
        operationId: 'openPrivacyEscalation',
        tags: ['privacy'],
        summary:
          'Open a privacy escalation by hand, or reopen a closed one, with the reason (case team or privacy duty; audited)',
        security,
        params: z.object({ caseNumber }),
        body: reasonBody,
        response: { 201: escalation, 400: errorBodySchema, ...refusals },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      const opened = await deps.privacyEscalations.open(caller, request.params.caseNumber, request.body);
      return reply.code(201).send(opened);
    },
  );

  r.post(
    `${base}/close`,
    {
      schema: {
        operationId: 'closePrivacyEscalation',
        tags: ['privacy'],
        summary:
          'Close the escalation once every checklist item is done, or early with a reason (privacy duty; 409 names open items)',
        security,
        params: z.object({ caseNumber }),
        body: reasonBody.partial().nullish(),
        response: { 200: escalation, 400: errorBodySchema, ...refusals },
      },
    },
    async (request) => {
      const caller = await staffCaller(deps.accounts, request);
      return deps.privacyEscalations.close(caller, request.params.caseNumber, request.body ?? {});
    },
  );

  const claimPath = '/api/v1/reports/:caseNumber/phi-access-claim';
  r.get(
    claimPath,
    {
      schema: {
        operationId: 'getPhiAccessClaim',
        tags: ['privacy'],
        summary:
          'The reporter’s words saying they reached PHI or personal data, and the team’s decision (404 when none were found)',
        security,
        params: z.object({ caseNumber }),
        response: { 200: claim, 401: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      reply.header('Cache-Control', 'no-store');
      return deps.privacyEscalations.claim(caller, request.params.caseNumber);
    },
  );

  r.post(
    `${claimPath}/decline`,
    {
      schema: {
        operationId: 'declinePhiAccessClaim',
        tags: ['privacy'],
        summary:
          'Decide to open no privacy escalation on the reporter’s statement, with the reason (case team or privacy duty; audited)',
        security,
        params: z.object({ caseNumber }),
        body: reasonBody,
        response: { 200: claim, 400: errorBodySchema, ...refusals },
      },
    },
    async (request) => {
      const caller = await staffCaller(deps.accounts, request);
      return deps.privacyEscalations.declineClaim(caller, request.params.caseNumber, request.body);
    },
  );
}
