import { type MigrationProvider, Migrator, NO_MIGRATIONS, SqliteAdapter, SqliteDialect, sql } from 'kysely';
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
  const run = () =>
    opts.target === undefined
      ? migrator.migrateToLatest()
      : migrator.migrateTo(opts.target === '' ? NO_MIGRATIONS : opts.target);
  let { error, results } = await run();
  // Kysely looks for its bookkeeping tables by listing the columns of every schema in the
  // database; a table another schema drops meanwhile (another application, another instance's
  // tests) fails that listing with "relation "other.t" does not exist". Nothing of ours has run
  // then, so the run is tried again, a few times.
  for (let attempt = 0; error && attempt < 3 && othersTableVanished(error, db.schema); attempt += 1) {
    ({ error, results } = await run());
  }
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

/** Whether `error` is a listing that tripped over a table of another schema being dropped. */
function othersTableVanished(error: unknown, schema: string | undefined): boolean {
  const m = /relation "([^".]+)\.[^"]+" does not exist/.exec(
    error instanceof Error ? error.message : String(error),
  );
  return m !== null && m[1] !== schema;
}

/** The names of every migration this version of Vigil ships, in order. */
export async function knownMigrations(): Promise<string[]> {
  // The list is the same for both databases; only the statements inside differ.
  return Object.keys(await migrationProvider({ dialect: 'sqlite' }).getMigrations()).sort();
}
