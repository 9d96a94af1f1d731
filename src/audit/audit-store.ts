import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type AuditRow, type Database, forUpdate, snapshotTransaction } from '../db/index.js';

/**
 * The append-only, hash-chained audit log. Each entry's hash covers the previous entry's hash
 * and its own fields, so altering, inserting or deleting any entry breaks every link after it.
 * Appends are serialised through the single `audit_head` row (locked on PostgreSQL; SQLite
 * serialises writers anyway), and always happen inside the transaction of the change they record.
 *
 * Invariant: `detail` never holds report content or reporter contact details — only ids,
 * names of fields, counts and states.
 */

export interface AuditEntry {
  actor: string;
  action: string;
  programId?: string | null;
  reportId?: string | null;
  detail?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

function entryHash(prevHash: string, row: Omit<AuditRow, 'hash' | 'prev_hash'>): string {
  const canonical = JSON.stringify([
    prevHash,
    row.seq,
    row.at,
    row.actor,
    row.action,
    row.program_id,
    row.report_id,
    row.detail,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Append one entry; call inside the transaction that makes the change. */
export async function appendAudit(trx: Kysely<Database>, entry: AuditEntry, at: Date): Promise<void> {
  const head = await forUpdate(
    trx.selectFrom('audit_head').selectAll().where('id', '=', 1),
    trx,
  ).executeTakeFirstOrThrow();
  const row = {
    seq: Number(head.seq) + 1,
    at: at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    program_id: entry.programId ?? null,
    report_id: entry.reportId ?? null,
    detail: JSON.stringify(entry.detail ?? {}),
  };
  const hash = entryHash(head.hash, row);
  await trx
    .insertInto('audit_log')
    .values({ ...row, prev_hash: head.hash, hash })
    .execute();
  await trx.updateTable('audit_head').set({ seq: row.seq, hash }).where('id', '=', 1).execute();
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The first entry whose link does not hold, with the reason. */
  firstBroken?: { seq: number; reason: string };
}

/**
 * Walk the whole chain in order and report the first broken link. A third argument, which once
 * named the database, is ignored (the handle tells).
 */
export async function verifyAuditChain(
  db: Kysely<Database>,
  batchSize = 5000,
  _unused?: string,
): Promise<AuditVerification> {
  // One snapshot for the whole walk and the head, so entries appended while it runs are neither
  // seen half nor reported missing.
  return snapshotTransaction(db).execute((trx) => walkAuditChain(trx, batchSize));
}

async function walkAuditChain(db: Kysely<Database>, batchSize: number): Promise<AuditVerification> {
  let prev = GENESIS;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq)
        return { ok: false, checked, firstBroken: { seq: expectedSeq, reason: 'entry is missing' } };
      if (r.prev_hash !== prev)
        return { ok: false, checked, firstBroken: { seq, reason: 'previous-hash link does not match' } };
      if (entryHash(prev, { ...r, seq }) !== r.hash)
        return { ok: false, checked, firstBroken: { seq, reason: 'entry content does not match its hash' } };
      prev = r.hash;
      expectedSeq++;
      checked++;
    }
  }
  const head = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirst();
  if (head) {
    const headSeq = Number(head.seq);
    if (headSeq > checked) {
      return {
        ok: false,
        checked,
        firstBroken: { seq: checked + 1, reason: 'entries after the last one found are missing' },
      };
    }
    // Entries past the head were not appended by Vigil (appends move the head in the same transaction).
    const last =
      headSeq < checked
        ? ((await db.selectFrom('audit_log').select('hash').where('seq', '=', headSeq).executeTakeFirst())
            ?.hash ?? GENESIS)
        : prev;
    if (last !== head.hash) {
      return {
        ok: false,
        checked: Math.max(headSeq - 1, 0),
        firstBroken: { seq: headSeq, reason: 'entry does not match the audit head' },
      };
    }
    if (headSeq < checked) {
      return {
        ok: false,
        checked: headSeq,
        firstBroken: { seq: headSeq + 1, reason: 'entry was not recorded in the audit head' },
      };
    }
  }
  return { ok: true, checked };
}

/** Entries about one report, oldest first (for the case timeline and tests). */
export async function auditEntriesForReport(db: Kysely<Database>, reportId: string): Promise<AuditRow[]> {
  return db.selectFrom('audit_log').selectAll().where('report_id', '=', reportId).orderBy('seq').execute();
}
