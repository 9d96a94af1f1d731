import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService, StaffCaller } from '../accounts/index.js';
import { staffCaller } from '../accounts/index.js';
import { errorBodySchema } from '../http/index.js';
import { POLICY_STATES, VERSION_LABEL } from './policy-rules.js';
import type { PolicyService } from './policy-service.js';
import type { PolicyDocumentDetail } from './policy-views.js';

/**
 * The staff API of policy governance: `/api/v1/programs/{slug}/policies…`. Who may do what is
 * decided in the policy service (owners author and publish, the `privacy` duty reviews, the
 * `approver` duty approves, never the same person for one version).
 */

const MAX_POLICY_CHARS = 200_000;
const slug = z.string().max(64);
const kind = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a lowercase slug such as disclosure-policy');
const version = z.string().regex(VERSION_LABEL, 'expected a version label such as 1.0 or 1.1');
const text = (what: string, max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => s.trim() !== '', `${what} must not be empty`);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'is not a calendar date',
  );

const docParams = z.object({ slug, kind });
const versionParams = z.object({ slug, kind, version });

const state = z.enum(POLICY_STATES);
const historyRow = z.object({
  version: z.string(),
  date: z.string(),
  changes: z.string(),
  reviewedBy: z.string().nullable(),
  approvedBy: z.string().nullable(),
  kind: z.enum(['version', 'review']),
});
const summaryFields = {
  kind: z.string(),
  title: z.string(),
  reviewIntervalDays: z.number(),
  published: z
    .object({ version: z.string(), effectiveDate: z.string().nullable(), publishedAt: z.string() })
    .nullable(),
  openVersion: z.object({ version: z.string(), state }).nullable(),
  lastReviewedAt: z.string().nullable(),
  reviewDueAt: z.string().nullable(),
  overdue: z.boolean(),
};
const documentSummary = z.object(summaryFields);
// Response schemas are allowlists: they pick the fields of a document, never spread a row.
const documentDetail = z.object({
  ...summaryFields,
  versions: z.array(
    z.object({
      version: z.string(),
      state,
      body: z.string(),
      changes: z.string(),
      effectiveDate: z.string().nullable(),
      author: z.string(),
      editors: z
        .array(z.string())
        .describe('everyone who wrote or edited it: none of them reviews or approves it'),
      editorIds: z.array(z.string()),
      createdAt: z.string(),
      updatedAt: z.string(),
      submittedAt: z.string().nullable(),
      reviewedAt: z.string().nullable(),
      reviewedBy: z.string().nullable(),
      approvedAt: z.string().nullable(),
      approvedBy: z.string().nullable(),
      publishedAt: z.string().nullable(),
      supersededAt: z.string().nullable(),
      sentBackAt: z.string().nullable(),
      sentBackBy: z.string().nullable(),
      sentBackNote: z
        .string()
        .nullable()
        .describe('What the reviewer asked to change, last time it was sent back.'),
      sendBacks: z.array(z.object({ at: z.string(), by: z.string(), note: z.string() })),
    }),
  ),
  history: z.array(historyRow),
  pendingReview: z
    .object({
      version: z.string(),
      reviewedAt: z.string(),
      reviewedBy: z.string(),
      note: z.string().nullable(),
    })
    .nullable(),
});

/** The operationId of each version action, by its path: verb first, like every other operation. */
const versionActionOperationIds = {
  submit: 'submitPolicyVersion',
  review: 'reviewPolicyVersion',
  'send-back': 'sendBackPolicyVersion',
  approve: 'approvePolicyVersion',
  publish: 'publishPolicyVersion',
} as const;

const refusals = { 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };
const changeResponses = { 200: documentDetail, 400: errorBodySchema, ...refusals, 409: errorBodySchema };

export function registerPolicyAdminRoutes(
  app: FastifyInstance,
  deps: { policies: PolicyService; accounts: AccountService },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];
  const tags = ['policies'];
  const p = deps.policies;
  const base = '/api/v1/programs/:slug/policies';

  r.get(
    base,
    {
      schema: {
        operationId: 'listPolicies',
        tags,
        summary: "The program's policy documents, with review due dates and an overdue flag",
        security,
        params: z.object({ slug }),
        response: { 200: z.object({ documents: z.array(documentSummary) }), ...refusals },
      },
    },
    async (request) => ({
      documents: await p.listDocuments(await staffCaller(deps.accounts, request), request.params.slug),
    }),
  );

  r.get(
    '/api/v1/policies',
    {
      schema: {
        operationId: 'listPolicyReviewStatus',
        tags,
        summary:
          'Every policy document of the programs the caller can see, with its review status: overdue first, then by due date',
        security,
        querystring: z.strictObject({
          overdue: z
            .enum(['true', 'false'])
            .optional()
            .describe('Only overdue reviews (true) or only those not overdue (false).'),
        }),
        response: {
          200: z.object({
            documents: z.array(
              z.object({ program: z.object({ slug: z.string(), name: z.string() }), ...summaryFields }),
            ),
          }),
          400: errorBodySchema,
          401: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      const { overdue } = request.query;
      reply.header('Cache-Control', 'no-store');
      return {
        documents: await p.listReviewStatus(
          caller,
          overdue === undefined ? {} : { overdue: overdue === 'true' },
        ),
      };
    },
  );

  r.post(
    base,
    {
      schema: {
        operationId: 'createPolicy',
        tags,
        summary: 'Create a policy document (program admin or lead)',
        security,
        params: z.object({ slug }),
        body: z.strictObject({
          kind,
          title: text('the title', 200),
          reviewIntervalDays: z.number().int().min(1).max(3650).optional(),
        }),
        response: { 201: documentDetail, 400: errorBodySchema, ...refusals, 409: errorBodySchema },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      return reply.code(201).send(await p.createDocument(caller, request.params.slug, request.body));
    },
  );

  r.get(
    `${base}/:kind`,
    {
      schema: {
        operationId: 'getPolicy',
        tags,
        summary: 'A policy document with its versions and generated revision history',
        security,
        params: docParams,
        response: { 200: documentDetail, ...refusals },
      },
    },
    async (request) =>
      p.getDocument(await staffCaller(deps.accounts, request), request.params.slug, request.params.kind),
  );

  r.post(
    `${base}/:kind/versions`,
    {
      schema: {
        operationId: 'createPolicyDraft',
        tags,
        summary: 'Start a draft version, from scratch (body) or from the published text (from: "published")',
        security,
        params: docParams,
        body: z.strictObject({
          version: version.optional(),
          from: z.literal('published').optional(),
          body: text('the policy text', MAX_POLICY_CHARS).optional(),
          changes: text('the record of changes', 2000),
          effectiveDate: isoDate.optional(),
        }),
        response: { 201: documentDetail, 400: errorBodySchema, ...refusals, 409: errorBodySchema },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      const { slug: s, kind: k } = request.params;
      return reply.code(201).send(await p.createDraft(caller, s, k, request.body));
    },
  );

  r.patch(
    `${base}/:kind/versions/:version`,
    {
      schema: {
        operationId: 'editPolicyDraft',
        tags,
        summary: 'Edit a draft version (text, record of changes, effective date)',
        security,
        params: versionParams,
        body: z
          .strictObject({
            body: text('the policy text', MAX_POLICY_CHARS).optional(),
            changes: text('the record of changes', 2000).optional(),
            effectiveDate: isoDate.nullable().optional(),
          })
          .refine((b) => Object.keys(b).length > 0, {
            message: 'give at least one of body, changes, effectiveDate',
            path: ['body'],
          }),
        response: changeResponses,
      },
    },
    async (request) => {
      const caller = await staffCaller(deps.accounts, request);
      const { slug: s, kind: k, version: v } = request.params;
      return p.editDraft(caller, s, k, v, request.body);
    },
  );

  /** One version action: `POST …/versions/{version}/<path>` answering the document. */
  function action<B extends z.ZodObject>(
    path: keyof typeof versionActionOperationIds,
    summary: string,
    body: B,
    run: (
      caller: StaffCaller,
      s: string,
      k: string,
      v: string,
      b: z.infer<B>,
    ) => Promise<PolicyDocumentDetail>,
  ) {
    r.post(
      `${base}/:kind/versions/:version/${path}`,
      {
        schema: {
          operationId: versionActionOperationIds[path],
          tags,
          summary,
          security,
          params: versionParams,
          body,
          response: changeResponses,
        },
      },
      async (request) => {
        const caller = await staffCaller(deps.accounts, request);
        const { slug: s, kind: k, version: v } = request.params;
        return run(caller, s, k, v, (request.body ?? {}) as z.infer<B>);
      },
    );
  }

  action('submit', 'Submit a draft for review (owner)', z.strictObject({}), (c, s, k, v) =>
    p.submit(c, s, k, v),
  );
  action(
    'review',
    'Review a version in review (privacy duty; not its author or an editor)',
    z.strictObject({}),
    (c, s, k, v) => p.review(c, s, k, v),
  );
  action(
    'send-back',
    'Send a version in review back to draft with a note on what must change (privacy duty; not its author or an editor)',
    z.strictObject({ note: text('the note', 2000).describe('What must change before it is resubmitted.') }),
    (c, s, k, v, b) => p.sendBack(c, s, k, v, b),
  );
  action(
    'approve',
    'Approve a reviewed version (approver duty; not its reviewer, author or an editor)',
    z.strictObject({}),
    (c, s, k, v) => p.approve(c, s, k, v),
  );
  action(
    'publish',
    'Publish an approved version (owner); the published one before it becomes superseded',
    z.strictObject({ effectiveDate: isoDate.optional() }),
    (c, s, k, v, b) => p.publish(c, s, k, v, b),
  );

  r.post(
    `${base}/:kind/review-without-change`,
    {
      schema: {
        operationId: 'reviewPolicyWithoutChange',
        tags,
        summary:
          'Annual review that changes nothing, step 1: the privacy officer signs the published version',
        security,
        params: docParams,
        body: z.strictObject({ note: text('the note', 2000).optional() }),
        response: changeResponses,
      },
    },
    async (request) => {
      const caller = await staffCaller(deps.accounts, request);
      return p.reviewWithoutChange(caller, request.params.slug, request.params.kind, request.body);
    },
  );

  r.post(
    `${base}/:kind/review-without-change/approve`,
    {
      schema: {
        operationId: 'approvePolicyReviewWithoutChange',
        tags,
        summary: 'Annual review, step 2: the approver (not the reviewer) signs; the due date starts again',
        security,
        params: docParams,
        body: z.strictObject({}),
        response: changeResponses,
      },
    },
    async (request) => {
      const caller = await staffCaller(deps.accounts, request);
      return p.approveReviewWithoutChange(caller, request.params.slug, request.params.kind);
    },
  );
}
