import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, IDLE_CONNECTIONS_KEPT, openDatabase } from './database.js';

// The SQLite statement cache (withStatementCache): reused statements must behave as fresh ones.
describe('SQLite statements kept prepared', () => {
  let dir: string;
  let db: Db;
  let q: Kysely<Record<string, Record<string, unknown>>>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-stmt-'));
    db = await openDatabase({ dataDir: dir });
    q = db.kysely as unknown as typeof q;
    await sql`create table t (id integer primary key, v text)`.execute(q);
  });

  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the same query again with new parameters', async () => {
    for (let i = 1; i <= 3; i++)
      await q
        .insertInto('t')
        .values({ id: i, v: `v${i}` })
        .execute();
    const one = (id: number) => q.selectFrom('t').select('v').where('id', '=', id).executeTakeFirst();
    expect(await one(1)).toEqual({ v: 'v1' });
    expect(await one(3)).toEqual({ v: 'v3' });
  });

  it('sees a schema change made after the statement was first prepared', async () => {
    await q.insertInto('t').values({ id: 1, v: 'a' }).execute();
    const all = () => sql<Record<string, unknown>>`select * from t`.execute(q);
    expect((await all()).rows).toEqual([{ id: 1, v: 'a' }]);
    await sql`alter table t add column w text default 'x'`.execute(q);
    expect((await all()).rows).toEqual([{ id: 1, v: 'a', w: 'x' }]);
  });

  it('runs a query again after a stream of it was left early', async () => {
    for (let i = 1; i <= 3; i++)
      await q
        .insertInto('t')
        .values({ id: i, v: `v${i}` })
        .execute();
    const query = q.selectFrom('t').select(['id', 'v']).orderBy('id');
    for await (const row of query.stream()) {
      expect(row.id).toBe(1);
      break;
    }
    expect(await query.execute()).toHaveLength(3);
    const streamed: unknown[] = [];
    for await (const row of query.stream()) streamed.push(row.id);
    expect(streamed).toEqual([1, 2, 3]);
  });
});

// A console refreshing its queue every half minute should find connections open, not pay for new
// ones each time; connections beyond those kept still close when idle (pg's 10 s).
describe.skipIf(!process.env.VIGIL_TEST_DATABASE_URL)('PostgreSQL connections kept when idle', () => {
  it(`keeps ${IDLE_CONNECTIONS_KEPT} connections open past the idle timeout and closes the rest`, async () => {
    const schema = `t_pool_${Math.random().toString(36).slice(2, 10)}`;
    const db = await openDatabase({
      dataDir: tmpdir(),
      databaseUrl: process.env.VIGIL_TEST_DATABASE_URL,
      schema,
    });
    try {
      const pid = async () =>
        (await sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.05)`.execute(db.kysely))
          .rows[0]?.pid;
      // Four at once: four connections.
      const first = await Promise.all([pid(), pid(), pid(), pid()]);
      expect(new Set(first).size).toBe(4);
      await new Promise((resolve) => setTimeout(resolve, 11_000));
      expect(db.poolUse?.()).toEqual({
        total: IDLE_CONNECTIONS_KEPT,
        idle: IDLE_CONNECTIONS_KEPT,
        waiting: 0,
      });
      // The next queries run on connections opened before the wait.
      const again = await Promise.all([pid(), pid()]);
      for (const p of again) expect(first).toContain(p);
    } finally {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db.kysely);
      await db.close();
    }
  }, 30_000);
});
