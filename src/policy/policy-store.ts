import type { Kysely, Updateable } from 'kysely';
import type {
  Database,
  PolicyDocumentRow,
  PolicyReviewRow,
  PolicySendBackRow,
  PolicyVersionRow,
  PolicyVersionTable,
} from '../db/index.js';

/**
 * SQL for policy documents, versions, annual reviews and review reminders. Every function takes
 * `db` or a transaction first; the service decides which.
 */

type Q = Kysely<Database>;

/**
 * A person who wrote or edited a policy version (migration 2026-12-07T1300). Typed here because
 * only this store reads it; it belongs in src/db/schema.ts with the other policy tables.
 */
export interface PolicyVersionEditorTable {
  version_id: string;
  user_id: string;
  first_edited_at: string;
}
type EditorsDb = Kysely<{ policy_version_editors: PolicyVersionEditorTable }>;
const editorsDb = (db: Q) => db as unknown as EditorsDb;

/** Record that a person wrote or edited a version; once per version and person. */
export async function addEditor(db: Q, versionId: string, userId: string, at: string): Promise<void> {
  await editorsDb(db)
    .insertInto('policy_version_editors')
    .values({ version_id: versionId, user_id: userId, first_edited_at: at })
    .onConflict((oc) => oc.columns(['version_id', 'user_id']).doNothing())
    .execute();
}

/** The editors of several versions, by version id, each in the order they first edited. */
export async function editorsByVersion(db: Q, versionIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (versionIds.length === 0) return out;
  const rows = await editorsDb(db)
    .selectFrom('policy_version_editors')
    .select(['version_id', 'user_id'])
    .where('version_id', 'in', versionIds)
    .orderBy('first_edited_at')
    .orderBy('user_id')
    .execute();
  for (const r of rows) out.set(r.version_id, [...(out.get(r.version_id) ?? []), r.user_id]);
  return out;
}

/** The user ids of everyone who wrote or edited a version. */
export async function editorsOf(db: Q, versionId: string): Promise<string[]> {
  const rows = await editorsDb(db)
    .selectFrom('policy_version_editors')
    .select('user_id')
    .where('version_id', '=', versionId)
    .orderBy('first_edited_at')
    .orderBy('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

export async function listDocuments(db: Q, programId: string): Promise<PolicyDocumentRow[]> {
  return db
    .selectFrom('policy_documents')
    .selectAll()
    .where('program_id', '=', programId)
    .orderBy('kind')
    .execute();
}

/** Every document of every program (for the review reminder job). */
export async function listAllDocuments(db: Q): Promise<PolicyDocumentRow[]> {
  return db.selectFrom('policy_documents').selectAll().orderBy('id').execute();
}

export async function findDocument(
  db: Q,
  programId: string,
  kind: string,
): Promise<PolicyDocumentRow | undefined> {
  return db
    .selectFrom('policy_documents')
    .selectAll()
    .where('program_id', '=', programId)
    .where('kind', '=', kind)
    .executeTakeFirst();
}

export async function insertDocument(db: Q, row: PolicyDocumentRow): Promise<void> {
  await db.insertInto('policy_documents').values(row).execute();
}

export async function setDocumentReviewed(db: Q, documentId: string, at: string): Promise<void> {
  await db
    .updateTable('policy_documents')
    .set({ last_reviewed_at: at })
    .where('id', '=', documentId)
    .execute();
}

/** A document's versions, oldest first. */
export async function listVersions(db: Q, documentId: string): Promise<PolicyVersionRow[]> {
  return db
    .selectFrom('policy_versions')
    .selectAll()
    .where('document_id', '=', documentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findVersion(
  db: Q,
  documentId: string,
  version: string,
): Promise<PolicyVersionRow | undefined> {
  return db
    .selectFrom('policy_versions')
    .selectAll()
    .where('document_id', '=', documentId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function findVersionInState(
  db: Q,
  documentId: string,
  states: readonly string[],
): Promise<PolicyVersionRow | undefined> {
  return db
    .selectFrom('policy_versions')
    .selectAll()
    .where('document_id', '=', documentId)
    .where('state', 'in', states)
    .executeTakeFirst();
}

export async function insertVersion(db: Q, row: PolicyVersionRow): Promise<void> {
  await db.insertInto('policy_versions').values(row).execute();
}

/**
 * Update a version only if it is still in `fromState`; false when another request moved it
 * first, so two concurrent moves cannot both succeed.
 */
export async function updateVersion(
  db: Q,
  id: string,
  fromState: string,
  set: Updateable<PolicyVersionTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('policy_versions')
    .set(set)
    .where('id', '=', id)
    .where('state', '=', fromState)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertSendBack(db: Q, row: PolicySendBackRow): Promise<void> {
  await db.insertInto('policy_send_backs').values(row).execute();
}

/** The send-backs of a document's versions, oldest first. */
export async function listSendBacks(db: Q, documentId: string): Promise<PolicySendBackRow[]> {
  return db
    .selectFrom('policy_send_backs')
    .innerJoin('policy_versions', 'policy_versions.id', 'policy_send_backs.version_id')
    .selectAll('policy_send_backs')
    .where('policy_versions.document_id', '=', documentId)
    .orderBy('policy_send_backs.sent_back_at')
    .orderBy('policy_send_backs.id')
    .execute();
}

/** The documents of several programs, by program then kind (for the cross-program review list). */
export async function listDocumentsOf(db: Q, programIds: string[]): Promise<PolicyDocumentRow[]> {
  if (programIds.length === 0) return [];
  return db
    .selectFrom('policy_documents')
    .selectAll()
    .where('program_id', 'in', programIds)
    .orderBy('program_id')
    .orderBy('kind')
    .execute();
}

export async function listReviews(db: Q, documentId: string): Promise<PolicyReviewRow[]> {
  return db
    .selectFrom('policy_reviews')
    .selectAll()
    .where('document_id', '=', documentId)
    .orderBy('reviewed_at')
    .orderBy('id')
    .execute();
}

export async function insertReview(db: Q, row: PolicyReviewRow): Promise<void> {
  await db.insertInto('policy_reviews').values(row).execute();
}

export async function approveReview(
  db: Q,
  id: string,
  set: { approved_at: string; approved_by: string },
): Promise<boolean> {
  const r = await db
    .updateTable('policy_reviews')
    .set({ ...set, state: 'approved' })
    .where('id', '=', id)
    .where('state', '=', 'reviewed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Names of users by id (for the revision history). */
export async function userNames(db: Q, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name || r.email]));
}

/**
 * Record that a reminder was queued; false when it already was (the primary key makes a
 * reminder happen once, however many instances run the job).
 */
export async function markReminded(
  db: Q,
  row: { document_id: string; due_at: string; level: string; created_at: string },
): Promise<boolean> {
  const rows = await db
    .insertInto('policy_review_reminders')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning('document_id')
    .execute();
  return rows.length > 0;
}
