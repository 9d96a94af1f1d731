import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from '../accounts/index.js';
import { staffCaller } from '../accounts/index.js';
import { errorBodySchema } from '../http/index.js';
import { PUBLIC_ID } from './advisory-read-model.js';
import type { ArtefactService } from './artefacts-service.js';

/**
 * Staff API around an advisory's machine-readable documents: the checks of a revision (what the
 * console shows the author), the stored CVE records, and the CNA's calls to CVE Services. The
 * service decides who may do what; responses are allowlists.
 */

const publicId = z.string().regex(PUBLIC_ID, 'expected an advisory id such as ACME-SA-2026-0001');
const cveId = z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'expected a CVE ID such as CVE-2026-12345');
const finding = z.object({ artefact: z.string(), test: z.string(), path: z.string(), message: z.string() });
const refusals = { 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

export function registerArtefactRoutes(
  app: FastifyInstance,
  deps: {
    artefacts: ArtefactService;
    accounts: Pick<AccountService, 'authenticate' | 'authenticateSession'>;
  },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];
  const tags = ['advisories'];
  const a = deps.artefacts;
  const base = '/api/v1/advisories';
  const caller = (request: Parameters<typeof staffCaller>[1]) => staffCaller(deps.accounts, request);
  // The first advisory request starts loading the CSAF validator, well before an approval needs it.
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith(base)) a.warm();
  });

  r.get(
    `${base}/:id/revisions/:number/checks`,
    {
      schema: {
        operationId: 'checkAdvisoryRevision',
        tags,
        summary:
          'Build the CSAF document(s) and CVE records this revision would publish now and check them: errors block approval and publication, warnings advise',
        security,
        params: z.object({ id: publicId, number: z.coerce.number().int().min(1).max(10_000) }),
        response: {
          200: z.object({
            revision: z.number(),
            artefacts: z.array(z.object({ kind: z.string(), name: z.string() })),
            errors: z.array(finding),
            warnings: z.array(finding),
          }),
          ...refusals,
        },
      },
    },
    async (request) => a.checks(await caller(request), request.params.id, request.params.number),
  );

  r.get(
    `${base}/:id/cve/:cveId`,
    {
      schema: {
        operationId: 'getAdvisoryCveRecord',
        tags,
        summary: 'The CVE JSON 5 record stored when the advisory was published (newest revision)',
        security,
        description:
          'The body is the stored file byte for byte — the bytes hashed and signed at publication, the same that `vigil cve export` writes — so its hashes and signature verify against it.',
        params: z.object({ id: publicId, cveId }),
        response: {
          // The shape, for clients; the reply is the stored bytes, never re-serialised.
          200: z
            .record(z.string(), z.unknown())
            .describe('A CVE JSON 5 record (dataType CVE_RECORD), exactly as stored at publication'),
          ...refusals,
        },
      },
    },
    async (request, reply) => {
      const body = await a.cveRecord(await caller(request), request.params.id, request.params.cveId);
      // Sent as a Buffer, which Fastify's serialiser passes through untouched; the reply is widened
      // from the typed one because the schema above describes the JSON, not the Buffer.
      const raw: FastifyReply = reply;
      return raw.type('application/json; charset=utf-8').send(Buffer.from(body, 'utf8'));
    },
  );

  r.post(
    `${base}/:id/cve/reserve`,
    {
      schema: {
        operationId: 'reserveCveIds',
        tags,
        summary: "Reserve CVE IDs through CVE Services for the advisory's program (CNA programs; case team)",
        security,
        params: z.object({ id: publicId }),
        body: z
          .strictObject({
            amount: z
              .number()
              .int()
              .min(1, 'reserve at least one')
              .max(10, 'at most 10 at a time')
              .default(1),
            year: z.number().int().min(1999).max(2100).optional(),
          })
          .default({ amount: 1 }),
        response: {
          200: z.object({ cveIds: z.array(z.string()) }),
          400: errorBodySchema,
          ...refusals,
          409: errorBodySchema,
          502: errorBodySchema,
          503: errorBodySchema,
        },
      },
    },
    async (request) => a.reserve(await caller(request), request.params.id, request.body),
  );

  r.post(
    `${base}/:id/cve/:cveId/publish`,
    {
      schema: {
        operationId: 'publishCveRecord',
        tags,
        summary:
          'Send the stored CVE record to CVE Services (created the first time, updated after); refused until the advisory is public',
        security,
        params: z.object({ id: publicId, cveId }),
        body: z.strictObject({}).nullish(),
        response: {
          200: z.object({
            cveId: z.string(),
            action: z.enum(['created', 'updated']),
            dataVersion: z.string(),
          }),
          ...refusals,
          409: errorBodySchema,
          502: errorBodySchema,
          503: errorBodySchema,
        },
      },
    },
    async (request) => a.publishCve(await caller(request), request.params.id, request.params.cveId),
  );
}
