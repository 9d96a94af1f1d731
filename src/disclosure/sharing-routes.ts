import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from '../accounts/index.js';
import { staffCaller } from '../accounts/index.js';
import { errorBodySchema } from '../http/index.js';
import { TLP_LABELS } from './advisory-model.js';
import { PUBLIC_ID } from './advisory-read-model.js';
import type { SharingService } from './sharing-service.js';

/**
 * Sharing packages for coordinators and the delivery record of an advisory:
 * `POST /api/v1/advisories/{id}/revisions/{n}/share`, `GET /api/v1/advisories/{id}/deliveries` and
 * the preview of a revision's customer recipients, `GET /api/v1/advisories/{id}/revisions/{n}/recipients`.
 */

const publicId = z.string().regex(PUBLIC_ID, 'expected an advisory id such as ACME-SA-2026-0001');
const status = z.enum(['pending', 'sending', 'sent', 'failed', 'unknown']);
const sharingView = z.object({
  coordinatorId: z.string(),
  coordinator: z.string(),
  email: z.string().nullable().describe('null when addresses are withheld'),
  revision: z.number(),
  tlp: z.enum(TLP_LABELS),
  status,
  sharedBy: z.string(),
  sharedAt: z.string(),
  sentAt: z.string().nullable(),
});
const deliveryView = z.object({
  kind: z.enum(['customer', 'reporter']),
  email: z.string().nullable().describe('null when addresses are withheld'),
  revision: z.number(),
  stage: z.enum(['pre-notification', 'publication']),
  encrypted: z.boolean(),
  status,
  queuedAt: z.string(),
  sentAt: z.string().nullable(),
});
const refusals = { 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

export function registerSharingRoutes(
  app: FastifyInstance,
  deps: { sharing: SharingService; accounts: Pick<AccountService, 'authenticate' | 'authenticateSession'> },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];
  const tags = ['advisories'];
  const caller = (request: Parameters<typeof staffCaller>[1]) => staffCaller(deps.accounts, request);

  r.post(
    '/api/v1/advisories/:id/revisions/:n/share',
    {
      schema: {
        operationId: 'shareAdvisory',
        tags,
        summary:
          'Send an approved, scheduled or published revision to coordinators as encrypted sharing packages (TLP:AMBER by default before publication)',
        security,
        params: z.object({ id: publicId, n: z.coerce.number().int().min(1).max(10_000) }),
        body: z.strictObject({
          coordinatorIds: z.array(z.string().max(64)).min(1, 'name at least one coordinator').max(50),
          tlp: z.enum(TLP_LABELS).optional(),
        }),
        response: {
          201: z.object({ shared: z.array(sharingView) }),
          400: errorBodySchema,
          ...refusals,
          409: errorBodySchema,
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send({
        shared: await deps.sharing.share(
          await caller(request),
          request.params.id,
          request.params.n,
          request.body,
        ),
      }),
  );

  r.get(
    '/api/v1/advisories/:id/revisions/:n/recipients',
    {
      schema: {
        operationId: 'listAdvisoryRecipients',
        tags,
        summary:
          'Before publishing: how many customer addresses a revision would notify and which have no OpenPGP key (for TLP:AMBER/RED they get a notice without the content); contacts named for customer managers only',
        security,
        params: z.object({ id: publicId, n: z.coerce.number().int().min(1).max(10_000) }),
        response: {
          200: z.object({
            revision: z.number(),
            tlp: z.enum(TLP_LABELS),
            notifyCustomers: z.boolean(),
            restricted: z.boolean(),
            addresses: z.enum(['shown', 'withheld']),
            customers: z.number(),
            withoutKey: z.number(),
            keylessContacts: z
              .array(z.object({ organisation: z.string(), name: z.string(), email: z.string() }))
              .nullable(),
          }),
          ...refusals,
        },
      },
    },
    async (request) => deps.sharing.recipients(await caller(request), request.params.id, request.params.n),
  );

  r.get(
    '/api/v1/advisories/:id/deliveries',
    {
      schema: {
        operationId: 'listAdvisoryDeliveries',
        tags,
        summary:
          'Notifications (customers, reporters) and sharing packages of an advisory, with outbox status; addresses for customer managers only',
        security,
        params: z.object({ id: publicId }),
        response: {
          200: z.object({
            addresses: z
              .enum(['shown', 'withheld'])
              .describe(
                'Recipient addresses are shown only to those who may list the program customers and coordinators (its admins and leads)',
              ),
            deliveries: z.array(deliveryView),
            sharing: z.array(sharingView),
          }),
          ...refusals,
        },
      },
    },
    async (request) => deps.sharing.deliveries(await caller(request), request.params.id),
  );
}
