/**
 * Backup and restore, measured: `npm run -s bench:backup > backup.json`.
 *
 * Fills an embedded (SQLite) instance with reports, each with one attachment, then runs
 * `vigil backup --out` and `vigil restore` as an operator does (`node bin/vigil.js`, the compiled
 * build after `npm run build`), and reports for each: wall time, bytes and cases per second, and
 * the command's peak RSS (the kernel's high-water mark, read as the process exits). The restored
 * copy is checked with `vigil audit verify`, so a figure never comes from a broken round trip.
 *
 * BENCH_BACKUP_REPORTS (default 1000) and BENCH_BACKUP_FILE_KIB (default 100) size the data.
 * Timing figures depend on the machine and its other load; nothing here fails on a figure.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/index.js';
import { createVigil } from '../src/server.js';
import { multipartSubmission, validAnswers } from '../test/helpers/reports.js';
import { haveBuild } from './built-child.js';
import { benchVigilEnv } from './vigil-env.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPORTS = Number(process.env.BENCH_BACKUP_REPORTS ?? 1000);
const FILE_KIB = Number(process.env.BENCH_BACKUP_FILE_KIB ?? 100);
const MiB = 1024 * 1024;

/** Prints the process's peak RSS as it exits (Linux: VmHWM), for the parent to read off stderr. */
const PEAK_HOOK = `process.on('exit', () => {
  try {
    const m = /VmHWM:\\s+(\\d+) kB/.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'));
    if (m) process.stderr.write('VIGIL_BENCH_PEAK_KB ' + m[1] + '\\n');
  } catch {}
});`;

interface CommandRun {
  code: number | null;
  seconds: number;
  peakRssMiB: number | null;
  stdout: string;
  stderr: string;
}

async function runVigil(args: string[], env: Record<string, string>, hook: string): Promise<CommandRun> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--require', hook, path.join(root, 'bin', 'vigil.js'), ...args], {
    cwd: root,
    env: { ...process.env, ...env, MALLOC_ARENA_MAX: '2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const peak = /VIGIL_BENCH_PEAK_KB (\d+)/.exec(stderr);
  return {
    code,
    seconds: (performance.now() - started) / 1000,
    peakRssMiB: peak ? Math.round(Number(peak[1]) / 1024) : null,
    stdout: stdout.trim(),
    stderr: stderr.replace(/VIGIL_BENCH_PEAK_KB \d+\n/, '').trim(),
  };
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

async function main(): Promise<void> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-bench-backup-'));
  const hook = path.join(work, 'peak-rss.cjs');
  await fs.writeFile(hook, PEAK_HOOK);
  const masterKey = randomBytes(32).toString('base64');
  const source = path.join(work, 'source');
  const target = path.join(work, 'restored');
  const file = path.join(work, 'vigil.backup');
  const env = (dataDir: string) => ({ ...benchVigilEnv(dataDir), VIGIL_MASTER_KEY: masterKey });
  try {
    // 1. Fill the source instance through the HTTP layer, as reports arrive.
    process.stderr.write(`filling ${REPORTS} reports with a ${FILE_KIB} KiB attachment each …\n`);
    const vigil = await createVigil(loadConfig(env(source)), { logger: false, worker: false });
    try {
      const program = (await vigil.services.programs.list()).find(
        (p) => p.definition.form.attachments.allowed,
      );
      if (!program) throw new Error('no example program takes attachments');
      for (let i = 0; i < REPORTS; i++) {
        const res = await vigil.app.inject(
          multipartSubmission(program.slug, validAnswers(program, `bench report ${i}.`), [
            { name: `capture-${i}.pcap`, data: randomBytes(FILE_KIB * 1024) },
          ]),
        );
        if (res.statusCode !== 201) throw new Error(`report ${i} answered ${res.statusCode}: ${res.body}`);
      }
    } finally {
      await vigil.close();
    }
    const sourceBytes = await dirBytes(source);

    // 2. Back up, restore into an empty folder, verify the restored audit chain.
    process.stderr.write('backing up …\n');
    const backup = await runVigil(['backup', '--out', file], env(source), hook);
    if (backup.code !== 0) throw new Error(`vigil backup failed (${backup.code}): ${backup.stderr}`);
    const fileBytes = (await fs.stat(file)).size;
    process.stderr.write('restoring …\n');
    const restore = await runVigil(['restore', file], env(target), hook);
    if (restore.code !== 0) throw new Error(`vigil restore failed (${restore.code}): ${restore.stderr}`);
    const verify = await runVigil(['audit', 'verify'], env(target), hook);
    if (verify.code !== 0) throw new Error(`vigil audit verify failed after restore: ${verify.stderr}`);

    const figures = (run: CommandRun) => ({
      seconds: Number(run.seconds.toFixed(2)),
      mibPerSecond: Number((fileBytes / MiB / run.seconds).toFixed(1)),
      casesPerSecond: Math.round(REPORTS / run.seconds),
      peakRssMiB: run.peakRssMiB,
    });
    const result = {
      bench: 'backup',
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
      compiledBuild: haveBuild(),
      database: 'sqlite',
      reports: REPORTS,
      attachmentKiB: FILE_KIB,
      dataDirectoryMiB: Number((sourceBytes / MiB).toFixed(1)),
      backupFileMiB: Number((fileBytes / MiB).toFixed(1)),
      backup: figures(backup),
      restore: figures(restore),
      restoredAuditChain: verify.stdout,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

await main();
