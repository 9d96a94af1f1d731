import type { Database, Kysely, Transaction } from '../db/index.js';

/**
 * Group commit for intake: submissions that are ready while another one is being written share
 * the next transaction, each inside its own savepoint, so one COMMIT (one WAL fsync on SQLite,
 * one flush on PostgreSQL) makes a whole batch durable instead of one submission.
 *
 * What each submission keeps:
 * - **All or nothing, alone.** Its writes run between `SAVEPOINT` and `RELEASE`; if they throw,
 *   `ROLLBACK TO` undoes exactly them and only that submission is refused. The others of the
 *   batch go on.
 * - **Durable before it is answered.** A submission's promise resolves only after the COMMIT
 *   that contains it has returned; if that COMMIT fails, every submission of the batch is
 *   refused (and discards its staged files), so nothing is reported accepted that is not on
 *   disk.
 * - **No wait when idle.** A submission arriving while no batch is being written starts one at
 *   once, as a plain transaction. Batches form only from what queued behind a running one, so
 *   grouping adds no latency; it replaces waiting for a lock with sharing the flush.
 *
 * Batches run one at a time (they would serialise on the audit head and the case counter
 * anyway), so savepoint names never clash.
 */
export interface GroupCommit {
  /** Run `work` in a transaction shared with other submissions; resolves after its COMMIT. */
  run<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
}

interface Pending {
  work: (trx: Transaction<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** At most this many submissions share one transaction (keeps one batch's lock time bounded). */
export const MAX_GROUP = 32;

export function createGroupCommit(db: Kysely<Database>, maxGroup = MAX_GROUP): GroupCommit {
  const queue: Pending[] = [];
  let writing = false;

  async function writeAlone(p: Pending): Promise<void> {
    try {
      p.resolve(await db.transaction().execute(p.work));
    } catch (err) {
      p.reject(err);
    }
  }

  async function writeGroup(batch: Pending[]): Promise<void> {
    let trx: Awaited<ReturnType<ReturnType<typeof db.startTransaction>['execute']>>;
    try {
      trx = await db.startTransaction().execute();
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    const written: { p: Pending; value: unknown }[] = [];
    try {
      for (const p of batch) {
        const sp = await trx.savepoint('submission').execute();
        let value: unknown;
        try {
          value = await p.work(sp);
        } catch (err) {
          // Undo this submission's writes only; the transaction stays usable for the others.
          await sp.rollbackToSavepoint('submission').execute();
          await sp.releaseSavepoint('submission').execute();
          p.reject(err);
          continue;
        }
        await sp.releaseSavepoint('submission').execute();
        written.push({ p, value });
      }
      await trx.commit().execute();
    } catch (err) {
      // The savepoint commands or the COMMIT failed: nothing of the batch is durable.
      await trx
        .rollback()
        .execute()
        .catch(() => {});
      for (const p of batch) p.reject(err);
      return;
    }
    for (const { p, value } of written) p.resolve(value);
  }

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxGroup);
        if (batch.length === 1) await writeAlone(batch[0] as Pending);
        else await writeGroup(batch);
      }
    } finally {
      writing = false;
    }
  }

  return {
    run<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
        if (!writing) void drain();
      });
    },
  };
}
