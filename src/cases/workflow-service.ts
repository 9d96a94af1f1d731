import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Access } from '../accounts/index.js';
import { actorOf, findMembership, roleAllows, type StaffCaller } from '../accounts/index.js';
import { appendAudit } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import { ConflictError, newId, ValidationError } from '../core/index.js';
import { hashToken, type Sealer } from '../crypto/index.js';
import type { Database, Db, ReportRow, UserRow } from '../db/index.js';
import { createTranslator } from '../i18n/index.js';
import { enqueueMail } from '../jobs/index.js';
import type { OutgoingMail } from '../mail/index.js';
import { replyAddress } from '../mail/index.js';
import { caseQuarantine } from '../privacy-quarantine/index.js';
import type { Program } from '../programs/index.js';
import type { Answers } from '../reports/index.js';
import { findReportByNumber, insertMessage, listMessages, messageAad, reportAad } from '../reports/index.js';
import { CASE_CLOCKS, notApplicable } from './clocks.js';
import { reporterDelivery } from './reporter-delivery.js';
import {
  type CaseState,
  hasVerdict,
  isCaseState,
  TRIAGE_OUTCOMES,
  transition,
  type WorkflowAction,
} from './workflow.js';
import {
  type CaseUpdate,
  findReportById,
  findUserByEmail,
  findUserById,
  findUsersByIds,
  listCaseAudit,
  lockReport,
  updateCase,
} from './workflow-store.js';

/**
 * The case workflow: every change a handler makes to a case (state, assignment, messages), each
 * in one transaction with its audit entry and any mail to the reporter, so a refused or failed
 * action leaves nothing behind. The state rules live in `workflow.ts`.
 *
 * Mail to the reporter never carries report details unless it is encrypted to the reporter's
 * key: an unencrypted notice only says that there is something new, and where to read it. The
 * private case link cannot go along — only its SHA-256 is stored — so the notice asks the
 * reporter to open the link they saved, and threads the mail instead: `In-Reply-To` the receipt,
 * the case number in the subject, and a `Reply-To` sub-address with a fresh reply token, so an
 * answer by mail lands on the case. The reply token is stored hashed too, so each mail issues a
 * new one and replaces the stored hash: a reply to an older mail still threads by its subject's
 * case number and the reporter's address (see `threadOf` in `mail/inbound/processor.ts`).
 */

export interface UserRef {
  id: string;
  email: string;
  name: string;
}

/** A case as the workflow actions answer it: states, people and clock stops, never content. */
export interface CaseSummary {
  caseNumber: string;
  program: string;
  state: string;
  receivedAt: string;
  acknowledgeBy: string;
  deadlines: Record<string, string>;
  assignee: UserRef | null;
  contactPerson: string | null;
  acknowledgedAt: string | null;
  verifiedAt: string | null;
  summarySentAt: string | null;
  closedAt: string | null;
  stateChangedAt: string | null;
  /** The case number of the case this one duplicates. */
  duplicateOf: string | null;
  outOfScopeCategory: string | null;
  /** `invalid` or `forwarded-to-support` while a triage outcome closes the case; else null. */
  triageOutcome: string | null;
}

export type TimelineItem =
  | {
      type: 'message';
      at: string;
      messageId: string;
      author: 'reporter' | 'staff';
      staff: UserRef | null;
      visibility: 'reporter' | 'internal';
      /** Empty for a message held in PHI quarantine, unless the caller is a privacy officer. */
      body: string;
      quarantined: boolean;
    }
  | {
      type: 'action';
      at: string;
      /** The workflow action (`acknowledge`, `close`, …) or `received` for the report's arrival. */
      action: string;
      from: string | null;
      to: string | null;
      by: UserRef | null;
    }
  | { type: 'assignment'; at: string; from: UserRef | null; to: UserRef | null; by: UserRef | null };

export type Visibility = 'reporter' | 'internal';

export const MAX_STAFF_MESSAGE_CHARS = 65_536;

/** What one change consists of, beyond the state transition itself. */
interface Change {
  /** The audit action, e.g. `case.acknowledge`. */
  action: string;
  transition?: WorkflowAction;
  /** Columns to set; a function gets the change's one timestamp, so clock stops match it exactly. */
  set?: CaseUpdate | ((nowIso: string, current: ReportRow) => CaseUpdate);
  /** Ids and states only: the audit log never holds content. A function reads the row as locked. */
  detail?: Record<string, unknown> | ((nowIso: string, current: ReportRow) => Record<string, unknown>);
  message?: { text: string; visibility: Visibility };
  /**
   * Which mail goes to the reporter: the acknowledgement, or the notice of a reporter-visible
   * message. `publicNote` goes along even in clear mail, so it holds only the program's public
   * words (the support contact), never report details.
   */
  mail?: { kind: 'acknowledge'; contactPerson: string } | { kind: 'message'; publicNote?: string };
}

/** Where a change came from, for its audit entry: one case of a bulk action names the batch. */
export interface ChangeOrigin {
  bulkId?: string;
}

export function createWorkflowService(deps: {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  access: Access;
  publicUrl: string;
}) {
  const { db, sealer, clock, access } = deps;
  const k = db.kysely;
  const mailHost = new URL(deps.publicUrl).hostname;

  const userRef = (u: UserRow | undefined): UserRef | null =>
    u ? { id: u.id, email: u.email, name: u.name } : null;

  async function summaryOf(row: ReportRow, program: Program): Promise<CaseSummary> {
    const assignee = row.assignee_id ? await findUserById(k, row.assignee_id) : undefined;
    const original = row.duplicate_of ? await findReportById(k, row.duplicate_of) : undefined;
    return {
      caseNumber: row.case_number,
      program: program.slug,
      state: row.state,
      receivedAt: row.received_at,
      acknowledgeBy: row.acknowledge_by,
      deadlines: JSON.parse(row.deadlines) as Record<string, string>,
      assignee: userRef(assignee),
      contactPerson: row.contact_person,
      acknowledgedAt: row.acknowledged_at,
      verifiedAt: row.verified_at,
      summarySentAt: row.summary_sent_at,
      closedAt: row.closed_at,
      stateChangedAt: row.state_changed_at,
      duplicateOf: original?.case_number ?? null,
      outOfScopeCategory: row.out_of_scope_category,
      triageOutcome: row.triage_outcome,
    };
  }

  /** The reporter's address and usable OpenPGP key, from the sealed contact (form or email case). */
  async function reporterOf(row: ReportRow, program: Program): Promise<{ email?: string; key?: string }> {
    const contact = sealer.openJson<Answers>(row.contact_sealed, reportAad(row.id, 'contact'));
    // Parsed before the transaction: it is CPU work, and nothing else depends on it.
    const { email, key } = await reporterDelivery(program, contact);
    return { email, key };
  }

  /** The mail to the reporter for a change, threaded to the receipt; the reply token it issues. */
  function reporterMail(
    row: ReportRow,
    program: Program,
    to: { email: string; key?: string },
    mail: NonNullable<Change['mail']>,
    messageText: string | undefined,
  ): { mail: OutgoingMail; replyTokenHash?: string } {
    const def = program.definition;
    const t = createTranslator(row.language);
    const vars = { caseNumber: row.case_number, vendor: def.vendor.name };
    const address = def.intake.emailAddresses[0];
    const replyToken = address ? randomBytes(16).toString('hex') : undefined;
    // The message itself goes along only inside encryption; it must then never fall back to clear.
    const carriesMessage = mail.kind === 'message' && to.key !== undefined && messageText !== undefined;
    const body =
      mail.kind === 'acknowledge'
        ? t('mail.ack.body', { ...vars, contact: mail.contactPerson })
        : carriesMessage
          ? t('mail.message.encrypted', { ...vars, message: messageText })
          : t('mail.message.notice', vars);
    // The encrypted mail carries the whole message, which already holds the note.
    const note = mail.kind === 'message' && !carriesMessage ? mail.publicNote : undefined;
    const text = note ? `${body}\n\n${note}` : body;
    const receiptId = `<${row.case_number.toLowerCase()}.receipt.${row.id.slice(0, 8)}@${mailHost}>`;
    return {
      mail: {
        to: to.email,
        subject: t(mail.kind === 'acknowledge' ? 'mail.ack.subject' : 'mail.message.subject', vars),
        text: replyToken ? `${text}\n\n${t('mail.receipt.replyHint')}` : text,
        messageId: `<${row.case_number.toLowerCase()}.${mail.kind}.${newId().slice(0, 8)}@${mailHost}>`,
        inReplyTo: receiptId,
        references: [receiptId],
        headers: {
          'X-Vigil-Case': row.case_number,
          ...(address && replyToken ? { 'Reply-To': replyAddress(address, replyToken) } : {}),
        },
        ...(to.key !== undefined ? { encryptTo: to.key, signAs: { programId: program.id } } : {}),
        ...(carriesMessage ? { requireEncryption: true } : {}),
      },
      ...(replyToken ? { replyTokenHash: hashToken(replyToken) } : {}),
    };
  }

  /** Apply one change to a case: checked, written, audited and mailed in one transaction. */
  async function change(
    caller: StaffCaller,
    row0: ReportRow,
    program: Program,
    c: Change,
    origin: ChangeOrigin = {},
  ): Promise<CaseSummary> {
    return (await changeWithMessage(caller, row0, program, c, origin)).summary;
  }

  async function changeWithMessage(
    caller: StaffCaller,
    row0: ReportRow,
    program: Program,
    c: Change,
    origin: ChangeOrigin = {},
  ): Promise<{ summary: CaseSummary; messageId?: string }> {
    const wantsMail =
      c.mail !== undefined && (c.mail.kind === 'acknowledge' || c.message?.visibility === 'reporter');
    const reporter = wantsMail ? await reporterOf(row0, program) : {};
    const now = clock.now();
    const nowIso = now.toISOString();
    let messageId: string | undefined;
    const row = await k.transaction().execute(async (trx) => {
      const current = await lockReport(trx, row0.id);
      const from = current.state as CaseState;
      let to: CaseState = from;
      if (c.transition) {
        const next = isCaseState(from)
          ? transition(from, c.transition)
          : { error: `The case is in an unknown state "${from}".` };
        if (typeof next !== 'string') throw new ConflictError(next.error);
        to = next;
      }
      const set: CaseUpdate = {
        ...(typeof c.set === 'function' ? c.set(nowIso, current) : c.set),
        updated_at: nowIso,
      };
      if (to !== from) {
        set.state = to;
        set.state_changed_at = nowIso;
        // The clocks stop once, at the first time they are met; a reopened case keeps them.
        if (hasVerdict(to) && current.verified_at === null) set.verified_at = nowIso;
        // A verdict sent straight from "received" is the reporter's first answer. A triage
        // outcome is not: its clocks become not applicable instead (clocks.ts).
        if (from === 'received' && current.acknowledged_at === null && hasVerdict(to))
          set.acknowledged_at = nowIso;
      }
      if (c.message) {
        messageId = newId();
        await insertMessage(trx, {
          id: messageId,
          report_id: current.id,
          author_kind: 'staff',
          author_id: caller.userId,
          visibility: c.message.visibility,
          body_sealed: sealer.seal(c.message.text, messageAad(messageId)),
          created_at: nowIso,
        });
      }
      let mailed = false;
      if (c.mail && wantsMail && reporter.email) {
        const out = reporterMail(
          current,
          program,
          { email: reporter.email, key: reporter.key },
          c.mail,
          c.message?.text,
        );
        await enqueueMail(trx, sealer, out.mail, { reportId: current.id, now });
        if (out.replyTokenHash) set.reply_token_hash = out.replyTokenHash;
        mailed = true;
      }
      if (!(await updateCase(trx, current.id, from, set)))
        throw new ConflictError('The case changed while this action was applied; reload it and try again.');
      await appendAudit(
        trx,
        {
          actor: actorOf(caller),
          action: c.action,
          programId: program.id,
          reportId: current.id,
          detail: {
            from,
            to,
            ...(typeof c.detail === 'function' ? c.detail(nowIso, current) : c.detail),
            ...(origin.bulkId ? { bulk: origin.bulkId } : {}),
            ...(messageId ? { messageId, visibility: c.message?.visibility } : {}),
            ...(c.mail ? { mailed } : {}),
          },
        },
        now,
      );
      return lockReport(trx, current.id);
    });
    return { summary: await summaryOf(row, program), messageId };
  }

  const writable = (caller: StaffCaller, caseNumber: string) =>
    access.caseFor(caller, caseNumber, 'case.write');

  /** Combine the standard answer of a verdict with the handler's own words, if any. */
  const withNote = (standard: string, message: string | undefined) =>
    message?.trim() ? `${standard}\n\n${message.trim()}` : standard;

  /** A verdict that answers the reporter in standard words (plus the handler's note). */
  async function verdict(
    caller: StaffCaller,
    caseNumber: string,
    action: 'not_reproducible' | 'informational',
    message: string | undefined,
  ) {
    const { row, program } = await writable(caller, caseNumber);
    const t = createTranslator(row.language);
    const key = action === 'not_reproducible' ? 'workflow.notReproducible' : 'workflow.informational';
    return change(caller, row, program, {
      action: auditName(action),
      transition: action,
      message: {
        text: withNote(t(key, { vendor: program.definition.vendor.name }), message),
        visibility: 'reporter',
      },
      mail: { kind: 'message' },
    });
  }

  return {
    async summary(caller: StaffCaller, caseNumber: string): Promise<CaseSummary> {
      const { row, program } = await access.caseFor(caller, caseNumber, 'case.read');
      return summaryOf(row, program);
    },

    /** Confirm receipt and name the contact person: the program's acknowledgement promise. */
    async acknowledge(caller: StaffCaller, caseNumber: string, input: { contactPerson: string }) {
      const { row, program } = await writable(caller, caseNumber);
      const contactPerson = input.contactPerson.trim();
      return change(caller, row, program, {
        action: auditName('acknowledge'),
        transition: 'acknowledge',
        set: (now) => ({ contact_person: contactPerson, acknowledged_at: now }),
        mail: { kind: 'acknowledge', contactPerson },
      });
    },

    /**
     * Assign the case to a staff user, or to nobody. The assignee must be able to work on the
     * case: an instance admin, or a member of the case's program whose role may change cases.
     */
    async assign(caller: StaffCaller, caseNumber: string, input: { userId?: string | null; email?: string }) {
      const { row, program } = await writable(caller, caseNumber);
      let user: UserRow | undefined;
      if (input.userId !== null && (input.userId !== undefined || input.email !== undefined)) {
        const path = input.userId !== undefined ? 'userId' : 'email';
        user =
          input.userId !== undefined
            ? await findUserById(k, input.userId)
            : await findUserByEmail(k, input.email as string);
        if (!user) throw new ValidationError([{ path, message: 'is not a staff user of this instance' }]);
        if (Number(user.disabled) !== 0)
          throw new ValidationError([
            { path, message: 'belongs to a disabled user, who cannot be assigned' },
          ]);
        const membership = user.role === 'admin' ? null : await findMembership(k, user.id, program.id);
        if (user.role !== 'admin' && (!membership || !roleAllows(membership.role, 'case.write'))) {
          throw new ValidationError([
            { path, message: `is not a lead or handler of ${program.slug}, so cannot work on this case` },
          ]);
        }
      }
      return change(caller, row, program, {
        action: 'case.assign',
        set: { assignee_id: user?.id ?? null },
        detail: { assigneeFrom: row.assignee_id, assigneeTo: user?.id ?? null },
      });
    },

    async startVerification(caller: StaffCaller, caseNumber: string) {
      const { row, program } = await writable(caller, caseNumber);
      return change(caller, row, program, {
        action: auditName('start_verification'),
        transition: 'start_verification',
      });
    },

    async confirm(caller: StaffCaller, caseNumber: string) {
      const { row, program } = await writable(caller, caseNumber);
      return change(caller, row, program, { action: auditName('confirm'), transition: 'confirm' });
    },

    notReproducible: (caller: StaffCaller, caseNumber: string, input: { message?: string }) =>
      verdict(caller, caseNumber, 'not_reproducible', input.message),

    informational: (caller: StaffCaller, caseNumber: string, input: { message?: string }) =>
      verdict(caller, caseNumber, 'informational', input.message),

    /** Out of scope in one of the program's categories; the reporter gets the category's answer. */
    async outOfScope(caller: StaffCaller, caseNumber: string, input: { category: string; message?: string }) {
      const { row, program } = await writable(caller, caseNumber);
      const categories = program.definition.scope.outOfScope;
      const category = categories.find((c) => c.id === input.category);
      if (!category) {
        throw new ValidationError([
          {
            path: 'category',
            message:
              categories.length === 0
                ? `the program ${program.slug} has no out-of-scope categories`
                : `must be one of the program's out-of-scope categories: ${categories.map((c) => c.id).join(', ')}`,
          },
        ]);
      }
      const t = createTranslator(row.language);
      const standard = category.response?.trim() || t('workflow.outOfScope', { category: category.name });
      return change(caller, row, program, {
        action: auditName('out_of_scope'),
        transition: 'out_of_scope',
        set: { out_of_scope_category: category.id },
        detail: { category: category.id },
        message: { text: withNote(standard, input.message), visibility: 'reporter' },
        mail: { kind: 'message' },
      });
    },

    /**
     * A duplicate of another case of the same program. The reporter is told in standard words
     * that say nothing of the other case: not its number, its reporter or its content.
     */
    async duplicate(caller: StaffCaller, caseNumber: string, input: { of: string; message?: string }) {
      const { row, program } = await writable(caller, caseNumber);
      const original = await findReportByNumber(k, input.of);
      // A case of another program is answered like a missing one: no probing across programs.
      if (!original || original.program_id !== program.id)
        throw new ValidationError([
          { path: 'of', message: `there is no case ${input.of} in ${program.slug}` },
        ]);
      if (original.id === row.id)
        throw new ValidationError([{ path: 'of', message: 'a case cannot be a duplicate of itself' }]);
      const t = createTranslator(row.language);
      return change(caller, row, program, {
        action: auditName('duplicate'),
        transition: 'duplicate',
        set: { duplicate_of: original.id },
        detail: { duplicateOf: original.id },
        message: { text: withNote(t('workflow.duplicate'), input.message), visibility: 'reporter' },
        mail: { kind: 'message' },
      });
    },

    /** Ask the reporter for more details: a reporter-visible message and its mail; the state stays. */
    async requestInfo(
      caller: StaffCaller,
      caseNumber: string,
      input: { message: string },
      origin: ChangeOrigin = {},
    ) {
      const { row, program } = await writable(caller, caseNumber);
      return change(
        caller,
        row,
        program,
        {
          action: auditName('request_info'),
          transition: 'request_info',
          message: { text: input.message.trim(), visibility: 'reporter' },
          mail: { kind: 'message' },
        },
        origin,
      );
    },

    /**
     * Close a report as invalid or spam: the reporter gets the program's `triage.invalidReply`
     * (a standard answer without one) plus the handler's note; the clocks not yet stopped become
     * not applicable with the reason `invalid` (clocks.ts), and the audit entry names them.
     */
    async markInvalid(
      caller: StaffCaller,
      caseNumber: string,
      input: { message?: string },
      origin: ChangeOrigin = {},
    ) {
      const { row, program } = await writable(caller, caseNumber);
      const t = createTranslator(row.language);
      const standard = program.definition.triage?.invalidReply?.trim() || t('workflow.invalid');
      return change(
        caller,
        row,
        program,
        triageOutcome('mark_invalid', withNote(standard, input.message)),
        origin,
      );
    },

    /**
     * "Not a vulnerability": send the reporter the program's support contact and close the case.
     * The contact goes along in the clear notice too (it is the program's public words); a
     * program without `triage.supportContact` refuses, since the reporter would learn nothing.
     */
    async forwardToSupport(
      caller: StaffCaller,
      caseNumber: string,
      input: { message?: string },
      origin: ChangeOrigin = {},
    ) {
      const { row, program } = await writable(caller, caseNumber);
      const support = program.definition.triage?.supportContact;
      if (!support)
        throw new ConflictError(
          `The program ${program.slug} names no support contact: add triage.supportContact to its definition, or close the case another way.`,
        );
      const t = createTranslator(row.language);
      const contact = [
        support.text,
        ...(support.email ? [`Email: ${support.email}`] : []),
        ...(support.url ? [`Web: ${support.url}`] : []),
      ].join('\n');
      const change0 = triageOutcome(
        'forward_to_support',
        withNote(t('workflow.forwardToSupport', { contact }), input.message),
      );
      return change(
        caller,
        row,
        program,
        { ...change0, mail: { kind: 'message', publicNote: t('mail.message.support', { contact }) } },
        origin,
      );
    },

    /** The summary of findings to the reporter; `summary_sent_at` keeps the first one (the clock stop). */
    async sendSummary(caller: StaffCaller, caseNumber: string, input: { text: string }) {
      const { row, program } = await writable(caller, caseNumber);
      return change(caller, row, program, {
        action: auditName('summary'),
        transition: 'summary',
        set: (now, current) => ({ summary_sent_at: current.summary_sent_at ?? now }),
        message: { text: input.text.trim(), visibility: 'reporter' },
        mail: { kind: 'message' },
      });
    },

    async startRemediation(caller: StaffCaller, caseNumber: string) {
      const { row, program } = await writable(caller, caseNumber);
      return change(caller, row, program, {
        action: auditName('start_remediation'),
        transition: 'start_remediation',
      });
    },

    async markDisclosed(caller: StaffCaller, caseNumber: string) {
      const { row, program } = await writable(caller, caseNumber);
      return change(caller, row, program, {
        action: auditName('mark_disclosed'),
        transition: 'mark_disclosed',
      });
    },

    /** Close the case; a closing message, if given, goes to the reporter. */
    async close(caller: StaffCaller, caseNumber: string, input: { message?: string }) {
      const { row, program } = await writable(caller, caseNumber);
      const text = input.message?.trim();
      return change(caller, row, program, {
        action: auditName('close'),
        transition: 'close',
        set: (now) => ({ closed_at: now }),
        ...(text
          ? { message: { text, visibility: 'reporter' as const }, mail: { kind: 'message' as const } }
          : {}),
      });
    },

    /** Reopen a closed case for verification; the reason is kept as an internal note. */
    async reopen(caller: StaffCaller, caseNumber: string, input: { reason: string }) {
      const { row, program } = await writable(caller, caseNumber);
      return change(caller, row, program, {
        action: auditName('reopen'),
        transition: 'reopen',
        // A triage outcome no longer holds: the clocks count again (see workflow.ts).
        set: { closed_at: null, triage_outcome: null },
        message: { text: input.reason.trim(), visibility: 'internal' },
      });
    },

    /**
     * A message from staff: to the reporter (shown on their page and mailed) or an internal note
     * (never shown or mailed to the reporter). Allowed in every state.
     */
    async addMessage(
      caller: StaffCaller,
      caseNumber: string,
      input: { body: string; visibility: Visibility },
    ): Promise<{ messageId: string; visibility: Visibility; case: CaseSummary }> {
      const { row, program } = await writable(caller, caseNumber);
      const text = input.body.replace(/\r\n/g, '\n').trim();
      if (text === '') throw new ValidationError([{ path: 'body', message: 'must not be empty' }]);
      const r = await changeWithMessage(caller, row, program, {
        action: 'message.added',
        message: { text, visibility: input.visibility },
        ...(input.visibility === 'reporter' ? { mail: { kind: 'message' as const } } : {}),
      });
      return { messageId: r.messageId as string, visibility: input.visibility, case: r.summary };
    },

    /**
     * The case's history in order: messages (decrypted, both visibilities), the actions and
     * assignments from the audit log. Reading messages is reading report content: audited.
     */
    async timeline(caller: StaffCaller, caseNumber: string): Promise<TimelineItem[]> {
      const { row, program } = await access.caseFor(caller, caseNumber, 'case.read');
      const [audit, messages] = await Promise.all([listCaseAudit(k, row.id), listMessages(k, row.id)]);
      // The PHI visibility rule: held message bodies only for the program's privacy officers.
      const quarantine = await caseQuarantine(k, row.id);
      const canReview = await access.hasDuty(caller, program, 'privacy');
      const userIds = new Set<string>();
      for (const m of messages) if (m.author_id) userIds.add(m.author_id);
      const details = audit.map((a) => JSON.parse(a.detail) as Record<string, unknown>);
      for (const [i, a] of audit.entries()) {
        const u = userOfActor(a.actor);
        if (u) userIds.add(u);
        for (const key of ['assigneeFrom', 'assigneeTo'] as const) {
          const v = details[i]?.[key];
          if (typeof v === 'string') userIds.add(v);
        }
      }
      const users = new Map((await findUsersByIds(k, [...userIds])).map((u) => [u.id, u]));
      const ref = (id: unknown) => (typeof id === 'string' ? userRef(users.get(id)) : null);
      const byId = new Map(messages.map((m) => [m.id, m]));
      const shown = new Set<string>();
      const messageItem = (id: unknown): TimelineItem[] => {
        const m = typeof id === 'string' ? byId.get(id) : undefined;
        if (!m || shown.has(m.id)) return [];
        shown.add(m.id);
        const held = quarantine.held('message', m.id);
        return [
          {
            type: 'message',
            at: m.created_at,
            messageId: m.id,
            author: m.author_kind === 'staff' ? 'staff' : 'reporter',
            staff: m.author_kind === 'staff' ? ref(m.author_id) : null,
            visibility: m.visibility === 'internal' ? 'internal' : 'reporter',
            body: held && !canReview ? '' : sealer.open(m.body_sealed, messageAad(m.id)).toString('utf8'),
            quarantined: held,
          },
        ];
      };
      // The audit log gives the order: each message's entry names it, right after the action.
      const items: TimelineItem[] = [];
      for (const [i, a] of audit.entries()) {
        const d = details[i] ?? {};
        const by = ref(userOfActor(a.actor));
        if (a.action === 'report.received') {
          items.push({ type: 'action', at: a.at, action: 'received', from: null, to: 'received', by: null });
        } else if (a.action === 'case.assign') {
          items.push({ type: 'assignment', at: a.at, from: ref(d.assigneeFrom), to: ref(d.assigneeTo), by });
        } else if (a.action.startsWith('case.')) {
          items.push({
            type: 'action',
            at: a.at,
            action: a.action.slice('case.'.length),
            from: typeof d.from === 'string' ? d.from : null,
            to: typeof d.to === 'string' ? d.to : null,
            by,
          });
        }
        items.push(...messageItem(d.messageId));
      }
      // Messages without an audit entry (none are written that way) still show, at the end.
      for (const m of messages) if (!shown.has(m.id)) items.push(...messageItem(m.id));
      await k.transaction().execute((trx: Kysely<Database>) =>
        appendAudit(
          trx,
          {
            actor: actorOf(caller),
            action: 'report.read',
            programId: program.id,
            reportId: row.id,
            detail: { parts: ['messages'] },
          },
          clock.now(),
        ),
      );
      return items;
    },
  };
}

/**
 * The change of a triage outcome: close the case now with the outcome recorded, answer the
 * reporter with `text`, and name in the audit the clocks it makes not applicable.
 */
function triageOutcome(action: keyof typeof TRIAGE_OUTCOMES, text: string): Change {
  const outcome = TRIAGE_OUTCOMES[action];
  return {
    action: auditName(action),
    transition: action,
    set: (now) => ({ closed_at: now, triage_outcome: outcome }),
    detail: (now, current) => {
      const deadlines = JSON.parse(current.deadlines) as Record<string, unknown>;
      const closed = { ...current, closed_at: now, triage_outcome: outcome };
      return {
        outcome,
        clocksNotApplicable: CASE_CLOCKS.filter(
          (name) => typeof deadlines[name] === 'string' && notApplicable(closed, name) !== null,
        ),
      };
    },
    message: { text, visibility: 'reporter' },
    mail: { kind: 'message' },
  };
}

/** The audit action of a workflow action: `case.start-verification`, … */
const auditName = (action: WorkflowAction) => `case.${action.replace(/_/g, '-')}`;

/** The user id in an audit actor (`user:<id>/token:<id>`). */
function userOfActor(actor: string): string | undefined {
  return /^user:([^/]+)/.exec(actor)?.[1];
}

export type WorkflowService = ReturnType<typeof createWorkflowService>;
