import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb } from '../../test/helpers/test-db.js';
import { dialects } from '../../test/helpers/test-vigil.js';
import { appendAudit, verifyAuditChain } from '../audit/index.js';
import type { Database, Db, Transaction } from '../db/index.js';
import { createGroupCommit } from './group-commit.js';

const GENESIS = '0'.repeat(64);

describe.each(dialects)('group commit on %s', (dialect) => {
  let testDb: TestDb | undefined;
  let db: Db;

  beforeAll(async () => {
    testDb = await openTestDatabase(dialect, { poolSize: 10, prefix: 'groupcommit' });
    db = testDb.db;
    // A constraint checked only at COMMIT, on both databases: the way to make a COMMIT fail.
    await sql`create table group_commit_probe (id integer primary key, ref integer references group_commit_probe (id) deferrable initially deferred)`.execute(
      db.kysely,
    );
  });

  afterAll(async () => {
    await testDb?.destroy();
  });

  beforeEach(async () => {
    await db.kysely.deleteFrom('audit_log').execute();
    await db.kysely.updateTable('audit_head').set({ seq: 0, hash: GENESIS }).where('id', '=', 1).execute();
  });

  const entry = (trx: Transaction<Database>, programId: string) =>
    appendAudit(trx, { actor: 'reporter', action: 'report.received', programId, detail: {} }, new Date());
  const stored = async () =>
    (await db.kysely.selectFrom('audit_log').select('program_id').orderBy('seq').execute()).map(
      (r) => r.program_id,
    );

  it('gives each submission its own savepoint: a failing one is undone alone, the others commit', async () => {
    const commits = createGroupCommit(db.kysely);
    // All six queue before the writer starts, so they share one transaction.
    const results = await Promise.allSettled(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((id) =>
        commits.run(async (trx) => {
          await entry(trx, id);
          if (id === 'c' || id === 'e') throw new Error(`refused ${id}`);
          return id;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(await stored()).toEqual(['a', 'b', 'd', 'f']);
    // The chain is whole: the undone entries left no gap and no stale head.
    expect((await verifyAuditChain(db.kysely)).ok).toBe(true);
  });

  it('refuses every submission of a batch whose COMMIT fails, and stores none of them', async () => {
    const commits = createGroupCommit(db.kysely);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    // The first holds the writer until the batch behind it has queued.
    let writing!: () => void;
    const started = new Promise<void>((r) => {
      writing = r;
    });
    const first = commits.run(async (trx) => {
      writing();
      await entry(trx, 'first');
      await gate;
      return 'first';
    });
    await started;
    const batch = ['x', 'y'].map((id) =>
      commits.run(async (trx) => {
        await entry(trx, id);
        // Refers to a row that never exists: accepted now, refused by the COMMIT.
        if (id === 'y') await sql`insert into group_commit_probe (id, ref) values (1, 99)`.execute(trx);
        return id;
      }),
    );
    release();
    expect(await first).toBe('first');
    const settled = await Promise.allSettled(batch);
    expect(settled.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await stored()).toEqual(['first']);
  });

  it('waits for announced submissions so they share the COMMIT, and not for long', async () => {
    const commits = createGroupCommit(db.kysely);
    const batches: number[] = [];
    let inBatch = 0;
    const work = (id: string) => async (trx: Transaction<Database>) => {
      inBatch++;
      await entry(trx, id);
      return id;
    };
    const a = commits.expect();
    const b = commits.expect();
    const c = commits.expect();
    const first = a.run(work('a'));
    // b and c come a moment later (their checks still running); a waits for them.
    await new Promise((r) => setImmediate(r));
    const rest = [b.run(work('b')), c.run(work('c'))];
    expect(await Promise.all([first, ...rest])).toEqual(['a', 'b', 'c']);
    batches.push(inBatch);
    expect(batches).toEqual([3]);
    expect(await stored()).toEqual(['a', 'b', 'c']);

    // One that never comes holds a batch back for a short while only.
    const never = commits.expect();
    const started = Date.now();
    expect(await commits.run(work('d'))).toBe('d');
    expect(Date.now() - started).toBeLessThan(1000);
    never.cancel();
  });

  it('writes a submission that arrives alone in a plain transaction, at once', async () => {
    const commits = createGroupCommit(db.kysely);
    const solo = commits.run(async (trx) => {
      await entry(trx, 'solo');
      return 'solo';
    });
    expect(await solo).toBe('solo');
    expect(await stored()).toEqual(['solo']);
  });
});
