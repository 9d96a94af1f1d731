import type { Readable } from 'node:stream';
import type { Access } from '../accounts/index.js';
import { actorOf, roleAllows, type StaffCaller } from '../accounts/index.js';
import { appendAudit } from '../audit/index.js';
import type { BlobStore } from '../blobs/index.js';
import type { Clock } from '../core/index.js';
import { NotFoundError } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { AttachmentRow, Db, ReportRow } from '../db/index.js';
import { findClaim as findClaimOf, findEscalationByReport } from '../privacy-escalation/index.js';
import {
  caseQuarantine,
  QUARANTINED_ATTACHMENT_NAME,
  QuarantinedError,
} from '../privacy-quarantine/index.js';
import type { ProgramService } from '../programs/index.js';
import { type CalendarCache, createCalendarCache } from '../programs/index.js';
import type { Answers } from '../reports/index.js';
import {
  type AttachmentSummary,
  attachmentAad,
  findAttachment,
  listAttachments,
  listMessages,
  messageAad,
  reportAad,
  summarizeAttachment,
} from '../reports/index.js';
import { type CaseClock, caseClocks, isRunning } from './clocks.js';
import { type CaseSignals, signalsFor } from './quality-view.js';
import { listQueue, type QueuePage, type QueueSort } from './queue.js';
import { findStaffName } from './workflow-store.js';

/** Staff reads of cases. Every read of report content or contact details is audited. */

/** The case states, defined once by the state machine. */
export { CASE_STATES } from './workflow.js';

export interface CaseListItem {
  caseNumber: string;
  program: string;
  state: string;
  channel: string;
  receivedAt: string;
  acknowledgeBy: string;
  deadlines: Record<string, string>;
}

export interface CasePage {
  items: CaseListItem[];
  nextCursor: string | null;
}

export interface CaseDetail extends CaseListItem {
  severity: string | null;
  product: string | null;
  assignee: { id: string; name: string; email: string } | null;
  /** The person named to the reporter as their contact when the case was acknowledged. */
  contactPerson: string | null;
  /** The earliest due instant among the running clocks. */
  nextDueAt: string | null;
  clocks: CaseClock[];
  language: string;
  /** What the intake channel learned: decryption and signature status, mail ids; never content. */
  intake: Record<string, unknown>;
  content: Answers;
  /** The reporter's contact details; absent unless the caller may see them (`case.contact`). */
  contact?: Answers;
  attachments: (AttachmentSummary & { quarantined: boolean; redacted: boolean })[];
  messages: {
    id: string;
    author: string;
    visibility: string;
    /** Empty for a message held in PHI quarantine, unless the caller is a privacy officer. */
    body: string;
    createdAt: string;
    quarantined: boolean;
  }[];
  /**
   * The PHI guard's state of the case. Parts held in quarantine are shown only to privacy
   * officers of the program (`canReview`); others get the markers without the content.
   */
  phi: { flagged: boolean; quarantined: number; redacted: number; released: number; canReview: boolean };
  /** Ids of the content fields held in quarantine (left out of `content` unless `phi.canReview`). */
  quarantine: { fields: string[] };
  /** The case's privacy escalation (the reporter reached PHI), for the console's flag; null when none. */
  privacyEscalation: { dueAt: string; open: boolean } | null;
  /** The reporter's words saying they reached PHI, pending until the team decides; null when none. */
  phiClaim: { pending: boolean } | null;
  /** Why the case is urgent (`phi-accessed`), or null. */
  urgent: string | null;
  /** The earliest due instant among the case's running regulatory clocks; null when none runs. */
  regulatoryDueAt: string | null;
  /** The quality signals computed on arrival; null for cases from before them. */
  signals: CaseSignals | null;
}

export function createCaseService(deps: {
  db: Db;
  programs: Pick<ProgramService, 'list'>;
  blobs: BlobStore;
  sealer: Sealer;
  clock: Clock;
  access: Access;
  /** The instance's calendar cache (shared with intake); a private one when not given. */
  calendars?: CalendarCache;
  /** The soonest running regulatory due instant of each case (src/regulatory), for the queue. */
  regulatoryDue?: (reportIds: string[]) => Promise<Map<string, string>>;
}) {
  const { db, sealer, clock } = deps;
  const calendars = deps.calendars ?? createCalendarCache();
  const k = db.kysely;

  const access = deps.access;
  const visiblePrograms = (caller: StaffCaller) => access.programsFor(caller, 'case.read');
  const caseFor = (caller: StaffCaller, caseNumber: string) =>
    access.caseFor(caller, caseNumber, 'case.read');

  const listItem = (r: ReportRow, slug: string): CaseListItem => ({
    caseNumber: r.case_number,
    program: slug,
    state: r.state,
    channel: r.channel,
    receivedAt: r.received_at,
    acknowledgeBy: r.acknowledge_by,
    deadlines: JSON.parse(r.deadlines) as Record<string, string>,
  });

  const summarize = (a: AttachmentRow) => summarizeAttachment(sealer, a);

  return {
    /**
     * The queue across the programs the caller may read (see queue.ts). An unknown program, or
     * one the caller cannot see, answers 404 alike.
     */
    async list(
      caller: StaffCaller,
      q: {
        program?: string;
        state?: string[];
        /** A user id, `me` (the caller) or `none` (unassigned). */
        assignee?: string;
        severity?: string[];
        product?: string;
        sort?: QueueSort;
        cursor?: string;
        limit: number;
      },
    ): Promise<QueuePage> {
      const programs = await visiblePrograms(caller);
      const selected = q.program ? programs.filter((p) => p.slug === q.program) : programs;
      if (q.program && selected.length === 0) throw new NotFoundError(`There is no program "${q.program}".`);
      const page = await listQueue(db, {
        programs: selected,
        filter: {
          states: q.state,
          severities: q.severity,
          productId: q.product,
          assignee:
            q.assignee === undefined
              ? undefined
              : q.assignee === 'none'
                ? 'none'
                : { userId: q.assignee === 'me' ? caller.userId : q.assignee },
        },
        sort: q.sort ?? 'deadline',
        cursor: q.cursor,
        limit: q.limit,
        calendars,
        now: clock.now(),
        regulatoryDue: deps.regulatoryDue,
      });
      return page;
    },

    async get(caller: StaffCaller, caseNumber: string): Promise<CaseDetail> {
      const { row, program, membership } = await caseFor(caller, caseNumber);
      // Contact details are opened only for the case team; others never hold them in memory.
      const showContact = roleAllows(membership.role, 'case.contact', caller.scope);
      // The visibility rule: held parts leave the server only for the program's privacy officers.
      const canReview = await access.hasDuty(caller, program, 'privacy');
      const q = await caseQuarantine(k, row.id);
      const attachments = (await listAttachments(k, row.id)).map((a) => {
        const s = summarize(a);
        if (!q.held('attachment', a.id)) return { ...s, quarantined: false, redacted: s.redacted === true };
        return {
          ...s,
          quarantined: true,
          redacted: false,
          ...(canReview ? {} : { name: QUARANTINED_ATTACHMENT_NAME }),
        };
      });
      const messages = await listMessages(k, row.id);
      const content = sealer.openJson<Answers>(row.content_sealed, reportAad(row.id, 'content'));
      if (!canReview) for (const id of q.fields) delete content[id];
      const withheld = canReview ? 0 : q.counts.quarantined;
      const escalation = await findEscalationByReport(k, row.id);
      const claim = await findClaimOf(k, row.id);
      const assignee = row.assignee_id ? await findStaffName(k, row.assignee_id) : undefined;
      const clocks = caseClocks(row, calendars.forProgram(program), clock.now());
      const running = clocks.filter(isRunning).map((c) => c.due);
      const detail: CaseDetail = {
        ...listItem(row, program.slug),
        severity: row.severity,
        product: row.product_id,
        assignee: assignee ?? null,
        contactPerson: row.contact_person,
        nextDueAt: running.sort()[0] ?? null,
        clocks,
        language: row.language,
        intake: JSON.parse(row.intake_meta) as Record<string, unknown>,
        content,
        ...(showContact
          ? { contact: sealer.openJson<Answers>(row.contact_sealed, reportAad(row.id, 'contact')) }
          : {}),
        attachments,
        messages: messages.map((m) => {
          const held = q.held('message', m.id);
          return {
            id: m.id,
            author: m.author_kind,
            visibility: m.visibility,
            // A held body is never opened for a caller who may not see it.
            body: held && !canReview ? '' : sealer.open(m.body_sealed, messageAad(m.id)).toString('utf8'),
            createdAt: m.created_at,
            quarantined: held,
          };
        }),
        phi: { flagged: row.phi_flag === 1, ...q.counts, canReview },
        quarantine: { fields: q.fields },
        privacyEscalation: escalation
          ? { dueAt: escalation.due_at, open: escalation.closed_at === null }
          : null,
        phiClaim: claim ? { pending: claim.decision === null } : null,
        urgent: row.urgent,
        regulatoryDueAt: (await deps.regulatoryDue?.([row.id]))?.get(row.id) ?? null,
        signals: (await signalsFor(k, [row.id])).get(row.id) ?? null,
      };
      await k.transaction().execute((trx) =>
        appendAudit(
          trx,
          {
            actor: actorOf(caller),
            action: 'report.read',
            programId: program.id,
            reportId: row.id,
            // The audit names exactly what left the server.
            detail: {
              parts: showContact ? ['content', 'contact'] : ['content'],
              // Held parts left out of this read (0 for a privacy officer, who saw them).
              ...(q.counts.quarantined > 0 ? { quarantined: q.counts.quarantined, withheld } : {}),
            },
          },
          clock.now(),
        ),
      );
      return detail;
    },

    async openAttachment(
      caller: StaffCaller,
      caseNumber: string,
      attachmentId: string,
    ): Promise<{ meta: AttachmentSummary; stream: Readable }> {
      const { row, program } = await caseFor(caller, caseNumber);
      const a = /^[0-9a-f-]{36}$/.test(attachmentId)
        ? await findAttachment(k, row.id, attachmentId)
        : undefined;
      if (!a) throw new NotFoundError(`Case ${caseNumber} has no attachment ${attachmentId}.`);
      if (a.redacted_at !== null)
        throw new NotFoundError(`The attachment ${attachmentId} of case ${caseNumber} was redacted.`);
      if (
        (await caseQuarantine(k, row.id)).held('attachment', a.id) &&
        !(await access.hasDuty(caller, program, 'privacy'))
      )
        throw new QuarantinedError();
      await k.transaction().execute((trx) =>
        appendAudit(
          trx,
          {
            actor: actorOf(caller),
            action: 'attachment.read',
            programId: program.id,
            reportId: row.id,
            detail: { attachmentId: a.id },
          },
          clock.now(),
        ),
      );
      return { meta: summarize(a), stream: deps.blobs.get(a.blob_key, attachmentAad(a.id)) };
    },
  };
}

export type CaseService = ReturnType<typeof createCaseService>;
