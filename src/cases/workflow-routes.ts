import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService, StaffCaller } from '../accounts/index.js';
import { staffCaller } from '../accounts/index.js';
import { errorBodySchema } from '../http/index.js';
import type { WorkflowService } from './workflow-service.js';
import { type CaseSummary, MAX_STAFF_MESSAGE_CHARS } from './workflow-service.js';

export const caseNumber = z
  .string()
  .regex(/^[A-Z][A-Z0-9]{1,9}-\d{4}-\d{4,}$/, 'expected a case number such as ACME-2026-0007');
const params = z.object({ caseNumber });
export const text = (what: string, max = MAX_STAFF_MESSAGE_CHARS) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => s.trim() !== '', `${what} must not be empty`);
const optionalMessage = text('the message')
  .optional()
  .describe('Added to the standard answer the reporter gets.');

const userRef = z.object({ id: z.string(), email: z.string(), name: z.string() });
// Response schemas are allowlists: no report content or contact detail can leave through them.
export const caseSummary = z.object({
  caseNumber: z.string(),
  program: z.string(),
  state: z.string(),
  receivedAt: z.string(),
  acknowledgeBy: z.string(),
  deadlines: z.record(z.string(), z.string()),
  assignee: userRef.nullable(),
  contactPerson: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  summarySentAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  stateChangedAt: z.string().nullable(),
  duplicateOf: z.string().nullable(),
  outOfScopeCategory: z.string().nullable(),
  triageOutcome: z
    .string()
    .nullable()
    .describe(
      '`invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable.',
    ),
});
const timelineItem = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    at: z.string(),
    messageId: z.string(),
    author: z.enum(['reporter', 'staff']),
    staff: userRef.nullable(),
    visibility: z.enum(['reporter', 'internal']),
    body: z
      .string()
      .describe(
        'Empty while the message is held in privacy quarantine and the caller is no privacy officer.',
      ),
    quarantined: z.boolean().describe('Held in privacy quarantine (see the quarantine endpoints).'),
  }),
  z.object({
    type: z.literal('action'),
    at: z.string(),
    action: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    by: userRef.nullable(),
  }),
  z.object({
    type: z.literal('assignment'),
    at: z.string(),
    from: userRef.nullable(),
    to: userRef.nullable(),
    by: userRef.nullable(),
  }),
]);

/** The operationId of each case action, by its path: verb first, like every other operation. */
const caseActionOperationIds = {
  acknowledge: 'acknowledgeCase',
  assign: 'assignCase',
  'start-verification': 'startCaseVerification',
  confirm: 'confirmCase',
  'not-reproducible': 'markCaseNotReproducible',
  informational: 'markCaseInformational',
  'out-of-scope': 'markCaseOutOfScope',
  duplicate: 'markCaseDuplicate',
  'request-info': 'requestCaseInformation',
  summary: 'sendCaseSummary',
  'start-remediation': 'startCaseRemediation',
  'mark-disclosed': 'markCaseDisclosed',
  close: 'closeCase',
  reopen: 'reopenCase',
  'mark-invalid': 'markCaseInvalid',
  'forward-to-support': 'forwardCaseToSupport',
} as const;

const refusals = { 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };
const actionResponses = { 200: caseSummary, 400: errorBodySchema, ...refusals, 409: errorBodySchema };

export function registerWorkflowRoutes(
  app: FastifyInstance,
  deps: { workflow: WorkflowService; accounts: AccountService },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];
  const wf = deps.workflow;

  /** One case action: `POST /api/v1/reports/{caseNumber}/<path>` answering the updated case. */
  function action<B extends z.ZodObject>(
    path: keyof typeof caseActionOperationIds,
    summary: string,
    body: B,
    run: (caller: StaffCaller, caseNumber: string, body: z.infer<B>) => Promise<CaseSummary>,
  ) {
    r.post(
      `/api/v1/reports/:caseNumber/${path}`,
      {
        schema: {
          operationId: caseActionOperationIds[path],
          tags: ['workflow'],
          summary,
          security,
          params,
          body,
          response: actionResponses,
        },
      },
      async (request) => {
        const caller = await staffCaller(deps.accounts, request);
        return run(caller, request.params.caseNumber, request.body as z.infer<B>);
      },
    );
  }

  const empty = z.strictObject({});
  const withMessage = z.strictObject({ message: optionalMessage });

  action(
    'acknowledge',
    'Confirm receipt and name the contact person (mails the reporter; stops the acknowledgement clock)',
    z.strictObject({ contactPerson: text('the contact person', 200) }),
    (c, n, b) => wf.acknowledge(c, n, b),
  );
  action(
    'assign',
    'Assign the case to a staff user (by id or email), or to nobody with {"userId": null}',
    z
      .strictObject({
        userId: z.string().max(64).nullable().optional(),
        email: z.string().max(320).optional(),
      })
      .superRefine((b, ctx) => {
        const given = (b.userId !== undefined ? 1 : 0) + (b.email !== undefined ? 1 : 0);
        if (given !== 1)
          ctx.addIssue({
            code: 'custom',
            path: ['userId'],
            message: 'give exactly one of userId (null to unassign) or email',
          });
      }),
    (c, n, b) => wf.assign(c, n, b),
  );
  action('start-verification', 'Start verifying the report', empty, (c, n) => wf.startVerification(c, n));
  action('confirm', 'Confirm the vulnerability', empty, (c, n) => wf.confirm(c, n));
  action('not-reproducible', 'Verdict: not reproducible (the reporter is told)', withMessage, (c, n, b) =>
    wf.notReproducible(c, n, b),
  );
  action('informational', 'Verdict: informational (the reporter is told)', withMessage, (c, n, b) =>
    wf.informational(c, n, b),
  );
  action(
    'out-of-scope',
    "Verdict: out of scope in one of the program's categories (the reporter gets its answer)",
    z.strictObject({
      category: z.string().max(64).describe("One of the program's `scope.outOfScope[].id`."),
      message: optionalMessage,
    }),
    (c, n, b) => wf.outOfScope(c, n, b),
  );
  action(
    'duplicate',
    'Verdict: duplicate of another case of the program (the reporter learns nothing of it)',
    z.strictObject({ of: caseNumber, message: optionalMessage }),
    (c, n, b) => wf.duplicate(c, n, b),
  );
  action(
    'request-info',
    'Ask the reporter for more information (a message and a mail; the state stays)',
    z.strictObject({ message: text('the message') }),
    (c, n, b) => wf.requestInfo(c, n, b),
  );
  action(
    'summary',
    'Send the summary of findings to the reporter (once verification has a verdict)',
    z.strictObject({ text: text('the summary') }),
    (c, n, b) => wf.sendSummary(c, n, b),
  );
  action('start-remediation', 'Start remediating a confirmed vulnerability', empty, (c, n) =>
    wf.startRemediation(c, n),
  );
  action('mark-disclosed', 'Mark the case as publicly disclosed', empty, (c, n) => wf.markDisclosed(c, n));
  action('close', 'Close the case (an optional message goes to the reporter)', withMessage, (c, n, b) =>
    wf.close(c, n, b),
  );
  action(
    'mark-invalid',
    "Close as invalid / spam: the reporter gets the program's invalid reply (plus the message); clocks not yet stopped become not applicable",
    withMessage,
    (c, n, b) => wf.markInvalid(c, n, b),
  );
  action(
    'forward-to-support',
    "Not a vulnerability: send the reporter the program's support contact (plus the message) and close the case",
    withMessage,
    (c, n, b) => wf.forwardToSupport(c, n, b),
  );
  action(
    'reopen',
    'Reopen a closed case for verification (the reason is kept as an internal note)',
    z.strictObject({ reason: text('the reason') }),
    (c, n, b) => wf.reopen(c, n, b),
  );

  r.post(
    '/api/v1/reports/:caseNumber/messages',
    {
      schema: {
        operationId: 'addCaseMessage',
        tags: ['workflow'],
        summary: 'A message to the reporter (shown on their page and mailed) or an internal note',
        security,
        params,
        body: z.strictObject({
          body: text('the message'),
          visibility: z.enum(['reporter', 'internal']),
        }),
        response: {
          201: z.object({
            messageId: z.string(),
            visibility: z.enum(['reporter', 'internal']),
            case: caseSummary,
          }),
          400: errorBodySchema,
          ...refusals,
        },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      const out = await wf.addMessage(caller, request.params.caseNumber, request.body);
      return reply.code(201).send(out);
    },
  );

  r.get(
    '/api/v1/reports/:caseNumber/timeline',
    {
      schema: {
        operationId: 'getCaseTimeline',
        tags: ['workflow'],
        summary: 'Messages, internal notes, actions and assignments in order (audited)',
        security,
        params,
        response: { 200: z.object({ items: z.array(timelineItem) }), ...refusals },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      reply.header('Cache-Control', 'no-store');
      return { items: await wf.timeline(caller, request.params.caseNumber) };
    },
  );
}
