/**
 * Telling "the database cannot be reached right now" apart from every other failure. Such a
 * failure says nothing about the request: the same request succeeds once the server is back, so
 * the HTTP layer answers 503 with Retry-After instead of 500, and loops simply try again.
 */

/** Socket errors of a server that is down, restarting, or cut off by the network. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs of a server going away or refusing sessions: admin shutdown (57P01, sent
 * to every session by a restart), crash shutdown (57P02), cannot connect now (57P03, still
 * starting or in recovery), too many connections (53300). Class 08 (connection exceptions) is
 * matched as a whole.
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * node-postgres and its pool report a lost or unobtainable connection as plain errors, told
 * apart only by their messages (pg 8): the socket closed under a client, a client whose
 * connection failed being used again, a connect that did not finish in time.
 */
const DRIVER_MESSAGES = [
  /^Connection terminated( unexpectedly| due to connection timeout)?$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^timeout exceeded when trying to connect$/,
  /^timeout expired$/,
];

/**
 * True when `err` (or an error it wraps, through `cause` or an AggregateError's list) means the
 * database is unreachable or going away, so the operation may succeed if tried again later.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  return unavailableReason(err) !== undefined;
}

/**
 * Why the database is unavailable, for the log: the socket code or SQLSTATE, or the driver's
 * fixed message (never a server message, which can quote data); undefined for any other failure.
 */
export function unavailableReason(err: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') {
    if (SOCKET_CODES.has(e.code) || SQLSTATES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code)) return e.code;
  }
  if (typeof e.message === 'string' && DRIVER_MESSAGES.some((m) => m.test(e.message as string)))
    return e.message;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const reason = unavailableReason(inner, depth + 1);
      if (reason !== undefined) return reason;
    }
  }
  return unavailableReason(e.cause, depth + 1);
}
