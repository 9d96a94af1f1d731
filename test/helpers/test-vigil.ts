import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { type Config, loadConfig } from '../../src/config/index.js';
import type { Clock } from '../../src/core/clock.js';
import { withDefaultUser } from '../../src/db/index.js';
import { createVigil, type Vigil } from '../../src/server.js';

/** The databases the suite runs on: SQLite always, PostgreSQL when VIGIL_TEST_DATABASE_URL is set. */
export const dialects: ('sqlite' | 'postgres')[] = process.env.VIGIL_TEST_DATABASE_URL
  ? ['sqlite', 'postgres']
  : ['sqlite'];

export interface TestVigil extends Vigil {
  dataDir: string;
  /** Everything the app logged, as text (to prove nothing sensitive is logged). */
  logs: () => string;
  /** Close and delete the data directory and PostgreSQL schema. */
  destroy(): Promise<void>;
}

/**
 * A real Vigil on a temporary data directory (and a private PostgreSQL schema), with the two
 * reference programs loaded. Nothing is mocked; pass `env` to change limits.
 */
export async function startTestVigil(
  dialect: 'sqlite' | 'postgres',
  opts: { env?: Record<string, string>; clock?: Clock; worker?: boolean; scanWorkerUrl?: URL } = {},
): Promise<TestVigil> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-test-'));
  const schema = dialect === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const config: Config = {
    ...loadConfig({
      VIGIL_DATA_DIR: dataDir,
      VIGIL_RATE_LIMIT_PER_MINUTE: '0',
      // Like the rate limit, the adaptive proof-of-work stays quiet unless a test asks for it.
      VIGIL_POW_QUIET_PER_HOUR: '1000000',
      VIGIL_POW_ADDRESS_FREE_PER_HOUR: '1000000',
      VIGIL_PUBLIC_URL: 'https://vigil.test',
      LOG_LEVEL: 'info',
      ...(dialect === 'postgres' ? { DATABASE_URL: process.env.VIGIL_TEST_DATABASE_URL as string } : {}),
      ...opts.env,
    }),
    databaseSchema: schema,
  };
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  const vigil = await createVigil(config, {
    clock: opts.clock,
    logger: { level: 'info', stream } as never,
    worker: opts.worker ?? false,
    scanWorkerUrl: opts.scanWorkerUrl,
  });
  let destroyed = false;
  return Object.assign(vigil, {
    dataDir,
    logs: () => chunks.join(''),
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await vigil.close().catch(() => {});
      await fs.rm(dataDir, { recursive: true, force: true });
      if (schema) await dropSchema(schema);
    },
  });
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({
    connectionString: withDefaultUser(process.env.VIGIL_TEST_DATABASE_URL as string),
  });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** Serve a test Vigil on an ephemeral loopback port (for a real browser); returns its base URL. */
export async function listenOnLoopback(v: TestVigil): Promise<string> {
  await v.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = v.app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('the test server has no TCP address');
  return `http://127.0.0.1:${addr.port}`;
}
