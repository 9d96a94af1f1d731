import type { Kysely } from 'kysely';
import type { Database, PolicyDocumentRow, PolicyVersionRow } from '../db/index.js';
import type { Program } from '../programs/index.js';
import {
  compareVersions,
  type HistoryRow,
  OPEN_STATES,
  type PolicyState,
  reviewDueAt,
  revisionHistory,
} from './policy-rules.js';
import * as store from './policy-store.js';

/**
 * What policy documents look like to their readers: the staff API's summary and detail, and the
 * public page's view of one published version. Names of reviewers and approvers are looked up
 * from the record, so the revision history is never typed by hand.
 */

export interface PolicyVersionView {
  version: string;
  state: PolicyState;
  body: string;
  changes: string;
  effectiveDate: string | null;
  author: string;
  /** Everyone who wrote or edited it (names; ids in `editorIds`): none of them reviews or approves it. */
  editors: string[];
  editorIds: string[];
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  reviewedAt: string | null;
  reviewedBy: string | null;
  approvedAt: string | null;
  approvedBy: string | null;
  publishedAt: string | null;
  supersededAt: string | null;
  /** The latest send-back from review to draft: its note says what must change. */
  sentBackAt: string | null;
  sentBackBy: string | null;
  sentBackNote: string | null;
  /** Every send-back of this version, oldest first. */
  sendBacks: SendBackView[];
}

export interface SendBackView {
  at: string;
  by: string;
  note: string;
}

export interface PolicyDocumentSummary {
  kind: string;
  title: string;
  reviewIntervalDays: number;
  published: { version: string; effectiveDate: string | null; publishedAt: string } | null;
  openVersion: { version: string; state: PolicyState } | null;
  lastReviewedAt: string | null;
  reviewDueAt: string | null;
  overdue: boolean;
}

/** A document's review status across programs: the summary with the program it belongs to. */
export interface PolicyReviewStatus extends PolicyDocumentSummary {
  program: { slug: string; name: string };
}

export interface PendingReview {
  version: string;
  reviewedAt: string;
  reviewedBy: string;
  note: string | null;
}

export interface PolicyDocumentDetail extends PolicyDocumentSummary {
  versions: PolicyVersionView[];
  history: HistoryRow[];
  pendingReview: PendingReview | null;
}

/** What the public portal shows: one published (or superseded) version and the history. */
export interface PublicPolicy {
  title: string;
  version: string;
  state: PolicyState;
  effectiveDate: string | null;
  body: string;
  current: string;
  history: HistoryRow[];
}

/** A document's summary: published version, open version, review due date and overdue flag. */
export async function documentSummary(
  k: Kysely<Database>,
  now: Date,
  doc: PolicyDocumentRow,
  versions?: PolicyVersionRow[],
): Promise<PolicyDocumentSummary> {
  const all = versions ?? (await store.listVersions(k, doc.id));
  const published = all.find((v) => v.state === 'published');
  const open = all.find((v) => OPEN_STATES.includes(v.state as PolicyState));
  const due = published ? reviewDueAt(doc) : null;
  return {
    kind: doc.kind,
    title: doc.title,
    reviewIntervalDays: Number(doc.review_interval_days),
    published: published
      ? {
          version: published.version,
          effectiveDate: published.effective_date,
          publishedAt: published.published_at as string,
        }
      : null,
    openVersion: open ? { version: open.version, state: open.state as PolicyState } : null,
    lastReviewedAt: doc.last_reviewed_at,
    reviewDueAt: due?.toISOString() ?? null,
    overdue: due !== null && now.getTime() >= due.getTime(),
  } satisfies PolicyDocumentSummary;
}

/** A document with its versions (newest label last), generated history and pending review. */
export async function documentDetail(
  k: Kysely<Database>,
  now: Date,
  program: Program,
  stale: PolicyDocumentRow,
): Promise<PolicyDocumentDetail> {
  // Read afresh: the change just made may have moved the review date.
  const doc = (await store.findDocument(k, program.id, stale.kind)) ?? stale;
  const versions = await store.listVersions(k, doc.id);
  const reviews = await store.listReviews(k, doc.id);
  const sendBacks = await store.listSendBacks(k, doc.id);
  const editors = await store.editorsByVersion(
    k,
    versions.map((v) => v.id),
  );
  const ids = new Set<string>();
  for (const list of editors.values()) for (const id of list) ids.add(id);
  for (const v of versions) for (const id of [v.author_id, v.reviewed_by, v.approved_by]) if (id) ids.add(id);
  for (const r of reviews) for (const id of [r.reviewed_by, r.approved_by]) if (id) ids.add(id);
  for (const b of sendBacks) ids.add(b.sent_back_by);
  const names = await store.userNames(k, [...ids]);
  const name = (id: string | null) => (id ? (names.get(id) ?? id) : null);
  const sendBacksOf = (versionId: string): SendBackView[] =>
    sendBacks
      .filter((b) => b.version_id === versionId)
      .map((b) => ({ at: b.sent_back_at, by: name(b.sent_back_by) ?? b.sent_back_by, note: b.note }));
  const pending = reviews.find((r) => r.state === 'reviewed');
  return {
    ...(await documentSummary(k, now, doc, versions)),
    versions: [...versions]
      .sort((a, b) => compareVersions(a.version, b.version))
      .map((v) => ({ v, back: sendBacksOf(v.id) }))
      .map(({ v, back }) => ({
        version: v.version,
        state: v.state as PolicyState,
        body: v.body,
        changes: v.changes,
        effectiveDate: v.effective_date,
        author: name(v.author_id) ?? 'system',
        editors: (editors.get(v.id) ?? []).map((id) => name(id) ?? id),
        editorIds: editors.get(v.id) ?? [],
        createdAt: v.created_at,
        updatedAt: v.updated_at,
        submittedAt: v.submitted_at,
        reviewedAt: v.reviewed_at,
        reviewedBy: name(v.reviewed_by),
        approvedAt: v.approved_at,
        approvedBy: name(v.approved_by),
        publishedAt: v.published_at,
        supersededAt: v.superseded_at,
        sentBackAt: back.at(-1)?.at ?? null,
        sentBackBy: back.at(-1)?.by ?? null,
        sentBackNote: back.at(-1)?.note ?? null,
        sendBacks: back,
      })),
    history: revisionHistory(versions, reviews, names, program.definition.calendar.timeZone),
    pendingReview: pending
      ? {
          version: versions.find((v) => v.id === pending.version_id)?.version ?? '',
          reviewedAt: pending.reviewed_at,
          reviewedBy: name(pending.reviewed_by) ?? pending.reviewed_by,
          note: pending.note,
        }
      : null,
  };
}

/**
 * The public view of a program's policy: the current published version, or an older one
 * that was published (a draft or approved text is never public). Undefined when none.
 */
export async function publicPolicyOf(
  k: Kysely<Database>,
  program: Program,
  kind: string,
  version?: string,
): Promise<PublicPolicy | undefined> {
  const doc = await store.findDocument(k, program.id, kind);
  if (!doc) return undefined;
  const versions = await store.listVersions(k, doc.id);
  const current = versions.find((v) => v.state === 'published');
  const shown = version === undefined ? current : versions.find((v) => v.version === version);
  if (!current || !shown || shown.published_at === null) return undefined;
  const reviews = await store.listReviews(k, doc.id);
  const ids = [...versions, ...reviews]
    .flatMap((r) => [r.reviewed_by, r.approved_by])
    .filter((x) => x !== null);
  const names = await store.userNames(k, ids);
  return {
    title: doc.title,
    version: shown.version,
    state: shown.state as PolicyState,
    effectiveDate: shown.effective_date,
    body: shown.body,
    current: current.version,
    history: revisionHistory(versions, reviews, names, program.definition.calendar.timeZone),
  };
}
