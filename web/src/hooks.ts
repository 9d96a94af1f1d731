import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './api/client.js';
import { useSession } from './session.js';

/** A program's definition as the API describes it (products, out-of-scope categories, form fields). */
export function useProgram(slug: string | undefined) {
  return useQuery({
    queryKey: ['program', slug],
    queryFn: () => unwrap(api.GET('/api/v1/programs/{slug}', { params: { path: { slug: slug ?? '' } } })),
    enabled: Boolean(slug),
    staleTime: 5 * 60_000,
  });
}

/** The staff of a program who may be assigned its cases. */
export function useMembers(slug: string | undefined) {
  return useQuery({
    queryKey: ['members', slug],
    queryFn: () =>
      unwrap(api.GET('/api/v1/programs/{slug}/members', { params: { path: { slug: slug ?? '' } } })),
    enabled: Boolean(slug),
    staleTime: 60_000,
  });
}

/**
 * The programs the signed-in person may pick in filters: their memberships, and for an instance
 * admin every listed program as well.
 */
export function useProgramChoices(): { slug: string; name: string }[] {
  const session = useSession();
  const isAdmin = session.data?.user.role === 'admin';
  const all = useQuery({
    queryKey: ['programs'],
    queryFn: () => unwrap(api.GET('/api/v1/programs')),
    enabled: isAdmin,
    staleTime: 5 * 60_000,
  });
  const out = new Map<string, string>();
  for (const m of session.data?.memberships ?? []) out.set(m.program, m.programName);
  if (isAdmin) for (const p of all.data?.items ?? []) if (!out.has(p.slug)) out.set(p.slug, p.name);
  return [...out].map(([slug, name]) => ({ slug, name })).sort((a, b) => a.name.localeCompare(b.name));
}
