import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService, StaffCaller } from '../accounts/index.js';
import { staffCaller } from '../accounts/index.js';
import { errorBodySchema } from '../http/index.js';
import { advisoryContentSchema, TLP_LABELS } from './advisory-model.js';
import { type AdvisoryDetail, PUBLIC_ID, REVISION_STATES } from './advisory-read-model.js';
import type { AdvisoryService } from './advisory-service.js';

/**
 * The staff API of advisories: `/api/v1/advisories…`. Who may do what is decided in the advisory
 * service (the case team drafts, edits and publishes; a holder of the `approver` duty who did not
 * write the revision approves it). Responses are allowlists built from the schemas below.
 */

const caseNumber = z
  .string()
  .regex(/^[A-Z][A-Z0-9]{1,9}-\d{4}-\d{4,}$/, 'expected a case number such as ACME-2026-0007');
const publicId = z.string().regex(PUBLIC_ID, 'expected an advisory id such as ACME-SA-2026-0001');
const revisionNumber = z.coerce.number().int().min(1).max(10_000);

const state = z.enum(REVISION_STATES);
const summaryFields = {
  id: z.string(),
  program: z.string(),
  state: z.enum(['draft', 'published']),
  title: z.string(),
  tlp: z.enum(TLP_LABELS),
  publishedRevision: z.number().nullable(),
  initialReleaseAt: z.string().nullable(),
  currentReleaseAt: z.string().nullable(),
  openRevision: z.object({ number: z.number(), state, publishNotBefore: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
};
const advisorySummary = z.object(summaryFields);
const advisoryDetail = z.object({
  ...summaryFields,
  cases: z.array(z.string()),
  url: z.string(),
  revisions: z.array(
    z.object({
      number: z.number(),
      state,
      summary: z.string(),
      content: advisoryContentSchema,
      author: z.string(),
      editors: z.array(z.string()),
      authorId: z.string(),
      editorIds: z.array(z.string()),
      createdAt: z.string(),
      updatedAt: z.string(),
      submittedAt: z.string().nullable(),
      approvedAt: z.string().nullable(),
      approvedBy: z.string().nullable(),
      approvedById: z.string().nullable(),
      publishNotBefore: z.string().nullable(),
      scheduledAt: z.string().nullable(),
      publishedAt: z.string().nullable(),
    }),
  ),
  history: z.array(z.object({ number: z.string(), date: z.string(), summary: z.string() })),
});

/** The operationId of each revision action, by its path: verb first, like every other operation. */
const revisionActionOperationIds = {
  submit: 'submitAdvisoryRevision',
  approve: 'approveAdvisoryRevision',
  return: 'returnAdvisoryRevision',
  publish: 'publishAdvisoryRevision',
} as const;

const refusals = { 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };
const changeResponses = { 200: advisoryDetail, 400: errorBodySchema, ...refusals, 409: errorBodySchema };

export function registerAdvisoryRoutes(
  app: FastifyInstance,
  deps: {
    advisories: AdvisoryService;
    accounts: Pick<AccountService, 'authenticate' | 'authenticateSession'>;
  },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];
  const tags = ['advisories'];
  const a = deps.advisories;
  const base = '/api/v1/advisories';
  const caller = (request: Parameters<typeof staffCaller>[1]) => staffCaller(deps.accounts, request);

  r.get(
    base,
    {
      schema: {
        operationId: 'listAdvisories',
        tags,
        summary: 'Advisories of the programs the caller may read, newest first',
        security,
        querystring: z.object({ program: z.string().max(64).optional() }),
        response: { 200: z.object({ advisories: z.array(advisorySummary) }), ...refusals },
      },
    },
    async (request) => ({ advisories: await a.list(await caller(request), request.query.program) }),
  );

  r.post(
    base,
    {
      schema: {
        operationId: 'draftAdvisory',
        tags,
        summary:
          'Draft an advisory from confirmed cases of one program, prefilled from their assessments and consented credits',
        security,
        body: z.strictObject({
          cases: z.array(caseNumber).min(1, 'name at least one case').max(20, 'at most 20 cases'),
        }),
        response: { 201: advisoryDetail, 400: errorBodySchema, ...refusals, 409: errorBodySchema },
      },
    },
    async (request, reply) => reply.code(201).send(await a.draft(await caller(request), request.body)),
  );

  r.get(
    `${base}/:id`,
    {
      schema: {
        operationId: 'getAdvisory',
        tags,
        summary: 'An advisory with every revision, its cases and the published revision history',
        security,
        params: z.object({ id: publicId }),
        response: { 200: advisoryDetail, ...refusals },
      },
    },
    async (request) => a.get(await caller(request), request.params.id),
  );

  r.put(
    `${base}/:id/revisions/:number`,
    {
      schema: {
        operationId: 'editAdvisoryDraft',
        tags,
        summary:
          'Replace the whole content of a draft revision (CVSS scores and CWE names are recomputed; a published revision answers 409)',
        security,
        params: z.object({ id: publicId, number: revisionNumber }),
        // Checked by the service against the content schema, so every bad field is named at once.
        body: z.record(z.string(), z.unknown()).describe('AdvisoryContent (see the getAdvisory response)'),
        response: changeResponses,
      },
    },
    async (request) => a.edit(await caller(request), request.params.id, request.params.number, request.body),
  );

  r.post(
    `${base}/:id/revisions`,
    {
      schema: {
        operationId: 'correctAdvisory',
        tags,
        summary:
          'Start a correction: the next revision as a draft copied from the published one, with a change summary',
        security,
        params: z.object({ id: publicId }),
        body: z.strictObject({
          summary: z
            .string()
            .max(1000, 'at most 1000 characters')
            .refine((s) => s.trim() !== '', 'say what the correction changes'),
        }),
        response: { 201: advisoryDetail, 400: errorBodySchema, ...refusals, 409: errorBodySchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await a.correct(await caller(request), request.params.id, request.body)),
  );

  /** One revision action: `POST …/revisions/{number}/<path>` answering the advisory. */
  function action(
    path: keyof typeof revisionActionOperationIds,
    summary: string,
    run: (c: StaffCaller, id: string, n: number) => Promise<AdvisoryDetail>,
  ) {
    r.post(
      `${base}/:id/revisions/:number/${path}`,
      {
        schema: {
          operationId: revisionActionOperationIds[path],
          tags,
          summary,
          security,
          params: z.object({ id: publicId, number: revisionNumber }),
          body: z.strictObject({}).nullish(),
          response: changeResponses,
        },
      },
      async (request) => run(await caller(request), request.params.id, request.params.number),
    );
  }

  action('submit', 'Submit a draft revision for approval (case team)', (c, id, n) => a.submit(c, id, n));
  action('approve', 'Approve a revision in review (approver duty; not its author or an editor)', (c, id, n) =>
    a.approve(c, id, n),
  );
  action(
    'return',
    'Send a revision in review, approved or scheduled back to draft (case team, or an approver declining it)',
    (c, id, n) => a.returnToDraft(c, id, n),
  );
  action(
    'publish',
    'Publish an approved revision now, or schedule it when its publishNotBefore is ahead (case team)',
    (c, id, n) => a.publish(c, id, n),
  );
}
