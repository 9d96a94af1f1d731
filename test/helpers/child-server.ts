import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { withDefaultUser } from '../../src/db/index.js';

/**
 * Vigil as a real operating-system process (`vigil serve` and the other CLI commands, started as
 * an operator starts them: `node bin/vigil.js`, which runs dist/ when it matches the sources and
 * the sources through tsx otherwise), for tests that kill it, signal it or restart it on the same
 * storage.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = path.join(root, 'bin', 'vigil.js');

/** Where a child Vigil keeps its data: a data directory and, for PostgreSQL, a database URL. */
export interface ChildStorage {
  dataDir: string;
  databaseUrl?: string;
}

export interface ChildServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  child: ChildProcess;
  /** Resolves once the process has ended, with its exit code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote to stdout and stderr so far (for failure messages). */
  output(): string;
}

/** A TCP port that was free a moment ago (the server reports no port of its own when given 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The environment of a child: this process's, without any Vigil settings, plus the storage. */
function childEnv(storage: ChildStorage, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('VIGIL_') || k === 'DATABASE_URL' || k === 'PORT' || k === 'HOST') continue;
    env[k] = v;
  }
  return {
    ...env,
    VIGIL_DATA_DIR: storage.dataDir,
    ...(storage.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {}),
    VIGIL_RATE_LIMIT_PER_MINUTE: '0',
    // Like the rate limit, the adaptive proof-of-work stays quiet unless a test asks for it.
    VIGIL_POW_QUIET_PER_HOUR: '1000000',
    VIGIL_POW_ADDRESS_FREE_PER_HOUR: '1000000',
    VIGIL_PUBLIC_URL: 'https://vigil.test',
    // Parallel children would all want the default SMTP port 2525.
    VIGIL_SMTP_LISTEN: 'false',
    // ...and the Prometheus port 9464.
    VIGIL_METRICS_LISTEN: 'false',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

function spawnVigil(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [entry, ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Start `vigil serve` on a free port and wait until `/readyz` answers 200. */
export async function startChildServer(
  storage: ChildStorage,
  opts: { env?: Record<string, string>; readyTimeoutMs?: number } = {},
): Promise<ChildServer> {
  const port = await freePort();
  const child = spawnVigil(
    ['serve'],
    childEnv(storage, { PORT: String(port), HOST: '127.0.0.1', ...opts.env }),
  );
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const server: ChildServer = { url: `http://127.0.0.1:${port}`, port, child, exited, output: () => out };
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (gone) throw new Error(`vigil serve exited before it was ready:\n${out}`);
    try {
      const res = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return server;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`vigil serve was not ready in time:\n${out}`);
}

/** Stop a child server (SIGTERM, then SIGKILL if it lingers) and wait for it to end. */
export async function stopChildServer(
  server: ChildServer,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return server.exited;
  server.child.kill(signal);
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  try {
    return await server.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Run one `vigil …` command against the storage; resolves with its exit code and output. */
export async function runCli(
  storage: ChildStorage,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnVigil(args, childEnv(storage));
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c));
  });
  return { code, stdout, stderr };
}

/**
 * Create an admin user and a read token through the CLI; returns the token. Run it while no
 * server is writing to the same storage.
 */
export async function createStaffToken(
  storage: ChildStorage,
  email = 'lead@vendor.example',
): Promise<string> {
  const user = await runCli(storage, ['user', 'create', '--email', email, '--role', 'admin']);
  if (user.code !== 0) throw new Error(`vigil user create failed (${user.code}): ${user.stderr}`);
  const token = await runCli(storage, ['token', 'create', '--user', email]);
  if (token.code !== 0) throw new Error(`vigil token create failed (${token.code}): ${token.stderr}`);
  return token.stdout.trim();
}

/**
 * A fresh PostgreSQL database on the server of VIGIL_TEST_DATABASE_URL (a child process cannot be
 * given a schema, so it gets a database of its own); `drop()` removes it again.
 */
export async function createTempDatabase(
  prefix = 'vigil_child',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = withDefaultUser(process.env.VIGIL_TEST_DATABASE_URL as string);
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database "${name}"`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: () => admin(`drop database if exists "${name}" with (force)`),
  };
}
