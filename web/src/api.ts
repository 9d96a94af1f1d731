/**
 * The console's one way to the API: same-origin cookies, the session's CSRF token on every
 * state-changing request, a 401 sends the person to sign-in, and a refusal becomes an ApiError
 * carrying the API's own message (which the pages show as is).
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;

/** Remember the session's CSRF token (from GET /api/v1/auth/session or a sign-in answer). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export const SIGN_IN_PATH = '/console/sign-in';

function goToSignIn(): void {
  const here = window.location.pathname + window.location.search;
  if (
    window.location.pathname.startsWith(SIGN_IN_PATH) ||
    window.location.pathname.startsWith('/console/setup')
  )
    return;
  window.location.assign(`${SIGN_IN_PATH}?next=${encodeURIComponent(here)}`);
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Query parameters; arrays repeat the key, undefined and '' are left out. */
  query?: Record<string, string | string[] | undefined>;
  /** Answer 401 with an ApiError instead of sending the person to sign-in (sign-in itself). */
  allow401?: boolean;
  /** A body sent as is instead of JSON (a CSV import). */
  text?: { contentType: string; body: string };
}

export function withQuery(path: string, query?: ApiOptions['query']): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) qs.append(k, one);
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

export async function api<T>(path: string, opts: ApiOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.text) headers['Content-Type'] = opts.text.contentType;
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.text ? opts.text.body : opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Vigil could not be reached. Check your connection and try again.');
  }
  if (res.status === 401 && !opts.allow401) {
    goToSignIn();
    throw new ApiError(401, 'unauthorized', 'Your session has ended. Sign in again.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const b = (body ?? {}) as {
      error?: string;
      message?: string;
      fields?: { path: string; message: string }[];
    };
    const message =
      typeof b.message === 'string' && b.message
        ? b.message
        : res.status >= 500
          ? `Vigil could not complete the request (HTTP ${res.status}). Try again; if it keeps failing, tell the operator.`
          : `The request was refused (HTTP ${res.status}).`;
    throw new ApiError(res.status, b.error ?? 'error', message, Array.isArray(b.fields) ? b.fields : []);
  }
  return body as T;
}

/** The message to show for a failed request. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.fields.map((f) => `${f.path ? `${f.path}: ` : ''}${f.message}`);
    return fields.length ? `${e.message} ${fields.join('; ')}` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
