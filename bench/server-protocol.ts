import readline from 'node:readline';
import type { Vigil } from '../src/server.js';
import { startRssSampler } from './rss-sampler.js';

/**
 * The stdin side of a bench server child's protocol, shared by the children that only sample
 * their RSS around what the parent sends: "begin" starts sampling and answers
 * {"event":"begun"}; "end" answers {"event":"result", ...the RSS window, "reports":N}, closes
 * Vigil and exits. Stdin closing mid-window closes Vigil and exits 1. Only built-ins and bench
 * files are imported, so a compiled child can load it (see built-child.ts).
 */
export function serveRssWindow(vigil: Vigil, sampleEveryMs: number): void {
  const send = (msg: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(msg)}\n`);
  let sampler: Awaited<ReturnType<typeof startRssSampler>> | undefined;
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === 'begin' && !sampler) {
      void startRssSampler(sampleEveryMs).then((s) => {
        sampler = s;
        send({ event: 'begun' });
      });
    } else if (line.trim() === 'end' && sampler) {
      const s = sampler;
      sampler = undefined;
      void (async () => {
        const window = await s.stop();
        const reports = await vigil.db.kysely
          .selectFrom('reports')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        send({ event: 'result', ...window, reports: Number(reports.n) });
        lines.close();
        await vigil.close();
        process.exit(0);
      })();
    }
  });
  lines.on('close', () => {
    if (!sampler) return;
    void vigil.close().finally(() => process.exit(1));
  });
}
