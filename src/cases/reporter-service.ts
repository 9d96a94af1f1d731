import type { Readable } from 'node:stream';
import { appendAudit } from '../audit/index.js';
import type { BlobStore } from '../blobs/index.js';
import type { Limits } from '../config/index.js';
import type { Clock } from '../core/index.js';
import { NotFoundError, newId, streamOf, ValidationError } from '../core/index.js';
import { hashToken, type Sealer } from '../crypto/index.js';
import type { AttachmentRow, Database, Db, ReportRow, Transaction } from '../db/index.js';
import type { NoticeOnlyReason } from '../mail/index.js';
import { findClaims, recordPhiClaim } from '../privacy-escalation/index.js';
import {
  type ArrivalScanDeps,
  recordArrivalQuarantine,
  reporterContact,
  scanArrival,
} from '../privacy-quarantine/index.js';
import type { Program, ProgramService } from '../programs/index.js';
import type { Answers } from '../reports/index.js';
import {
  type AttachmentSummary,
  attachmentAad,
  attachmentNameAad,
  createStagedFiles,
  findAttachment,
  findReportByNumber,
  findReportByTokenHash,
  type IncomingFile,
  insertAttachment,
  insertMessage,
  listAttachments,
  listMessages,
  messageAad,
  reportAad,
  type StagedFile,
  summarizeAttachment,
  touchReport,
} from '../reports/index.js';
import { reporterDelivery } from './reporter-delivery.js';

export type { AttachmentSummary };

/**
 * What a reporter may do with their private link: read what they sent, the state and the
 * deadlines, read messages meant for them, and add messages and files. Internal notes and
 * anything of other cases are out of reach by construction: every query starts from the
 * report found by the link's hash.
 */

export interface ReporterCaseView {
  caseNumber: string;
  program: Program;
  state: string;
  receivedAt: string;
  /** The person the team named on acknowledgement; null until then. */
  contactPerson?: string | null;
  deadlines: Record<string, string>;
  content: Answers;
  contact: Answers;
  /**
   * Set when the program asked for an OpenPGP key and the reporter's mailbox still gets only a
   * notice of each reply (no key given, or one that cannot be encrypted to): the receipt says so.
   */
  noticeOnly?: NoticeOnlyReason;
  attachments: AttachmentSummary[];
  messages: {
    id: string;
    author: 'reporter' | 'staff';
    body: string;
    createdAt: string;
    attachments: AttachmentSummary[];
  }[];
}

/** Extra writes of a channel inside a reporter message's own transaction, once it is written. */
export type MessageWrittenHook = (
  trx: Transaction<Database>,
  made: { reportId: string; at: Date },
) => Promise<void>;

const MAX_MESSAGE_CHARS = 65_536;

export function createReporterService(deps: {
  db: Db;
  programs: Pick<ProgramService, 'list'>;
  blobs: BlobStore;
  sealer: Sealer;
  clock: Clock;
  limits: Limits;
  /** For the links in the PHI quarantine notice to privacy officers. */
  publicUrl: string;
  /** The PHI guard's worker pool (one per instance). */
  scanPool: ArrivalScanDeps['pool'];
}) {
  const { db, sealer } = deps;
  const k = db.kysely;

  async function reportFor(token: string): Promise<ReportRow> {
    // Malformed and unknown links get the same answer, so a probe learns nothing.
    const row = /^[A-Za-z0-9_-]{43}$/.test(token)
      ? await findReportByTokenHash(k, hashToken(token))
      : undefined;
    if (!row) throw new NotFoundError('This case link is not valid.');
    return row;
  }

  async function programOf(row: ReportRow): Promise<Program> {
    const p = (await deps.programs.list()).find((x) => x.id === row.program_id);
    if (!p) throw new NotFoundError('This case link is not valid.');
    return p;
  }

  const summarize = (a: AttachmentRow) => summarizeAttachment(sealer, a);

  /** The one transaction that adds a reporter message with its files, shared by every channel. */
  async function insertReporterMessage(
    row: ReportRow,
    text: string,
    files: StagedFile[],
    auditDetail: Record<string, unknown> = {},
    rawMessageId?: string,
    inTransaction?: MessageWrittenHook,
  ): Promise<string> {
    const messageId = newId();
    // The PHI guard reads the message and its files before the transaction, as on intake.
    const program = await programOf(row);
    const flagged = await scanArrival(
      { blobs: deps.blobs, pool: deps.scanPool, budgetMs: deps.limits.scanBudgetMs },
      {
        message: { id: messageId, text },
        files,
        rawMessageId,
        reporter: reporterContact(
          program,
          sealer.openJson<Answers>(row.contact_sealed, reportAad(row.id, 'contact')),
        ),
      },
    );
    // The reporter's words may say, now, that they reached PHI: a flag for the team to decide on.
    const claims = findClaims([{ where: `message:${messageId}`, text }], program);
    const now = deps.clock.now();
    const nowIso = now.toISOString();
    await k.transaction().execute(async (trx) => {
      await insertMessage(trx, {
        id: messageId,
        report_id: row.id,
        author_kind: 'reporter',
        author_id: null,
        visibility: 'reporter',
        body_sealed: sealer.seal(text, messageAad(messageId)),
        created_at: nowIso,
      });
      for (const f of files) {
        await insertAttachment(trx, {
          id: f.id,
          report_id: row.id,
          message_id: messageId,
          blob_key: f.blobKey,
          name_sealed: sealer.seal(f.name, attachmentNameAad(f.id)),
          content_type: f.contentType,
          size: f.size,
          sha256: f.sha256,
          created_at: nowIso,
          ...(f.id === rawMessageId ? { raw_message: 1 } : {}),
        });
      }
      await touchReport(trx, row.id, nowIso);
      await appendAudit(
        trx,
        {
          actor: 'reporter',
          action: 'message.added',
          programId: row.program_id,
          reportId: row.id,
          detail: { messageId, attachments: files.length, ...auditDetail },
        },
        now,
      );
      await recordArrivalQuarantine(
        trx,
        { sealer, publicUrl: deps.publicUrl },
        {
          program,
          reportId: row.id,
          caseNumber: row.case_number,
          parts: flagged,
          at: now,
          actor: 'reporter',
          arrival: 'message',
        },
      );
      await recordPhiClaim(
        trx,
        { sealer, publicUrl: deps.publicUrl },
        {
          program,
          reportId: row.id,
          caseNumber: row.case_number,
          findings: claims,
          at: now,
          actor: 'reporter',
        },
      );
      await inTransaction?.(trx, { reportId: row.id, at: now });
    });
    return messageId;
  }

  return {
    /** The case and program behind a private link (404 for an unknown or malformed one). */
    async caseOf(token: string): Promise<{ row: ReportRow; program: Program }> {
      const row = await reportFor(token);
      return { row, program: await programOf(row) };
    },

    async view(token: string): Promise<ReporterCaseView> {
      const row = await reportFor(token);
      const program = await programOf(row);
      // The reporter still sees what they sent while it is held; a redacted file is gone for them too.
      const attachments = (await listAttachments(k, row.id))
        .filter((a) => a.redacted_at === null)
        .map(summarize);
      const messages = await listMessages(k, row.id, 'reporter');
      const contact = sealer.openJson<Answers>(row.contact_sealed, reportAad(row.id, 'contact'));
      const { noticeOnly } = await reporterDelivery(program, contact);
      return {
        caseNumber: row.case_number,
        program,
        state: row.state,
        receivedAt: row.received_at,
        contactPerson: row.contact_person,
        deadlines: JSON.parse(row.deadlines) as Record<string, string>,
        content: sealer.openJson<Answers>(row.content_sealed, reportAad(row.id, 'content')),
        contact,
        ...(noticeOnly ? { noticeOnly } : {}),
        attachments: attachments.filter((a) => a.messageId === null),
        messages: messages.map((m) => ({
          id: m.id,
          author: m.author_kind === 'reporter' ? 'reporter' : 'staff',
          body: sealer.open(m.body_sealed, messageAad(m.id)).toString('utf8'),
          createdAt: m.created_at,
          attachments: attachments.filter((a) => a.messageId === m.id),
        })),
      };
    },

    /** Stream one of the case's attachments back to its reporter. */
    async openAttachment(
      token: string,
      attachmentId: string,
    ): Promise<{ meta: AttachmentSummary; stream: Readable }> {
      const row = await reportFor(token);
      const a = /^[0-9a-f-]{36}$/.test(attachmentId)
        ? await findAttachment(k, row.id, attachmentId)
        : undefined;
      if (!a || a.redacted_at !== null) throw new NotFoundError('There is no such attachment on this case.');
      return { meta: summarize(a), stream: deps.blobs.get(a.blob_key, attachmentAad(a.id)) };
    },

    /** A reporter message with optional files, committed whole or not at all. */
    async beginMessage(token: string) {
      const row = await reportFor(token);
      const staged = createStagedFiles(deps.blobs, deps.limits);
      let done = false;
      return {
        caseNumber: row.case_number,
        async addAttachment(file: IncomingFile) {
          await staged.add(file);
        },
        async commit(body: string): Promise<{ messageId: string }> {
          try {
            const text = body.replace(/\r\n/g, '\n');
            if (text.trim() === '' && staged.files.length === 0) {
              throw new ValidationError([{ path: 'message', message: 'write a message or attach a file' }]);
            }
            if ([...text].length > MAX_MESSAGE_CHARS) {
              throw new ValidationError([
                { path: 'message', message: `must be at most ${MAX_MESSAGE_CHARS} characters` },
              ]);
            }
            if (text.includes('\uFFFD'))
              throw new ValidationError([{ path: 'message', message: 'is not valid UTF-8 text' }]);
            const messageId = await insertReporterMessage(row, text, staged.files);
            done = true;
            return { messageId };
          } catch (err) {
            done = true;
            await staged.discard();
            throw err;
          }
        },
        async abort() {
          if (done) return;
          done = true;
          await staged.discard();
        },
      };
    },

    /**
     * A reporter's answer that came by email (a reply to one of our mails), added to their case
     * like a message from the private page. The original mail is stored first, as with a new
     * email report; `intakeMeta` (decryption and signature status, no content) goes to the audit
     * entry, as messages have no column of their own for it.
     */
    async addReporterMessageFromEmail(
      caseNumber: string,
      input: {
        body: string;
        files: IncomingFile[];
        original?: Buffer;
        intakeMeta: Record<string, unknown>;
        /** Written in the message's own transaction: the mail intake records the delivered mail there. */
        inTransaction?: MessageWrittenHook;
      },
    ): Promise<{ messageId: string; caseNumber: string }> {
      const row = await findReportByNumber(k, caseNumber);
      if (!row) {
        for (const f of input.files) f.stream.resume();
        throw new NotFoundError(`There is no case ${caseNumber}.`);
      }
      const staged = createStagedFiles(deps.blobs, deps.limits);
      const kept: StagedFile[] = [];
      let rawMessageId: string | undefined;
      try {
        const text = input.body.replace(/\r\n/g, '\n');
        if ([...text].length > MAX_MESSAGE_CHARS) {
          throw new ValidationError([
            { path: 'message', message: `must be at most ${MAX_MESSAGE_CHARS} characters` },
          ]);
        }
        if (input.original) {
          // Its own allowance, like a new email report's: the transport already bounded it.
          const size = Math.max(input.original.length, 1);
          const original = createStagedFiles(deps.blobs, {
            ...deps.limits,
            maxFiles: 1,
            maxFileBytes: size,
            maxReportBytes: size,
          });
          const raw = await original.add({
            stream: streamOf(input.original),
            filename: 'original-message.eml',
            contentType: 'message/rfc822',
          });
          rawMessageId = raw.id;
          kept.push(raw);
        }
        for (const f of input.files) await staged.add(f);
        kept.push(...staged.files);
        if (text.trim() === '' && kept.length === 0) {
          throw new ValidationError([{ path: 'message', message: 'the mail has neither text nor files' }]);
        }
        // The mail's Message-ID names the sender's mail system: it stays out of the audit log.
        const { messageId: _mailId, ...intake } = input.intakeMeta;
        const messageId = await insertReporterMessage(
          row,
          text,
          kept,
          { channel: 'email', intake },
          rawMessageId,
          input.inTransaction,
        );
        return { messageId, caseNumber: row.case_number };
      } catch (err) {
        for (const f of input.files) f.stream.resume();
        await Promise.allSettled(kept.map((f) => deps.blobs.delete(f.blobKey)));
        await staged.discard();
        throw err;
      }
    },
  };
}

export type ReporterService = ReturnType<typeof createReporterService>;
