import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffCaller } from '../accounts/index.js';
import { errorBodySchema } from '../http/index.js';
import type { IntakePauseAdmin } from './intake-pause.js';
import { PAUSE_MESSAGE_MAX } from './intake-pause.js';

const pauseView = z.object({
  message: z
    .string()
    .describe('Shown on the program page and the form, and answered to API and SMTP clients.'),
  reopensOn: z.string().nullable().describe('YYYY-MM-DD in the program calendar, or null.'),
  pausedAt: z.string().describe('When the pause began, as an ISO-8601 instant.'),
});
export const pauseStateSchema = z.object({ paused: z.boolean(), pause: pauseView.nullable() });

const refusals = { 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

/**
 * `GET|PUT|DELETE /api/v1/programs/{slug}/intake-pause`: staff read, set and end a program's
 * intake pause. Who may is decided in `createIntakePauseAdmin`.
 */
export function registerPauseRoutes(
  app: FastifyInstance,
  deps: {
    pauseAdmin: IntakePauseAdmin;
    accounts: Parameters<typeof staffCaller>[0];
  },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const path = '/api/v1/programs/:slug/intake-pause';
  const params = z.object({ slug: z.string().max(64) });
  const security = [{ bearer: [] }];
  const tags = ['intake'];
  const caller = (request: Parameters<typeof staffCaller>[1]) => staffCaller(deps.accounts, request);

  r.get(
    path,
    {
      schema: {
        operationId: 'getIntakePause',
        tags,
        summary: "Whether the program's intake is paused, with its public message and reopening date",
        security,
        params,
        response: { 200: pauseStateSchema, ...refusals },
      },
    },
    async (request) => deps.pauseAdmin.get(await caller(request), request.params.slug),
  );

  r.put(
    path,
    {
      schema: {
        operationId: 'pauseIntake',
        tags,
        summary: "Pause the program's intake (admins and leads; audited)",
        description:
          'While paused, the program page and form show the message instead of the form, the JSON API answers 503 with Retry-After (until the reopening date, else an hour) and the message, and SMTP answers 450 4.7.1. Nothing is stored, so no deadline starts. Sending it again changes the message or date.',
        security,
        params,
        body: z.strictObject({
          message: z.string().max(PAUSE_MESSAGE_MAX),
          reopensOn: z
            .string()
            .max(10)
            .nullable()
            .optional()
            .describe('YYYY-MM-DD in the program calendar; omit when no date is promised.'),
        }),
        response: { 200: pauseStateSchema, 400: errorBodySchema, ...refusals },
      },
    },
    async (request) => deps.pauseAdmin.pause(await caller(request), request.params.slug, request.body),
  );

  r.delete(
    path,
    {
      schema: {
        operationId: 'resumeIntake',
        tags,
        summary: "Resume the program's intake (admins and leads; audited)",
        security,
        params,
        response: { 200: pauseStateSchema, ...refusals },
      },
    },
    async (request) => deps.pauseAdmin.resume(await caller(request), request.params.slug),
  );
}
