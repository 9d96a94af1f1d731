import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The value at percentile `p` (0–100) of ascending `sorted`, by nearest rank. */
export function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

/** Busy and total CPU ticks of the whole machine from /proc/stat (Linux; undefined elsewhere). */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const t = line.trim().split(/\s+/).slice(1).map(Number);
    const total = t.reduce((n, v) => n + v, 0);
    // user nice system idle iowait irq softirq steal …: idle and iowait are not busy.
    return { busy: total - (t[3] ?? 0) - (t[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

/**
 * Start measuring CPU: the stop function returns the cores this process used and, on Linux, the
 * cores everything else on the machine used meanwhile. A PostgreSQL server on the same machine
 * counts as "everything else": its share is the bench's own queries plus whatever else ran.
 */
export function cpuMeter() {
  const cores = os.cpus().length;
  const t0 = performance.now();
  const own0 = process.cpuUsage();
  const m0 = machineTicks();
  return () => {
    const wallMs = performance.now() - t0;
    const own = process.cpuUsage(own0);
    const ownCores = (own.user + own.system) / 1000 / wallMs;
    const m1 = machineTicks();
    const machineCores =
      m0 && m1 && m1.total > m0.total ? ((m1.busy - m0.busy) / (m1.total - m0.total)) * cores : undefined;
    return {
      cpuCores: round(ownCores),
      otherCpuCores: machineCores === undefined ? null : round(Math.max(0, machineCores - ownCores)),
    };
  };
}

/**
 * Run a database benchmark and print its result as JSON on stdout: `runDialect` on SQLite, and
 * on PostgreSQL when VIGIL_TEST_DATABASE_URL is set, then the machine it ran on.
 * VIGIL_BENCH_DIALECT=sqlite or =postgres runs only that one. An error is printed to stderr and
 * exits 1, so a failed run cannot pass for a measurement.
 */
export function runDialectBench(
  benchmark: string,
  plan: Record<string, unknown>,
  runDialect: (dialect: 'sqlite' | 'postgres') => Promise<unknown>,
): void {
  const main = async () => {
    const started = performance.now();
    const only = process.env.VIGIL_BENCH_DIALECT;
    if (only !== undefined && only !== 'sqlite' && only !== 'postgres')
      throw new Error(`VIGIL_BENCH_DIALECT must be sqlite or postgres, not ${only}`);
    if (only === 'postgres' && !process.env.VIGIL_TEST_DATABASE_URL)
      throw new Error('VIGIL_BENCH_DIALECT=postgres needs VIGIL_TEST_DATABASE_URL');
    const out: Record<string, unknown> = { benchmark, plan };
    out.sqlite =
      only === 'postgres' ? 'not measured: VIGIL_BENCH_DIALECT=postgres' : await runDialect('sqlite');
    out.postgres =
      only === 'sqlite'
        ? 'not measured: VIGIL_BENCH_DIALECT=sqlite'
        : process.env.VIGIL_TEST_DATABASE_URL
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
