import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Access, AccountService } from '../accounts/index.js';
import type { Config } from '../config/index.js';
import type { Clock } from '../core/index.js';
import {
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../core/index.js';
import type { Db } from '../db/index.js';
import { errorBodySchema, isMultipart, readMultipart } from '../http/index.js';
import type { Program, ProgramService } from '../programs/index.js';
import { PROOF_HEADER } from './gate-errors.js';
import { createIntakePauseAdmin } from './intake-pause.js';
import type { IntakeService, Receipt } from './intake-service.js';
import { registerPauseRoutes } from './pause-routes.js';

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

export const challengeSchema = z.object({
  required: z.boolean().describe('False in quiet times: send the report without a proof.'),
  level: z.number().describe('0 (none) to 4: how busy the program is, as far as this client is concerned.'),
  algorithm: z.literal('SHA-256').optional(),
  challenge: z.string().optional().describe('SHA-256 of salt + the secret number, hex.'),
  salt: z
    .string()
    .optional()
    .describe('Binds the challenge to the program and its expiry; hash it as given.'),
  signature: z.string().optional(),
  maxnumber: z.number().optional().describe('The secret number is an integer from 0 to maxnumber.'),
  expiresAt: z.string().optional().describe('Solve and send the report before this ISO-8601 instant.'),
});

const proofHeaders = z.looseObject({
  [PROOF_HEADER]: z
    .string()
    .max(2048)
    .optional()
    .describe(
      'The solved challenge when GET /api/v1/programs/{slug}/challenge says `required`: base64 of the JSON `{ "algorithm": "SHA-256", "challenge", "number", "salt", "signature" }` (ALTCHA v1), where `number` is the integer n (0 <= n <= maxnumber) with SHA-256(salt + n) = challenge. Each solution is good for one report, for the program it was issued for, until `expiresAt`. Missing: 400 `proof_required`; forged, expired, spent or for another program: 403 `proof_rejected`. Nothing is stored when refused.',
    ),
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
  deps: {
    intake: IntakeService;
    config: Config;
    programs: Pick<ProgramService, 'find'>;
    db: Db;
    clock: Clock;
    access: Pick<Access, 'programsFor' | 'roleIn'>;
    accounts: Pick<AccountService, 'authenticate' | 'authenticateSession'>;
  },
  rateLimit: object,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { limits } = deps.config;
  const { gate, pauses } = deps.intake;
  registerPauseRoutes(app, {
    accounts: deps.accounts,
    pauseAdmin: createIntakePauseAdmin({ db: deps.db, clock: deps.clock, access: deps.access, pauses }),
  });

  /** The program, open for reports through the API; paused ones answer 503 before anything is read. */
  const openProgram = async (slug: string): Promise<Program> => {
    const program = await deps.programs.find(slug);
    if (!program?.definition.intake.web)
      throw new NotFoundError(`There is no program "${slug}" taking reports here.`);
    await pauses.assertOpen(program);
    return program;
  };

  r.get(
    '/api/v1/programs/:slug/challenge',
    {
      config: { ...rateLimit },
      schema: {
        operationId: 'getChallenge',
        tags: ['intake'],
        summary: 'A proof-of-work challenge to solve before submitting a report',
        description:
          "Adaptive: `required: false` in quiet times; harder as the program's reports of the last hour and this client's own recent reports grow (docs/security.md). Solve it (find n with SHA-256(salt + n) = challenge), then send the solution in the `X-Vigil-Proof` header of POST /api/v1/programs/{slug}/reports.",
        params: z.object({ slug: z.string().max(64) }),
        response: { 200: challengeSchema, 404: errorBodySchema, 429: errorBodySchema, 503: errorBodySchema },
      },
    },
    async (request, reply) => {
      const program = await openProgram(request.params.slug);
      return reply.header('Cache-Control', 'no-store').send(await gate.challenge(program, request.ip));
    },
  );

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
          'Send `application/json` with `{ "fields": { … } }`, or `multipart/form-data` with one text part per field id and any number of file parts (attachments). The answer carries the case number, the private case link (shown only once) and the acknowledgement deadline. While the program\'s intake is paused the answer is 503 `intake_paused` with its message and Retry-After (until it reopens), and nothing is stored.',
        consumes: ['application/json', 'multipart/form-data'],
        params: z.object({ slug: z.string().max(64) }),
        headers: proofHeaders,
        body: submitBodySchema,
        response: {
          201: receiptSchema,
          400: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          413: errorBodySchema,
          415: errorBodySchema,
          429: errorBodySchema,
          // 503 `intake_paused`: the program's intake is paused (its message; Retry-After until it
          // reopens); nothing was stored.
          503: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const { slug } = request.params;
      const language = request.headers['accept-language']?.split(',')[0]?.split(';')[0]?.trim();
      // Paused, or busy without a valid proof: refused before the body is read, so nothing is staged.
      const program = await openProgram(slug);
      const proof = request.headers[PROOF_HEADER];
      await gate.admit(program, request.ip, { proof: typeof proof === 'string' ? proof : undefined }, 'api');
      if (isMultipart(request)) {
        const submission = await deps.intake.begin(slug);
        try {
          const fields = await readMultipart(request, {
            maxFieldBytes: limits.maxFieldBytes,
            maxFields: limits.maxFields,
            onFile: (file) => submission.addAttachment(file),
          });
          const receipt = await submission.commit(fields, {
            channel: 'api',
            language,
            countFrom: request.ip,
          });
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
        countFrom: request.ip,
      });
      return reply.code(201).send(receiptBody(receipt));
    },
  );
}
