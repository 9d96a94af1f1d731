import { randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/index.js';
import type { BlobStore } from '../blobs/index.js';
import { caseDigest, type DigestKey, openDigestKey } from '../case-features/index.js';
import { assessArrival, recordQualitySignals } from '../cases/index.js';
import type { Limits } from '../config/index.js';
import type { Clock } from '../core/index.js';
import { NotFoundError, newId, PayloadTooLargeError, streamOf, ValidationError } from '../core/index.js';
import { type ConsentChoice, consentFromAnswers, writeConsent } from '../credit-consent/index.js';
import { hashToken, newCapabilityToken, type Sealer } from '../crypto/index.js';
import type { Database, Db, Transaction } from '../db/index.js';
import { createTranslator, type MessageKey } from '../i18n/index.js';
import { enqueueMail } from '../jobs/index.js';
import { noticeOnlyReason, readRecipientKey, replyAddress } from '../mail/index.js';
import { findClaims, openPrivacyEscalation, recordPhiClaim } from '../privacy-escalation/index.js';
import {
  type ArrivalScanDeps,
  recordArrivalQuarantine,
  reporterContact,
  scanArrival,
} from '../privacy-quarantine/index.js';
import type { CalendarCache, Program, ProgramService } from '../programs/index.js';
import {
  type Answers,
  attachmentNameAad,
  checkAnswers,
  createStagedFiles,
  fieldFor,
  type IncomingFile,
  insertAttachment,
  insertReport,
  nextCaseSequence,
  reportAad,
  type StagedFile,
} from '../reports/index.js';
import { createGroupCommit, type ExpectedSubmission } from './group-commit.js';
import { createIntakeGate } from './intake-gate.js';
import { createIntakePauses } from './intake-pause.js';
import { createReceiptClock } from './receipt-clock.js';

export type Channel = 'web' | 'api' | 'email' | 'staff';

/** What the reporter gets back: the only time the private link exists in clear. */
export interface Receipt {
  caseNumber: string;
  programSlug: string;
  reporterToken: string;
  reporterUrl: string;
  receivedAt: string;
  acknowledgeBy: string;
  deadlines: Record<string, string>;
  timeZone: string;
}

/** How a submission came in. */
export interface SubmissionMeta {
  channel: Channel;
  language?: string;
  actor?: string;
  /**
   * The client address of a web or API report, counted against it by the intake gate in the
   * report's own transaction.
   */
  countFrom?: string;
}

/** One submission in progress: files stream in, then it commits whole or not at all. */
export interface Submission {
  readonly program: Program;
  addAttachment(file: IncomingFile): Promise<void>;
  commit(answers: Record<string, unknown>, meta: SubmissionMeta): Promise<Receipt>;
  /** Drop everything staged so far; call on any error before commit. */
  abort(): Promise<void>;
}

/**
 * A report that arrived as a message (email) rather than through the form: no form to check it
 * against, so it is stored as a subject and a message with the sender as contact, within fixed
 * length limits.
 */
export interface MessageReport {
  subject: string;
  message: string;
  from: { email?: string; name?: string };
  /** The sender's armored OpenPGP public key (attached or from an Autocrypt header). */
  publicKey?: string;
  files: IncomingFile[];
  /**
   * The message exactly as received, stored before anything else as `original-message.eml` so
   * that what could not be read (or was read wrongly) is never lost. Already bounded in size by
   * the transport that read it into memory.
   */
  original?: Buffer;
  /** What the channel learned (decryption, signature, …); never content or addresses. */
  intakeMeta: Record<string, unknown>;
  channel: 'email';
  /** The program address the message came to; replies go to its reply sub-address. */
  address?: string;
  receipt: {
    /** False for automatic mail (bounces, auto-replies), which must not be answered (RFC 3834). */
    send: boolean;
    /** Tell the sender what could not be read, without repeating any of it. */
    notice?: 'undecryptable' | 'attachments-undecryptable';
    /** The fingerprint of the key to encrypt to, named in the notice. */
    fingerprint?: string;
  };
  language?: string;
  /**
   * Written in the transaction that makes the case, so it commits with it or not at all: the email
   * intake records the mail there, and a second delivery of it finds this case instead of making one.
   */
  inTransaction?: CaseWrittenHook;
}

/** Extra writes of a channel inside the case's own transaction, once the case row is written. */
export type CaseWrittenHook = (
  trx: Transaction<Database>,
  made: { reportId: string; caseNumber: string; at: Date },
) => Promise<void>;

/**
 * Files of one submission kept in memory, up to this many bytes together, for the PHI guard to
 * scan without reading them back from the blob store (a larger file is read back as before). A
 * file being read back may hold up to 16 MiB, so this adds no new peak.
 */
const KEEP_FOR_SCAN_BYTES = 1024 * 1024;

export const MESSAGE_LIMITS = { subjectChars: 500, nameChars: 200, emailChars: 320 } as const;

/** Everything one new case is made of, whichever channel it came through. */
interface NewCase {
  content: Answers;
  contact: Answers;
  files: StagedFile[];
  reporterEmail?: string;
  /** The reporter's key as given (pasted text or armored key); used only if it is usable. */
  publicKey?: unknown;
  /** The form asked for the reporter's key (a `contact.publicKey` field), so its absence is news. */
  keyAsked?: boolean;
  intakeMeta?: Record<string, unknown>;
  /** Threads replies to the receipt: the token is stored hashed, the address goes in Reply-To. */
  reply?: { token: string; address: string };
  /** Paragraphs put before the receipt's usual text (or after it, with `after`). */
  receiptNotes?: { key: MessageKey; vars?: Record<string, string>; after?: boolean }[];
  /** The reporter answered "yes" to the form's PHI question: the case opens a privacy escalation. */
  phiAccessed?: boolean;
  /** The consent to public credit the form's answers carry (checked already). */
  consent?: { choice: ConsentChoice; text?: string };
  /** The staged id of the email's stored original (held with anything else the guard flags). */
  rawMessageId?: string;
  inTransaction?: CaseWrittenHook;
}

export interface IntakeDeps {
  db: Db;
  programs: Pick<ProgramService, 'find'>;
  blobs: BlobStore;
  sealer: Sealer;
  clock: Clock;
  calendars: CalendarCache;
  limits: Limits;
  publicUrl: string;
  /** The PHI guard's worker pool (one per instance). */
  scanPool: ArrivalScanDeps['pool'];
}

export function createIntakeService(deps: IntakeDeps) {
  const { db, sealer, clock, limits } = deps;
  // Submissions ready at the same time share a COMMIT (see group-commit.ts).
  const commits = createGroupCommit(db.kysely);
  const receiptClock = createReceiptClock(deps.calendars);
  // Flood gates: a paused program refuses every channel here; the proof-of-work is asked by the routes.
  const pauses = createIntakePauses({ db, clock });
  const gate = createIntakeGate({ db, sealer, clock, settings: limits.intakeGate });
  // A program's digest key never changes once made (digest-keys.ts), so it is opened once.
  const digestKeys = new Map<string, Promise<DigestKey>>();
  const digestKey = (programId: string, now: Date): Promise<DigestKey> => {
    let key = digestKeys.get(programId);
    if (!key) {
      key = openDigestKey(db.kysely, sealer, programId, now);
      digestKeys.set(programId, key);
      key.catch(() => digestKeys.delete(programId));
    }
    return key;
  };

  async function begin(programSlug: string): Promise<Submission> {
    const program = await deps.programs.find(programSlug);
    if (!program?.definition.intake.web)
      throw new NotFoundError(`There is no program "${programSlug}" taking reports here.`);
    await pauses.assertOpen(program);
    const staged = createStagedFiles(deps.blobs, limits, { keepSmallFiles: KEEP_FOR_SCAN_BYTES });
    let done = false;
    return {
      program,
      async addAttachment(file) {
        if (!program.definition.form.attachments.allowed) {
          file.stream.resume();
          throw new NotFoundError(`The program "${program.slug}" does not take attachments.`);
        }
        await staged.add(file);
      },
      async commit(answers, meta) {
        if (done) throw new Error('submission already finished');
        try {
          const checked = checkAnswers(program.definition, answers, limits.maxFieldBytes);
          const emailField = fieldFor(program.definition, 'contact.email');
          const reporterEmail = emailField ? checked.contact[emailField.id] : undefined;
          const keyField = fieldFor(program.definition, 'contact.publicKey');
          const phiField = fieldFor(program.definition, 'phiAccessed');
          const phiAnswer = phiField ? checked.content[phiField.id] : undefined;
          // Credit words are checked here, so bad ones are refused (by field) before anything is stored.
          const consent = consentFromAnswers(program, checked.content, checked.contact);
          const receipt = await persist(
            program,
            {
              content: checked.content,
              contact: checked.contact,
              files: staged.files,
              reporterEmail: typeof reporterEmail === 'string' ? reporterEmail : undefined,
              publicKey: keyField ? checked.contact[keyField.id] : undefined,
              keyAsked: keyField !== undefined,
              // Only a plain yes: "unsure" is for the team to ask about, not an escalation.
              phiAccessed: phiAnswer === 'yes' || phiAnswer === true,
              consent,
            },
            meta,
          );
          done = true;
          return receipt;
        } catch (err) {
          await staged.discard();
          done = true;
          throw err;
        }
      },
      async abort() {
        if (done) return;
        done = true;
        await staged.discard();
      },
    };
  }

  /** The one transaction that makes a case, shared by every channel. */
  async function persist(program: Program, record: NewCase, meta: SubmissionMeta): Promise<Receipt> {
    // Announced now, so a batch about to be written may wait for this one's checks (group-commit.ts).
    const slot = commits.expect();
    try {
      return await checkAndWrite(program, record, meta, slot);
    } finally {
      slot.cancel();
    }
  }

  async function checkAndWrite(
    program: Program,
    record: NewCase,
    meta: SubmissionMeta,
    slot: ExpectedSubmission,
  ): Promise<Receipt> {
    const def = program.definition;
    const receivedAt = clock.now();
    // A reporter who reached PHI makes the case urgent, with the program's short acknowledgement clock.
    const urgent = record.phiAccessed ? 'phi-accessed' : null;
    // The product the reporter chose, when it names one of the program's (not "other"): the case
    // is about it from the start, for the queue's product filter and the regulatory duties.
    const productField = def.form.fields.find((f) => f.purpose === 'product');
    const productAnswer = productField ? record.content[productField.id] : undefined;
    const productId = def.scope.products.find((p) => p.id === productAnswer)?.id;
    const times = receiptClock.at(program, receivedAt, urgent ? def.privacy?.urgentAcknowledge : undefined);
    const { calendar, deadlines, acknowledgeBy, year } = times;
    const token = newCapabilityToken();
    const reportId = newId();
    const language =
      meta.language && def.languages.includes(meta.language) ? meta.language : (def.languages[0] ?? 'en');
    const nowIso = receivedAt.toISOString();
    const reporterUrl = `${deps.publicUrl}/r/${token}`;
    const reporterEmail = record.reporterEmail;
    // Outbound encryption: a reporter who gave a usable OpenPGP key gets the receipt PGP/MIME
    // encrypted and signed by the program. Parsed here, before the transaction, as it is CPU work.
    const encryptTo = await readRecipientKey(record.publicKey);
    // Without a usable key, replies reach the reporter's mailbox only as notices: the receipt says so.
    const noticeOnly = noticeOnlyReason(record.keyAsked === true, record.publicKey, encryptTo !== undefined);
    // The PHI guard reads every part (attachments back from the blob store) before the
    // transaction; the transaction only records what it flagged.
    const flagged = await scanArrival(
      { blobs: deps.blobs, pool: deps.scanPool, budgetMs: limits.scanBudgetMs },
      {
        fields: record.content,
        files: record.files,
        rawMessageId: record.rawMessageId,
        reporter: reporterContact(program, record.contact),
      },
    );
    // Words saying the reporter reached PHI, for the team to decide on; a "yes" already decided.
    const claims = record.phiAccessed
      ? []
      : findClaims(
          Object.entries(record.content).map(([where, text]) => ({ where, text })),
          program,
        );
    // The keyed digest duplicate suggestions score this case by, without the fields the guard
    // holds (CPU work, so here rather than in the transaction).
    const featureDigest = caseDigest(
      await digestKey(program.id, receivedAt),
      program,
      record.content,
      new Set(flagged.filter((p) => p.kind === 'field').map((p) => p.ref)),
    );
    // Quality signals for the triage lane (src/cases/quality-arrival.ts): flags and explanations,
    // never text; they read similar cases and the reporter's standing, so here, not in the transaction.
    const quality = await assessArrival(db.kysely, {
      program,
      reportId,
      content: record.content,
      contact: record.contact,
      files: record.files,
      intakeMeta: record.intakeMeta,
      digest: featureDigest,
      key: await digestKey(program.id, receivedAt),
      now: receivedAt,
    });

    const arrival =
      meta.countFrom === undefined ? undefined : await gate.arrival(program, meta.countFrom, receivedAt);

    // Sealed before the transaction (CPU work); each ciphertext is bound to its row by its AAD.
    const contentSealed = sealer.sealJson(record.content, reportAad(reportId, 'content'));
    const contactSealed = sealer.sealJson(record.contact, reportAad(reportId, 'contact'));
    const namesSealed = record.files.map((f) => sealer.seal(f.name, attachmentNameAad(f.id)));

    const caseNumber = await slot.run(async (trx) => {
      const seq = await nextCaseSequence(trx, program.id, year);
      const caseNumber = `${def.casePrefix}-${year}-${String(seq).padStart(4, '0')}`;
      await insertReport(trx, {
        id: reportId,
        program_id: program.id,
        case_number: caseNumber,
        state: 'received',
        channel: meta.channel,
        language,
        received_at: nowIso,
        deadlines: JSON.stringify(deadlines),
        acknowledge_by: acknowledgeBy,
        content_sealed: contentSealed,
        contact_sealed: contactSealed,
        feature_digest: featureDigest,
        triage_rank: quality.signals.score,
        reporter_key: quality.reporterKey,
        reporter_token_hash: hashToken(token),
        created_at: nowIso,
        updated_at: nowIso,
        ...(urgent ? { urgent } : {}),
        ...(productId ? { product_id: productId } : {}),
        // Left to the column defaults on the form path, so its rows stay exactly as before.
        ...(record.intakeMeta ? { intake_meta: JSON.stringify(record.intakeMeta) } : {}),
        ...(record.reply ? { reply_token_hash: hashToken(record.reply.token) } : {}),
      });
      await recordQualitySignals(trx, quality);
      await arrival?.record(trx);
      await record.inTransaction?.(trx, { reportId, caseNumber, at: receivedAt });
      for (const [i, f] of record.files.entries()) {
        await insertAttachment(trx, {
          id: f.id,
          report_id: reportId,
          message_id: null,
          blob_key: f.blobKey,
          name_sealed: namesSealed[i] as Buffer,
          content_type: f.contentType,
          size: f.size,
          sha256: f.sha256,
          created_at: nowIso,
          ...(f.id === record.rawMessageId ? { raw_message: 1 } : {}),
        });
      }
      await appendAudit(
        trx,
        {
          actor: meta.actor ?? 'reporter',
          action: 'report.received',
          programId: program.id,
          reportId,
          detail: {
            caseNumber,
            channel: meta.channel,
            fields: Object.keys(record.content).length + Object.keys(record.contact).length,
            attachments: record.files.length,
            bytes: record.files.reduce((n, f) => n + f.size, 0),
          },
        },
        receivedAt,
      );
      await recordArrivalQuarantine(
        trx,
        { sealer, publicUrl: deps.publicUrl },
        {
          program,
          reportId,
          caseNumber,
          parts: flagged,
          at: receivedAt,
          actor: meta.actor ?? 'reporter',
          arrival: 'report',
        },
      );
      if (record.phiAccessed) {
        await openPrivacyEscalation(
          trx,
          { sealer, publicUrl: deps.publicUrl },
          {
            program,
            calendar,
            reportId,
            caseNumber,
            at: receivedAt,
            reason: 'reporter-accessed-phi',
            actor: meta.actor ?? 'reporter',
          },
        );
      }
      if (record.consent)
        await writeConsent(
          trx,
          { sealer },
          {
            program,
            report: { id: reportId, case_number: caseNumber },
            ...record.consent,
            via: 'form',
            actor: meta.actor ?? 'reporter',
            at: receivedAt,
            contact: record.contact,
          },
        );
      await recordPhiClaim(
        trx,
        { sealer, publicUrl: deps.publicUrl },
        { program, reportId, caseNumber, findings: claims, at: receivedAt, actor: meta.actor ?? 'reporter' },
      );
      if (reporterEmail !== undefined) {
        const t = createTranslator(language);
        const notes = [
          ...(noticeOnly
            ? [{ key: `mail.receipt.replies.${noticeOnly === 'no-key' ? 'noKey' : 'unusableKey'}` as const }]
            : []),
          ...(record.receiptNotes ?? []),
        ];
        const vars = {
          caseNumber,
          vendor: def.vendor.name,
          when: times.acknowledgeText(language),
          link: reporterUrl,
        };
        await enqueueMail(
          trx,
          sealer,
          {
            to: reporterEmail,
            subject: t('mail.receipt.subject', vars),
            text: [
              ...notes.filter((n) => !n.after).map((n) => t(n.key, n.vars)),
              t('mail.receipt.body', vars),
              ...notes.filter((n) => n.after).map((n) => t(n.key, n.vars)),
            ].join('\n\n'),
            messageId: `<${caseNumber.toLowerCase()}.receipt.${reportId.slice(0, 8)}@${new URL(deps.publicUrl).hostname}>`,
            headers: {
              'X-Vigil-Case': caseNumber,
              ...(record.reply ? { 'Reply-To': replyAddress(record.reply.address, record.reply.token) } : {}),
            },
            ...(encryptTo !== undefined ? { encryptTo, signAs: { programId: program.id } } : {}),
          },
          { reportId, now: receivedAt },
        );
      }
      return caseNumber;
    });
    // The report is stored: pruning old arrivals must not fail it.
    await arrival?.settle().catch(() => undefined);

    return {
      caseNumber,
      programSlug: program.slug,
      reporterToken: token,
      reporterUrl,
      receivedAt: nowIso,
      acknowledgeBy,
      deadlines,
      timeZone: def.calendar.timeZone,
    };
  }

  /** Submit a whole report at once (files already open as streams); used by the JSON API and tests. */
  async function submitReport(
    programSlug: string,
    answers: Record<string, unknown>,
    meta: SubmissionMeta,
    files: IncomingFile[] = [],
  ): Promise<Receipt> {
    const sub = await begin(programSlug);
    try {
      for (const f of files) await sub.addAttachment(f);
    } catch (err) {
      await sub.abort();
      throw err;
    }
    return sub.commit(answers, meta);
  }

  /**
   * A report that arrived as a message (email): stored as subject and message with the sender as
   * contact, through the same transaction as the form. The original message goes in first, so a
   * message nobody could read is still kept. The receipt's Reply-To carries a fresh reply token,
   * so an answer to it threads into this case.
   */
  async function submitMessageReport(programSlug: string, report: MessageReport): Promise<Receipt> {
    const program = await deps.programs.find(programSlug);
    const addresses = program?.definition.intake.emailAddresses ?? [];
    if (!program || addresses.length === 0) {
      for (const f of report.files) f.stream.resume();
      throw new NotFoundError(`There is no program "${programSlug}" taking reports by email.`);
    }
    try {
      await pauses.assertOpen(program);
    } catch (err) {
      for (const f of report.files) f.stream.resume();
      throw err;
    }
    const address =
      addresses.find((a) => a.toLowerCase() === report.address?.toLowerCase()) ?? (addresses[0] as string);
    const staged = createStagedFiles(deps.blobs, limits, { keepSmallFiles: KEEP_FOR_SCAN_BYTES });
    const kept: StagedFile[] = [];
    let rawMessageId: string | undefined;
    try {
      const { content, contact } = checkMessageReport(report, limits.maxFieldBytes);
      if (report.original) {
        // Its own allowance: the transport already bounded it, and it must never be refused here.
        const size = Math.max(report.original.length, 1);
        const original = createStagedFiles(deps.blobs, {
          ...limits,
          maxFiles: 1,
          maxFileBytes: size,
          maxReportBytes: size,
        });
        const raw = await original.add({
          stream: streamOf(report.original),
          filename: ORIGINAL_MESSAGE_NAME,
          contentType: 'message/rfc822',
        });
        rawMessageId = raw.id;
        kept.push(raw);
      }
      for (const f of report.files) await staged.add(f);
      kept.push(...staged.files);
      const notice = report.receipt.notice;
      return await persist(
        program,
        {
          content,
          contact,
          files: kept,
          reporterEmail: report.receipt.send && typeof contact.email === 'string' ? contact.email : undefined,
          publicKey: contact.publicKey,
          intakeMeta: report.intakeMeta,
          reply: { token: randomBytes(16).toString('hex'), address },
          rawMessageId,
          inTransaction: report.inTransaction,
          receiptNotes: [
            ...(notice === 'attachments-undecryptable'
              ? [{ key: 'mail.receipt.attachmentsUndecryptable' as const }]
              : notice === 'undecryptable'
                ? [
                    report.receipt.fingerprint
                      ? {
                          key: 'mail.receipt.undecryptable' as const,
                          vars: { fingerprint: report.receipt.fingerprint },
                        }
                      : { key: 'mail.receipt.undecryptableNoKey' as const },
                  ]
                : []),
            { key: 'mail.receipt.replyHint', after: true },
          ],
        },
        { channel: report.channel, language: report.language },
      );
    } catch (err) {
      for (const f of report.files) f.stream.resume();
      await Promise.allSettled(kept.map((f) => deps.blobs.delete(f.blobKey)));
      await staged.discard();
      throw err;
    }
  }

  return { begin, submitReport, submitMessageReport, gate, pauses };
}

/** The name the raw message of an email report is stored under. */
export const ORIGINAL_MESSAGE_NAME = 'original-message.eml';

const EMAIL_RE = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * The limits a message report must keep, with no form to check it against. The caller (the mail
 * processor) shortens what is too long before it gets here; breaking a limit is a programming error
 * on its side, not something a sender can cause.
 */
function checkMessageReport(r: MessageReport, maxFieldBytes: number): { content: Answers; contact: Answers } {
  const problems: { path: string; message: string }[] = [];
  const chars = (s: string) => [...s].length;
  if (chars(r.subject) > MESSAGE_LIMITS.subjectChars)
    problems.push({ path: 'subject', message: `must be at most ${MESSAGE_LIMITS.subjectChars} characters` });
  if (/[\r\n]/.test(r.subject) || CONTROL.test(r.subject))
    problems.push({ path: 'subject', message: 'must be a single line of text' });
  if (CONTROL.test(r.message)) problems.push({ path: 'message', message: 'contains control characters' });
  const email = r.from.email?.trim();
  if (email !== undefined && (email.length > MESSAGE_LIMITS.emailChars || !EMAIL_RE.test(email)))
    problems.push({ path: 'email', message: 'expected an email address such as name@example.org' });
  const name = r.from.name?.trim();
  if (
    name !== undefined &&
    (chars(name) > MESSAGE_LIMITS.nameChars || /[\r\n]/.test(name) || CONTROL.test(name))
  )
    problems.push({
      path: 'name',
      message: `must be one line of at most ${MESSAGE_LIMITS.nameChars} characters`,
    });
  if (problems.length > 0) throw new ValidationError(problems);
  for (const [field, value] of [
    ['message', r.message],
    ['publicKey', r.publicKey ?? ''],
  ] as const) {
    if (Buffer.byteLength(value) > maxFieldBytes)
      throw new PayloadTooLargeError(
        `The field "${field}" is larger than the limit of ${maxFieldBytes} bytes.`,
      );
  }
  const contact: Answers = {};
  if (email) contact.email = email;
  if (name) contact.name = name;
  if (r.publicKey) contact.publicKey = r.publicKey;
  return { content: { subject: r.subject, message: r.message.replace(/\r\n/g, '\n') }, contact };
}

export type IntakeService = ReturnType<typeof createIntakeService>;
