/**
 * Secrets that can sit in a request line, so the request log never holds one. A request line is
 * written to every log line of the request and kept by proxies, so whoever reads them could use
 * a token found there: a reporter's case (`/r/<token>`), a setup or enrolment link.
 *
 * - Path segments: the one after `/r/` (the reporter's case and everything below it), and the
 *   one after `/auth/setup/` unless it names a route (`open`, `complete`): setup tokens travel
 *   in request bodies, but an old client or a mistyped script may still put one in the path.
 * - Query parameters whose name says they carry a secret (`token`, `key`, `code`, `t`, …; see
 *   `SECRET_PARAM`): their value. No route takes one today (the queries routes take are filters:
 *   `program`, `state`, `sort`, `cursor`, `q`, …), so such a value is a mistake to keep out of
 *   the log rather than information lost.
 * - A fragment, should a client send one: links carry their token there.
 *
 * Every occurrence is replaced, in any letter case, including percent-encoded separators.
 */

const REDACTED = '[redacted]';

/** Path segments that are routes, not tokens, after `/auth/setup/`. */
const SETUP_ROUTES = new Set(['open', 'complete']);

/** Names of query parameters whose value is redacted (matched against the decoded, lower-cased name). */
const SECRET_PARAM =
  /^(?:t|k|s|p|c|sig|otp|jwt|auth|link)$|token|key|secret|pass|pwd|code|session|csrf|signature|credential|capability|bearer/;

/** Replace secrets in a request URL (path and query) so they never reach a log line. */
export function redactUrl(url: string): string {
  const hash = url.indexOf('#');
  const noFragment = hash === -1 ? url : `${url.slice(0, hash)}#${REDACTED}`;
  const q = noFragment.indexOf('?');
  const path = q === -1 ? noFragment : noFragment.slice(0, q);
  const rest = q === -1 ? '' : noFragment.slice(q);
  return redactPath(path) + redactQuery(rest);
}

function redactPath(path: string): string {
  // Decode separators first, so `/r%2F<token>` cannot slip past as one segment.
  const segments = path.replace(/%2f/gi, '/').split('/');
  for (let i = 1; i < segments.length; i++) {
    const before = (segments[i - 1] as string).toLowerCase();
    const seg = segments[i] as string;
    if (seg === '' || seg === REDACTED) continue;
    const setupToken = before === 'setup' && (segments[i - 2] ?? '').toLowerCase() === 'auth';
    if ((before === 'r' && i - 1 >= 1) || (setupToken && !SETUP_ROUTES.has(seg.toLowerCase())))
      segments[i] = REDACTED;
  }
  return segments.join('/');
}

function redactQuery(rest: string): string {
  if (rest === '') return rest;
  const hash = rest.indexOf('#');
  const query = hash === -1 ? rest.slice(1) : rest.slice(1, hash);
  const fragment = hash === -1 ? '' : rest.slice(hash);
  const parts = query.split(/([&;])/).map((part) => {
    if (part === '&' || part === ';') return part;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    if (eq === -1 || !SECRET_PARAM.test(decodeName(name))) return part;
    return `${name}=${REDACTED}`;
  });
  return `?${parts.join('')}${fragment}`;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' ')).trim().toLowerCase();
  } catch {
    return name.toLowerCase();
  }
}
