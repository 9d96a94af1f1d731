import type { PolicyDocumentRow, PolicyReviewRow, PolicyVersionRow } from '../db/index.js';

/**
 * The pure rules of policy governance: version states and their moves, version labels, the
 * review due date and the revision history generated from the record.
 */

export const POLICY_STATES = ['draft', 'in_review', 'approved', 'published', 'superseded'] as const;
export type PolicyState = (typeof POLICY_STATES)[number];

/** States of a version still on its way to publication; a document has at most one. */
export const OPEN_STATES: readonly PolicyState[] = ['draft', 'in_review', 'approved'];

/** The kind of document the portal shows at `/p/<program>/policy`. */
export const DISCLOSURE_POLICY = 'disclosure-policy';

export const DAY_MS = 86_400_000;
/** Reminders go out this long before the review due date, and again at it. */
export const REMINDER_LEAD_DAYS = 30;

export const VERSION_LABEL = /^\d{1,3}\.\d{1,3}$/;

/** Orders `1.2` before `1.10`. */
export function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/** The label after the highest existing one: `1.0` first, then `1.1`, `1.2` … */
export function nextVersionLabel(existing: string[]): string {
  const highest = [...existing].sort(compareVersions).at(-1);
  if (!highest) return '1.0';
  const [major = 1, minor = 0] = highest.split('.').map(Number);
  return `${major}.${minor + 1}`;
}

/** When the next review is due: the interval after the last publication or completed review. */
export function reviewDueAt(doc: Pick<PolicyDocumentRow, 'last_reviewed_at' | 'review_interval_days'>) {
  if (!doc.last_reviewed_at) return null;
  return new Date(Date.parse(doc.last_reviewed_at) + Number(doc.review_interval_days) * DAY_MS);
}

/** A calendar date (`YYYY-MM-DD`) of an instant in a time zone. */
export function localDate(at: Date | string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(typeof at === 'string' ? new Date(at) : at);
}

export interface HistoryRow {
  version: string;
  /** `YYYY-MM-DD`: the effective date of a version, or the date a review was approved. */
  date: string;
  /** The record of changes; for a review without change, a sentence saying so. */
  changes: string;
  reviewedBy: string | null;
  approvedBy: string | null;
  kind: 'version' | 'review';
}

/**
 * The revision history, oldest first: every version that was published (current or superseded)
 * and every completed review without change. Generated from the record, never typed by hand.
 */
export function revisionHistory(
  versions: PolicyVersionRow[],
  reviews: PolicyReviewRow[],
  names: ReadonlyMap<string, string>,
  timeZone: string,
): HistoryRow[] {
  const name = (id: string | null) => (id ? (names.get(id) ?? null) : null);
  const byId = new Map(versions.map((v) => [v.id, v]));
  const rows: (HistoryRow & { at: string })[] = [
    ...versions
      .filter((v) => v.published_at !== null)
      .map((v) => ({
        version: v.version,
        date: v.effective_date ?? localDate(v.published_at as string, timeZone),
        changes: v.changes,
        reviewedBy: name(v.reviewed_by),
        approvedBy: name(v.approved_by),
        kind: 'version' as const,
        at: v.published_at as string,
      })),
    ...reviews
      .filter((r) => r.state === 'approved' && r.approved_at !== null)
      .map((r) => ({
        version: byId.get(r.version_id)?.version ?? '',
        date: localDate(r.approved_at as string, timeZone),
        changes: r.note ? `Reviewed without change: ${r.note}` : 'Reviewed without change.',
        reviewedBy: name(r.reviewed_by),
        approvedBy: name(r.approved_by),
        kind: 'review' as const,
        at: r.approved_at as string,
      })),
  ];
  return rows.sort((a, b) => a.at.localeCompare(b.at)).map(({ at: _at, ...row }) => row);
}
