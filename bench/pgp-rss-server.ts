/**
 * The server half of the PGP benchmark's memory measurement (started by bench/pgp.ts in its own
 * process, so the SMTP client and the prepared messages never count against the server's RSS).
 *
 * It opens the data directory the parent's in-process run left behind (same master key, same
 * program keys, so the parent's gpg-built messages decrypt here too) and starts only the SMTP
 * listener. The configuration comes as JSON in VIGIL_BENCH_ENV, the directory in it.
 *
 * Protocol, one JSON document per line:
 *   stdout: {"event":"ready","port":N,"reports":N}   once the SMTP listener is up
 *   stdin:  "begin"  → take the baseline, start sampling RSS; stdout: {"event":"begun"}
 *   stdin:  "end"    → stdout: {"event":"result", ...}, then shut down and exit
 * Everything else (diagnostics) goes to stderr.
 *
 * Only Node built-ins and bench files that use only built-ins are imported statically, so the RSS
 * of the bare runtime can be read before Vigil's modules load. It runs the compiled build as
 * `npm start` does when `dist/` exists (see built-child.ts), else the sources through tsx.
 */
import readline from 'node:readline';
import { vigilModule } from './built-child.js';
import { type RssWindow, startRssSampler } from './rss-sampler.js';

const runtimeRss = process.memoryUsage.rss();
const SAMPLE_EVERY_MS = 20;

const send = (msg: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(msg)}\n`);

async function main(): Promise<void> {
  const env = JSON.parse(process.env.VIGIL_BENCH_ENV ?? '{}') as Record<string, string>;
  if (!env.VIGIL_DATA_DIR) throw new Error('VIGIL_BENCH_ENV must name VIGIL_DATA_DIR');
  const { loadConfig } = await vigilModule<typeof import('../src/config/index.js')>('config/index.js');
  const { createVigil } = await vigilModule<typeof import('../src/server.js')>('server.js');
  const vigil = await createVigil(loadConfig(env), { logger: false, worker: false });
  const port = await vigil.smtp.start(0);

  const reports = async () =>
    Number(
      (
        await vigil.db.kysely
          .selectFrom('reports')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  let sampler: Awaited<ReturnType<typeof startRssSampler>> | undefined;
  let cpuAtBegin: NodeJS.CpuUsage | undefined;
  let ending = false;
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const cmd = line.trim();
    if (cmd === 'begin' && !sampler) {
      void startRssSampler(SAMPLE_EVERY_MS).then((s) => {
        sampler = s;
        cpuAtBegin = process.cpuUsage();
        send({ event: 'begun' });
      });
    } else if (cmd === 'end' && sampler && !ending) {
      ending = true;
      void (async () => {
        const cpu = process.cpuUsage(cpuAtBegin);
        const window: RssWindow = await (sampler as NonNullable<typeof sampler>).stop();
        send({
          event: 'result',
          runtimeRssBytes: runtimeRss,
          ...window,
          // Kernel high-water mark over the whole process life (KiB → bytes), start-up included.
          maxRssBytes: process.resourceUsage().maxRSS * 1024,
          // This process's CPU from "begin" to "end" (the RSS sampler's worker thread included).
          cpuMs: (cpu.user + cpu.system) / 1000,
          reports: await reports(),
        });
        lines.close();
        await vigil.close();
        process.exit(0);
      })();
    }
  });

  // The parent has gone away without saying "end": shut down rather than linger.
  lines.on('close', () => {
    if (ending) return;
    void vigil.close().finally(() => process.exit(1));
  });

  send({ event: 'ready', port, reports: await reports() });
}

main().catch((err: unknown) => {
  process.stderr.write(
    `pgp-rss-server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
