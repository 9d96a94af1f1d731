import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config/index.js';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../core/index.js';
import { errorBodySchema, isMultipart, readMultipart } from '../http/index.js';
import type { IntakeService, Receipt } from './intake-service.js';

const answerValue = z.union([z.string(), z.array(z.string()), z.boolean(), z.number()]);

export const submitBodySchema = z.strictObject({
  fields: z
    .record(z.string(), answerValue)
    .describe('Answers by form field id (see GET /api/v1/programs/{slug}).'),
  language: z.string().max(35).optional(),
});

export const receiptSchema = z.object({
  caseNumber: z.string(),
  reporterUrl: z.string().describe('The private case link. Shown once; keep it secret.'),
  acknowledgeBy: z.string().describe('When the program promises to acknowledge, as an ISO-8601 instant.'),
  deadlines: z.record(z.string(), z.string()),
  timeZone: z.string(),
});

export const receiptBody = (r: Receipt) => ({
  caseNumber: r.caseNumber,
  reporterUrl: r.reporterUrl,
  acknowledgeBy: r.acknowledgeBy,
  deadlines: r.deadlines,
  timeZone: r.timeZone,
});

/** Count the keys of a JSON report before validating them one by one, so a flood is a 413. */
function checkFieldCount(body: unknown, max: number): void {
  const fields = (body as { fields?: unknown } | undefined)?.fields;
  if (fields && typeof fields === 'object' && Object.keys(fields).length > max) {
    throw new PayloadTooLargeError(`Too many form fields: at most ${max} per submission.`);
  }
}

export function registerIntakeRoutes(
  app: FastifyInstance,
  deps: { intake: IntakeService; config: Config },
  rateLimit: object,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { limits } = deps.config;

  r.post(
    '/api/v1/programs/:slug/reports',
    {
      config: { ...rateLimit },
      // The body schema documents and validates JSON submissions; multipart bodies are parsed
      // part by part in the handler (files must stream), so validation skips them here.
      validatorCompiler:
        ({ schema }) =>
        (data: unknown) => {
          // Multipart bodies reach here as null: the handler reads them.
          if (data === undefined || data === null) return { value: data };
          const s = schema as unknown as z.ZodType;
          const parsed = s.safeParse(data);
          if (parsed.success) return { value: parsed.data };
          return {
            error: new ValidationError(
              parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
            ),
          };
        },
      preValidation: async (request: FastifyRequest) => checkFieldCount(request.body, limits.maxFields),
      schema: {
        operationId: 'submitReport',
        tags: ['intake'],
        summary: 'Submit a vulnerability report',
        description:
          'Send `application/json` with `{ "fields": { … } }`, or `multipart/form-data` with one text part per field id and any number of file parts (attachments). The answer carries the case number, the private case link (shown only once) and the acknowledgement deadline.',
        consumes: ['application/json', 'multipart/form-data'],
        params: z.object({ slug: z.string().max(64) }),
        body: submitBodySchema,
        response: {
          201: receiptSchema,
          400: errorBodySchema,
          404: errorBodySchema,
          413: errorBodySchema,
          415: errorBodySchema,
          429: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const { slug } = request.params;
      const language = request.headers['accept-language']?.split(',')[0]?.split(';')[0]?.trim();
      if (isMultipart(request)) {
        const submission = await deps.intake.begin(slug);
        try {
          const fields = await readMultipart(request, {
            maxFieldBytes: limits.maxFieldBytes,
            maxFields: limits.maxFields,
            onFile: (file) => submission.addAttachment(file),
          });
          const receipt = await submission.commit(fields, { channel: 'api', language });
          return reply.code(201).send(receiptBody(receipt));
        } catch (err) {
          await submission.abort();
          throw err;
        }
      }
      if (request.body === undefined)
        throw new UnsupportedMediaTypeError('Send application/json or multipart/form-data.');
      // A JSON `null` passes the validator like a multipart body does.
      if (request.body === null)
        throw new ValidationError([{ path: 'body', message: 'must be a JSON object with "fields"' }]);
      const body = request.body;
      const receipt = await deps.intake.submitReport(slug, body.fields, {
        channel: 'api',
        language: body.language ?? language,
      });
      return reply.code(201).send(receiptBody(receipt));
    },
  );
}
