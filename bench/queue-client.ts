/**
 * The console's side of bench/queue.ts, in a process of its own: it reads one queue URL over a
 * kept-alive HTTP connection, one request after another, and sends back when each request left
 * and when its whole body had arrived. The server's process then holds only the server's work
 * and garbage, as it would for a console in a browser elsewhere; what is timed includes the
 * socket and the HTTP parsing a console's request costs the server.
 *
 * Started by bench/queue.ts with `fork`; one message in, one out, per measurement:
 *   in:  { id, port, path, headers, warmup, requests }
 *   out: { id, spans: [startEpochMs, endEpochMs][] } or { id, error }
 * Times are epoch milliseconds with sub-millisecond precision (`performance.timeOrigin` plus
 * `performance.now()`), so the server can lay its own pauses over them.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface ClientAsk {
  id: number;
  port: number;
  path: string;
  headers: Record<string, string>;
  warmup: number;
  requests: number;
}

export type ClientAnswer = { id: number; spans: [number, number][] } | { id: number; error: string };

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const epochNow = () => performance.timeOrigin + performance.now();

function get(port: number, path: string, headers: Record<string, string>): Promise<[number, number]> {
  return new Promise((resolve, reject) => {
    const start = epochNow();
    const req = http.request({ host: '127.0.0.1', port, path, headers, agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => {
        const end = epochNow();
        if (res.statusCode !== 200) reject(new Error(`${path}: ${res.statusCode} (${bytes} bytes)`));
        else resolve([start, end]);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function answer(ask: ClientAsk): Promise<ClientAnswer> {
  try {
    for (let i = 0; i < ask.warmup; i++) await get(ask.port, ask.path, ask.headers);
    const spans: [number, number][] = [];
    for (let i = 0; i < ask.requests; i++) spans.push(await get(ask.port, ask.path, ask.headers));
    return { id: ask.id, spans };
  } catch (err) {
    return { id: ask.id, error: err instanceof Error ? err.message : String(err) };
  }
}

if (process.send) {
  process.on('message', (ask: ClientAsk) => {
    void answer(ask).then((a) => process.send?.(a));
  });
  // The parent's end is this process's end.
  process.on('disconnect', () => process.exit(0));
}
