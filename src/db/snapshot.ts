import fs from 'node:fs/promises';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { Db } from './database.js';
import type { Database } from './schema.js';

/**
 * A consistent copy of the database while Vigil keeps running, for `vigil backup`.
 *
 * SQLite: the online backup API copies the file from a connection of its own, in one step, so
 * the copy is one committed state while writers carry on (WAL); the copy is then switched out of
 * WAL mode so it is a single self-contained file.
 * PostgreSQL: every table of the schema is read in one `repeatable read, read only`
 * transaction, so all rows come from the same instant, parents before children.
 *
 * What the backup needs to know besides the data (the migrations applied, the attachments
 * whose files must be copied, how many cases) is read from that same copy or transaction, never
 * from the live database a moment later.
 */

/** Kysely's bookkeeping tables: recreated by the migrator on restore, never copied. */
const MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

/** An attachment file the snapshot refers to. */
export interface BlobReference {
  attachmentId: string;
  blobKey: string;
}

/** What a snapshot holds, read from the snapshot itself. */
export interface SnapshotFacts {
  /** `sqlite-file` (one database file) or `rows` (a table-by-table logical export). */
  format: 'sqlite-file' | 'rows';
  /** The migrations applied in the snapshot, in order. */
  migrations: string[];
  cases: number;
  blobs: BlobReference[];
}

/** Where the snapshot's content goes, once its facts are known. */
export interface SnapshotSink {
  facts(facts: SnapshotFacts): Promise<void>;
  /** The SQLite format: the path of the consistent, self-contained database file. */
  file(filePath: string): Promise<void>;
  /** The rows format: one table's rows, each an array of values in the order of `columns`. */
  table(name: string, columns: string[], rows: AsyncIterable<unknown[]>): Promise<void>;
}

/** Rows fetched per query when exporting a PostgreSQL table (bounded memory for big tables). */
const EXPORT_PAGE_ROWS = 500;

/**
 * Take a consistent snapshot of `db` and hand it to `sink`: its facts first, then its content.
 * `workDir` holds the temporary SQLite copy, removed before this returns.
 */
export async function snapshotDatabase(db: Db, workDir: string, sink: SnapshotSink): Promise<SnapshotFacts> {
  if (db.dialect === 'sqlite') return snapshotSqlite(db, workDir, sink);
  return snapshotPostgres(db, sink);
}

async function snapshotSqlite(db: Db, workDir: string, sink: SnapshotSink): Promise<SnapshotFacts> {
  const live = db.files[0];
  if (!live) throw new Error('the SQLite database has no file to back up');
  const copy = path.join(workDir, 'snapshot.sqlite');
  const source = new SQLite(live, { readonly: true, fileMustExist: true });
  try {
    // All pages in one step, inside one read transaction: a backup copied a hundred pages at a
    // time restarts whenever another connection writes, and under steady intake might never end.
    // In WAL mode the writers are not held up meanwhile.
    await source.backup(copy, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  try {
    const snap = new SQLite(copy, { fileMustExist: true });
    let facts: SnapshotFacts;
    try {
      // One file, no -wal beside it: the archive carries exactly what restore puts in place.
      snap.pragma('journal_mode = DELETE');
      facts = {
        format: 'sqlite-file',
        migrations: (
          snap.prepare('select name from kysely_migration order by name').all() as { name: string }[]
        ).map((r) => r.name),
        cases: (snap.prepare('select count(*) as n from reports').get() as { n: number }).n,
        blobs: (
          snap
            .prepare('select id, blob_key from attachments where redacted_at is null order by id')
            .all() as { id: string; blob_key: string }[]
        ).map((r) => ({ attachmentId: r.id, blobKey: r.blob_key })),
      };
    } finally {
      snap.close();
    }
    await sink.facts(facts);
    await sink.file(copy);
    return facts;
  } finally {
    await fs.rm(copy, { force: true });
    await fs.rm(`${copy}-journal`, { force: true });
  }
}

async function snapshotPostgres(db: Db, sink: SnapshotSink): Promise<SnapshotFacts> {
  return db.kysely
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const migrations = (
        await sql<{ name: string }>`select name from kysely_migration order by name`.execute(trx)
      ).rows.map((r) => r.name);
      const cases = Number(
        (await sql<{ n: number }>`select count(*)::int as n from reports`.execute(trx)).rows[0]?.n ?? 0,
      );
      const blobs = (
        await sql<{ id: string; blob_key: string }>`
          select id, blob_key from attachments where redacted_at is null order by id`.execute(trx)
      ).rows.map((r) => ({ attachmentId: r.id, blobKey: r.blob_key }));
      const facts: SnapshotFacts = { format: 'rows', migrations, cases, blobs };
      await sink.facts(facts);
      for (const table of await tablesInInsertOrder(trx)) {
        await sink.table(table, await columnsOf(trx, table), pagedRows(trx, table));
      }
      return facts;
    });
}

/**
 * The columns of a table in the current schema, in their declared order; generated columns are
 * left out, as PostgreSQL computes them again on insert (and refuses values for them).
 */
async function columnsOf(q: Kysely<Database>, table: string): Promise<string[]> {
  const rows = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} and is_generated = 'NEVER'
    order by ordinal_position`.execute(q);
  return rows.rows.map((r) => r.column_name);
}

/**
 * The rows of `table` page by page; inside the export's repeatable-read transaction every page
 * comes from the same snapshot, so ordering by the physical row id (`ctid`) is stable.
 */
async function* pagedRows(q: Kysely<Database>, table: string): AsyncIterable<unknown[]> {
  const columns = await columnsOf(q, table);
  for (let offset = 0; ; offset += EXPORT_PAGE_ROWS) {
    const page = await sql<Record<string, unknown>>`
      select ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table)}
      order by ctid limit ${EXPORT_PAGE_ROWS} offset ${offset}`.execute(q);
    for (const row of page.rows) yield columns.map((c) => row[c]);
    if (page.rows.length < EXPORT_PAGE_ROWS) return;
  }
}

/**
 * Vigil's tables in the current PostgreSQL schema, each after every table it references, so
 * rows can be inserted in this order with foreign keys checked as they go.
 */
export async function tablesInInsertOrder(q: Kysely<Database>): Promise<string[]> {
  const tables = (
    await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'
      order by table_name`.execute(q)
  ).rows
    .map((r) => r.table_name)
    .filter((t) => !MIGRATION_TABLES.has(t));
  const edges = (
    await sql<{ child: string; parent: string }>`
      select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
      from pg_constraint c
      where c.contype = 'f' and c.connamespace = current_schema()::regnamespace`.execute(q)
  ).rows.map((e) => ({ child: unquote(e.child), parent: unquote(e.parent) }));
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visit = (table: string, path: string[]) => {
    if (placed.has(table) || path.includes(table)) return;
    for (const e of edges) if (e.child === table && e.parent !== table) visit(e.parent, [...path, table]);
    placed.add(table);
    ordered.push(table);
  };
  for (const t of tables) visit(t, []);
  return ordered;
}

/** `regclass::text` quotes names that need it and may qualify them with the schema. */
function unquote(name: string): string {
  const last = name.split('.').pop() ?? name;
  return last.replace(/^"|"$/g, '');
}

/** Why a database cannot take a restore: it already holds Vigil data (undefined when empty). */
export async function nonEmptyReason(db: Db): Promise<string | undefined> {
  if (db.dialect === 'sqlite') {
    const rows = await sql<{ n: number }>`
      select count(*) as n from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(
      db.kysely,
    );
    const n = Number(rows.rows[0]?.n ?? 0);
    return n > 0 ? `the SQLite database already holds ${n} table(s)` : undefined;
  }
  const rows = await sql<{ n: number; schema: string }>`
    select count(*)::int as n, current_schema() as schema from information_schema.tables
    where table_schema = current_schema()`.execute(db.kysely);
  const n = Number(rows.rows[0]?.n ?? 0);
  return n > 0 ? `the PostgreSQL schema "${rows.rows[0]?.schema}" already holds ${n} table(s)` : undefined;
}

/** Facts about a SQLite database file staged for restore, read without Vigil opening it. */
export function inspectSqliteFile(file: string): { migrations: string[]; cases: number } {
  const snap = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const check = snap.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`the database in the backup fails SQLite's check: ${String(check)}`);
    return {
      migrations: (
        snap.prepare('select name from kysely_migration order by name').all() as { name: string }[]
      ).map((r) => r.name),
      cases: (snap.prepare('select count(*) as n from reports').get() as { n: number }).n,
    };
  } finally {
    snap.close();
  }
}
