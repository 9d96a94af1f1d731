import { type Kysely, sql, type Updateable } from 'kysely';
import type {
  AdvisoryRevisionRow,
  AdvisoryRevisionTable,
  AdvisoryRow,
  AdvisoryTable,
  Database,
  ReportRow,
} from '../db/index.js';

/**
 * SQL for advisories, their revisions and the cases they were drafted from. Every function takes
 * `db` or a transaction first; the service decides which.
 */

type Q = Kysely<Database>;

/** Revision states that are still on their way to publication; an advisory has at most one. */
export const OPEN_REVISION_STATES = ['draft', 'in_review', 'approved', 'scheduled'] as const;

/**
 * Take the next advisory number of a program for a year, atomically (the upsert holds the row
 * until the transaction ends, so two drafts never share a public id).
 */
export async function nextAdvisoryNumber(db: Q, programId: string, year: number): Promise<number> {
  const row = await db
    .insertInto('advisory_counters')
    .values({ program_id: programId, year, last_number: 1 })
    .onConflict((oc) =>
      oc.columns(['program_id', 'year']).doUpdateSet({ last_number: sql`advisory_counters.last_number + 1` }),
    )
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return Number(row.last_number);
}

export async function insertAdvisory(db: Q, row: AdvisoryRow): Promise<void> {
  await db.insertInto('advisories').values(row).execute();
}

export async function updateAdvisory(db: Q, id: string, set: Updateable<AdvisoryTable>): Promise<void> {
  await db.updateTable('advisories').set(set).where('id', '=', id).execute();
}

export async function findAdvisory(db: Q, publicId: string): Promise<AdvisoryRow | undefined> {
  return db.selectFrom('advisories').selectAll().where('public_id', '=', publicId).executeTakeFirst();
}

export async function findAdvisoryById(db: Q, id: string): Promise<AdvisoryRow | undefined> {
  return db.selectFrom('advisories').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Advisories of some programs, newest first. */
export async function listAdvisories(db: Q, programIds: string[]): Promise<AdvisoryRow[]> {
  if (programIds.length === 0) return [];
  return db
    .selectFrom('advisories')
    .selectAll()
    .where('program_id', 'in', programIds)
    .orderBy('created_at', 'desc')
    .orderBy('public_id', 'desc')
    .execute();
}

export async function insertRevision(db: Q, row: AdvisoryRevisionRow): Promise<void> {
  await db.insertInto('advisory_revisions').values(row).execute();
}

/** An advisory's revisions, oldest first. */
export async function listRevisions(db: Q, advisoryId: string): Promise<AdvisoryRevisionRow[]> {
  return db
    .selectFrom('advisory_revisions')
    .selectAll()
    .where('advisory_id', '=', advisoryId)
    .orderBy('number')
    .execute();
}

export async function findRevision(
  db: Q,
  advisoryId: string,
  number: number,
): Promise<AdvisoryRevisionRow | undefined> {
  return db
    .selectFrom('advisory_revisions')
    .selectAll()
    .where('advisory_id', '=', advisoryId)
    .where('number', '=', number)
    .executeTakeFirst();
}

/**
 * Update a revision only if it is still in `fromState`; false when another request moved it
 * first, so two concurrent moves cannot both succeed.
 */
export async function updateRevision(
  db: Q,
  id: string,
  fromState: string,
  set: Updateable<AdvisoryRevisionTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('advisory_revisions')
    .set(set)
    .where('id', '=', id)
    .where('state', '=', fromState)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Scheduled revisions whose embargo has passed at `nowIso`, oldest embargo first. */
export async function listDueScheduled(db: Q, nowIso: string): Promise<AdvisoryRevisionRow[]> {
  return db
    .selectFrom('advisory_revisions')
    .selectAll()
    .where('state', '=', 'scheduled')
    .where('publish_not_before', '<=', nowIso)
    .orderBy('publish_not_before')
    .orderBy('id')
    .execute();
}

export async function linkCases(db: Q, advisoryId: string, reportIds: string[], at: string): Promise<void> {
  if (reportIds.length === 0) return;
  await db
    .insertInto('advisory_cases')
    .values(reportIds.map((report_id) => ({ advisory_id: advisoryId, report_id, added_at: at })))
    .execute();
}

/** The cases an advisory was drafted from, by case number. */
export async function casesOf(db: Q, advisoryId: string): Promise<ReportRow[]> {
  return db
    .selectFrom('advisory_cases')
    .innerJoin('reports', 'reports.id', 'advisory_cases.report_id')
    .selectAll('reports')
    .where('advisory_cases.advisory_id', '=', advisoryId)
    .orderBy('reports.case_number')
    .execute();
}

/** Published advisories with the content of their public revision, newest release first. */
export async function listPublished(
  db: Q,
  programIds?: string[],
): Promise<(AdvisoryRow & { content: string; revision_summary: string })[]> {
  if (programIds?.length === 0) return [];
  let q = db
    .selectFrom('advisories')
    .innerJoin('advisory_revisions', (j) =>
      j
        .onRef('advisory_revisions.advisory_id', '=', 'advisories.id')
        .onRef('advisory_revisions.number', '=', 'advisories.published_revision'),
    )
    .selectAll('advisories')
    .select(['advisory_revisions.content', 'advisory_revisions.summary as revision_summary'])
    .where('advisories.state', '=', 'published')
    .where('advisory_revisions.state', '=', 'published');
  if (programIds) q = q.where('advisories.program_id', 'in', programIds);
  return q.orderBy('advisories.current_release_at', 'desc').orderBy('advisories.public_id', 'desc').execute();
}

/** Names of users by id. */
export async function userNames(db: Q, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name || r.email]));
}

/**
 * The newest advisory drafted from a case, with its latest revision's content and when (if ever)
 * it was first published: what a regulatory report quotes. Undefined when none was drafted.
 */
export async function latestAdvisoryOfCase(
  db: Q,
  reportId: string,
): Promise<{ publicId: string; content: string; publishedAt: string | null } | undefined> {
  const row = await db
    .selectFrom('advisory_cases')
    .innerJoin('advisories', 'advisories.id', 'advisory_cases.advisory_id')
    .innerJoin('advisory_revisions', 'advisory_revisions.advisory_id', 'advisories.id')
    .select([
      'advisories.public_id',
      'advisories.initial_release_at',
      'advisory_revisions.content',
      'advisory_revisions.number',
    ])
    .where('advisory_cases.report_id', '=', reportId)
    .orderBy('advisories.created_at', 'desc')
    .orderBy('advisory_revisions.number', 'desc')
    .executeTakeFirst();
  return row
    ? { publicId: row.public_id, content: row.content, publishedAt: row.initial_release_at }
    : undefined;
}
