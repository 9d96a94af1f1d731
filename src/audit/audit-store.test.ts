import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb } from '../../test/helpers/test-db.js';
import { dialects } from '../../test/helpers/test-vigil.js';
import type { AuditRow, Db } from '../db/index.js';
import { appendAudit, verifyAuditChain } from './audit-store.js';

const GENESIS = '0'.repeat(64);

/**
 * The hash a forger with write access to the table would compute: the same canonical form as the
 * log's own (previous hash, then the entry's fields in order). Used to build entries whose own
 * hash holds, so only the chain can give them away.
 */
function forgedHash(prev: string, r: Omit<AuditRow, 'hash' | 'prev_hash'>): string {
  return createHash('sha256')
    .update(JSON.stringify([prev, r.seq, r.at, r.actor, r.action, r.program_id, r.report_id, r.detail]))
    .digest('hex');
}

describe.each(dialects)('audit log on %s', (dialect) => {
  let testDb: TestDb | undefined;
  let db: Db;

  beforeAll(async () => {
    testDb = await openTestDatabase(dialect, { poolSize: 10, prefix: 'audit' });
    db = testDb.db;
  });

  afterAll(async () => {
    await testDb?.destroy();
  });

  beforeEach(async () => {
    await db.kysely.deleteFrom('audit_log').execute();
    await db.kysely.updateTable('audit_head').set({ seq: 0, hash: GENESIS }).where('id', '=', 1).execute();
  });

  const at = (i: number) => new Date(Date.UTC(2026, 10, 23, 12, 0, i));

  /** Append `n` entries, one transaction each, as the services do. */
  async function append(n: number): Promise<void> {
    for (let i = 1; i <= n; i++) {
      await db.kysely
        .transaction()
        .execute((trx) =>
          appendAudit(
            trx,
            { actor: 'cli', action: 'program.updated', programId: `p${i}`, detail: { revision: i } },
            at(i),
          ),
        );
    }
  }

  const rows = () => db.kysely.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  const row = async (seq: number) =>
    db.kysely.selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
  const verify = (batchSize?: number) => verifyAuditChain(db.kysely, batchSize);

  it('an empty log verifies with no entries', async () => {
    expect(await verify()).toEqual({ ok: true, checked: 0 });
  });

  it('an intact chain verifies with the right count, in one batch or several', async () => {
    await append(5);
    const all = await rows();
    expect(all.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5]);
    expect(all[0]?.prev_hash).toBe(GENESIS);
    for (let i = 1; i < all.length; i++) expect(all[i]?.prev_hash).toBe(all[i - 1]?.hash);
    expect(all[0]).toMatchObject({
      actor: 'cli',
      action: 'program.updated',
      program_id: 'p1',
      report_id: null,
    });
    expect(JSON.parse(all[0]?.detail as string)).toEqual({ revision: 1 });

    const head = await db.kysely.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    expect(Number(head.seq)).toBe(5);
    expect(head.hash).toBe(all[4]?.hash);

    expect(await verify()).toEqual({ ok: true, checked: 5 });
    expect(await verify(2)).toEqual({ ok: true, checked: 5 });
  });

  it('detects an altered field at that entry', async () => {
    await append(5);
    await db.kysely.updateTable('audit_log').set({ actor: 'mallory' }).where('seq', '=', 3).execute();
    expect(await verify()).toEqual({
      ok: false,
      checked: 2,
      firstBroken: { seq: 3, reason: 'entry content does not match its hash' },
    });
  });

  it('detects an altered hash and an altered previous-hash link', async () => {
    await append(5);
    await db.kysely
      .updateTable('audit_log')
      .set({ hash: 'f'.repeat(64) })
      .where('seq', '=', 3)
      .execute();
    expect(await verify()).toEqual({
      ok: false,
      checked: 2,
      firstBroken: { seq: 3, reason: 'entry content does not match its hash' },
    });

    // Restore it, then break the backward link of entry 4 instead.
    await db.kysely
      .updateTable('audit_log')
      .set({ hash: forgedHash((await row(2)).hash, { ...(await row(3)), seq: 3 }) })
      .where('seq', '=', 3)
      .execute();
    expect(await verify()).toEqual({ ok: true, checked: 5 });
    await db.kysely.updateTable('audit_log').set({ prev_hash: GENESIS }).where('seq', '=', 4).execute();
    expect(await verify()).toEqual({
      ok: false,
      checked: 3,
      firstBroken: { seq: 4, reason: 'previous-hash link does not match' },
    });
  });

  it('detects an entry rewritten with a recomputed hash at the next link', async () => {
    await append(5);
    const prev = (await row(2)).hash;
    const forged = { ...(await row(3)), seq: 3, detail: JSON.stringify({ revision: 99 }) };
    await db.kysely
      .updateTable('audit_log')
      .set({ detail: forged.detail, hash: forgedHash(prev, forged) })
      .where('seq', '=', 3)
      .execute();
    expect(await verify()).toEqual({
      ok: false,
      checked: 3,
      firstBroken: { seq: 4, reason: 'previous-hash link does not match' },
    });
  });

  it('detects the deletion of the last entry against the head', async () => {
    await append(5);
    await db.kysely.deleteFrom('audit_log').where('seq', '=', 5).execute();
    expect(await verify()).toEqual({
      ok: false,
      checked: 4,
      firstBroken: { seq: 5, reason: 'entries after the last one found are missing' },
    });
  });

  it('detects the last entry rewritten with a recomputed hash against the head', async () => {
    await append(5);
    const forged = { ...(await row(5)), seq: 5, actor: 'mallory' };
    await db.kysely
      .updateTable('audit_log')
      .set({ actor: forged.actor, hash: forgedHash((await row(4)).hash, forged) })
      .where('seq', '=', 5)
      .execute();
    expect(await verify()).toEqual({
      ok: false,
      checked: 4,
      firstBroken: { seq: 5, reason: 'entry does not match the audit head' },
    });
  });

  it('detects the deletion of a middle entry, also across a batch boundary', async () => {
    await append(5);
    await db.kysely.deleteFrom('audit_log').where('seq', '=', 3).execute();
    const expected = { ok: false, checked: 2, firstBroken: { seq: 3, reason: 'entry is missing' } };
    expect(await verify()).toEqual(expected);
    expect(await verify(2)).toEqual(expected);
  });

  it('detects a forged entry inserted in the middle', async () => {
    await append(5);
    // Shift entries 3..5 up by one and slip a well-formed entry in at 3.
    const tail = (await rows()).filter((r) => Number(r.seq) >= 3);
    await db.kysely.deleteFrom('audit_log').where('seq', '>=', 3).execute();
    for (const r of tail.reverse()) {
      await db.kysely
        .insertInto('audit_log')
        .values({ ...r, seq: Number(r.seq) + 1 })
        .execute();
    }
    const prev = (await row(2)).hash;
    const forged = {
      seq: 3,
      at: at(3).toISOString(),
      actor: 'cli',
      action: 'user.created',
      program_id: null,
      report_id: null,
      detail: JSON.stringify({ role: 'admin' }),
    };
    await db.kysely
      .insertInto('audit_log')
      .values({ ...forged, prev_hash: prev, hash: forgedHash(prev, forged) })
      .execute();
    await db.kysely.updateTable('audit_head').set({ seq: 6 }).where('id', '=', 1).execute();

    expect(await verify()).toEqual({
      ok: false,
      checked: 3,
      firstBroken: { seq: 4, reason: 'previous-hash link does not match' },
    });
  });

  it('detects a well-formed entry appended behind the head', async () => {
    await append(5);
    const prev = (await row(5)).hash;
    const forged = {
      seq: 6,
      at: at(6).toISOString(),
      actor: 'cli',
      action: 'token.revoked',
      program_id: null,
      report_id: null,
      detail: JSON.stringify({ tokenId: 'x' }),
    };
    await db.kysely
      .insertInto('audit_log')
      .values({ ...forged, prev_hash: prev, hash: forgedHash(prev, forged) })
      .execute();
    expect(await verify()).toEqual({
      ok: false,
      checked: 5,
      firstBroken: { seq: 6, reason: 'entry was not recorded in the audit head' },
    });
  });

  it('keeps one valid chain when many transactions append at once', async () => {
    const n = 20;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        db.kysely.transaction().execute(async (trx) => {
          // Work in the transaction before and after the append, as a real change would.
          await trx.selectFrom('audit_head').select('seq').execute();
          await appendAudit(trx, { actor: `worker:${i}`, action: 'test.first', detail: { i } }, at(i));
          await appendAudit(trx, { actor: `worker:${i}`, action: 'test.second', detail: { i } }, at(i));
        }),
      ),
    );
    const all = await rows();
    expect(all.map((r) => Number(r.seq))).toEqual(Array.from({ length: 2 * n }, (_, i) => i + 1));
    // Each transaction's two entries are adjacent: appends are serialised per transaction.
    for (let i = 0; i < all.length; i += 2) {
      expect(all[i]?.action).toBe('test.first');
      expect(all[i + 1]).toMatchObject({ action: 'test.second', actor: all[i]?.actor });
    }
    expect(new Set(all.map((r) => r.actor)).size).toBe(n);
    expect(await verify()).toEqual({ ok: true, checked: 2 * n });
  });
});
