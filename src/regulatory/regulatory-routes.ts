import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from '../accounts/index.js';
import { staffCaller } from '../accounts/index.js';
import { errorBodySchema } from '../http/index.js';
import { MALFUNCTION_OUTCOMES, REGIMES, TRIGGER_KINDS } from './duties.js';
import { CLOCK_STATES } from './regulatory-clocks.js';
import { MAX_REASON_CHARS, MAX_REFERENCE_CHARS, type RegulatoryService } from './regulatory-service.js';
import { REPORT_KINDS } from './report-content.js';

const caseNumber = z
  .string()
  .regex(/^[A-Z][A-Z0-9]{1,9}-\d{4}-\d{4,}$/, 'expected a case number such as ACME-2026-0007');
const id = z.string().min(1).max(100);
const instant = z.iso
  .datetime({
    offset: true,
    error: 'expected an ISO 8601 date and time with a zone, e.g. 2026-03-02T09:00:00Z',
  })
  .optional();
const reason = (what: string) =>
  z
    .string({ error: 'expected the reason as text' })
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_REASON_CHARS, `must be at most ${MAX_REASON_CHARS} characters`)
    .describe(`${what} Stored sealed; the audit log records only that one was given.`);

// Allowlists: only these keys leave, whatever the service returns.
const userRef = z.object({ id: z.string(), email: z.string(), name: z.string() });
const regime = z.enum(REGIMES);
const clockView = z.object({
  id: z.string(),
  triggerId: z.string(),
  duty: z.string().describe('The duty id in the duty table (docs/regulatory.md).'),
  regime,
  regulation: z.string(),
  article: z.string().describe('The source document and article.'),
  title: z.string(),
  recipient: z.string().describe('Who is to be told.'),
  window: z.string().describe('The window as the text says it, e.g. "72 hours".'),
  startedAt: z.string().nullable(),
  dueAt: z.string().nullable().describe('Null while the clock waits for the fact that starts it.'),
  waitingFor: z.string().nullable(),
  state: z.enum(CLOCK_STATES),
  submittedAt: z.string().nullable(),
  submittedBy: userRef.nullable(),
  reference: z.string().nullable().describe("The authority's reference number, once submitted."),
});
const caseView = z.object({
  caseNumber: z.string(),
  program: z.string(),
  timeZone: z.string(),
  product: z.object({ id: z.string(), name: z.string() }).nullable(),
  profile: z.object({ regimes: z.array(regime), summary: z.array(z.string()) }).nullable(),
  availableTriggers: z.array(
    z.object({ kind: z.enum(TRIGGER_KINDS), label: z.string(), regimes: z.array(regime) }),
  ),
  triggers: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(TRIGGER_KINDS),
      label: z.string(),
      productId: z.string(),
      awareAt: z.string(),
      recordedAt: z.string(),
      recordedBy: userRef.nullable().describe('Null when the assessment recorded it.'),
      source: z.enum(['staff', 'assessment']),
      reason: z.string().nullable(),
      individualsAffected: z.number().nullable(),
      residentsOfOneState: z.number().nullable(),
      outcome: z.enum(MALFUNCTION_OUTCOMES).nullable(),
      remedialAction: z.boolean().nullable(),
      measureAvailableAt: z.string().nullable(),
    }),
  ),
  clocks: z.array(clockView),
  decisions: z.array(
    z.object({
      id: z.string(),
      triggerId: z.string(),
      regime,
      regulation: z.string(),
      articles: z.array(z.string()),
      reason: z.string(),
      state: z.enum(['proposed', 'approved', 'rejected']),
      decidedBy: userRef.nullable(),
      decidedAt: z.string(),
      reviewedBy: userRef.nullable(),
      reviewedAt: z.string().nullable(),
      reviewNote: z.string().nullable(),
    }),
  ),
  fdaException: z
    .object({ applies: z.boolean(), lost: z.array(z.string()) })
    .nullable()
    .describe("FDA's exception from 21 CFR 806 reporting for an uncontrolled risk; null without one."),
  adverseEvent: z
    .object({ number: z.string(), openedAt: z.string(), reasons: z.array(z.string()) })
    .nullable(),
});
const adverseEvent = z.object({
  number: z.string(),
  caseNumber: z.string(),
  program: z.string(),
  productId: z.string().nullable(),
  openedAt: z.string(),
  reasons: z.array(z.string()),
  patientSafety: z.object({ severity: z.string(), exploitability: z.string(), risk: z.string() }).nullable(),
  reportability: z.object({
    clocks: z.array(
      z.object({
        duty: z.string(),
        regulation: z.string(),
        article: z.string(),
        state: z.enum(CLOCK_STATES),
        dueAt: z.string().nullable(),
        reference: z.string().nullable(),
      }),
    ),
    decisions: z.array(
      z.object({ regime, state: z.string(), decidedAt: z.string(), reviewedAt: z.string().nullable() }),
    ),
  }),
});
const refusals = { 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const security = [{ bearer: [] }];
const tags = ['regulatory'];

/** The regulatory record of a case, the running clocks across programs, and adverse events. */
export function registerRegulatoryRoutes(
  app: FastifyInstance,
  deps: { regulatory: RegulatoryService; accounts: AccountService },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/reports/:caseNumber/regulatory';
  const caller = (request: Parameters<typeof staffCaller>[1]) => staffCaller(deps.accounts, request);

  r.get(
    base,
    {
      schema: {
        operationId: 'getRegulatory',
        tags,
        summary: "The case's regulatory record: triggers, clocks, decisions, FDA exception, adverse event",
        security,
        params: z.object({ caseNumber }),
        response: { 200: caseView, 401: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return deps.regulatory.caseView(await caller(request), request.params.caseNumber);
    },
  );

  r.post(
    `${base}/triggers`,
    {
      schema: {
        operationId: 'recordRegulatoryTrigger',
        tags,
        summary:
          "Record a trigger; it starts the clocks the product's profile owes (case team; 400 names `kind` when the profile has no such duty)",
        security,
        params: z.object({ caseNumber }),
        body: z.strictObject({
          kind: z.enum(TRIGGER_KINDS, { error: `expected one of: ${TRIGGER_KINDS.join(', ')}` }),
          product: z
            .string()
            .max(63)
            .optional()
            .describe("The product it concerns; the case's product when absent."),
          awareAt: instant.describe('When the vendor became aware; now when absent. Never in the future.'),
          reason: reason('Why the trigger is recorded.'),
          individualsAffected: z
            .number()
            .int()
            .nonnegative()
            .max(1_000_000_000)
            .optional()
            .describe('phi-breach: the estimate of individuals affected (required).'),
          residentsOfOneState: z
            .number()
            .int()
            .nonnegative()
            .max(1_000_000_000)
            .optional()
            .describe('phi-breach: the most residents of one State or jurisdiction (media notice).'),
          outcome: z
            .enum(MALFUNCTION_OUTCOMES)
            .optional()
            .describe('device-malfunction: what it caused or could cause (required).'),
          remedialAction: z
            .boolean()
            .optional()
            .describe(
              'device-malfunction: remedial action is needed to prevent an unreasonable risk of substantial harm.',
            ),
        }),
        response: { 201: caseView, 400: errorBodySchema, ...refusals },
      },
    },
    async (request, reply) => {
      const view = await deps.regulatory.recordTrigger(
        await caller(request),
        request.params.caseNumber,
        request.body,
      );
      return reply.code(201).send(view);
    },
  );

  r.post(
    `${base}/triggers/:triggerId/measure`,
    {
      schema: {
        operationId: 'recordCorrectiveMeasure',
        tags,
        summary:
          'A corrective or mitigating measure is available: starts the clocks that wait for it (case team)',
        security,
        params: z.object({ caseNumber, triggerId: id }),
        body: z.strictObject({ availableAt: instant.describe('When it became available; now when absent.') }),
        response: { 200: caseView, 400: errorBodySchema, ...refusals },
      },
    },
    async (request) =>
      deps.regulatory.recordMeasure(
        await caller(request),
        request.params.caseNumber,
        request.params.triggerId,
        request.body,
      ),
  );

  r.post(
    `${base}/clocks/:clockId/submit`,
    {
      schema: {
        operationId: 'submitRegulatoryReport',
        tags,
        summary:
          'Record that the report was submitted, with the reference number: the clock stops (case team)',
        security,
        params: z.object({ caseNumber, clockId: id }),
        body: z.strictObject({
          reference: z
            .string({ error: 'expected the reference number as text' })
            .trim()
            .min(1, 'must not be empty')
            .max(MAX_REFERENCE_CHARS, `must be at most ${MAX_REFERENCE_CHARS} characters`),
          submittedAt: instant.describe('When it was submitted; now when absent.'),
        }),
        response: { 200: caseView, 400: errorBodySchema, ...refusals },
      },
    },
    async (request) =>
      deps.regulatory.submit(
        await caller(request),
        request.params.caseNumber,
        request.params.clockId,
        request.body,
      ),
  );

  r.get(
    `${base}/clocks/:clockId/report`,
    {
      schema: {
        operationId: 'getRegulatoryReport',
        tags,
        summary:
          "Paste-ready content for the clock's report, as text and JSON (nothing is sent; the reporter's contact details never appear)",
        security,
        params: z.object({ caseNumber, clockId: id }),
        response: {
          200: z.object({
            clockId: z.string(),
            reportKind: z.enum(REPORT_KINDS),
            title: z.string(),
            text: z.string(),
            json: z.record(z.string(), z.unknown()),
          }),
          401: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return deps.regulatory.report(await caller(request), request.params.caseNumber, request.params.clockId);
    },
  );

  r.post(
    `${base}/decisions`,
    {
      schema: {
        operationId: 'proposeNotReportable',
        tags,
        summary: 'Propose that a trigger is not reportable under one regime, with the reason (case team)',
        security,
        params: z.object({ caseNumber }),
        body: z.strictObject({
          triggerId: id,
          regime: z.enum(REGIMES, { error: `expected one of: ${REGIMES.join(', ')}` }),
          reason: reason('Why it is not reportable.'),
        }),
        response: { 201: caseView, 400: errorBodySchema, ...refusals },
      },
    },
    async (request, reply) => {
      const view = await deps.regulatory.proposeNotReportable(
        await caller(request),
        request.params.caseNumber,
        request.body,
      );
      return reply.code(201).send(view);
    },
  );

  r.post(
    `${base}/decisions/:decisionId/approve`,
    {
      schema: {
        operationId: 'approveNotReportable',
        tags,
        summary:
          "Approve a proposed decision: another person with the regime's duty (approver, or privacy for HIPAA/GDPR); closes its clocks",
        security,
        params: z.object({ caseNumber, decisionId: id }),
        body: z.strictObject({}).nullish(),
        response: { 200: caseView, ...refusals },
      },
    },
    async (request) =>
      deps.regulatory.reviewNotReportable(
        await caller(request),
        request.params.caseNumber,
        request.params.decisionId,
        {
          approve: true,
        },
      ),
  );

  r.post(
    `${base}/decisions/:decisionId/reject`,
    {
      schema: {
        operationId: 'rejectNotReportable',
        tags,
        summary:
          "Reject a proposed decision, with the reason: another person with the regime's duty; clocks run on",
        security,
        params: z.object({ caseNumber, decisionId: id }),
        body: z.strictObject({ reason: reason('Why the decision is rejected.') }),
        response: { 200: caseView, 400: errorBodySchema, ...refusals },
      },
    },
    async (request) =>
      deps.regulatory.reviewNotReportable(
        await caller(request),
        request.params.caseNumber,
        request.params.decisionId,
        {
          approve: false,
          reason: request.body.reason,
        },
      ),
  );

  r.get(
    '/api/v1/regulatory/clocks',
    {
      schema: {
        operationId: 'listRegulatoryClocks',
        tags,
        summary: "Every running regulatory clock across the caller's programs, soonest due first",
        security,
        response: {
          200: z.object({
            items: z.array(
              clockView.extend({ caseNumber: z.string(), program: z.string(), productId: z.string() }),
            ),
          }),
          401: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return { items: await deps.regulatory.openClocks(await caller(request)) };
    },
  );

  r.get(
    '/api/v1/reports/:caseNumber/adverse-event',
    {
      schema: {
        operationId: 'getAdverseEvent',
        tags,
        summary:
          "The case's complaint/vigilance record for the quality system, with its reportability (404 when none)",
        security,
        params: z.object({ caseNumber }),
        response: { 200: adverseEvent, 401: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return deps.regulatory.adverseEvent(await caller(request), request.params.caseNumber);
    },
  );

  r.get(
    '/api/v1/adverse-events',
    {
      schema: {
        operationId: 'listAdverseEvents',
        tags,
        summary:
          "Adverse-event records of the caller's programs, newest first, as JSON for the quality system",
        security,
        response: { 200: z.object({ items: z.array(adverseEvent) }), 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return { items: await deps.regulatory.adverseEvents(await caller(request)) };
    },
  );
}
