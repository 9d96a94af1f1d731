/**
 * The server half of `bench:flood` (started by bench/flood.ts through built-child.ts): Vigil on
 * a fresh SQLite directory with the shipped limits, behind a trusted proxy (so each simulated
 * sender has its own address), with one staff account and an API token for the queue.
 *
 * Protocol, one JSON document per line:
 *   stdout: {"event":"ready","port":N,"token":"…","program":{…}}
 *   stdin:  "begin" → start sampling RSS; stdout: {"event":"begun"}
 *   stdin:  "end"   → stdout: {"event":"result", ...the RSS window, "reports":N}, then exit
 */
import readline from 'node:readline';
import { vigilModule } from './built-child.js';
import { startRssSampler } from './rss-sampler.js';

async function main(): Promise<void> {
  const send = (msg: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(msg)}\n`);
  const env = JSON.parse(process.env.VIGIL_BENCH_ENV ?? '{}') as Record<string, string>;
  const { loadConfig } = await vigilModule<typeof import('../src/config/index.js')>('config/index.js');
  const { createVigil } = await vigilModule<typeof import('../src/server.js')>('server.js');
  const vigil = await createVigil(loadConfig(env), { logger: false, worker: false });
  await vigil.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (vigil.app.server.address() as { port: number }).port;
  const { accounts, programs } = vigil.services;
  await accounts.createUser({ email: 'lead@bench.test', role: 'admin' }, 'bench');
  const { token } = await accounts.createToken({ userEmail: 'lead@bench.test', scope: 'read' }, 'bench');
  const program = (await programs.list()).find((p) => p.slug === env.BENCH_PROGRAM);
  if (!program) throw new Error(`no program ${env.BENCH_PROGRAM}`);

  let sampler: Awaited<ReturnType<typeof startRssSampler>> | undefined;
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === 'begin' && !sampler) {
      void startRssSampler(50).then((s) => {
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
  send({ event: 'ready', port, token, program });
}

main().catch((err: unknown) => {
  process.stderr.write(`flood server: ${err instanceof Error ? (err.stack ?? err.message) : err}\n`);
  process.exit(1);
});
