import os from 'node:os';
import { performance } from 'node:perf_hooks';

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The value at percentile `p` (0–100) of ascending `sorted`, by nearest rank. */
export function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

/**
 * Run a database benchmark and print its result as JSON on stdout: `runDialect` on SQLite, and
 * on PostgreSQL when VIGIL_TEST_DATABASE_URL is set, then the machine it ran on. An error is
 * printed to stderr and exits 1, so a failed run cannot pass for a measurement.
 */
export function runDialectBench(
  benchmark: string,
  plan: Record<string, unknown>,
  runDialect: (dialect: 'sqlite' | 'postgres') => Promise<unknown>,
): void {
  const main = async () => {
    const started = performance.now();
    const out: Record<string, unknown> = { benchmark, plan };
    out.sqlite = await runDialect('sqlite');
    out.postgres = process.env.VIGIL_TEST_DATABASE_URL
      ? await runDialect('postgres')
      : 'not measured: set VIGIL_TEST_DATABASE_URL (e.g. postgres://127.0.0.1:5432/test) to include PostgreSQL';
    out.environment = {
      node: process.version,
      cpu: os.cpus()[0]?.model,
      cores: os.cpus().length,
      platform: `${os.platform()} ${os.release()}`,
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      date: new Date().toISOString(),
      totalSeconds: round((performance.now() - started) / 1000, 1),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  };
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
