import {
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type Kysely,
  type MigrationProvider,
  Migrator,
  NO_MIGRATIONS,
  PostgresDialect,
  type PostgresDialectConfig,
  type SchemaMetadata,
  SqliteAdapter,
  SqliteDialect,
  sql,
  type TableMetadata,
} from 'kysely';
import type { Db } from './database.js';
import { migrationProvider } from './migrations/index.js';

/**
 * Running migrations so that none is ever half-applied.
 *
 * Kysely runs all pending migrations in one transaction where the adapter says DDL is
 * transactional, and one statement at a time otherwise. Its SQLite adapter says no, although
 * SQLite rolls back `create table`, `alter table` and `create index` like any other write: a
 * migration that failed half-way left its first tables behind, recorded nowhere, and the next
 * start failed on "table already exists" with no hint of which migration to repair. The SQLite
 * handle Vigil opens says yes (`TransactionalSqliteDialect`), so on both databases a failed run
 * leaves the schema exactly as it was before, and the error names the migration that failed.
 * A migration must therefore never need to run outside a transaction (no `VACUUM`, no
 * `PRAGMA foreign_keys`, no `CREATE INDEX CONCURRENTLY`): every test that starts Vigil would fail on one.
 */

/** SQLite through better-sqlite3, with migrations run inside one transaction as on PostgreSQL. */
export class TransactionalSqliteDialect extends SqliteDialect {
  override createAdapter() {
    return new TransactionalDdlSqliteAdapter();
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * PostgreSQL whose introspection sees one schema: Vigil's own (`schema`, else the connection's
 * current one). Kysely's own introspector lists the columns of every schema in the database, and
 * its migrator asks it whether the bookkeeping tables exist; a schema or table another application
 * (or another test) drops meanwhile failed that listing, and with it Vigil's start-up ("relation
 * "t_….case_counters" does not exist", "schema "t_…" does not exist"). Only tables' names and
 * schemas are given: nothing in Vigil reads their columns through Kysely.
 */
export class ScopedPostgresDialect extends PostgresDialect {
  readonly #schema: string | undefined;

  constructor(config: PostgresDialectConfig, schema: string | undefined) {
    super(config);
    this.#schema = schema;
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SchemaIntrospector(db, this.#schema);
  }
}

class SchemaIntrospector implements DatabaseIntrospector {
  constructor(
    private readonly db: Kysely<unknown>,
    private readonly schema: string | undefined,
  ) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    if (this.schema) return [{ name: this.schema }];
    const { rows } = await sql<{ name: string }>`select current_schema() as name`.execute(this.db);
    return rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const scope = this.schema ?? (await this.getSchemas())[0]?.name ?? 'public';
    const { rows } = await sql<{ name: string; schema: string; kind: string }>`
      select c.relname as name, n.nspname as schema, c.relkind as kind
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm') and n.nspname = ${scope}
      order by c.relname`.execute(this.db);
    return rows.map((r) => ({
      name: r.name,
      schema: r.schema,
      isView: r.kind === 'v' || r.kind === 'm',
      columns: [],
    }));
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}

/** A migration as the database knows it: its name, and when it ran (absent while pending). */
export interface MigrationState {
  name: string;
  executedAt?: Date;
}

/** Vigil's migrator for `db`; `provider` replaces the shipped list (tests of the runner itself). */
export function createMigrator(db: Db, provider?: MigrationProvider): Migrator {
  return new Migrator({
    db: db.kysely,
    provider: provider ?? migrationProvider({ dialect: db.dialect }),
    // Kysely looks for its bookkeeping tables by schema; without this it would find another
    // schema's tables and skip creating its own.
    ...(db.schema ? { migrationTableSchema: db.schema } : {}),
  });
}

/** Every known migration in order, with when each ran; the pending ones have no `executedAt`. */
export async function migrationStates(db: Db, provider?: MigrationProvider): Promise<MigrationState[]> {
  const all = await createMigrator(db, provider).getMigrations();
  return all.map((m) => (m.executedAt ? { name: m.name, executedAt: m.executedAt } : { name: m.name }));
}

/**
 * The names of the migrations `migrateToLatest` would run now, in order; runs nothing. Throws,
 * naming it, when the database has a migration this version does not know (a newer Vigil
 * migrated it), which `migrateToLatest` would refuse too.
 */
export async function pendingMigrations(db: Db, provider?: MigrationProvider): Promise<string[]> {
  const states = await migrationStates(db, provider);
  const known = new Set(states.map((m) => m.name));
  const applied = await sql<{
    name: string;
  }>`select name from ${sql.table(db.schema ? `${db.schema}.kysely_migration` : 'kysely_migration')}`
    .execute(db.kysely)
    .then(
      (r) => r.rows.map((row) => row.name),
      () => [] as string[], // never migrated: no bookkeeping table yet
    );
  const unknown = applied.find((name) => !known.has(name));
  if (unknown)
    throw new Error(
      `the database was migrated by a newer Vigil: its migration "${unknown}" is unknown to this version`,
    );
  return states.filter((m) => !m.executedAt).map((m) => m.name);
}

/**
 * Bring the schema up to `target` (a migration name, or every known one when absent); returns
 * the names applied now. A failure rolls the whole run back and throws an error naming the
 * migration that failed.
 */
export async function runMigrations(
  db: Db,
  opts: { target?: string; provider?: MigrationProvider } = {},
): Promise<string[]> {
  const migrator = createMigrator(db, opts.provider);
  const { error, results } = await (opts.target === undefined
    ? migrator.migrateToLatest()
    : migrator.migrateTo(opts.target === '' ? NO_MIGRATIONS : opts.target));
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(
      failed
        ? `database migration "${failed.migrationName}" failed and nothing of this run was applied: ${why}`
        : `database migrations could not run: ${why}`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The names of every migration this version of Vigil ships, in order. */
export async function knownMigrations(): Promise<string[]> {
  // The list is the same for both databases; only the statements inside differ.
  return Object.keys(await migrationProvider({ dialect: 'sqlite' }).getMigrations()).sort();
}
