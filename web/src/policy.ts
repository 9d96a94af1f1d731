import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './api/client.js';
import type { PolicyState, PolicySummary } from './api/types.js';
import { useSession } from './session.js';

/** Policy governance as the console reads it: labels, queries and who holds which duty. */

export const POLICY_STATE_LABELS: Record<PolicyState, string> = {
  draft: 'draft',
  in_review: 'in review',
  approved: 'approved',
  published: 'published',
  superseded: 'superseded',
};

export const DAY_MS = 86_400_000;
/** Reviews due within this many days are announced on the queue (the reminders' lead time). */
export const DUE_SOON_DAYS = 30;

export function usePolicies(slug: string | undefined) {
  return useQuery({
    queryKey: ['policies', slug],
    queryFn: () =>
      unwrap(api.GET('/api/v1/programs/{slug}/policies', { params: { path: { slug: slug ?? '' } } })),
    enabled: Boolean(slug),
  });
}

export function usePolicy(slug: string, kind: string) {
  return useQuery({
    queryKey: ['policies', slug, kind],
    queryFn: () =>
      unwrap(api.GET('/api/v1/programs/{slug}/policies/{kind}', { params: { path: { slug, kind } } })),
    staleTime: 0,
  });
}

export type ReviewStatus = 'overdue' | 'soon' | 'ok' | 'none';

/** Whether a document's review is overdue, due within 30 days, later, or not scheduled. */
export function reviewStatus(doc: PolicySummary, now = Date.now()): ReviewStatus {
  if (doc.overdue) return 'overdue';
  if (!doc.reviewDueAt) return 'none';
  return Date.parse(doc.reviewDueAt) - now <= DUE_SOON_DAYS * DAY_MS ? 'soon' : 'ok';
}

export interface DueReview {
  program: { slug: string; name: string };
  doc: PolicySummary;
  status: 'overdue' | 'soon';
}

/** Every program the person may see whose policy review is overdue or due within 30 days. */
export function useDueReviews(): { items: DueReview[]; pending: boolean } {
  const q = useQuery({
    queryKey: ['policies', 'review-status'],
    queryFn: () => unwrap(api.GET('/api/v1/policies')),
    staleTime: 60_000,
  });
  const items: DueReview[] = [];
  for (const { program, ...doc } of q.data?.documents ?? []) {
    const status = reviewStatus(doc);
    if (status === 'overdue' || status === 'soon') items.push({ program, doc, status });
  }
  return { items, pending: q.isPending };
}

/** The signed-in person's role and duties in a program (instance admins act as program admins). */
export function useProgramRole(slug: string | undefined): { role: string | null; duties: string[] } {
  const session = useSession();
  const m = session.data?.memberships.find((x) => x.program === slug);
  const role = m?.role ?? (session.data?.user.role === 'admin' ? 'admin' : null);
  return { role, duties: m?.duties ?? [] };
}
