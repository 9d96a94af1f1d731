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
  /**
   * Announce a submission that will be written soon (its files are stored, its checks running):
   * a batch about to start may wait a moment for it. Write it with the handle's `run`, or
   * `cancel` if it is refused before.
   */
  expect(): ExpectedSubmission;
}

export interface ExpectedSubmission {
  run<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** The submission will not be written; safe to call more than once, and after `run`. */
  cancel(): void;
}

interface Pending {
  work: (trx: Transaction<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** At most this many submissions share one transaction (keeps one batch's lock time bounded). */
export const MAX_GROUP = 32;

/** The longest a batch waits for announced submissions, whatever COMMITs cost. */
export const MAX_GATHER_MS = 10;

export function createGroupCommit(db: Kysely<Database>, maxGroup = MAX_GROUP): GroupCommit {
  const queue: Pending[] = [];
  let writing = false;
  // Submissions announced and not yet queued, and what a COMMIT has been costing (moving average).
  let expected = 0;
  let commitMs = 1;
  let wake: (() => void) | undefined;

  const ready = () => expected === 0 || queue.length >= maxGroup;

  /**
   * Before a batch starts, wait for announced submissions, for at most about one COMMIT's time:
   * a submission that joins saves a whole COMMIT, so waiting that long at most doubles the
   * flush a batch waits for while it can save many. With SQLite the wait matters most: its
   * COMMIT runs on the event loop, so nothing can queue while one is in progress.
   */
  async function gather(): Promise<void> {
    if (ready()) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.min(MAX_GATHER_MS, commitMs));
      wake = done;
    });
  }

  async function write(batch: Pending[]): Promise<void> {
    let trx: Awaited<ReturnType<ReturnType<typeof db.startTransaction>['execute']>>;
    try {
      trx = await db.startTransaction().execute();
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    const written: { p: Pending; value: unknown }[] = [];
    try {
      if (batch.length === 1) {
        // Alone: the transaction is its own, no savepoint needed.
        const p = batch[0] as Pending;
        written.push({ p, value: await p.work(trx) });
      } else {
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
      }
      const started = performance.now();
      await trx.commit().execute();
      commitMs = 0.8 * commitMs + 0.2 * (performance.now() - started);
    } catch (err) {
      // The work of a lone submission, the savepoint commands or the COMMIT failed: nothing of
      // the batch is durable.
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
        await gather();
        await write(queue.splice(0, maxGroup));
      }
    } finally {
      writing = false;
    }
  }

  function run<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!writing) void drain();
      else if (ready()) wake?.();
    });
  }

  return {
    run,
    expect() {
      expected++;
      let announced = true;
      const cancel = () => {
        if (!announced) return;
        announced = false;
        expected--;
        if (ready()) wake?.();
      };
      return {
        run<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
          // Queued first, then no longer expected: a batch woken by this sees it.
          const written = run(work);
          cancel();
          return written;
        },
        cancel,
      };
    },
  };
}
