import type { Kysely } from 'kysely';
import type { AdvisoryRevisionRow, AdvisoryRow, Database } from '../db/index.js';
import type { Program } from '../programs/index.js';
import { type AdvisoryContent, type AdvisoryRevisionEntry, advisoryContentSchema } from './advisory-model.js';
import * as store from './advisory-store.js';

/**
 * What advisories look like to their readers: the staff API's summary and detail (every
 * revision, with who wrote and approved it), and the public view of the revision that is
 * published. The public view carries no case numbers, no staff names and nothing of a revision
 * that is not published.
 */

export const REVISION_STATES = ['draft', 'in_review', 'approved', 'scheduled', 'published'] as const;
export type RevisionState = (typeof REVISION_STATES)[number];

export const PUBLIC_ID = /^[A-Z][A-Z0-9]{1,9}-SA-\d{4}-\d{4,}$/;

/** The public page of an advisory. */
export const advisoryPath = (slug: string, publicId: string) =>
  `/p/${encodeURIComponent(slug)}/advisories/${encodeURIComponent(publicId)}`;

export interface AdvisorySummary {
  id: string;
  program: string;
  state: 'draft' | 'published';
  title: string;
  tlp: AdvisoryContent['tlp'];
  publishedRevision: number | null;
  initialReleaseAt: string | null;
  currentReleaseAt: string | null;
  /** The revision on its way to publication, if any. */
  openRevision: { number: number; state: RevisionState; publishNotBefore: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

export interface RevisionView {
  number: number;
  state: RevisionState;
  summary: string;
  content: AdvisoryContent;
  /** Display names, for reading; two people may share one. */
  author: string;
  editors: string[];
  /**
   * User ids of the same people, in the same order: who may approve is decided by id (as the
   * service does), never by a name that another user may share or that a rename would change.
   */
  authorId: string;
  editorIds: string[];
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  approvedAt: string | null;
  approvedBy: string | null;
  approvedById: string | null;
  publishNotBefore: string | null;
  scheduledAt: string | null;
  publishedAt: string | null;
}

export interface AdvisoryDetail extends AdvisorySummary {
  cases: string[];
  url: string;
  revisions: RevisionView[];
  history: AdvisoryRevisionEntry[];
}

/** A published advisory as the portal and the feeds show it. */
export interface PublicAdvisory {
  id: string;
  program: Program;
  url: string;
  revision: number;
  content: AdvisoryContent;
  initialReleaseAt: string;
  currentReleaseAt: string;
  history: AdvisoryRevisionEntry[];
}

/** Stored content is validated on every write; a row that no longer parses is a bug, loudly. */
export const parseContent = (json: string): AdvisoryContent => advisoryContentSchema.parse(JSON.parse(json));

const openOf = (revisions: AdvisoryRevisionRow[]) =>
  revisions.find((r) => (store.OPEN_REVISION_STATES as readonly string[]).includes(r.state));

/** The revision history (CSAF `tracking.revision_history`): published revisions, oldest first. */
export function historyOf(revisions: AdvisoryRevisionRow[]): AdvisoryRevisionEntry[] {
  return revisions
    .filter((r) => r.state === 'published' && r.published_at !== null)
    .map((r) => ({ number: String(r.number), date: r.published_at as string, summary: r.summary }));
}

export function summaryOf(
  row: AdvisoryRow,
  program: Program,
  revisions: AdvisoryRevisionRow[],
): AdvisorySummary {
  const latest = revisions.at(-1);
  const shown = revisions.find((r) => r.number === row.published_revision) ?? latest;
  const content = shown ? parseContent(shown.content) : undefined;
  const open = openOf(revisions);
  return {
    id: row.public_id,
    program: program.slug,
    state: row.state === 'published' ? 'published' : 'draft',
    title: content?.title ?? '',
    tlp: content?.tlp ?? 'CLEAR',
    publishedRevision: row.published_revision === null ? null : Number(row.published_revision),
    initialReleaseAt: row.initial_release_at,
    currentReleaseAt: row.current_release_at,
    openRevision: open
      ? {
          number: Number(open.number),
          state: open.state as RevisionState,
          publishNotBefore: open.publish_not_before,
        }
      : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The staff detail: every revision with names looked up from the record. */
export async function detailOf(
  k: Kysely<Database>,
  row: AdvisoryRow,
  program: Program,
  publicUrl: string,
): Promise<AdvisoryDetail> {
  const fresh = (await store.findAdvisoryById(k, row.id)) ?? row;
  const revisions = await store.listRevisions(k, fresh.id);
  const cases = await store.casesOf(k, fresh.id);
  const ids = new Set<string>();
  for (const r of revisions) {
    ids.add(r.author_id);
    if (r.approved_by) ids.add(r.approved_by);
    for (const e of JSON.parse(r.editors) as string[]) ids.add(e);
  }
  const names = await store.userNames(k, [...ids]);
  const name = (id: string) => names.get(id) ?? id;
  return {
    ...summaryOf(fresh, program, revisions),
    cases: cases.map((c) => c.case_number),
    url: `${publicUrl}${advisoryPath(program.slug, fresh.public_id)}`,
    revisions: revisions.map((r) => {
      const editorIds = JSON.parse(r.editors) as string[];
      return {
        number: Number(r.number),
        state: r.state as RevisionState,
        summary: r.summary,
        content: parseContent(r.content),
        author: name(r.author_id),
        editors: editorIds.map(name),
        authorId: r.author_id,
        editorIds,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        submittedAt: r.submitted_at,
        approvedAt: r.approved_at,
        approvedBy: r.approved_by ? name(r.approved_by) : null,
        approvedById: r.approved_by,
        publishNotBefore: r.publish_not_before,
        scheduledAt: r.scheduled_at,
        publishedAt: r.published_at,
      };
    }),
    history: historyOf(revisions),
  };
}

/**
 * Published advisories for the public: the revision the public sees, TLP:CLEAR only (anything
 * else is shared through its own channels, never on the open web). Newest release first.
 */
export async function publicAdvisories(
  k: Kysely<Database>,
  programs: Program[],
  publicUrl: string,
): Promise<PublicAdvisory[]> {
  const byId = new Map(programs.map((p) => [p.id, p]));
  const rows = await store.listPublished(
    k,
    programs.map((p) => p.id),
  );
  const out: PublicAdvisory[] = [];
  for (const row of rows) {
    const program = byId.get(row.program_id);
    const content = parseContent(row.content);
    if (!program || content.tlp !== 'CLEAR') continue;
    const revisions = await store.listRevisions(k, row.id);
    out.push({
      id: row.public_id,
      program,
      url: `${publicUrl}${advisoryPath(program.slug, row.public_id)}`,
      revision: Number(row.published_revision),
      content,
      initialReleaseAt: row.initial_release_at as string,
      currentReleaseAt: row.current_release_at as string,
      history: historyOf(revisions),
    });
  }
  return out;
}
