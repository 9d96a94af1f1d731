import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Db, migrateToLatest, openDatabase } from '../../src/db/index.js';
import { dropSchema } from './test-vigil.js';

/** A migrated database for store-level tests, and the way to remove it again. */
export interface TestDb {
  db: Db;
  /** Close the database and delete its data directory and PostgreSQL schema. */
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated database of `dialect` without the rest of Vigil: a temporary data directory
 * for SQLite, a private schema on VIGIL_TEST_DATABASE_URL for PostgreSQL. `poolSize` is the
 * number of connections a test needs at once (concurrency tests need more); `prefix` names the
 * temporary directory.
 */
export async function openTestDatabase(
  dialect: 'sqlite' | 'postgres',
  opts: { poolSize: number; prefix: string },
): Promise<TestDb> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `vigil-${opts.prefix}-`));
  const schema = dialect === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
  let db: Db | undefined;
  const destroy = async () => {
    await db?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
    if (schema) await dropSchema(schema);
  };
  try {
    db = await openDatabase({
      dataDir,
      databaseUrl: dialect === 'postgres' ? process.env.VIGIL_TEST_DATABASE_URL : undefined,
      schema,
      poolSize: opts.poolSize,
    });
    await migrateToLatest(db);
  } catch (err) {
    await destroy();
    throw err;
  }
  return { db, destroy };
}
