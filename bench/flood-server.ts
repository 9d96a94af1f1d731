/**
 * The server half of `bench:flood` (started by bench/flood.ts through built-child.ts): Vigil on
 * a fresh SQLite directory with the shipped limits, behind a trusted proxy (so each simulated
 * sender has its own address), with one staff account and an API token for the queue.
 *
 * The SMTP listener runs too (on a free port), so the flood reaches the e-mail intake as well.
 *
 * Protocol, one JSON document per line:
 *   stdout: {"event":"ready","port":N,"smtpPort":N,"token":"…","program":{…}}
 *   stdin:  "begin" → start sampling RSS; stdout: {"event":"begun"}
 *   stdin:  "end"   → stdout: {"event":"result", ...the RSS window, "reports":N}, then exit
 */
import { vigilModule } from './built-child.js';
import { serveRssWindow } from './server-protocol.js';

async function main(): Promise<void> {
  const send = (msg: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(msg)}\n`);
  const env = JSON.parse(process.env.VIGIL_BENCH_ENV ?? '{}') as Record<string, string>;
  const { loadConfig } = await vigilModule<typeof import('../src/config/index.js')>('config/index.js');
  const { createVigil } = await vigilModule<typeof import('../src/server.js')>('server.js');
  const vigil = await createVigil(loadConfig(env), { logger: false, worker: false });
  await vigil.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (vigil.app.server.address() as { port: number }).port;
  const smtpPort = await vigil.smtp.start(0);
  const { accounts, programs } = vigil.services;
  await accounts.createUser({ email: 'lead@bench.test', role: 'admin' }, 'bench');
  const { token } = await accounts.createToken({ userEmail: 'lead@bench.test', scope: 'read' }, 'bench');
  const program = (await programs.list()).find((p) => p.slug === env.BENCH_PROGRAM);
  if (!program) throw new Error(`no program ${env.BENCH_PROGRAM}`);

  serveRssWindow(vigil, 50);
  send({ event: 'ready', port, smtpPort, token, program });
}

main().catch((err: unknown) => {
  process.stderr.write(`flood server: ${err instanceof Error ? (err.stack ?? err.message) : err}\n`);
  process.exit(1);
});
