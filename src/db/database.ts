import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { describeError, type WorkerLogger } from '../core/index.js';
import { runMigrations, ScopedPostgresDialect, TransactionalSqliteDialect } from './migrate.js';
import type { Database } from './schema.js';
import { unavailableReason } from './unavailable.js';

export type Dialect = 'sqlite' | 'postgres';

/** An open database: the Kysely handle plus what callers need to know about it. */
export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** Files that hold the data (SQLite only), e.g. for confidentiality tests. */
  files: string[];
  /** The PostgreSQL schema in use, when not the default. */
  schema?: string;
  /**
   * The connection pool right now (PostgreSQL only; SQLite has one connection and no pool), for
   * the Prometheus gauges: connections open, idle, and queries waiting for one.
   */
  poolUse?: () => { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export interface DatabaseOptions {
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL schema to work in, created when missing (used to isolate test runs). */
  schema?: string;
  /** Largest number of PostgreSQL connections in the pool. */
  poolSize?: number;
  /**
   * Where a lost PostgreSQL connection is reported (default: one JSON line on stderr, in the
   * shape of the app's log).
   */
  logger?: Pick<WorkerLogger, 'warn'>;
}

/**
 * Open the database: PostgreSQL when a URL is given, otherwise the embedded SQLite file
 * `<dataDir>/vigil.sqlite`. SQLite runs in WAL mode with `synchronous=FULL`, so a commit that
 * returned is on disk even if the machine loses power right after.
 */
export async function openDatabase(opts: DatabaseOptions): Promise<Db> {
  if (opts.databaseUrl)
    return openPostgres(opts.databaseUrl, opts.schema, opts.poolSize ?? 10, opts.logger ?? stderrLogger);
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(opts.dataDir, 'vigil.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Freed pages are zeroed so deleted content (e.g. after a redaction) does not linger.
  sqlite.pragma('secure_delete = ON');
  const kysely = new Kysely<Database>({
    // Migrations run in one transaction here too, so none is ever half-applied (migrate.ts).
    dialect: new TransactionalSqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return {
    kysely,
    dialect: 'sqlite',
    files: [file, `${file}-wal`, `${file}-shm`],
    close: () => kysely.destroy(),
  };
}

/** Statements kept prepared per SQLite connection; Vigil's queries are a few hundred distinct texts. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * The SQLite handle as Kysely's driver sees it, with prepared statements reused: the driver
 * prepares every query afresh, which cost more than running most of them (16 prepares per
 * report at intake, about 0.1 ms each). SQLite re-prepares a kept statement by itself after a
 * schema change. A statement still being iterated (a streamed select) is not handed out twice:
 * the query gets a fresh one.
 */
function withStatementCache(sqlite: SQLite.Database, size = STATEMENT_CACHE_SIZE) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string): SQLite.Statement {
      const kept = cache.get(text);
      if (kept && !kept.busy) return kept;
      const stmt = sqlite.prepare(text);
      if (!kept) {
        cache.set(text, stmt);
        // Oldest first out; texts built from varying list lengths are the ones that churn.
        if (cache.size > size) cache.delete(cache.keys().next().value as string);
      }
      return stmt;
    },
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

/** A stand-in for the app's logger before it exists: pino's line shape, level 40 (warn). */
const stderrLogger: Pick<WorkerLogger, 'warn'> = {
  warn(obj, msg) {
    process.stderr.write(`${JSON.stringify({ level: 40, time: Date.now(), ...obj, msg })}\n`);
  },
};

/**
 * How long to wait for a connection (a new one, or a free one from a full pool) before the
 * request fails as "database unavailable": long enough for a busy pool to drain, short enough
 * that a server which drops packets does not hold requests for the minutes TCP would take.
 */
const CONNECT_TIMEOUT_MS = 30_000;

/** Pooled PostgreSQL connections kept open however long they idle. */
export const IDLE_CONNECTIONS_KEPT = 2;

async function openPostgres(
  rawUrl: string,
  schema: string | undefined,
  poolSize: number,
  logger: Pick<WorkerLogger, 'warn'>,
): Promise<Db> {
  // Loaded only when PostgreSQL is used, so the embedded default does not carry the driver.
  const { default: pg } = await import('pg');
  const url = withDefaultUser(rawUrl);
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name "${schema}"`);
  }
  // node-postgres emits 'error' on a client (and on the pool, for an idle one) whenever its
  // connection breaks: a server restart (57P01), a crash, a reset. An 'error' event nobody
  // listens to ends the process, so every client gets a listener, from the moment it exists until
  // it is gone. What happens next is the pool's: an idle client is removed at once, a client in
  // use fails its query (the request answers 503) and is removed when released, as it is no
  // longer queryable; the next request opens a fresh connection.
  const reported = new WeakSet<object>();
  const connectionLost = (client: object) => (err: Error) => {
    // A broken client reports twice (the server's message, then the closed socket): log once.
    if (reported.has(client)) return;
    reported.add(client);
    logger.warn(
      { err: unavailableReason(err) ?? describeError(err) },
      'database connection lost; it is dropped and replaced',
    );
  };
  if (schema) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    client.on('error', connectionLost(client));
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
    // Connections beyond these close after 10 s idle (pg's default). A console that refreshes its
    // queue every half minute would otherwise open a new connection (two for a queue page) for
    // each refresh: 30-130 ms on a busy machine instead of 15-30.
    min: Math.min(IDLE_CONNECTIONS_KEPT, poolSize),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Probes idle connections, so one whose peer vanished without a word is noticed and replaced.
    keepAlive: true,
    options: schema ? `-c search_path=${schema}` : undefined,
    // 64-bit integers (sizes, sequence numbers) fit in a JS number for every value Vigil stores.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === 20
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('connect', (client) => {
    client.on('error', connectionLost(client));
  });
  // The pool re-emits an idle client's error after removing it; the client's own listener has
  // logged it already.
  pool.on('error', () => {});
  const kysely = new Kysely<Database>({ dialect: new ScopedPostgresDialect({ pool }, schema) });
  return {
    kysely,
    dialect: 'postgres',
    files: [],
    schema,
    poolUse: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => kysely.destroy(),
  };
}

/**
 * Bring the schema up to date; returns the names of the migrations applied now. A failed
 * migration rolls the whole run back and its name is in the error (migrate.ts).
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return runMigrations(db);
}

/**
 * True when the database answers a trivial query within `timeoutMs` (readiness probe): during an
 * outage the probe says so promptly instead of waiting for a connection that may never come.
 */
export async function pingDatabase(db: Db, timeoutMs = 5_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const answered = sql`select 1`.execute(db.kysely).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}
