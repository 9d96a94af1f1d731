import type { Kysely } from 'kysely';
import type { Access } from '../accounts/index.js';
import { actorOf, type StaffCaller } from '../accounts/index.js';
import { appendAudit } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import { ConflictError, newId, ValidationError } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Database, Db, ReportRow } from '../db/index.js';
import { heldPartsOf, partKey } from '../privacy-quarantine/index.js';
import type { Program, ProgramService } from '../programs/index.js';
import type { Answers } from '../reports/index.js';
import { findReportByNumber, reportAad } from '../reports/index.js';
import {
  type ConsentChoice,
  type ConsentVia,
  type CreditStatus,
  checkCreditText,
  consentEvidenceAad,
  consentTextAad,
  creditsOffered,
  statusFromAnswers,
  statusOf,
} from './consent.js';
import { insertConsent, latestConsents, listConsents, listRecorders } from './consent-store.js';
import type { CreditCommand } from './credit-command.js';

/**
 * Consent to public credit, as the case team and the reporter see and change it. Reading belongs
 * to anyone who may read the case; recording a consent given another way belongs to the case
 * team (read-write), with the evidence. The reporter changes their own on the private page or by
 * a reply that proves it is theirs (the reply token of one of our mails). Every change is one row
 * and one audit entry (the choice and the channel, never the words) in one transaction.
 */

export interface ConsentEntry {
  choice: ConsentChoice;
  text: string | null;
  via: ConsentVia;
  recordedAt: string;
  /** The staff member who recorded it; null when the reporter gave it themselves. */
  recordedBy: { id: string; email: string; name: string } | null;
  /** What staff hold as proof of a consent given another way. */
  evidence: string | null;
}

export interface ConsentView {
  caseNumber: string;
  /** Whether the program credits reporters at all. */
  offered: boolean;
  current: CreditStatus;
  history: ConsentEntry[];
}

const MAX_EVIDENCE_CHARS = 2000;

/** One consent to write: the words are checked here (a `given` needs them), so a refusal stores nothing. */
export interface ConsentWrite {
  program: Program;
  report: Pick<ReportRow, 'id' | 'case_number'>;
  choice: ConsentChoice;
  text?: string;
  via: ConsentVia;
  actor: string;
  recordedBy?: string;
  evidence?: string;
  at: Date;
  /** The reporter's contact details, which the words must not carry. */
  contact: Answers;
}

/**
 * Write one consent row and its audit entry (the choice and channel, never the words) in the
 * caller's transaction — the intake's for a form's answer, its own for every later change.
 */
export async function writeConsent(
  trx: Kysely<Database>,
  deps: { sealer: Sealer },
  c: ConsentWrite,
): Promise<void> {
  const words = c.choice === 'given' ? checkCreditText(c.program, c.contact, c.text) : undefined;
  const id = newId();
  await insertConsent(trx, {
    id,
    report_id: c.report.id,
    program_id: c.program.id,
    choice: c.choice,
    credit_text_sealed: words === undefined ? null : deps.sealer.seal(words, consentTextAad(id)),
    via: c.via,
    evidence_sealed: c.evidence === undefined ? null : deps.sealer.seal(c.evidence, consentEvidenceAad(id)),
    recorded_by: c.recordedBy ?? null,
    recorded_at: c.at.toISOString(),
  });
  await appendAudit(
    trx,
    {
      actor: c.actor,
      action: 'credit-consent.recorded',
      programId: c.program.id,
      reportId: c.report.id,
      detail: {
        caseNumber: c.report.case_number,
        choice: c.choice,
        via: c.via,
        ...(c.evidence !== undefined ? { evidence: true } : {}),
      },
    },
    c.at,
  );
}

export function createCreditConsentService(deps: {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  access: Pick<Access, 'caseFor' | 'can' | 'hasDuty'>;
  programs: Pick<ProgramService, 'list'>;
}) {
  const { db, sealer, clock } = deps;
  const k = db.kysely;

  const answersOf = (r: ReportRow): { content: Answers; contact: Answers } => ({
    content: sealer.openJson<Answers>(r.content_sealed, reportAad(r.id, 'content')),
    contact: sealer.openJson<Answers>(r.contact_sealed, reportAad(r.id, 'contact')),
  });

  const write = (trx: Kysely<Database>, c: ConsentWrite) => writeConsent(trx, { sealer }, c);

  async function view(program: Program, report: ReportRow, seesHeld = true): Promise<ConsentView> {
    const rows = await listConsents(k, report.id);
    const held = !seesHeld && (await heldCreditWords(k, program, [report])).has(report.id);
    const staff = [...new Set(rows.flatMap((r) => (r.recorded_by ? [r.recorded_by] : [])))];
    const people = await listRecorders(k, staff);
    const last = rows[rows.length - 1];
    const { content, contact } = answersOf(report);
    return {
      caseNumber: report.case_number,
      offered: creditsOffered(program),
      current: withoutHeldWords(
        last ? statusOf(sealer, last) : statusFromAnswers(program, content, contact),
        held && (last?.via ?? 'form') === 'form',
      ),
      history: rows.map((r) => ({
        choice: r.choice === 'given' ? 'given' : 'declined',
        text:
          r.credit_text_sealed && !(held && r.via === 'form')
            ? sealer.open(r.credit_text_sealed, consentTextAad(r.id)).toString('utf8')
            : null,
        via: r.via as ConsentVia,
        recordedAt: r.recorded_at,
        recordedBy: r.recorded_by ? (people.get(r.recorded_by) ?? null) : null,
        evidence: r.evidence_sealed
          ? sealer.open(r.evidence_sealed, consentEvidenceAad(r.id)).toString('utf8')
          : null,
      })),
    };
  }

  const refuseUnoffered = (program: Program) => {
    if (!creditsOffered(program))
      throw new ConflictError(
        `${program.definition.name} credits no one publicly (no acknowledgements page, no CVE credit), so there is no consent to record.`,
      );
  };

  return {
    /** The consent of a case and its history, for anyone who may read the case. */
    async get(caller: StaffCaller, caseNumber: string): Promise<ConsentView> {
      const { row, program } = await deps.access.caseFor(caller, caseNumber, 'case.read');
      return view(program, row, await deps.access.hasDuty(caller, program, 'privacy'));
    },

    /** Staff record a consent (or withdrawal) given another way, with the evidence; audited. */
    async record(
      caller: StaffCaller,
      caseNumber: string,
      input: { choice: ConsentChoice; text?: string; evidence: string },
    ): Promise<ConsentView> {
      const { row, program } = await deps.access.caseFor(caller, caseNumber, 'case.write');
      refuseUnoffered(program);
      const evidence = input.evidence.trim();
      if (evidence === '')
        throw new ValidationError([{ path: 'evidence', message: 'say how the reporter gave this answer' }]);
      if ([...evidence].length > MAX_EVIDENCE_CHARS)
        throw new ValidationError([
          { path: 'evidence', message: `must be at most ${MAX_EVIDENCE_CHARS} characters` },
        ]);
      const { contact } = answersOf(row);
      const at = clock.now();
      await k.transaction().execute((trx) =>
        write(trx, {
          program,
          report: row,
          choice: input.choice,
          text: input.text,
          via: 'staff',
          actor: actorOf(caller),
          recordedBy: caller.userId,
          evidence,
          at,
          contact,
        }),
      );
      return view(program, row);
    },

    /** The reporter's own change, from their private page or a proven mail reply. */
    async setByReporter(
      program: Program,
      report: ReportRow,
      input: { choice: ConsentChoice; text?: string },
      via: 'private-page' | 'mail-reply',
    ): Promise<CreditStatus> {
      refuseUnoffered(program);
      const { contact } = answersOf(report);
      const at = clock.now();
      await k
        .transaction()
        .execute((trx) => write(trx, { program, report, ...input, via, actor: 'reporter', at, contact }));
      return (await view(program, report)).current;
    },

    /**
     * A credit answer from a reply to one of our mails that carried the case's reply token. Words
     * that cannot be used (none, a contact detail inside) record nothing: the audit says why, and
     * the reply itself is on the case for the team to follow up.
     */
    async fromMailReply(caseNumber: string, command: CreditCommand): Promise<boolean> {
      const report = await findReportByNumber(k, caseNumber);
      const program = report
        ? (await deps.programs.list()).find((p) => p.id === report.program_id)
        : undefined;
      if (!report || !program || !creditsOffered(program)) return false;
      const { contact } = answersOf(report);
      const at = clock.now();
      try {
        await k
          .transaction()
          .execute((trx) =>
            write(trx, { program, report, ...command, via: 'mail-reply', actor: 'reporter', at, contact }),
          );
        return true;
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        await k.transaction().execute((trx) =>
          appendAudit(
            trx,
            {
              actor: 'reporter',
              action: 'credit-consent.refused',
              programId: program.id,
              reportId: report.id,
              detail: { caseNumber, via: 'mail-reply', problems: err.fields.map((f) => f.message) },
            },
            at,
          ),
        );
        return false;
      }
    },

    /** What a reporter sees of their consent: the current choice and how it was last given. */
    async reporterView(
      program: Program,
      report: ReportRow,
    ): Promise<{ offered: boolean; current: CreditStatus; via: ConsentVia | null; at: string | null }> {
      const v = await view(program, report);
      const last = v.history[v.history.length - 1];
      return { offered: v.offered, current: v.current, via: last?.via ?? null, at: last?.recordedAt ?? null };
    },

    /** Where each of the reports stands now; see `creditStatuses`. */
    statusOfReports: (program: Program, reports: ReportRow[]) => creditStatuses(k, sealer, program, reports),
  };
}

/**
 * Where each of the reports stands now (for drafting, checking and announcing advisories): the
 * latest row, else what the form said. Takes the caller's `db` or `trx`.
 */
export async function creditStatuses(
  q: Kysely<Database>,
  sealer: Sealer,
  program: Program,
  reports: ReportRow[],
): Promise<Map<string, CreditStatus>> {
  const latest = await latestConsents(
    q,
    reports.map((r) => r.id),
  );
  const held = await heldCreditWords(q, program, reports);
  const out = new Map<string, CreditStatus>();
  for (const r of reports) {
    const row = latest.get(r.id);
    const status = row
      ? statusOf(sealer, row)
      : statusFromAnswers(
          program,
          sealer.openJson<Answers>(r.content_sealed, reportAad(r.id, 'content')),
          sealer.openJson<Answers>(r.contact_sealed, reportAad(r.id, 'contact')),
        );
    out.set(r.id, withoutHeldWords(status, held.has(r.id) && (row?.via ?? 'form') === 'form'));
  }
  return out;
}

/**
 * Reports whose form credit words are held in PHI quarantine (the `creditText` field): words the
 * guard holds must not reach an advisory, its checks or a reader without the privacy duty, so
 * until a privacy officer releases or redacts them such a consent counts as not given.
 */
async function heldCreditWords(
  q: Kysely<Database>,
  program: Program,
  reports: Pick<ReportRow, 'id'>[],
): Promise<Set<string>> {
  const field = program.definition.form.fields.find((f) => f.purpose === 'creditText');
  if (!field || reports.length === 0) return new Set();
  const held = await heldPartsOf(
    q,
    reports.map((r) => r.id),
  );
  const key = partKey('field', field.id);
  return new Set(reports.filter((r) => held.get(r.id)?.has(key)).map((r) => r.id));
}

const withoutHeldWords = (s: CreditStatus, held: boolean): CreditStatus =>
  held && s.status === 'given' ? { status: 'unanswered' } : s;

export type CreditConsentService = ReturnType<typeof createCreditConsentService>;
