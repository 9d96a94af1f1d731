import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The Prometheus listener: its own port (VIGIL_METRICS_HOST:VIGIL_METRICS_PORT), apart from the
 * web port, so metrics never share the public address and a firewall can keep them internal.
 * Only `GET /metrics` (and HEAD) is answered; with VIGIL_METRICS_TOKEN set, only with
 * `Authorization: Bearer <token>`. Plain node:http: one route needs no framework.
 */
export interface MetricsListener {
  /** The port listened on (the one asked for, or the system's choice for 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** The port is taken, or cannot be opened: a start-up error naming the variable to change. */
export class MetricsPortError extends Error {
  override name = 'MetricsPortError';
}

export interface MetricsListenerOptions {
  host: string;
  port: number;
  token?: string;
  /** The exposition text and its content type, computed per scrape. */
  render: () => Promise<{ contentType: string; body: string }>;
  logger?: { warn(obj: object, msg?: string): void };
}

export async function startMetricsListener(opts: MetricsListenerOptions): Promise<MetricsListener> {
  const expected = opts.token ? digest(`Bearer ${opts.token}`) : undefined;
  const server = http.createServer((req, res) => {
    void answer(req, res).catch((err: unknown) => {
      opts.logger?.warn({ err: err instanceof Error ? err.name : 'error' }, 'metrics scrape failed');
      if (!res.headersSent) send(res, 500, 'The metrics could not be rendered; see the log.\n');
      else res.destroy();
    });
  });
  // A scraper that opens a connection and says nothing must not hold it for ever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') return send(res, 404, 'Only /metrics is served here.\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'Use GET.\n');
    }
    if (expected && !authorised(req.headers.authorization, expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="vigil-metrics"');
      return send(res, 401, 'Send Authorization: Bearer <VIGIL_METRICS_TOKEN>.\n');
    }
    const { contentType, body } = await opts.render();
    res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((err: unknown) => {
    const code = (err as { code?: string }).code;
    const where = `${opts.host}:${opts.port}`;
    if (code === 'EADDRINUSE')
      throw new MetricsPortError(
        `The metrics port ${where} is already in use: set VIGIL_METRICS_PORT to a free port (or VIGIL_METRICS_LISTEN=false to turn the metrics listener off).`,
      );
    if (code === 'EACCES' || code === 'EADDRNOTAVAIL')
      throw new MetricsPortError(
        `The metrics listener cannot listen on ${where} (${code}): check VIGIL_METRICS_HOST and VIGIL_METRICS_PORT.`,
      );
    throw err;
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive scrapers would otherwise hold close() until they hang up.
        server.closeAllConnections();
      }),
  };
}

/** Compare digests, so the comparison takes the same time whatever the header's length or content. */
function authorised(header: string | undefined, expected: Buffer): boolean {
  return header !== undefined && timingSafeEqual(digest(header), expected);
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

function send(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}
