import { useQuery } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken, unwrap } from './api/client.js';
import type { Session } from './api/types.js';

export const SESSION_KEY = ['session'] as const;

/** Read the session once; its CSRF token is kept for the state-changing requests that follow. */
export async function fetchSession(): Promise<Session | null> {
  try {
    const s = await unwrap(api.GET('/api/v1/auth/session'), { allow401: true });
    setCsrfToken(s.csrfToken);
    return s;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 404)) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000 });
}
