/**
 * What background work may write to the log about a failure. Jobs log through this narrow
 * interface and describe errors with `describeError`, which never copies an error's message
 * (it can quote an address, a subject or a report's words).
 */

/** The part of the logger that jobs and pollers use. */
export interface WorkerLogger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

/**
 * A short, content-free description of a failure for `last_error` and the log: error code, SMTP
 * reply code and enhanced status, and the SMTP command. Never the reply text or the message,
 * which can quote the recipient address or the subject.
 */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return 'unknown error';
  const e = err as Error & {
    code?: unknown;
    originalCode?: unknown;
    responseCode?: unknown;
    response?: unknown;
    command?: unknown;
  };
  const parts: string[] = [];
  const code = safeToken(e.code);
  parts.push(code ?? safeToken(e.name) ?? 'Error');
  const original = safeToken(e.originalCode);
  if (original !== undefined && original !== code) parts.push(`(${original})`);
  if (typeof e.responseCode === 'number') parts.push(String(e.responseCode));
  // The enhanced status code (RFC 3463, e.g. 5.1.1) says why without saying about whom.
  const enhanced =
    typeof e.response === 'string'
      ? /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(e.response)?.[1]
      : undefined;
  if (enhanced !== undefined) parts.push(enhanced);
  if (typeof e.command === 'string' && /^[A-Z][A-Z0-9 ]{0,20}$/.test(e.command))
    parts.push(`at ${e.command}`);
  return parts.join(' ');
}

function safeToken(value: unknown): string | undefined {
  // Error codes and SQLSTATEs (57P01) pass; anything with spaces, dots or @ is not a code.
  return typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9_]{0,39}$/.test(value) ? value : undefined;
}

/**
 * An unexpected error as the log may keep it: its class, its code and where it was thrown (the
 * stack frames), never its message. A driver's or library's message can quote what it was given
 * (a report's words, an address, a value PostgreSQL refused), and the log is read by people who
 * may not read reports.
 */
export function errorForLog(err: unknown): { type: string; code?: string; stack?: string } {
  if (!(err instanceof Error)) return { type: typeof err };
  const code = (err as { code?: unknown }).code;
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 20)
    .join('\n');
  return {
    type: err.name,
    ...(typeof code === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(code) ? { code } : {}),
    ...(frames ? { stack: frames } : {}),
  };
}
