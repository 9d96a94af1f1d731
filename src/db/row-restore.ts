import { type Kysely, Migrator, sql } from 'kysely';
import type { Db } from './database.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';
import { tablesInInsertOrder } from './snapshot.js';

/**
 * Reading a PostgreSQL logical export (snapshot.ts) back, all in ONE transaction on one
 * connection: the migrations up to the backup's last one, then every table's rows. Nothing is
 * visible to anyone, and nothing stays behind, until `commit`; `rollback` (or a crash) leaves the
 * schema as empty as it was. Kysely's migrator normally opens its own transaction; here it runs
 * with transactions off inside ours, which PostgreSQL's transactional DDL makes safe.
 */
export interface RowRestore {
  /** Insert one table's rows (values in the order of `columns`); answers how many. */
  table(name: string, columns: string[], rows: AsyncIterable<unknown[]>): Promise<number>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** Rows per insert statement: well under PostgreSQL's 65,535 parameters for Vigil's widest table. */
const INSERT_BATCH_ROWS = 200;

/**
 * Open the restore transaction on `db` (PostgreSQL) and create the schema of `migrations`.
 * Throws, naming the migration, when the backup was made by a Vigil with migrations this one
 * does not know.
 */
export async function beginRowRestore(db: Db, migrations: string[]): Promise<RowRestore> {
  if (db.dialect !== 'postgres') throw new Error('a table-by-table backup restores into PostgreSQL only');
  const known = Object.keys(await migrationProvider({ dialect: db.dialect }).getMigrations());
  const unknown = migrations.find((m) => !known.includes(m));
  if (unknown)
    throw new Error(
      `the backup was made by a newer Vigil: its migration "${unknown}" is unknown to this version; upgrade Vigil first`,
    );
  const last = migrations[migrations.length - 1];
  if (!last) throw new Error('the backup names no migrations; it holds no Vigil database');

  const held = await holdConnection(db.kysely);
  const conn = held.conn;
  try {
    await sql`begin`.execute(conn);
    const migrator = new Migrator({
      db: conn,
      provider: migrationProvider({ dialect: db.dialect }),
      disableTransactions: true,
      ...(db.schema ? { migrationTableSchema: db.schema } : {}),
    });
    const { error } = await migrator.migrateTo(last);
    if (error) throw error;
    // Migrations seed a few rows (the audit chain's head, counters): the backup's rows replace them.
    const order = await tablesInInsertOrder(conn);
    for (const table of [...order].reverse()) await sql`delete from ${sql.table(table)}`.execute(conn);
  } catch (err) {
    await sql`rollback`.execute(conn).catch(() => {});
    held.release();
    throw err;
  }

  let finished = false;
  const finish = async (statement: 'commit' | 'rollback') => {
    if (finished) return;
    finished = true;
    try {
      await sql.raw(statement).execute(conn);
    } finally {
      held.release();
      await held.done;
    }
  };
  return {
    async table(name, columns, rows) {
      let count = 0;
      let batch: unknown[][] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        await sql`insert into ${sql.table(name)} (${sql.join(columns.map((c) => sql.ref(c)))})
          values ${sql.join(batch.map((r) => sql`(${sql.join(r)})`))}`.execute(conn);
        count += batch.length;
        batch = [];
      };
      for await (const row of rows) {
        if (row.length !== columns.length)
          throw new Error(`a row of table ${name} has ${row.length} values for ${columns.length} columns`);
        batch.push(row);
        if (batch.length >= INSERT_BATCH_ROWS) await flush();
      }
      await flush();
      return count;
    },
    commit: () => finish('commit'),
    rollback: () => finish('rollback').catch(() => {}),
  };
}

/**
 * One connection of the pool, held until `release` is called: Kysely lends a connection only
 * for the duration of a callback, and a restore spans many reads of the backup file.
 */
async function holdConnection(
  kysely: Kysely<Database>,
): Promise<{ conn: Kysely<Database>; release: () => void; done: Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let lend!: (conn: Kysely<Database>) => void;
  const lent = new Promise<Kysely<Database>>((resolve) => {
    lend = resolve;
  });
  const done = kysely.connection().execute(async (conn) => {
    lend(conn);
    await released;
  });
  const conn = await Promise.race([lent, done.then(() => Promise.reject(new Error('no connection')))]);
  return { conn, release, done };
}
