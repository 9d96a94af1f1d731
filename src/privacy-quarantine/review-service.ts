import type { Access } from '../accounts/index.js';
import { actorOf, type StaffCaller } from '../accounts/index.js';
import { appendAudit } from '../audit/index.js';
import type { BlobStore } from '../blobs/index.js';
import { writeFeatureDigest } from '../case-features/index.js';
import type { Clock } from '../core/index.js';
import { ConflictError, formatInstant, NotFoundError } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Db, PhiQuarantineRow, ReportRow } from '../db/index.js';
import { detectPhi, type PhiFinding, type PhiInput, type PhiKind } from '../privacy/index.js';
import type { Program } from '../programs/index.js';
import type { Answers } from '../reports/index.js';
import { attachmentNameAad, listAttachments, listMessages, messageAad, reportAad } from '../reports/index.js';
import {
  findQuarantinePart,
  listQuarantineParts,
  lockReport,
  type PartKind,
  type PartState,
  refreshPhiFlag,
  updateQuarantinePart,
  usersById,
} from './quarantine-store.js';
import { DEFAULT_SCAN_BUDGET_MS, type ScanPool } from './scan-pool.js';
import { answerText, readStoredPrefix, reporterContact } from './scanner.js';
import { notPrivacyOfficer } from './visibility.js';

/**
 * The privacy officers' review of what the guard held: the list of parts with live findings
 * (masked excerpts and spans, computed from the content on each read and never stored), and
 * release of a false positive. Only the program's privacy officers may do either; a reader of
 * the case without the duty gets 403, anyone else 404 as for a missing case.
 */

export interface UserRef {
  id: string;
  name: string;
  email: string;
}

export interface QuarantinePartView {
  id: string;
  kind: PartKind;
  ref: string;
  label: string;
  state: PartState;
  kinds: PhiKind[];
  scannedBytes?: number;
  truncated?: boolean;
  findings: Pick<PhiFinding, 'kind' | 'label' | 'excerpt' | 'start' | 'end' | 'unit'>[];
  detectedAt: string;
  resolvedAt: string | null;
  resolvedBy: UserRef | null;
}

export interface ReviewDeps {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  blobs: Pick<BlobStore, 'get'>;
  access: Pick<Access, 'caseFor' | 'hasDuty'>;
  /**
   * The PHI guard's worker pool, for the live findings: held content is what the detector found
   * heavy or suspect, so it is not re-scanned on the main thread. Without it (unit tests), inline.
   */
  scanPool?: Pick<ScanPool, 'scan'>;
}

/** The case, if the caller is a privacy officer of its program (a read-write token to change things). */
export async function officerCase(
  access: ReviewDeps['access'],
  caller: StaffCaller,
  caseNumber: string,
  opts: { write: boolean },
): Promise<{ row: ReportRow; program: Program }> {
  const found = await access.caseFor(caller, caseNumber, 'case.read');
  if ((opts.write && caller.scope === 'read') || !(await access.hasDuty(caller, found.program, 'privacy')))
    throw notPrivacyOfficer(found.program.slug);
  return found;
}

export function createQuarantineReview(deps: ReviewDeps) {
  const { db, sealer, clock } = deps;
  const k = db.kysely;

  /** Views of the parts, with live findings for what is not redacted. */
  async function partViews(
    row: ReportRow,
    program: Program,
    parts: PhiQuarantineRow[],
  ): Promise<QuarantinePartView[]> {
    if (parts.length === 0) return [];
    const content = sealer.openJson<Answers>(row.content_sealed, reportAad(row.id, 'content'));
    const options = {
      reporter: reporterContact(
        program,
        sealer.openJson<Answers>(row.contact_sealed, reportAad(row.id, 'contact')),
      ),
    };
    const messages = new Map((await listMessages(k, row.id)).map((m) => [m.id, m]));
    const attachments = new Map((await listAttachments(k, row.id)).map((a) => [a.id, a]));
    const users = await usersById(
      k,
      parts.map((p) => p.resolved_by),
    );
    const fields = new Map(program.definition.form.fields.map((f) => [f.id, f.label]));
    const zone = program.definition.calendar.timeZone;
    // Findings not ready within one budget for the whole view are shown as none (the part stays held).
    const deadline = Date.now() + DEFAULT_SCAN_BUDGET_MS;
    const detect = async (input: PhiInput): Promise<PhiFinding[]> => {
      if (!deps.scanPool) return detectPhi(input, options).findings;
      const [result] = await deps.scanPool.scan([input], options, deadline);
      return result?.findings ?? [];
    };
    const views: QuarantinePartView[] = [];
    for (const p of parts) {
      const live = p.state !== 'redacted';
      let label = p.part_ref;
      let findings: PhiFinding[] = [];
      if (p.part_kind === 'field') {
        label = fields.get(p.part_ref) ?? p.part_ref.charAt(0).toUpperCase() + p.part_ref.slice(1);
        const text = answerText(content[p.part_ref]);
        if (live && text) findings = await detect({ text });
      } else if (p.part_kind === 'message') {
        const m = messages.get(p.part_ref);
        label = m ? `Message of ${formatInstant(m.created_at, zone)}` : 'Message';
        if (live && m)
          findings = await detect({ text: sealer.open(m.body_sealed, messageAad(m.id)).toString('utf8') });
      } else {
        const a = attachments.get(p.part_ref);
        if (!a || a.redacted_at !== null) label = 'redacted attachment';
        else {
          label = sealer.open(a.name_sealed, attachmentNameAad(a.id)).toString('utf8');
          if (live) {
            const { bytes } = await readStoredPrefix(deps.blobs, { id: a.id, blobKey: a.blob_key });
            findings = await detect({
              bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
              fileName: label,
              contentType: a.content_type,
            });
          }
        }
      }
      views.push({
        id: p.id,
        kind: p.part_kind as PartKind,
        ref: p.part_ref,
        label,
        state: p.state as PartState,
        kinds: JSON.parse(p.kinds) as PhiKind[],
        ...(p.scanned_bytes !== null ? { scannedBytes: Number(p.scanned_bytes) } : {}),
        ...(p.truncated !== null ? { truncated: Number(p.truncated) === 1 } : {}),
        findings: findings.map((f) => ({
          kind: f.kind,
          label: f.label,
          excerpt: f.excerpt,
          start: f.start,
          end: f.end,
          unit: f.unit,
        })),
        detectedAt: p.detected_at,
        resolvedAt: p.resolved_at,
        resolvedBy: p.resolved_by ? (users.get(p.resolved_by) ?? null) : null,
      });
    }
    return views;
  }

  return {
    officerCase: (caller: StaffCaller, caseNumber: string, opts: { write: boolean }) =>
      officerCase(deps.access, caller, caseNumber, opts),

    /** The parts of a case the guard held (or that were released or redacted since); audited. */
    async parts(caller: StaffCaller, caseNumber: string): Promise<QuarantinePartView[]> {
      const { row, program } = await officerCase(deps.access, caller, caseNumber, { write: false });
      const views = await partViews(row, program, await listQuarantineParts(k, row.id));
      await k.transaction().execute((trx) =>
        appendAudit(
          trx,
          {
            actor: actorOf(caller),
            action: 'quarantine.read',
            programId: program.id,
            reportId: row.id,
            detail: { parts: views.length, held: views.filter((v) => v.state === 'quarantined').length },
          },
          clock.now(),
        ),
      );
      return views;
    },

    /** A false positive: the part becomes visible to the case team. 409 unless it is still held. */
    async release(
      caller: StaffCaller,
      caseNumber: string,
      partId: string,
      reason: string,
    ): Promise<QuarantinePartView> {
      const { row, program } = await officerCase(deps.access, caller, caseNumber, { write: true });
      const now = clock.now();
      await k.transaction().execute(async (trx) => {
        await lockReport(trx, row.id);
        const part = await findQuarantinePart(trx, row.id, partId);
        if (!part) throw new NotFoundError(`Case ${caseNumber} has no quarantined part ${partId}.`);
        if (part.state !== 'quarantined')
          throw new ConflictError(
            `The part ${partId} of case ${caseNumber} is ${part.state}, not quarantined.`,
          );
        await updateQuarantinePart(trx, part.id, {
          state: 'released',
          resolved_at: now.toISOString(),
          resolved_by: caller.userId,
          resolve_reason_sealed: sealer.seal(reason, `phi-quarantine:${part.id}:reason`),
        });
        const stillHeld = await refreshPhiFlag(trx, row.id);
        // The digest was made without the held field; cleared, it is made again by the backfill
        // with the released words, so similar cases can find this one by them too.
        await writeFeatureDigest(trx, row.id, null);
        await appendAudit(
          trx,
          {
            actor: actorOf(caller),
            action: 'quarantine.release',
            programId: program.id,
            reportId: row.id,
            // Kinds and ids only: the reason is kept sealed on the part, never in the audit log.
            detail: {
              caseNumber,
              partId: part.id,
              part: part.part_kind,
              kinds: JSON.parse(part.kinds),
              stillHeld,
            },
          },
          now,
        );
      });
      const after = await findQuarantinePart(k, row.id, partId);
      const [view] = await partViews(row, program, after ? [after] : []);
      if (!view) throw new NotFoundError(`Case ${caseNumber} has no quarantined part ${partId}.`);
      return view;
    },

    partViews,
  };
}

export type QuarantineReview = ReturnType<typeof createQuarantineReview>;
