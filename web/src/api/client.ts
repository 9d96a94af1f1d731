/**
 * The console's one way to the API: an openapi-fetch client typed by `paths` (generated from the
 * server's OpenAPI document, see ./schema.d.ts), so a call names a documented path and method and
 * gets that operation's parameter, body and answer types. Around it: same-origin cookies, the
 * session's CSRF token on every state-changing request, a 401 sends the person to sign-in, and a
 * refusal becomes an ApiError carrying the API's own `{ error, message, fields }` (which the pages
 * show as is).
 *
 *   const detail = await unwrap(api.GET('/api/v1/reports/{caseNumber}', { params: { path: { caseNumber } } }));
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema.js';

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

type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

/** A query string (without `?`): arrays repeat the key; undefined, null and '' are left out. */
export function queryString(query: Record<string, QueryValue> | undefined): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) qs.append(k, String(one));
  }
  return qs.toString();
}

/** `path` with the query appended, for links the browser follows itself (exports, downloads). */
export function withQuery(path: string, query?: Record<string, QueryValue>): string {
  const s = queryString(query);
  return s ? `${path}?${s}` : path;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken)
      request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

/** The typed client. Pass each call to `unwrap`, which turns a refusal into an ApiError. */
export const api = createClient<paths>({
  credentials: 'same-origin',
  headers: { Accept: 'application/json' },
  querySerializer: (query) => queryString(query as Record<string, QueryValue>),
});
api.use(csrf);

/**
 * Per-request options that send `text` as the body under its own content type. For the customer
 * CSV import: its route reads the raw `text/csv` body itself and so declares no body schema that
 * the generated types could carry.
 */
export function textBody(contentType: string, text: string): { middleware: Middleware[] } {
  return {
    middleware: [
      {
        onRequest({ request }) {
          const headers = new Headers(request.headers);
          headers.set('Content-Type', contentType);
          return new Request(request, { body: text, headers });
        },
      },
    ],
  };
}

/** What a successful call answers: its JSON body, or nothing (204). */
type Answered<R> = R extends { data: infer D } ? ([D] extends [never] ? undefined : D) : never;

export interface UnwrapOptions {
  /** Answer 401 with an ApiError instead of sending the person to sign-in (sign-in itself). */
  allow401?: boolean;
}

/**
 * The answer of a typed call, or an ApiError: 0 when Vigil could not be reached, otherwise the
 * status with the API's error code, message and field errors (a generic sentence when the body has
 * none). A 401 also sends the person to sign-in, unless `allow401`.
 */
export async function unwrap<R extends { data?: unknown; error?: unknown; response: Response }>(
  call: Promise<R>,
  opts: UnwrapOptions = {},
): Promise<Answered<R>> {
  let result: R;
  try {
    result = await call;
  } catch (e) {
    // fetch rejects with a TypeError when the request could not be made at all.
    if (e instanceof TypeError)
      throw new ApiError(0, 'network', 'Vigil could not be reached. Check your connection and try again.');
    throw e;
  }
  const { response } = result;
  if (response.status === 401 && !opts.allow401) {
    goToSignIn();
    throw new ApiError(401, 'unauthorized', 'Your session has ended. Sign in again.');
  }
  if (!response.ok) {
    // The body is read as the API documents it, but whatever answered (a proxy, a crash) is checked.
    const b = (typeof result.error === 'object' && result.error !== null ? result.error : {}) as {
      error?: unknown;
      message?: unknown;
      fields?: unknown;
    };
    const message =
      typeof b.message === 'string' && b.message
        ? b.message
        : response.status >= 500
          ? `Vigil could not complete the request (HTTP ${response.status}). Try again; if it keeps failing, tell the operator.`
          : `The request was refused (HTTP ${response.status}).`;
    throw new ApiError(
      response.status,
      typeof b.error === 'string' ? b.error : 'error',
      message,
      Array.isArray(b.fields) ? (b.fields as { path: string; message: string }[]) : [],
    );
  }
  return result.data as Answered<R>;
}

/** The message to show for a failed request. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.fields.map((f) => `${f.path ? `${f.path}: ` : ''}${f.message}`);
    return fields.length ? `${e.message} ${fields.join('; ')}` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
