import { type Expression, type Kysely, PostgresAdapter, type RawBuilder, sql } from 'kysely';
import type { Database } from './schema.js';

/**
 * What differs between SQLite and PostgreSQL, answered from the Kysely handle itself, so code
 * outside `db/` never asks which database it runs on. A transaction answers like the handle it
 * was opened from.
 */

/** True when the handle (or transaction) talks to PostgreSQL. */
export function isPostgres(q: Kysely<Database>): boolean {
  return q.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * The query with `FOR UPDATE` on PostgreSQL, so the rows it reads stay locked until the
 * transaction ends; unchanged on SQLite, which has no row locks and serialises writers anyway.
 */
export function forUpdate<QB extends { forUpdate(): QB }>(query: QB, q: Kysely<Database>): QB {
  return isPostgres(q) ? query.forUpdate() : query;
}

/**
 * A transaction that reads one snapshot throughout: `repeatable read` on PostgreSQL; on SQLite
 * (WAL mode) every read transaction already is one.
 */
export function snapshotTransaction(q: Kysely<Database>) {
  return isPostgres(q) ? q.transaction().setIsolationLevel('repeatable read') : q.transaction();
}

/**
 * The text at `path` inside a JSON document stored as text in `column` (null when absent), e.g.
 * `jsonText(db, 'reports.assessment', 'cwe', 'id')`. Keys are written into the SQL as literals:
 * pass only names from the code, never input.
 */
export function jsonText(q: Kysely<Database>, column: string, ...path: string[]): RawBuilder<string | null> {
  if (path.length === 0 || path.some((key) => !/^[A-Za-z0-9_]+$/.test(key)))
    throw new Error(`jsonText: invalid path ${path.join('.')}`);
  if (isPostgres(q)) {
    const steps = path.map((key, i) => sql`${sql.raw(i === path.length - 1 ? '->>' : '->')} ${sql.lit(key)}`);
    return sql<string | null>`(${sql.ref(column)}::jsonb ${sql.join(steps, sql` `)})`;
  }
  return sql<string | null>`json_extract(${sql.ref(column)}, ${sql.lit(`$.${path.join('.')}`)})`;
}

/**
 * Give the space of deleted rows back on disk now. On SQLite (WAL mode, `secure_delete` on) the
 * write-ahead log is checkpointed and truncated, so a removed value survives neither in the log
 * nor in free pages; PostgreSQL's own vacuuming is left to the server.
 */
export async function flushDeleted(q: Kysely<Database>): Promise<void> {
  if (!isPostgres(q)) await sql`pragma wal_checkpoint(TRUNCATE)`.execute(q);
}

/**
 * The seconds from `from` to `to`, two ISO-8601 instants held as text (null when either is), for
 * date arithmetic inside a query.
 */
export function secondsBetween(
  q: Kysely<Database>,
  from: Expression<string | null>,
  to: Expression<string | null>,
): RawBuilder<number | null> {
  if (isPostgres(q))
    return sql<number | null>`extract(epoch from (${to}::timestamptz - ${from}::timestamptz))`;
  return sql<number | null>`((julianday(${to}) - julianday(${from})) * 86400)`;
}

/**
 * VACUUM `tables` on PostgreSQL now, so the dead row versions an update or delete left behind (a
 * case's text before its redaction) are removed from the tables rather than whenever autovacuum
 * comes round; a no-op on SQLite, where `flushDeleted` does the equivalent. VACUUM cannot run
 * inside a transaction: call it on the handle, after the commit. Plain VACUUM, not FULL, so the
 * tables stay readable and writable meanwhile. Table names come from the code, never input.
 */
export async function vacuumTables(
  q: Kysely<Database>,
  tables: readonly (keyof Database & string)[],
): Promise<void> {
  if (!isPostgres(q)) return;
  for (const table of tables) await sql`vacuum ${sql.table(table)}`.execute(q);
}
