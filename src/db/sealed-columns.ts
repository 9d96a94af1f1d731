import { sql } from 'kysely';
import type { Db } from './database.js';

/**
 * Finding and re-wrapping the sealed values of every table, for a master-key rotation.
 *
 * Which columns are sealed is read from the database itself, by the naming rule schema.ts
 * states (`*_sealed`), so a table added next month is rotated without anyone remembering to
 * list it here. The rotation test scans every byte column of every table for the envelope's
 * magic to prove that no sealed value lives in a column the rule misses.
 *
 * A sealed value (envelope.ts) starts "VGE" 0x01, u16 W, then the wrapped data key: 0x01, the
 * KEK id's length L, the id. Whether a value is under a key is therefore a comparison of bytes
 * 7 … 8+L (1-based), done by the database, so each batch fetches only values still to do.
 */

/** One column of one table. */
export interface TableColumn {
  table: string;
  column: string;
}

/** Every column whose name says it holds sealed values, in every table of the current schema. */
export async function sealedColumns(db: Db): Promise<TableColumn[]> {
  return (await byteColumns(db)).filter((c) => c.column.endsWith('_sealed'));
}

/** Every column of a byte type (`blob` on SQLite, `bytea` on PostgreSQL) in every table. */
export async function byteColumns(db: Db): Promise<TableColumn[]> {
  if (db.dialect === 'postgres') {
    const rows = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and data_type = 'bytea'
      order by table_name, column_name`.execute(db.kysely);
    return rows.rows.map((r) => ({ table: r.table_name, column: r.column_name }));
  }
  const tables = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(
    db.kysely,
  );
  const out: TableColumn[] = [];
  for (const { name } of tables.rows) {
    const cols = await sql<{ name: string; type: string }>`
      select name, type from pragma_table_info(${name}) order by cid`.execute(db.kysely);
    for (const c of cols.rows) if (c.type.toLowerCase() === 'blob') out.push({ table: name, column: c.name });
  }
  return out;
}

/** Every non-null value of a column, with a row reference (tests and audits; not for big tables). */
export async function columnValues(db: Db, col: TableColumn): Promise<Buffer[]> {
  const rows = await sql<{ v: Buffer }>`
    select ${sql.ref(col.column)} as v from ${sql.table(col.table)}
    where ${sql.ref(col.column)} is not null`.execute(db.kysely);
  return rows.rows.map((r) => Buffer.from(r.v));
}

/** The bytes a sealed value under `keyId` carries at offset 6: wrap format 0x01, L, the id. */
function keyReference(keyId: string): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  return Buffer.concat([Buffer.from([0x01, id.length]), id]);
}

/** What one batch did. */
export interface RewrapBatch {
  /** Values found under another key in this batch. */
  found: number;
  /** Values replaced by their re-wrapped form. */
  rewrapped: number;
}

/**
 * Re-wrap up to `limit` values of `col` that are not under `activeKeyId`, in one transaction.
 * Each row is updated only if its value is still the one read (a server may have rewritten it
 * meanwhile; the next batch then sees the new value). `rewrap` throws for a value it cannot
 * open, and the error names the table and column.
 */
export async function rewrapColumnBatch(
  db: Db,
  col: TableColumn,
  activeKeyId: string,
  rewrap: (sealed: Buffer) => Buffer,
  limit: number,
): Promise<RewrapBatch> {
  const ref = keyReference(activeKeyId);
  const pg = db.dialect === 'postgres';
  return db.kysely.transaction().execute(async (trx) => {
    const c = sql.ref(col.column);
    const t = sql.table(col.table);
    const rows = pg
      ? await sql<{ rid: string; v: Buffer }>`
          select ctid::text as rid, ${c} as v from ${t}
          where ${c} is not null and substring(${c} from 7 for ${ref.length}) <> ${ref}
          limit ${limit} for update`.execute(trx)
      : await sql<{ rid: number; v: Buffer }>`
          select rowid as rid, ${c} as v from ${t}
          where ${c} is not null and substr(${c}, 7, ${ref.length}) <> ${ref}
          limit ${limit}`.execute(trx);
    let rewrapped = 0;
    for (const row of rows.rows) {
      const old = Buffer.from(row.v);
      let next: Buffer;
      try {
        next = rewrap(old);
      } catch (err) {
        throw new Error(
          `a sealed value in ${col.table}.${col.column} cannot be re-wrapped: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      const result = pg
        ? await sql`update ${t} set ${c} = ${next} where ctid = ${row.rid}::tid and ${c} = ${old}`.execute(
            trx,
          )
        : await sql`update ${t} set ${c} = ${next} where rowid = ${row.rid} and ${c} = ${old}`.execute(trx);
      rewrapped += Number(result.numAffectedRows ?? 0);
    }
    return { found: rows.rows.length, rewrapped };
  });
}

/** Rows read per query when counting sealed values by key. */
const COUNT_PAGE_ROWS = 2000;

/**
 * How many sealed values each master key wraps, over every `*_sealed` column (by KEK id, as
 * written in each value). Reads only the first bytes of each value, a page at a time.
 */
export async function sealedKeyCounts(db: Db): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const pg = db.dialect === 'postgres';
  for (const col of await sealedColumns(db)) {
    const c = sql.ref(col.column);
    const t = sql.table(col.table);
    for (let offset = 0; ; offset += COUNT_PAGE_ROWS) {
      const page = pg
        ? await sql<{ head: Buffer }>`select substring(${c} from 1 for 80) as head from ${t}
            where ${c} is not null order by ctid limit ${COUNT_PAGE_ROWS} offset ${offset}`.execute(db.kysely)
        : await sql<{ head: Buffer }>`select substr(${c}, 1, 80) as head from ${t}
            where ${c} is not null order by rowid limit ${COUNT_PAGE_ROWS} offset ${offset}`.execute(
            db.kysely,
          );
      for (const { head } of page.rows) {
        const id = keyIdOfSealedHead(Buffer.from(head));
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      if (page.rows.length < COUNT_PAGE_ROWS) break;
    }
  }
  return counts;
}

/** The KEK id in the first bytes of a sealed value ("unreadable" when they are not one). */
function keyIdOfSealedHead(head: Buffer): string {
  const magic = head.subarray(0, 4).toString('latin1') === 'VGE\u0001';
  const length = head[7] ?? 0;
  return magic && head[6] === 0x01 && head.length >= 8 + length
    ? head.subarray(8, 8 + length).toString('ascii')
    : 'unreadable';
}
