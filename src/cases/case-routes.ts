import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from '../accounts/index.js';
import { staffCaller } from '../accounts/index.js';
import { SEVERITIES } from '../assessment/index.js';
import { attachmentDisposition, errorBodySchema } from '../http/index.js';
import type { CaseService } from './case-service.js';
import { CASE_STATES } from './case-service.js';
import { CASE_CLOCKS, CLOCK_STATES } from './clocks.js';
import { SIGNAL_KINDS } from './quality-signals.js';
import { QUEUE_SORTS } from './queue.js';

const answers = z.record(z.string(), z.union([z.string(), z.array(z.string()), z.boolean()]));
const caseListItem = z.object({
  caseNumber: z.string(),
  program: z.string(),
  state: z.string(),
  channel: z.string(),
  receivedAt: z.string(),
  acknowledgeBy: z.string(),
  deadlines: z.record(z.string(), z.string()),
});
const caseClock = z.object({
  name: z.enum(CASE_CLOCKS),
  due: z.string(),
  stoppedAt: z.string().nullable(),
  state: z
    .enum(CLOCK_STATES)
    .describe(
      '`not-applicable`: a triage outcome (invalid / spam, forwarded to support) closed the case before the step; `reason` names it.',
    ),
  reason: z.string().optional().describe('Only on a `not-applicable` clock: the triage outcome.'),
  businessDaysLeft: z
    .number()
    .describe(
      "Business days left in the program's calendar (negative: overdue); frozen at the stop once stopped.",
    ),
  fractionUsed: z
    .number()
    .describe('Wall time since receipt over wall time from receipt to due; > 1 past due.'),
});
const signalItem = z.object({
  kind: z.enum(SIGNAL_KINDS),
  tone: z.enum(['good', 'bad', 'neutral']),
  points: z.number().describe('What this signal added to (or took from) the triage score.'),
  explanation: z.string().describe('The signal in words; never the report text.'),
});
const caseSignals = z
  .object({
    score: z.number().int().describe('The triage score, 0–100: higher means triage sooner.'),
    computedAt: z.string(),
    summary: z
      .string()
      .describe('Every explanation in one line, e.g. "no version named; 0 in-scope endpoints mentioned".'),
    items: z.array(signalItem),
    similar: z
      .object({ caseNumber: z.string(), score: z.number() })
      .nullable()
      .describe('The most similar case of the program on arrival (above the suggestion threshold), or null.'),
    outOfScope: z
      .array(z.string())
      .describe("Ids of the program's out-of-scope categories the text matches."),
    aiUse: z
      .string()
      .nullable()
      .describe("The reporter's answer to the AI-use question (an option value), or null."),
    standing: z
      .object({
        basis: z
          .enum(['signing-key', 'address'])
          .describe(
            'How the reporter was recognised: a key whose signature verified, or an address as given (unverified).',
          ),
        earlier: z.number().int(),
        byOutcome: z
          .record(z.string(), z.number().int())
          .describe('Earlier reports by the state each was in on arrival.'),
      })
      .nullable()
      .describe(
        "The reporter's earlier reports in this program on arrival, by outcome; keyed by a keyed hash, never the address. Null without an address or key.",
      ),
  })
  .nullable()
  .describe(
    'Quality signals computed on arrival (they never close or answer a case); null for cases from before signals existed.',
  );
const queueItem = caseListItem.extend({
  severity: z.string().nullable(),
  product: z.string().nullable(),
  assignee: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
  nextDueAt: z.string().nullable().describe('The earliest due instant among the running clocks.'),
  clocks: z.array(caseClock),
  phi: z.boolean().describe('True while any part of the case is held in PHI quarantine.'),
  phiClaim: z
    .boolean()
    .describe(
      "True while the reporter's words say they reached PHI or personal data and the team has not decided on a privacy escalation.",
    ),
  urgent: z
    .string()
    .nullable()
    .describe(
      'Why the case is urgent: `phi-accessed` (the reporter answered that they reached PHI); null otherwise.',
    ),
  regulatoryDueAt: z
    .string()
    .nullable()
    .describe(
      'The earliest due instant among the running regulatory clocks of the case; null when none runs.',
    ),
  signals: caseSignals,
});
const oneOrMany = <T extends z.ZodTypeAny>(item: T) => z.union([item, z.array(item)]).optional();
const asList = <T>(v: T | T[] | undefined): T[] | undefined =>
  v === undefined ? undefined : Array.isArray(v) ? v : [v];
const attachment = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number(),
  contentType: z.string(),
  createdAt: z.string(),
  messageId: z.string().nullable(),
  quarantined: z
    .boolean()
    .describe(
      'Held in PHI quarantine: without the privacy duty the name reads "quarantined attachment" and ' +
        'the download answers 403 `quarantined`.',
    ),
  redacted: z.boolean().describe('Destroyed by an approved redaction: a tombstone without name or content.'),
});
// Response schemas are allowlists: only these keys can leave, whatever the service returns.
const signature = z.object({
  status: z.string(),
  keyId: z.string().optional(),
  fingerprint: z.string().optional(),
});
const caseDetail = queueItem.extend({
  contactPerson: z
    .string()
    .nullable()
    .describe('The person named to the reporter as their contact when the case was acknowledged.'),
  language: z.string(),
  intake: z
    .object({
      channel: z.string().optional(),
      decryption: z.string().optional(),
      failure: z.string().optional(),
      signature: signature.optional(),
      messageId: z.string().optional(),
      senderKey: z.string().optional(),
      flags: z.array(z.string()).optional(),
      attachments: z
        .object({
          stored: z.number(),
          decrypted: z.number(),
          failed: z.array(z.string()),
          dropped: z.number(),
        })
        .partial()
        .optional(),
    })
    .describe('How the report arrived: channel, decryption and signature status (no content).'),
  content: answers,
  contact: answers
    .optional()
    .describe(
      "The reporter's contact details. Present only for the case team (admin, lead or handler of " +
        'the program); omitted for viewers. Its presence is what the audit records as a contact read.',
    ),
  attachments: z.array(attachment),
  messages: z.array(
    z.object({
      id: z.string(),
      author: z.string(),
      visibility: z.string(),
      body: z.string().describe('Empty for a message held in PHI quarantine, unless `phi.canReview`.'),
      createdAt: z.string(),
      quarantined: z.boolean(),
    }),
  ),
  phi: z
    .object({
      flagged: z.boolean().describe('Some part is held in quarantine.'),
      quarantined: z.number(),
      redacted: z.number(),
      released: z.number(),
      canReview: z
        .boolean()
        .describe('The caller holds the privacy duty in the program and sees held parts.'),
    })
    .describe('The PHI guard on the case: counts of parts by state (details at `…/quarantine`).'),
  quarantine: z
    .object({ fields: z.array(z.string()) })
    .describe('Ids of content fields held in quarantine; left out of `content` unless `phi.canReview`.'),
  privacyEscalation: z
    .object({ dueAt: z.string(), open: z.boolean() })
    .nullable()
    .describe(
      'The privacy escalation opened when the reporter said they reached PHI or personal data ' +
        '(details at `…/privacy-escalation`); null when there is none.',
    ),
  phiClaim: z
    .object({ pending: z.boolean() })
    .nullable()
    .describe(
      "The reporter's words saying they reached PHI (details at `…/phi-access-claim`): pending until the " +
        'team opens an escalation or declines; null when none were found.',
    ),
  urgent: z.string().nullable().describe('Why the case is urgent (`phi-accessed`), or null.'),
});
const caseNumberParam = z
  .string()
  .regex(/^[A-Z][A-Z0-9]{1,9}-\d{4}-\d{4,}$/, 'expected a case number such as ACME-2026-0007');

export function registerCaseRoutes(
  app: FastifyInstance,
  deps: { cases: CaseService; accounts: AccountService },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];

  r.get(
    '/api/v1/reports',
    {
      schema: {
        operationId: 'listReports',
        tags: ['cases'],
        summary: 'The case queue: nearest deadline first by default, filtered, keyset-paginated',
        description:
          '`sort=deadline` (default): cases with a running clock by the earliest due instant among ' +
          'them (overdue first), then cases with no clock running, newest first. ' +
          '`sort=received`: newest first. `sort=triage`, the "needs triage" lane: cases in state ' +
          '`received` only, by the triage score of their quality signals, best first (cases without ' +
          'signals last); a `state` filter other than `received` answers 400. ' +
          'Only programs the caller may read are included.',
        security,
        querystring: z.object({
          program: z.string().max(64).optional(),
          state: oneOrMany(z.enum(CASE_STATES)).describe('Filter by state; repeat to allow several.'),
          assignee: z
            .union([
              z.literal('me'),
              z.literal('none'),
              z.string().regex(/^[0-9a-f-]{36}$/, 'expected a user id'),
            ])
            .optional()
            .describe('A user id, `me` or `none` (unassigned).'),
          severity: oneOrMany(z.enum(SEVERITIES)).describe('Filter by severity; repeat to allow several.'),
          product: z.string().max(64).optional().describe("A product id of the program's scope."),
          sort: z.enum(QUEUE_SORTS).default('deadline'),
          cursor: z.string().max(512).optional().describe('`nextCursor` of the previous page (same sort).'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({ items: z.array(queueItem), nextCursor: z.string().nullable() }),
          400: errorBodySchema,
          401: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request) => {
      const caller = await staffCaller(deps.accounts, request);
      const q = request.query;
      return deps.cases.list(caller, {
        program: q.program,
        state: asList(q.state),
        assignee: q.assignee,
        severity: asList(q.severity),
        product: q.product,
        sort: q.sort,
        cursor: q.cursor,
        limit: q.limit,
      });
    },
  );

  r.get(
    '/api/v1/reports/:caseNumber',
    {
      schema: {
        operationId: 'getReport',
        tags: ['cases'],
        summary: 'One case with its decrypted content, contact details, attachments and messages (audited)',
        description:
          'A case of a program the caller cannot see answers 404, exactly like a missing one. ' +
          '`contact` is omitted unless the caller is on the case team (admin, lead or handler of the ' +
          'program); the audit entry lists which parts were read.',
        security,
        params: z.object({ caseNumber: caseNumberParam }),
        response: { 200: caseDetail, 401: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      reply.header('Cache-Control', 'no-store');
      return deps.cases.get(caller, request.params.caseNumber);
    },
  );

  r.get(
    '/api/v1/reports/:caseNumber/attachments/:attachmentId',
    {
      schema: {
        operationId: 'downloadAttachment',
        tags: ['cases'],
        summary: 'Download an attachment (always as a file, never rendered; audited)',
        security,
        params: z.object({ caseNumber: caseNumberParam, attachmentId: z.string().max(64) }),
        response: { 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      const { meta, stream } = await deps.cases.openAttachment(
        caller,
        request.params.caseNumber,
        request.params.attachmentId,
      );
      return attachmentDisposition(reply, meta).send(stream);
    },
  );
}
