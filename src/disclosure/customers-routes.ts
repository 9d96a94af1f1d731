import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from '../accounts/index.js';
import { staffCaller } from '../accounts/index.js';
import { UnsupportedMediaTypeError, ValidationError } from '../core/index.js';
import { errorBodySchema } from '../http/index.js';
import { TLP_LABELS } from './advisory-model.js';
import type { CoordinatorService } from './coordinators-service.js';
import type { CustomerService } from './customers-service.js';

/**
 * The staff API of a program's customers and coordinators:
 * `/api/v1/programs/{slug}/customers…` and `/api/v1/programs/{slug}/coordinators…`. Admins and
 * leads of the program only (decided in the services). Responses are allowlists: a contact's or
 * coordinator's key is shown by fingerprint, never echoed.
 */

const slug = z.string().max(64);
const id = z.string().max(64);
const name = z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters');
const email = z.string().trim().max(254).email('expected an email address');
const armoredKey = z.string().max(100_000, 'at most 100000 characters');
const products = z.array(z.string().max(64)).max(200);

const contactView = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  keyFingerprint: z.string().nullable(),
});
const organisationView = z.object({
  id: z.string(),
  name: z.string(),
  products: z.array(z.string()),
  contacts: z.array(contactView),
});
const coordinatorView = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  keyFingerprint: z.string(),
  defaultTlp: z.enum(TLP_LABELS),
});
const contactInput = z.strictObject({ name, email, publicKey: armoredKey.optional() });

const refusals = { 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };
const changes = { 400: errorBodySchema, ...refusals, 409: errorBodySchema };

/** Import bodies are CSV text; at most 5 MiB. */
const CSV_LIMIT = 5 * 1024 * 1024;

export function registerCustomerRoutes(
  app: FastifyInstance,
  deps: {
    customers: CustomerService;
    coordinators: CoordinatorService;
    accounts: Pick<AccountService, 'authenticate' | 'authenticateSession'>;
  },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];
  const tags = ['customers'];
  const c = deps.customers;
  const base = '/api/v1/programs/:slug/customers';
  const caller = (request: Parameters<typeof staffCaller>[1]) => staffCaller(deps.accounts, request);

  // CSV is taken as UTF-8 text; a lossy decode would silently change names and addresses.
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'buffer', bodyLimit: CSV_LIMIT },
    (_req, body: Buffer, done) => {
      try {
        done(null, new TextDecoder('utf-8', { fatal: true }).decode(body));
      } catch {
        done(new ValidationError([{ path: 'body', message: 'the CSV file is not valid UTF-8' }]), undefined);
      }
    },
  );

  r.get(
    base,
    {
      schema: {
        operationId: 'listCustomers',
        tags,
        summary: 'Customer organisations of a program with their contacts and product subscriptions',
        security,
        params: z.object({ slug }),
        response: { 200: z.object({ organisations: z.array(organisationView) }), ...refusals },
      },
    },
    async (request) => ({ organisations: await c.list(await caller(request), request.params.slug) }),
  );

  r.post(
    base,
    {
      schema: {
        operationId: 'createCustomer',
        tags,
        summary: 'Add a customer organisation, subscribed to products, with its contacts',
        security,
        params: z.object({ slug }),
        body: z.strictObject({ name, products, contacts: z.array(contactInput).max(200).default([]) }),
        response: { 201: organisationView, ...changes },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await c.createOrganisation(await caller(request), request.params.slug, request.body)),
  );

  r.post(
    `${base}/import`,
    {
      schema: {
        operationId: 'importCustomers',
        tags,
        summary:
          'Import customers from CSV (organisation,name,email,products[,pgp_key]); all rows or none, every bad line named',
        security,
        params: z.object({ slug }),
        response: {
          200: z.object({
            organisationsCreated: z.number(),
            contactsCreated: z.number(),
            contactsUpdated: z.number(),
            rows: z.number(),
          }),
          ...changes,
          415: errorBodySchema,
        },
      },
    },
    async (request) => {
      const who = await caller(request);
      if (typeof request.body !== 'string' || !/^text\/csv\b/i.test(request.headers['content-type'] ?? ''))
        throw new UnsupportedMediaTypeError('Send the import as text/csv.');
      return c.importCsv(who, request.params.slug, request.body);
    },
  );

  r.patch(
    `${base}/:orgId`,
    {
      schema: {
        operationId: 'updateCustomer',
        tags,
        summary: 'Rename a customer organisation or replace its product subscriptions',
        security,
        params: z.object({ slug, orgId: id }),
        body: z.strictObject({ name: name.optional(), products: products.optional() }),
        response: { 200: organisationView, ...changes },
      },
    },
    async (request) =>
      c.updateOrganisation(await caller(request), request.params.slug, request.params.orgId, request.body),
  );

  r.delete(
    `${base}/:orgId`,
    {
      schema: {
        operationId: 'deleteCustomer',
        tags,
        summary: 'Remove a customer organisation with its contacts and subscriptions',
        security,
        params: z.object({ slug, orgId: id }),
        response: { 204: z.null(), ...refusals },
      },
    },
    async (request, reply) => {
      await c.deleteOrganisation(await caller(request), request.params.slug, request.params.orgId);
      return reply.code(204).send(null);
    },
  );

  r.post(
    `${base}/:orgId/contacts`,
    {
      schema: {
        operationId: 'addCustomerContact',
        tags,
        summary: 'Add a contact to a customer organisation',
        security,
        params: z.object({ slug, orgId: id }),
        body: contactInput,
        response: { 201: organisationView, ...changes },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await c.addContact(await caller(request), request.params.slug, request.params.orgId, request.body),
        ),
  );

  r.patch(
    `${base}/:orgId/contacts/:contactId`,
    {
      schema: {
        operationId: 'updateCustomerContact',
        tags,
        summary: "Change a contact's name, address or key (publicKey null removes the key)",
        security,
        params: z.object({ slug, orgId: id, contactId: id }),
        body: z.strictObject({
          name: name.optional(),
          email: email.optional(),
          publicKey: armoredKey.nullable().optional(),
        }),
        response: { 200: organisationView, ...changes },
      },
    },
    async (request) =>
      c.updateContact(
        await caller(request),
        request.params.slug,
        request.params.orgId,
        request.params.contactId,
        request.body,
      ),
  );

  r.delete(
    `${base}/:orgId/contacts/:contactId`,
    {
      schema: {
        operationId: 'deleteCustomerContact',
        tags,
        summary: 'Remove a contact of a customer organisation',
        security,
        params: z.object({ slug, orgId: id, contactId: id }),
        response: { 204: z.null(), ...refusals },
      },
    },
    async (request, reply) => {
      await c.deleteContact(
        await caller(request),
        request.params.slug,
        request.params.orgId,
        request.params.contactId,
      );
      return reply.code(204).send(null);
    },
  );

  const co = deps.coordinators;
  const cbase = '/api/v1/programs/:slug/coordinators';
  const ctags = ['coordinators'];
  const coordinatorInput = {
    name,
    email,
    publicKey: armoredKey,
    defaultTlp: z.enum(TLP_LABELS),
  };

  r.get(
    cbase,
    {
      schema: {
        operationId: 'listCoordinators',
        tags: ctags,
        summary: 'Coordinators (ISACs, CERTs) of a program that receive sharing packages',
        security,
        params: z.object({ slug }),
        response: { 200: z.object({ coordinators: z.array(coordinatorView) }), ...refusals },
      },
    },
    async (request) => ({ coordinators: await co.list(await caller(request), request.params.slug) }),
  );

  r.post(
    cbase,
    {
      schema: {
        operationId: 'createCoordinator',
        tags: ctags,
        summary: 'Add a coordinator; its OpenPGP key is required (sharing packages are always encrypted)',
        security,
        params: z.object({ slug }),
        body: z.strictObject({
          ...coordinatorInput,
          defaultTlp: coordinatorInput.defaultTlp.default('AMBER'),
        }),
        response: { 201: coordinatorView, ...changes },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await co.create(await caller(request), request.params.slug, request.body)),
  );

  r.patch(
    `${cbase}/:id`,
    {
      schema: {
        operationId: 'updateCoordinator',
        tags: ctags,
        summary: "Change a coordinator's name, address, key or default TLP label",
        security,
        params: z.object({ slug, id }),
        body: z.strictObject({
          name: name.optional(),
          email: email.optional(),
          publicKey: armoredKey.optional(),
          defaultTlp: z.enum(TLP_LABELS).optional(),
        }),
        response: { 200: coordinatorView, ...changes },
      },
    },
    async (request) => co.update(await caller(request), request.params.slug, request.params.id, request.body),
  );

  r.delete(
    `${cbase}/:id`,
    {
      schema: {
        operationId: 'deleteCoordinator',
        tags: ctags,
        summary: 'Remove a coordinator no package was shared with yet',
        security,
        params: z.object({ slug, id }),
        response: { 204: z.null(), ...refusals, 409: errorBodySchema },
      },
    },
    async (request, reply) => {
      await co.remove(await caller(request), request.params.slug, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
