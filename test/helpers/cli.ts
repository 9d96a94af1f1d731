import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { main } from '../../src/cli/cli.js';
import { withDefaultUser } from '../../src/db/index.js';

/**
 * The `vigil` command, run in-process through its entry function (`main`) with its own
 * environment, working folder and captured streams: the same code path as the executable, without
 * starting a Node.js process per call. `runBuiltVigil` runs the compiled command as a real process.
 */

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** This process's environment without any Vigil settings, so the caller's shell cannot leak in. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('VIGIL_') || ['DATABASE_URL', 'PORT', 'HOST', 'LOG_LEVEL'].includes(k)) continue;
    env[k] = v;
  }
  return env;
}

/** Run `vigil <args>` in the repository root with `env` added to a clean environment. */
export async function runVigil(args: string[], env: Record<string, string>): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    env: { ...cleanEnv(), ...env },
    cwd: repoRoot,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    // As from a script with nothing piped in: a command that asks reads end of input at once.
    stdin: Readable.from([]),
  });
  return { code, stdout, stderr };
}

/**
 * Run the compiled command (`node bin/vigil.js <args>`) as a real process, as an operator does
 * after `npm run build`, from `cwd` (the repository root unless given).
 */
export async function runBuiltVigil(
  args: string[],
  env: Record<string, string>,
  cwd = repoRoot,
): Promise<CliResult> {
  const child = spawn(process.execPath, [path.join(cwd, 'bin', 'vigil.js'), ...args], {
    cwd,
    env: { ...cleanEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c));
  });
  return { code, stdout, stderr };
}

/** Run one statement on the server of VIGIL_TEST_DATABASE_URL (or another database of it). */
export async function pgQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: withDefaultUser(url) });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A fresh database `<prefix>_<hex>` next to VIGIL_TEST_DATABASE_URL; `drop()` removes it. */
export async function createTempDatabase(
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.VIGIL_TEST_DATABASE_URL as string;
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await pgQuery(base, `create database "${name}"`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => void (await pgQuery(base, `drop database if exists "${name}" with (force)`)),
  };
}
