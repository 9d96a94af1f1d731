import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/** An open database: the Kysely handle plus what callers need to know about it. */
export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** Files that hold the data (SQLite only), e.g. for confidentiality tests. */
  files: string[];
  /** The PostgreSQL schema in use, when not the default. */
  schema?: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL schema to work in, created when missing (used to isolate test runs). */
  schema?: string;
  /** Largest number of PostgreSQL connections in the pool. */
  poolSize?: number;
}

/**
 * Open the database: PostgreSQL when a URL is given, otherwise the embedded SQLite file
 * `<dataDir>/vigil.sqlite`. SQLite runs in WAL mode with `synchronous=FULL`, so a commit that
 * returned is on disk even if the machine loses power right after.
 */
export async function openDatabase(opts: DatabaseOptions): Promise<Db> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.schema, opts.poolSize ?? 10);
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(opts.dataDir, 'vigil.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Freed pages are zeroed so deleted content (e.g. after a redaction) does not linger.
  sqlite.pragma('secure_delete = ON');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    kysely,
    dialect: 'sqlite',
    files: [file, `${file}-wal`, `${file}-shm`],
    close: () => kysely.destroy(),
  };
}

/**
 * libpq takes the operating-system user when a URL names none; node-postgres reads only $USER,
 * which service managers often leave unset. Fill it in the same way libpq would.
 */
export function withDefaultUser(url: string): string {
  const u = new URL(url);
  if (u.username || process.env.PGUSER || process.env.USER) return url;
  u.username = os.userInfo().username;
  return u.toString();
}

async function openPostgres(rawUrl: string, schema: string | undefined, poolSize: number): Promise<Db> {
  // Loaded only when PostgreSQL is used, so the embedded default does not carry the driver.
  const { default: pg } = await import('pg');
  const url = withDefaultUser(rawUrl);
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name "${schema}"`);
  }
  if (schema) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`create schema if not exists "${schema}"`);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: schema ? `-c search_path=${schema}` : undefined,
    // 64-bit integers (sizes, sequence numbers) fit in a JS number for every value Vigil stores.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === 20
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: 'postgres', files: [], schema, close: () => kysely.destroy() };
}

/** Bring the schema up to date; returns the names of the migrations applied now. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db: db.kysely,
    provider: migrationProvider({ dialect: db.dialect }),
    // Kysely looks for its bookkeeping tables by schema; without this it would find another
    // schema's tables and skip creating its own.
    ...(db.schema ? { migrationTableSchema: db.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(
      `database migration ${failed ? `"${failed.migrationName}" ` : ''}failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when the database answers a trivial query (readiness probe). */
export async function pingDatabase(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db.kysely);
    return true;
  } catch {
    return false;
  }
}
