/** Replace capability tokens in a URL path so they never reach a log line. */
export function redactUrl(url: string): string {
  return url.replace(/\/r\/[^/?#]+/, '/r/[redacted]');
}
