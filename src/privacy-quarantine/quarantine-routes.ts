import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from '../accounts/index.js';
import { staffCaller } from '../accounts/index.js';
import { errorBodySchema } from '../http/index.js';
import { PHI_KINDS } from '../privacy/index.js';
import type { PrivacyQuarantineService } from './quarantine-service.js';

const caseNumber = z
  .string()
  .regex(/^[A-Z][A-Z0-9]{1,9}-\d{4}-\d{4,}$/, 'expected a case number such as ACME-2026-0007');
const id = z.string().regex(/^[0-9a-f-]{36}$/, 'expected an id');
const reason = z.string().trim().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters');
const userRef = z.object({ id: z.string(), name: z.string(), email: z.string() });
const partKind = z.enum(['field', 'message', 'attachment']);

// Allowlists: only these keys leave, whatever the service returns.
const part = z.object({
  id: z.string(),
  kind: partKind,
  ref: z.string().describe('The field id, message id or attachment id.'),
  label: z.string().describe('Field label, "Message of <date>", or the file name.'),
  state: z.enum(['quarantined', 'released', 'redacted']),
  kinds: z.array(z.enum(PHI_KINDS as [string, ...string[]])),
  scannedBytes: z.number().optional().describe('Attachments: decrypted bytes the guard read.'),
  truncated: z.boolean().optional().describe('Attachments: the guard stopped at its cap (16 MiB).'),
  findings: z
    .array(
      z.object({
        kind: z.string(),
        label: z.string(),
        excerpt: z.string().describe('Masked: never the full identifier.'),
        start: z.number(),
        end: z.number(),
        unit: z.enum(['char', 'byte']),
      }),
    )
    .describe('Computed from the content on each read for parts not redacted; never stored.'),
  detectedAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: userRef.nullable(),
});
const redaction = z.object({
  id: z.string(),
  state: z.enum(['proposed', 'applied', 'rejected']),
  reason: z.string(),
  parts: z.array(
    z.object({
      kind: partKind,
      ref: z.string(),
      spans: z.number().optional().describe('How many spans (offsets are not repeated here).'),
      whole: z.literal(true).optional(),
    }),
  ),
  proposedBy: userRef,
  proposedAt: z.string(),
  decidedBy: userRef.nullable(),
  decidedAt: z.string().nullable(),
});
const offset = z.number().int().min(0);
const redactionPart = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.enum(['field', 'message']),
    ref: z.string().min(1).max(128),
    spans: z
      .array(z.strictObject({ start: offset, end: offset }))
      .min(1, 'list at least one span')
      .max(1000)
      .describe('UTF-16 offsets into the text, in order, non-overlapping.'),
  }),
  z.strictObject({ kind: z.literal('attachment'), ref: z.string().min(1).max(128), whole: z.literal(true) }),
]);
const refusals = { 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

/** Review of the PHI quarantine and redaction of a case: privacy officers of its program only. */
export function registerPrivacyQuarantineRoutes(
  app: FastifyInstance,
  deps: { privacyQuarantine: PrivacyQuarantineService; accounts: AccountService },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];
  const base = '/api/v1/reports/:caseNumber';
  const q = deps.privacyQuarantine;

  r.get(
    `${base}/quarantine`,
    {
      schema: {
        operationId: 'getQuarantine',
        tags: ['privacy'],
        summary:
          'Parts of a case held by the PHI guard, with live masked findings, and its redactions (audited)',
        description: 'Privacy duty only: 403 for other readers of the case, 404 for anyone else.',
        security,
        params: z.object({ caseNumber }),
        response: { 200: z.object({ parts: z.array(part), redactions: z.array(redaction) }), ...refusals },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      reply.header('Cache-Control', 'no-store');
      return q.get(caller, request.params.caseNumber);
    },
  );

  r.post(
    `${base}/quarantine/:partId/release`,
    {
      schema: {
        operationId: 'releaseQuarantinedPart',
        tags: ['privacy'],
        summary: 'Release a false positive: the part becomes visible to the case team (409 unless held)',
        security,
        params: z.object({ caseNumber, partId: id }),
        body: z.strictObject({ reason }),
        response: { 200: part, 400: errorBodySchema, ...refusals },
      },
    },
    async (request) => {
      const caller = await staffCaller(deps.accounts, request);
      const { caseNumber: n, partId } = request.params;
      return q.release(caller, n, partId, request.body.reason);
    },
  );

  r.post(
    `${base}/redactions`,
    {
      schema: {
        operationId: 'proposeRedaction',
        tags: ['privacy'],
        summary: 'Propose a redaction of spans or whole attachments (409 while another is proposed)',
        description: 'Only offsets are stored; a second privacy officer approves or rejects it.',
        security,
        params: z.object({ caseNumber }),
        body: z.strictObject({
          reason,
          parts: z.array(redactionPart).min(1, 'name at least one part').max(200),
        }),
        response: { 201: redaction, 400: errorBodySchema, ...refusals },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      const created = await q.propose(caller, request.params.caseNumber, request.body);
      return reply.code(201).send(created);
    },
  );

  r.post(
    `${base}/redactions/:redactionId/approve`,
    {
      schema: {
        operationId: 'approveRedaction',
        tags: ['privacy'],
        summary:
          'Approve and apply a redaction: the original is destroyed (another officer than the proposer)',
        security,
        params: z.object({ caseNumber, redactionId: id }),
        response: { 200: redaction, ...refusals },
      },
    },
    async (request) => {
      const caller = await staffCaller(deps.accounts, request);
      return q.approve(caller, request.params.caseNumber, request.params.redactionId);
    },
  );

  r.post(
    `${base}/redactions/:redactionId/reject`,
    {
      schema: {
        operationId: 'rejectRedaction',
        tags: ['privacy'],
        summary: 'Reject a proposed redaction; nothing changes in the case',
        security,
        params: z.object({ caseNumber, redactionId: id }),
        body: z.strictObject({ reason }),
        response: { 200: redaction, 400: errorBodySchema, ...refusals },
      },
    },
    async (request) => {
      const caller = await staffCaller(deps.accounts, request);
      const { caseNumber: n, redactionId } = request.params;
      return q.reject(caller, n, redactionId, request.body.reason);
    },
  );
}
