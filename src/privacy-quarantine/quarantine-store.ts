import type { Kysely } from 'kysely';
import { type Database, forUpdate, type PhiQuarantineRow, type PhiRedactionRow } from '../db/index.js';

/** SQL for the PHI quarantine and redaction proposals; every function takes `db` or `trx` first. */

type Q = Kysely<Database>;

export type PartKind = 'field' | 'message' | 'attachment';
export type PartState = 'quarantined' | 'released' | 'redacted';

export async function insertQuarantinePart(db: Q, row: PhiQuarantineRow): Promise<void> {
  await db.insertInto('phi_quarantine').values(row).execute();
}

export async function listQuarantineParts(db: Q, reportId: string): Promise<PhiQuarantineRow[]> {
  return db
    .selectFrom('phi_quarantine')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('detected_at')
    .orderBy('id')
    .execute();
}

/** The parts still held of several reports (e.g. similar-case candidates), as `kind:ref` keys per report. */
export async function heldPartsOf(db: Q, reportIds: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (reportIds.length === 0) return out;
  // Chunked: PostgreSQL and SQLite both cap bound parameters.
  for (let i = 0; i < reportIds.length; i += 500) {
    const rows = await db
      .selectFrom('phi_quarantine')
      .select(['report_id', 'part_kind', 'part_ref'])
      .where('report_id', 'in', reportIds.slice(i, i + 500))
      .where('state', '=', 'quarantined')
      .execute();
    for (const r of rows) {
      const set = out.get(r.report_id) ?? new Set<string>();
      set.add(partKey(r.part_kind, r.part_ref));
      out.set(r.report_id, set);
    }
  }
  return out;
}

export const partKey = (kind: string, ref: string) => `${kind}:${ref}`;

export async function findQuarantinePart(
  db: Q,
  reportId: string,
  id: string,
): Promise<PhiQuarantineRow | undefined> {
  return db
    .selectFrom('phi_quarantine')
    .selectAll()
    .where('report_id', '=', reportId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function updateQuarantinePart(
  db: Q,
  id: string,
  set: Partial<Pick<PhiQuarantineRow, 'state' | 'resolved_at' | 'resolved_by' | 'resolve_reason_sealed'>>,
): Promise<void> {
  await db.updateTable('phi_quarantine').set(set).where('id', '=', id).execute();
}

/**
 * Keep `reports.phi_flag` equal to "some part is still quarantined"; call in the transaction that
 * changed a part's state.
 */
export async function refreshPhiFlag(db: Q, reportId: string): Promise<boolean> {
  const held = await db
    .selectFrom('phi_quarantine')
    .select('id')
    .where('report_id', '=', reportId)
    .where('state', '=', 'quarantined')
    .limit(1)
    .executeTakeFirst();
  await db
    .updateTable('reports')
    .set({ phi_flag: held ? 1 : 0 })
    .where('id', '=', reportId)
    .execute();
  return held !== undefined;
}

/** Serialise changes to one case's quarantine: a row lock on PostgreSQL (SQLite has one writer). */
export async function lockReport(db: Q, reportId: string): Promise<void> {
  const q = db.selectFrom('reports').select('id').where('id', '=', reportId);
  await forUpdate(q, db).executeTakeFirst();
}

export async function insertRedaction(db: Q, row: PhiRedactionRow): Promise<void> {
  await db.insertInto('phi_redactions').values(row).execute();
}

export async function listRedactions(db: Q, reportId: string): Promise<PhiRedactionRow[]> {
  return db
    .selectFrom('phi_redactions')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('proposed_at')
    .orderBy('id')
    .execute();
}

export async function findRedaction(
  db: Q,
  reportId: string,
  id: string,
): Promise<PhiRedactionRow | undefined> {
  return db
    .selectFrom('phi_redactions')
    .selectAll()
    .where('report_id', '=', reportId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findProposedRedaction(db: Q, reportId: string): Promise<PhiRedactionRow | undefined> {
  return db
    .selectFrom('phi_redactions')
    .selectAll()
    .where('report_id', '=', reportId)
    .where('state', '=', 'proposed')
    .executeTakeFirst();
}

export async function decideRedaction(
  db: Q,
  id: string,
  set: Pick<PhiRedactionRow, 'state' | 'decided_by' | 'decided_at' | 'decision_reason_sealed'>,
): Promise<void> {
  await db.updateTable('phi_redactions').set(set).where('id', '=', id).execute();
}

/** Replace a report's sealed answers with their redacted text. */
export async function writeRedactedContent(
  db: Q,
  reportId: string,
  contentSealed: Buffer,
  at: string,
): Promise<void> {
  await db
    .updateTable('reports')
    .set({ content_sealed: contentSealed, updated_at: at })
    .where('id', '=', reportId)
    .execute();
}

/** Replace a message's sealed body with its redacted text. */
export async function writeRedactedMessage(db: Q, messageId: string, bodySealed: Buffer): Promise<void> {
  await db.updateTable('messages').set({ body_sealed: bodySealed }).where('id', '=', messageId).execute();
}

/**
 * Turn an attachment into a tombstone: no name, no blob, no hash of the bytes; the row stays so
 * the case still shows that something was removed, and when.
 */
export async function tombstoneAttachment(db: Q, attachmentId: string, at: string): Promise<void> {
  await db
    .updateTable('attachments')
    .set({
      blob_key: `redacted:${attachmentId}`,
      name_sealed: Buffer.alloc(0),
      sha256: '',
      size: 0,
      content_type: 'application/octet-stream',
      redacted_at: at,
    })
    .where('id', '=', attachmentId)
    .execute();
}

/** Users by id, for `resolvedBy`, `proposedBy`, `decidedBy`. */
export async function usersById(
  db: Q,
  ids: (string | null)[],
): Promise<Map<string, { id: string; name: string; email: string }>> {
  const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((u) => [u.id, u]));
}
