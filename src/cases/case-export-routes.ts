import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HttpDeps } from '../http/app.js';
import { staffCaller } from '../http/auth.js';
import { attachmentDisposition } from '../http/download.js';
import { errorBodySchema } from '../http/schemas.js';
import { createCaseAccess } from './case-access.js';
import { createCaseExportService, EXPORT_FORMATS, exportMarkdown } from './case-export.js';

export function registerCaseExportRoutes(
  app: FastifyInstance,
  deps: Pick<
    HttpDeps,
    'db' | 'clock' | 'programs' | 'accounts' | 'cases' | 'workflow' | 'assessment' | 'privacyEscalations'
  >,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // The export only composes the case services; its own access check is the same stateless rule
  // (memberships are read on every call), so it needs no instance-wide wiring of its own.
  const exports = createCaseExportService({
    db: deps.db,
    clock: deps.clock,
    access: createCaseAccess({ db: deps.db, programs: deps.programs }),
    cases: deps.cases,
    workflow: deps.workflow,
    assessment: deps.assessment,
    privacyEscalations: deps.privacyEscalations,
  });

  r.get(
    '/api/v1/reports/:caseNumber/export',
    {
      schema: {
        operationId: 'exportReport',
        tags: ['cases'],
        summary: 'The case as one file for records and hand-over, as the caller may see it (audited)',
        description:
          'A download (`<case-number>.json`, or `.md` with `format=md`): metadata, deadlines and clocks, ' +
          'state history, content, contact details (case team only), messages and internal notes ' +
          'with authors, attachments with SHA-256 (no bytes), assessment, privacy escalation and ' +
          'quarantine summaries. Parts held in PHI quarantine are left out for callers without the ' +
          'privacy duty and listed under `withheld`. One `report.exported` audit entry names the ' +
          'parts that left.',
        security: [{ bearer: [] }],
        params: z.object({
          caseNumber: z
            .string()
            .regex(/^[A-Z][A-Z0-9]{1,9}-\d{4}-\d{4,}$/, 'expected a case number such as ACME-2026-0007'),
        }),
        querystring: z.object({ format: z.enum(EXPORT_FORMATS).default('json') }),
        response: { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      const { caseNumber } = request.params;
      const format = request.query.format;
      const doc = await exports.export(caller, caseNumber, format);
      const body = Buffer.from(
        format === 'md' ? exportMarkdown(doc) : `${JSON.stringify(doc, null, 2)}\n`,
        'utf8',
      );
      return attachmentDisposition(reply, { name: `${caseNumber}.${format}`, size: body.length })
        .header(
          'Content-Type',
          format === 'md' ? 'text/markdown; charset=utf-8' : 'application/json; charset=utf-8',
        )
        .send(body);
    },
  );
}
