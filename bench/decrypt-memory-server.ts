/**
 * The server half of `bench:decrypt-memory` (started by bench/decrypt-memory.ts through
 * built-child.ts): Vigil with SMTP and HTTP listening on the data directory the parent seeded.
 *
 * Protocol, one JSON document per line:
 *   stdout: {"event":"ready","smtpPort":N,"httpPort":N}
 *   stdin:  "begin" → start sampling RSS; stdout: {"event":"begun"}
 *   stdin:  "end"   → stdout: {"event":"result", ...the RSS window, "reports":N}, then exit
 */
import { vigilModule } from './built-child.js';
import { serveRssWindow } from './server-protocol.js';

const SAMPLE_EVERY_MS = 50;

async function main(): Promise<void> {
  const send = (msg: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(msg)}\n`);
  const env = JSON.parse(process.env.VIGIL_BENCH_ENV ?? '{}') as Record<string, string>;
  const { loadConfig } = await vigilModule<typeof import('../src/config/index.js')>('config/index.js');
  const { createVigil } = await vigilModule<typeof import('../src/server.js')>('server.js');
  const vigil = await createVigil(loadConfig(env), { logger: false, worker: false });
  const smtpPort = await vigil.smtp.start(0);
  await vigil.app.listen({ port: 0, host: '127.0.0.1' });
  const httpPort = (vigil.app.server.address() as { port: number }).port;
  serveRssWindow(vigil, SAMPLE_EVERY_MS);
  send({ event: 'ready', smtpPort, httpPort });
}

main().catch((err: unknown) => {
  process.stderr.write(`decrypt-memory server: ${err instanceof Error ? (err.stack ?? err.message) : err}\n`);
  process.exit(1);
});
