import { z } from 'zod';
import type { Access } from '../accounts/index.js';
import { actorOf, type StaffCaller } from '../accounts/index.js';
import type { AssessmentService } from '../assessment/index.js';
import { appendAudit } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import type { Db } from '../db/index.js';
import type { PrivacyEscalationService } from '../privacy-escalation/index.js';
import { listAttachments } from '../reports/index.js';
import type { CaseService } from './case-service.js';
import type { WorkflowService } from './workflow-service.js';

/**
 * The case export: one document holding a case as the caller may see it, for a PSIRT's records
 * and for handing a case over. It is composed from the services' own quarantine-aware reads
 * (case detail, timeline, assessment, privacy escalation) and never opens a sealed column itself,
 * so the PHI visibility rule and the contact rule stay where they are written, in one place.
 * What it adds is what a record needs: attachment hashes (never for a part the caller may not
 * see), and an explicit list of what was withheld from this caller, so a reader of the file knows
 * it is not the whole case.
 */

const answers = z.record(z.string(), z.union([z.string(), z.array(z.string()), z.boolean()]));
const user = z.object({ id: z.string(), email: z.string(), name: z.string() });

// How the report arrived, as the case detail's response allows it: statuses and counts only.
const intakeSchema = z
  .object({
    channel: z.string(),
    decryption: z.string(),
    failure: z.string(),
    signature: z.object({
      status: z.string(),
      keyId: z.string().optional(),
      fingerprint: z.string().optional(),
    }),
    messageId: z.string(),
    senderKey: z.string(),
    flags: z.array(z.string()),
    attachments: z
      .object({ stored: z.number(), decrypted: z.number(), failed: z.array(z.string()), dropped: z.number() })
      .partial(),
  })
  .partial();

// The document's schema is an allowlist: the assembled object is parsed through it, so a field a
// service adds later does not leave in exports until it is named here.
export const caseExportSchema = z.object({
  format: z.literal('vigil-case-export'),
  version: z.literal(1),
  exportedAt: z.string(),
  exportedBy: z.object({ userId: z.string(), email: z.string() }),
  case: z.object({
    caseNumber: z.string(),
    program: z.string(),
    state: z.string(),
    channel: z.string(),
    receivedAt: z.string(),
    language: z.string(),
    severity: z.string().nullable(),
    product: z.string().nullable(),
    assignee: user.nullable(),
    contactPerson: z.string().nullable(),
    intake: intakeSchema,
  }),
  deadlines: z.object({
    acknowledgeBy: z.string(),
    due: z.record(z.string(), z.string()),
    nextDueAt: z.string().nullable(),
    clocks: z.array(
      z.object({
        name: z.string(),
        due: z.string(),
        stoppedAt: z.string().nullable(),
        state: z.string(),
        businessDaysLeft: z.number(),
      }),
    ),
  }),
  history: z.array(
    z.object({
      at: z.string(),
      type: z.enum(['action', 'assignment']),
      action: z.string().nullable(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      by: user.nullable(),
    }),
  ),
  content: answers,
  contact: answers.optional(),
  messages: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      author: z.enum(['reporter', 'staff']),
      staff: user.nullable(),
      visibility: z.enum(['reporter', 'internal']),
      body: z.string(),
      quarantined: z.boolean(),
      withheld: z.boolean(),
    }),
  ),
  attachments: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      size: z.number(),
      contentType: z.string(),
      createdAt: z.string(),
      messageId: z.string().nullable(),
      sha256: z.string().nullable(),
      quarantined: z.boolean(),
      redacted: z.boolean(),
      withheld: z.boolean(),
    }),
  ),
  assessment: z.record(z.string(), z.unknown()),
  privacyEscalation: z
    .object({
      reason: z.string(),
      openedAt: z.string(),
      dueAt: z.string(),
      open: z.boolean(),
      closedAt: z.string().nullable(),
      closedBy: user.nullable(),
      checklist: z.array(
        z.object({
          id: z.string(),
          label: z.string(),
          done: z.boolean(),
          doneBy: user.nullable(),
          doneAt: z.string().nullable(),
        }),
      ),
    })
    .nullable(),
  /** Triggers, clocks, decisions (with their reasons) and the adverse-event record. */
  regulatory: z.object({
    triggers: z.array(z.record(z.string(), z.unknown())),
    clocks: z.array(z.record(z.string(), z.unknown())),
    decisions: z.array(z.record(z.string(), z.unknown())),
    fdaException: z.object({ applies: z.boolean(), lost: z.array(z.string()) }).nullable(),
    adverseEvent: z
      .object({ number: z.string(), openedAt: z.string(), reasons: z.array(z.string()) })
      .nullable(),
  }),
  quarantine: z.object({
    canReview: z.boolean(),
    counts: z.object({ quarantined: z.number(), redacted: z.number(), released: z.number() }),
    held: z.array(z.object({ kind: z.enum(['field', 'message', 'attachment']), ref: z.string() })),
  }),
  withheld: z.object({
    contact: z.boolean(),
    fields: z.array(z.string()),
    messages: z.array(z.string()),
    attachments: z.array(z.string()),
  }),
});
export type CaseExport = z.infer<typeof caseExportSchema>;

export const EXPORT_FORMATS = ['json', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function createCaseExportService(deps: {
  db: Db;
  clock: Clock;
  access: Pick<Access, 'caseFor'>;
  cases: Pick<CaseService, 'get'>;
  workflow: Pick<WorkflowService, 'timeline'>;
  assessment: Pick<AssessmentService, 'get'>;
  privacyEscalations: Pick<PrivacyEscalationService, 'get'>;
  /** The case's regulatory record (src/regulatory), read with the caller's rights. */
  regulatory: (
    caller: StaffCaller,
    caseNumber: string,
  ) => Promise<
    Pick<CaseExport['regulatory'], 'fdaException' | 'adverseEvent'> & {
      triggers: object[];
      clocks: object[];
      decisions: object[];
    }
  >;
}) {
  const { db, clock } = deps;
  const k = db.kysely;

  return {
    async export(caller: StaffCaller, caseNumber: string, format: ExportFormat): Promise<CaseExport> {
      // The gate first: another program's case answers 404 before anything is read.
      const { row, program } = await deps.access.caseFor(caller, caseNumber, 'case.read');
      const detail = await deps.cases.get(caller, caseNumber);
      const timeline = await deps.workflow.timeline(caller, caseNumber);
      const { caseNumber: _, ...assessment } = await deps.assessment.get(caller, caseNumber);
      const escalation = detail.privacyEscalation
        ? await deps.privacyEscalations.get(caller, caseNumber)
        : null;
      const canReview = detail.phi.canReview;
      const regulatory = await deps.regulatory(caller, caseNumber);

      // Hashes are the one thing the detail does not carry. A held attachment's hash stays with
      // those who may see the file (a hash of a small patient record can be guessed back), and a
      // redacted one has none left.
      const hashes = new Map(
        (await listAttachments(k, row.id)).filter((a) => a.redacted_at === null).map((a) => [a.id, a.sha256]),
      );
      const attachments = detail.attachments.map((a) => {
        const withheld = a.quarantined && !canReview;
        return {
          id: a.id,
          name: a.name,
          size: withheld ? 0 : a.size,
          contentType: withheld ? 'application/octet-stream' : a.contentType,
          createdAt: a.createdAt,
          messageId: a.messageId,
          sha256: withheld || a.redacted ? null : (hashes.get(a.id) ?? null),
          quarantined: a.quarantined,
          redacted: a.redacted,
          withheld,
        };
      });
      const messages = timeline.flatMap((t) =>
        t.type === 'message'
          ? [
              {
                id: t.messageId,
                at: t.at,
                author: t.author,
                staff: t.staff,
                visibility: t.visibility,
                body: t.body,
                quarantined: t.quarantined,
                withheld: t.quarantined && !canReview,
              },
            ]
          : [],
      );
      const history = timeline.flatMap((t): CaseExport['history'] =>
        t.type === 'action'
          ? [{ at: t.at, type: t.type, action: t.action, from: t.from, to: t.to, by: t.by }]
          : t.type === 'assignment'
            ? [
                {
                  at: t.at,
                  type: t.type,
                  action: null,
                  from: t.from?.email ?? null,
                  to: t.to?.email ?? null,
                  by: t.by,
                },
              ]
            : [],
      );
      const heldMessages = detail.messages.filter((m) => m.quarantined).map((m) => m.id);
      const heldAttachments = detail.attachments.filter((a) => a.quarantined).map((a) => a.id);
      const withheld = {
        contact: detail.contact === undefined,
        fields: canReview ? [] : detail.quarantine.fields,
        messages: canReview ? [] : heldMessages,
        attachments: canReview ? [] : heldAttachments,
      };

      const doc = caseExportSchema.parse({
        format: 'vigil-case-export',
        version: 1,
        exportedAt: clock.now().toISOString(),
        exportedBy: { userId: caller.userId, email: caller.email },
        case: {
          caseNumber: detail.caseNumber,
          program: detail.program,
          state: detail.state,
          channel: detail.channel,
          receivedAt: detail.receivedAt,
          language: detail.language,
          severity: detail.severity,
          product: detail.product,
          assignee: detail.assignee,
          contactPerson: detail.contactPerson,
          intake: detail.intake,
        },
        deadlines: {
          acknowledgeBy: detail.acknowledgeBy,
          due: detail.deadlines,
          nextDueAt: detail.nextDueAt,
          clocks: detail.clocks,
        },
        history,
        content: detail.content,
        ...(detail.contact ? { contact: detail.contact } : {}),
        messages,
        attachments,
        assessment,
        // A summary: the checklist's state and who ticked what; notes stay at their endpoint.
        privacyEscalation: escalation
          ? {
              reason: escalation.reason,
              openedAt: escalation.openedAt,
              dueAt: escalation.dueAt,
              open: escalation.open,
              closedAt: escalation.closedAt,
              closedBy: escalation.closedBy,
              checklist: escalation.checklist,
            }
          : null,
        regulatory: {
          triggers: regulatory.triggers,
          clocks: regulatory.clocks,
          decisions: regulatory.decisions,
          fdaException: regulatory.fdaException,
          adverseEvent: regulatory.adverseEvent,
        },
        quarantine: {
          canReview,
          counts: {
            quarantined: detail.phi.quarantined,
            redacted: detail.phi.redacted,
            released: detail.phi.released,
          },
          held: [
            ...detail.quarantine.fields.map((ref) => ({ kind: 'field' as const, ref })),
            ...heldMessages.map((ref) => ({ kind: 'message' as const, ref })),
            ...heldAttachments.map((ref) => ({ kind: 'attachment' as const, ref })),
          ],
        },
        withheld,
      });

      const parts = [
        'metadata',
        'deadlines',
        'history',
        'content',
        ...(doc.contact ? ['contact'] : []),
        'messages',
        'attachment-list',
        'assessment',
        ...(doc.privacyEscalation ? ['privacy-escalation'] : []),
        ...(doc.regulatory.triggers.length > 0 || doc.regulatory.adverseEvent ? ['regulatory'] : []),
        'quarantine-summary',
      ];
      await k.transaction().execute((trx) =>
        appendAudit(
          trx,
          {
            actor: actorOf(caller),
            action: 'report.exported',
            programId: program.id,
            reportId: row.id,
            // Part names and ids only: which held parts stayed behind, never what they say.
            detail: {
              format,
              parts,
              ...(doc.quarantine.held.length > 0 ? { quarantined: doc.quarantine.held.length } : {}),
              withheld: {
                contact: withheld.contact,
                fields: withheld.fields,
                messages: withheld.messages,
                attachments: withheld.attachments,
              },
            },
          },
          clock.now(),
        ),
      );
      return doc;
    },
  };
}

export type CaseExportService = ReturnType<typeof createCaseExportService>;
