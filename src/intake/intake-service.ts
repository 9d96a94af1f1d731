import { appendAudit } from '../audit/index.js';
import type { BlobStore } from '../blobs/index.js';
import type { CalendarCache } from '../cases/calendars.js';
import { insertAttachment, insertReport, nextCaseSequence } from '../cases/report-store.js';
import { attachmentNameAad, reportAad } from '../cases/sealing.js';
import type { Limits } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import { NotFoundError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { formatInstant, yearIn } from '../core/time-format.js';
import { hashToken, newCapabilityToken, type Sealer } from '../crypto/index.js';
import type { Db } from '../db/index.js';
import { computeDeadlines } from '../deadlines/index.js';
import { createTranslator } from '../i18n/index.js';
import { enqueueMail } from '../jobs/outbox.js';
import type { Program, ProgramService } from '../programs/index.js';
import { type CheckedAnswers, checkAnswers, fieldFor } from './answers.js';
import { createStagedFiles, type IncomingFile, type StagedFiles } from './staged-files.js';

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

/** One submission in progress: files stream in, then it commits whole or not at all. */
export interface Submission {
  readonly program: Program;
  addAttachment(file: IncomingFile): Promise<void>;
  commit(
    answers: Record<string, unknown>,
    meta: { channel: Channel; language?: string; actor?: string },
  ): Promise<Receipt>;
  /** Drop everything staged so far; call on any error before commit. */
  abort(): Promise<void>;
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
}

export function createIntakeService(deps: IntakeDeps) {
  const { db, sealer, clock, limits } = deps;

  async function begin(programSlug: string): Promise<Submission> {
    const program = await deps.programs.find(programSlug);
    if (!program?.definition.intake.web)
      throw new NotFoundError(`There is no program "${programSlug}" taking reports here.`);
    const staged = createStagedFiles(deps.blobs, limits);
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
          const receipt = await persist(program, checked, staged, meta);
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

  async function persist(
    program: Program,
    answers: CheckedAnswers,
    staged: StagedFiles,
    meta: { channel: Channel; language?: string; actor?: string },
  ): Promise<Receipt> {
    const def = program.definition;
    const receivedAt = clock.now();
    const calendar = deps.calendars.forProgram(program);
    const deadlineDates = computeDeadlines(receivedAt, def.deadlines, calendar);
    const deadlines = Object.fromEntries(
      Object.entries(deadlineDates).flatMap(([k, v]) => (v ? [[k, v.toISOString()]] : [])),
    );
    const acknowledgeBy = deadlines.acknowledge as string;
    const token = newCapabilityToken();
    const reportId = newId();
    const language =
      meta.language && def.languages.includes(meta.language) ? meta.language : (def.languages[0] ?? 'en');
    const nowIso = receivedAt.toISOString();
    const year = yearIn(receivedAt, def.calendar.timeZone);
    const reporterUrl = `${deps.publicUrl}/r/${token}`;
    const emailField = fieldFor(def, 'contact.email');
    const reporterEmail = emailField ? answers.contact[emailField.id] : undefined;

    const caseNumber = await db.kysely.transaction().execute(async (trx) => {
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
        content_sealed: sealer.sealJson(answers.content, reportAad(reportId, 'content')),
        contact_sealed: sealer.sealJson(answers.contact, reportAad(reportId, 'contact')),
        reporter_token_hash: hashToken(token),
        created_at: nowIso,
        updated_at: nowIso,
      });
      for (const f of staged.files) {
        await insertAttachment(trx, {
          id: f.id,
          report_id: reportId,
          message_id: null,
          blob_key: f.blobKey,
          name_sealed: sealer.seal(f.name, attachmentNameAad(f.id)),
          content_type: f.contentType,
          size: f.size,
          sha256: f.sha256,
          created_at: nowIso,
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
            fields: Object.keys(answers.content).length + Object.keys(answers.contact).length,
            attachments: staged.files.length,
            bytes: staged.files.reduce((n, f) => n + f.size, 0),
          },
        },
        receivedAt,
        db.dialect,
      );
      if (typeof reporterEmail === 'string') {
        const t = createTranslator(language);
        const vars = {
          caseNumber,
          vendor: def.vendor.name,
          when: formatInstant(acknowledgeBy, def.calendar.timeZone, language),
          link: reporterUrl,
        };
        await enqueueMail(
          trx,
          sealer,
          {
            to: reporterEmail,
            subject: t('mail.receipt.subject', vars),
            text: t('mail.receipt.body', vars),
            messageId: `<${caseNumber.toLowerCase()}.receipt.${reportId.slice(0, 8)}@${new URL(deps.publicUrl).hostname}>`,
            headers: { 'X-Vigil-Case': caseNumber },
          },
          { reportId, now: receivedAt },
        );
      }
      return caseNumber;
    });

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
    meta: { channel: Channel; language?: string; actor?: string },
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

  return { begin, submitReport };
}

export type IntakeService = ReturnType<typeof createIntakeService>;
