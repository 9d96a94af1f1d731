import { actorOf, type StaffCaller } from '../accounts/index.js';
import { appendAudit } from '../audit/index.js';
import type { BlobStore } from '../blobs/index.js';
import { caseDigest, openDigestKey, writeFeatureDigest } from '../case-features/index.js';
import {
  ConflictError,
  describeError,
  type FieldProblem,
  NotFoundError,
  newId,
  ValidationError,
  type WorkerLogger,
} from '../core/index.js';
import {
  type AttachmentRow,
  type Database,
  flushDeleted,
  type Kysely,
  type PhiRedactionRow,
  type ReportRow,
  vacuumTables,
} from '../db/index.js';
import type { Answers } from '../reports/index.js';
import {
  listAttachments,
  listMessages,
  messageAad,
  messageById,
  reportAad,
  reportById,
} from '../reports/index.js';
import {
  decideRedaction,
  findProposedRedaction,
  findRedaction,
  heldPartsOf,
  insertQuarantinePart,
  insertRedaction,
  listQuarantineParts,
  listRedactions,
  lockReport,
  partKey,
  refreshPhiFlag,
  tombstoneAttachment,
  updateQuarantinePart,
  usersById,
  writeRedactedContent,
  writeRedactedMessage,
} from './quarantine-store.js';
import { officerCase, type ReviewDeps, type UserRef } from './review-service.js';
import { applySpans, isRawMessage, type RedactionPartInput, removed, spanProblems } from './spans.js';

export type { RedactionPartInput };

/**
 * Redaction with two privacy officers: one proposes spans of text (or whole attachments) to
 * remove, another approves; the proposer cannot approve their own. Approval applies it in one
 * transaction: spans become `[redacted]` and the text is sealed again, whole attachments lose
 * their blob and name (the row stays as a tombstone), and an email's stored original that
 * carries the redacted content is destroyed with it. The original is gone afterwards: the
 * proposal holds offsets only, the audit entry kinds and counts only, the blobs are deleted,
 * and on SQLite freed pages are zeroed (`secure_delete`) and the write-ahead log truncated.
 * PostgreSQL keeps dead row versions until VACUUM reclaims them: the tables that held the text are
 * vacuumed right after the commit. What backups and WAL archives still hold is for the operator
 * (docs/operations-retention.md).
 */

/** The tables whose old row versions carry what a redaction removed (text, file names). */
const REDACTED_TABLES = ['reports', 'messages', 'attachments'] as const;

/** Where a failed VACUUM is told; a pino-shaped line on stderr when no logger is given. */
const stderrWarn: Pick<WorkerLogger, 'warn'> = {
  warn(obj, msg) {
    process.stderr.write(`${JSON.stringify({ level: 40, time: Date.now(), ...obj, msg })}\n`);
  },
};

export interface RedactionView {
  id: string;
  state: 'proposed' | 'applied' | 'rejected';
  reason: string;
  parts: { kind: 'field' | 'message' | 'attachment'; ref: string; spans?: number; whole?: true }[];
  proposedBy: UserRef;
  proposedAt: string;
  decidedBy: UserRef | null;
  decidedAt: string | null;
}

const reasonAad = (id: string) => `phi-redaction:${id}:reason`;
const decisionAad = (id: string) => `phi-redaction:${id}:decision`;

export function createRedactionService(
  deps: ReviewDeps & { blobs: Pick<BlobStore, 'delete'>; logger?: Pick<WorkerLogger, 'warn'> },
) {
  const { db, sealer, clock } = deps;
  const k = db.kysely;

  async function views(rows: PhiRedactionRow[]): Promise<RedactionView[]> {
    const users = await usersById(
      k,
      rows.flatMap((r) => [r.proposed_by, r.decided_by]),
    );
    const ref = (id: string | null): UserRef | null =>
      id ? (users.get(id) ?? { id, name: '', email: '' }) : null;
    return rows.map((r) => ({
      id: r.id,
      state: r.state as RedactionView['state'],
      reason: sealer.open(r.reason_sealed, reasonAad(r.id)).toString('utf8'),
      parts: (JSON.parse(r.parts) as RedactionPartInput[]).map((p) =>
        'whole' in p
          ? { kind: p.kind, ref: p.ref, whole: true as const }
          : { kind: p.kind, ref: p.ref, spans: p.spans.length },
      ),
      proposedBy: ref(r.proposed_by) as UserRef,
      proposedAt: r.proposed_at,
      decidedBy: ref(r.decided_by),
      decidedAt: r.decided_at,
    }));
  }

  /** Check every part against the case as stored now; throws 400 naming each bad field. */
  async function check(db2: Kysely<Database>, row: ReportRow, parts: RedactionPartInput[]): Promise<void> {
    const content = sealer.openJson<Answers>(row.content_sealed, reportAad(row.id, 'content'));
    const messages = new Map((await listMessages(db2, row.id)).map((m) => [m.id, m]));
    const attachments = new Map((await listAttachments(db2, row.id)).map((a) => [a.id, a]));
    const problems: FieldProblem[] = [];
    const seen = new Set<string>();
    parts.forEach((p, i) => {
      const path = `parts[${i}]`;
      if (seen.has(partKey(p.kind, p.ref))) {
        problems.push({ path: `${path}.ref`, message: 'names a part already listed' });
        return;
      }
      seen.add(partKey(p.kind, p.ref));
      if (p.kind === 'attachment') {
        const a = attachments.get(p.ref);
        if (!a) problems.push({ path: `${path}.ref`, message: 'is not an attachment of this case' });
        else if (a.redacted_at !== null)
          problems.push({ path: `${path}.ref`, message: 'is already redacted' });
        return;
      }
      let text: string | undefined;
      if (p.kind === 'field') {
        const v = content[p.ref];
        if (v === undefined) problems.push({ path: `${path}.ref`, message: 'is not a field of this report' });
        else if (typeof v !== 'string')
          problems.push({
            path: `${path}.ref`,
            message: 'is not a text field; only text can be redacted by span',
          });
        else text = v;
      } else {
        const m = messages.get(p.ref);
        if (!m) problems.push({ path: `${path}.ref`, message: 'is not a message of this case' });
        else text = sealer.open(m.body_sealed, messageAad(m.id)).toString('utf8');
      }
      if (text !== undefined) problems.push(...spanProblems(path, p.spans, text.length));
    });
    if (problems.length > 0) throw new ValidationError(problems);
  }

  async function list(caller: StaffCaller, caseNumber: string): Promise<RedactionView[]> {
    const { row } = await officerCase(deps.access, caller, caseNumber, { write: false });
    return views(await listRedactions(k, row.id));
  }

  async function decided(reportId: string, id: string): Promise<RedactionView> {
    const r = await findRedaction(k, reportId, id);
    if (!r) throw new NotFoundError(`There is no redaction ${id}.`);
    return (await views([r]))[0] as RedactionView;
  }

  return {
    list,

    async propose(
      caller: StaffCaller,
      caseNumber: string,
      input: { reason: string; parts: RedactionPartInput[] },
    ): Promise<RedactionView> {
      const { row, program } = await officerCase(deps.access, caller, caseNumber, { write: true });
      const id = newId();
      const now = clock.now();
      await k.transaction().execute(async (trx) => {
        await lockReport(trx, row.id);
        if (await findProposedRedaction(trx, row.id))
          throw new ConflictError(
            `Case ${caseNumber} already has a proposed redaction; approve or reject it first.`,
          );
        const current = await reportById(trx, row.id);
        await check(trx, current, input.parts);
        // Offsets only: the proposal must not become a copy of what it removes.
        const parts = input.parts.map((p) =>
          p.kind === 'attachment'
            ? { kind: p.kind, ref: p.ref, whole: true }
            : { kind: p.kind, ref: p.ref, spans: p.spans.map((s) => ({ start: s.start, end: s.end })) },
        );
        await insertRedaction(trx, {
          id,
          report_id: row.id,
          program_id: program.id,
          state: 'proposed',
          reason_sealed: sealer.seal(input.reason, reasonAad(id)),
          parts: JSON.stringify(parts),
          proposed_by: caller.userId,
          proposed_at: now.toISOString(),
          decided_by: null,
          decided_at: null,
          decision_reason_sealed: null,
        });
        await appendAudit(
          trx,
          {
            actor: actorOf(caller),
            action: 'redaction.propose',
            programId: program.id,
            reportId: row.id,
            detail: {
              caseNumber,
              redactionId: id,
              parts: input.parts.map((p) =>
                'whole' in p ? { kind: p.kind, whole: true } : { kind: p.kind, spans: p.spans.length },
              ),
            },
          },
          now,
        );
      });
      return decided(row.id, id);
    },

    async reject(
      caller: StaffCaller,
      caseNumber: string,
      id: string,
      reason: string,
    ): Promise<RedactionView> {
      const { row, program } = await officerCase(deps.access, caller, caseNumber, { write: true });
      const now = clock.now();
      await k.transaction().execute(async (trx) => {
        await lockReport(trx, row.id);
        const r = await findRedaction(trx, row.id, id);
        if (!r) throw new NotFoundError(`Case ${caseNumber} has no redaction ${id}.`);
        if (r.state !== 'proposed')
          throw new ConflictError(`The redaction ${id} is ${r.state}, not proposed.`);
        await decideRedaction(trx, id, {
          state: 'rejected',
          decided_by: caller.userId,
          decided_at: now.toISOString(),
          decision_reason_sealed: sealer.seal(reason, decisionAad(id)),
        });
        await appendAudit(
          trx,
          {
            actor: actorOf(caller),
            action: 'redaction.reject',
            programId: program.id,
            reportId: row.id,
            detail: { caseNumber, redactionId: id },
          },
          now,
        );
      });
      return decided(row.id, id);
    },

    async approve(caller: StaffCaller, caseNumber: string, id: string): Promise<RedactionView> {
      const { row, program } = await officerCase(deps.access, caller, caseNumber, { write: true });
      const now = clock.now();
      const nowIso = now.toISOString();
      const doomedBlobs: string[] = [];
      // Opened before the transaction: on a program's first use it creates the key.
      const digestKey = await openDigestKey(k, sealer, program.id, now);
      await k.transaction().execute(async (trx) => {
        await lockReport(trx, row.id);
        const r = await findRedaction(trx, row.id, id);
        if (!r) throw new NotFoundError(`Case ${caseNumber} has no redaction ${id}.`);
        if (r.state !== 'proposed')
          throw new ConflictError(`The redaction ${id} is ${r.state}, not proposed.`);
        if (r.proposed_by === caller.userId)
          throw new ConflictError(
            'A redaction must be approved by a privacy officer other than the one who proposed it.',
          );
        const current = await reportById(trx, row.id);
        const parts = JSON.parse(r.parts) as RedactionPartInput[];
        // The case may have changed since the proposal (nothing edits text today, but be sure).
        await check(trx, current, parts).catch((err: unknown) => {
          if (err instanceof ValidationError)
            throw new ConflictError(`The redaction no longer fits the case: ${err.message}`);
          throw err;
        });
        const attachments = await listAttachments(trx, row.id);
        const summary: Record<string, unknown>[] = [];
        // Which stored originals carry the redacted content: the report's (fields and its files),
        // or a reply's (its message and files).
        const origins = new Set<string>();
        let content: Answers | undefined;
        for (const p of parts) {
          if (p.kind === 'field' && 'spans' in p) {
            content ??= sealer.openJson<Answers>(current.content_sealed, reportAad(row.id, 'content'));
            const text = content[p.ref] as string;
            content[p.ref] = applySpans(text, p.spans);
            origins.add('');
            summary.push({ kind: 'field', spans: p.spans.length, chars: removed(p.spans) });
          } else if (p.kind === 'message' && 'spans' in p) {
            const m = await messageById(trx, p.ref);
            const body = applySpans(sealer.open(m.body_sealed, messageAad(m.id)).toString('utf8'), p.spans);
            await writeRedactedMessage(trx, m.id, sealer.seal(body, messageAad(m.id)));
            origins.add(m.id);
            summary.push({ kind: 'message', spans: p.spans.length, chars: removed(p.spans) });
          } else {
            const a = attachments.find((x) => x.id === p.ref) as AttachmentRow;
            origins.add(a.message_id ?? '');
            summary.push({ kind: 'attachment', whole: true, bytes: Number(a.size) });
          }
        }
        if (content)
          await writeRedactedContent(
            trx,
            row.id,
            sealer.sealJson(content, reportAad(row.id, 'content')),
            nowIso,
          );
        const whole = new Set(parts.filter((p) => p.kind === 'attachment').map((p) => p.ref));
        const raws = attachments.filter(
          (a) => !whole.has(a.id) && origins.has(a.message_id ?? '') && isRawMessage(sealer, a),
        );
        for (const a of [...attachments.filter((x) => whole.has(x.id)), ...raws]) {
          doomedBlobs.push(a.blob_key);
          await tombstoneAttachment(trx, a.id, nowIso);
        }
        const touched = [
          ...parts.map((p) => ({ kind: p.kind, ref: p.ref })),
          ...raws.map((a) => ({ kind: 'attachment' as const, ref: a.id })),
        ];
        const existing = new Map(
          (await listQuarantineParts(trx, row.id)).map((q) => [partKey(q.part_kind, q.part_ref), q]),
        );
        for (const t of touched) {
          const q = existing.get(partKey(t.kind, t.ref));
          if (q)
            await updateQuarantinePart(trx, q.id, {
              state: 'redacted',
              resolved_at: nowIso,
              resolved_by: caller.userId,
            });
          else
            await insertQuarantinePart(trx, {
              id: newId(),
              report_id: row.id,
              program_id: program.id,
              part_kind: t.kind,
              part_ref: t.ref,
              state: 'redacted',
              kinds: '[]',
              scanned_bytes: null,
              truncated: null,
              detected_at: nowIso,
              resolved_at: nowIso,
              resolved_by: caller.userId,
              resolve_reason_sealed: null,
            });
        }
        // The duplicate-suggestion digest follows the text it was made from: recomputed from the
        // redacted answers, without the fields still held, in the same transaction.
        if (content) {
          const held = (await heldPartsOf(trx, [row.id])).get(row.id) ?? new Set<string>();
          const withheld = Object.keys(content).filter((f) => held.has(partKey('field', f)));
          await writeFeatureDigest(trx, row.id, caseDigest(digestKey, program, content, new Set(withheld)));
        }
        await refreshPhiFlag(trx, row.id);
        await decideRedaction(trx, id, {
          state: 'applied',
          decided_by: caller.userId,
          decided_at: nowIso,
          decision_reason_sealed: null,
        });
        await appendAudit(
          trx,
          {
            actor: actorOf(caller),
            action: 'redaction.apply',
            programId: program.id,
            reportId: row.id,
            // Who, when and what kind: part kinds, span and character counts, byte counts; never text.
            detail: {
              caseNumber,
              redactionId: id,
              proposedBy: r.proposed_by,
              parts: summary,
              rawMessagesDestroyed: raws.length,
            },
          },
          now,
        );
      });
      // After the commit: a crash in between leaves only unreferenced blobs for the orphan sweep.
      for (const key of doomedBlobs) await deps.blobs.delete(key);
      // The old pages were zeroed on free (secure_delete); truncating the log removes the frames
      // that still held them. Best effort: a reader holding the log open makes it a no-op now,
      // and the next checkpoint finishes the job.
      await flushDeleted(k);
      // PostgreSQL: the dead row versions go now, not when autovacuum comes round. A failure
      // (a lock held long, the server gone) is logged; the redaction itself has committed.
      await vacuumTables(k, REDACTED_TABLES).catch((err: unknown) =>
        (deps.logger ?? stderrWarn).warn(
          { err: describeError(err), redactionId: id },
          'vacuum after a redaction failed; autovacuum will reclaim the old rows later',
        ),
      );
      return decided(row.id, id);
    },
  };
}

export type RedactionService = ReturnType<typeof createRedactionService>;
