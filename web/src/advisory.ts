import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './api/client.js';
import type { RevisionState } from './api/types.js';

/** Advisories as the console reads them: queries, labels and the embargo's wall-clock time. */

export const REVISION_LABELS: Record<RevisionState, string> = {
  draft: 'draft',
  in_review: 'in review',
  approved: 'approved',
  scheduled: 'scheduled',
  published: 'published',
};

export const TLP_LABELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export const REMEDIATION_CATEGORIES = [
  'vendor_fix',
  'mitigation',
  'workaround',
  'none_available',
  'no_fix_planned',
] as const;

export function useAdvisories(program: string) {
  return useQuery({
    queryKey: ['advisories', program],
    queryFn: () => unwrap(api.GET('/api/v1/advisories', { params: { query: { program } } })),
  });
}

export function useAdvisory(id: string) {
  return useQuery({
    queryKey: ['advisory', id],
    queryFn: () => unwrap(api.GET('/api/v1/advisories/{id}', { params: { path: { id } } })),
    staleTime: 0,
  });
}

/** The CSAF and CVE checks of a revision: built on the server from what it would publish now. */
export function useAdvisoryChecks(id: string, n: number, enabled: boolean) {
  return useQuery({
    queryKey: ['advisory', id, 'checks', n],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/advisories/{id}/revisions/{number}/checks', { params: { path: { id, number: n } } }),
      ),
    enabled,
    staleTime: 0,
  });
}

/** Minutes east of UTC that `zone` observes at the instant `ms`. */
function offsetMinutes(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** An instant as the `datetime-local` value ("2027-03-01T10:00") of the wall clock in `zone`. */
export function toZonedInput(iso: string | undefined, zone: string): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return new Date(ms + offsetMinutes(ms, zone) * 60_000).toISOString().slice(0, 16);
}

/**
 * A `datetime-local` value read as wall-clock time in `zone`, as an ISO instant with offset `Z`.
 * The offset is looked up twice because the first guess may sit on the other side of a DST change.
 */
export function fromZonedInput(value: string, zone: string): string | undefined {
  if (!value) return undefined;
  const wall = Date.parse(`${value}:00Z`);
  if (Number.isNaN(wall)) return undefined;
  let ms = wall - offsetMinutes(wall, zone) * 60_000;
  ms = wall - offsetMinutes(ms, zone) * 60_000;
  return new Date(ms).toISOString();
}
