import type { Kysely } from 'kysely';
import { type Database, isPostgres, type OutboxRow } from '../db/index.js';

/** SQL for the durable outbox. Rows are written in the transaction of the change that causes them. */

/** Life of an outbox row: `pending` → `sending` (leased by a worker) → `sent`, or `failed` after the last attempt. */
export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed';

/** An outbox row as shown to operators: everything but the sealed payload. */
export type OutboxSummary = Omit<OutboxRow, 'payload_sealed' | 'locked_until'>;

/** Adds a row; call it inside the transaction of the change that causes the mail. */
export async function insertOutbox(db: Kysely<Database>, row: OutboxRow): Promise<void> {
  await db.insertInto('outbox').values(row).execute();
}

/**
 * Leases up to `limit` due rows to the caller: pending rows whose time has come, and rows left in
 * `sending` by a worker whose lease ran out (it died mid-send). Each claimed row gets
 * `state='sending'`, `locked_until=leaseUntil` and one more attempt, counted now so that a mail
 * that kills the worker every time still runs out of attempts. Returns the claimed rows as updated.
 */
export async function claimDueOutbox(
  db: Kysely<Database>,
  opts: { now: string; leaseUntil: string; limit: number },
): Promise<OutboxRow[]> {
  const { now, leaseUntil, limit } = opts;
  if (isPostgres(db)) {
    // SKIP LOCKED lets several instances claim at once, each getting rows no other holds; the
    // transaction only lasts the two statements, never the sending.
    return db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('outbox')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
            eb.and([eb('state', '=', 'sending'), eb('locked_until', '<', now)]),
          ]),
        )
        .orderBy('next_attempt_at')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (due.length === 0) return [];
      return trx
        .updateTable('outbox')
        .set((eb) => ({ state: 'sending', locked_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
        .where(
          'id',
          'in',
          due.map((r) => r.id),
        )
        .returningAll()
        .execute();
    });
  }
  // SQLite runs one writer at a time, so a single UPDATE … RETURNING is atomic against other
  // processes on the same file; a read-then-write transaction could fail with SQLITE_BUSY instead.
  return db
    .updateTable('outbox')
    .set((eb) => ({ state: 'sending', locked_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbox')
        .select('id')
        .where((w) =>
          w.or([
            w.and([w('state', '=', 'pending'), w('next_attempt_at', '<=', now)]),
            w.and([w('state', '=', 'sending'), w('locked_until', '<', now)]),
          ]),
        )
        .orderBy('next_attempt_at')
        .limit(limit),
    )
    .returningAll()
    .execute();
}

/**
 * Records a delivery. Not conditional on the lease: the peer has the mail, so even if another
 * worker took the row over meanwhile, nobody should send it again.
 */
export async function markOutboxSent(db: Kysely<Database>, id: string, at: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ state: 'sent', sent_at: at, locked_until: null })
    .where('id', '=', id)
    .execute();
}

/**
 * Records a failed attempt: back to `pending` until `nextAttemptAt`, or `failed` for good when
 * `nextAttemptAt` is null. Only applies while the caller still holds the lease it claimed with,
 * so a worker that overran its lease does not undo the outcome of the one that took over.
 * Returns whether the row was updated.
 */
export async function markOutboxAttemptFailed(
  db: Kysely<Database>,
  id: string,
  opts: { lease: string; error: string; nextAttemptAt: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set(
      opts.nextAttemptAt === null
        ? { state: 'failed', locked_until: null, last_error: opts.error }
        : {
            state: 'pending',
            locked_until: null,
            last_error: opts.error,
            next_attempt_at: opts.nextAttemptAt,
          },
    )
    .where('id', '=', id)
    .where('state', '=', 'sending')
    .where('locked_until', '=', opts.lease)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Outbox rows without their payloads, oldest first, for `vigil outbox list`. `state` is plain
 * text because it comes straight from the command line; an unknown state matches nothing.
 */
export async function listOutbox(
  db: Kysely<Database>,
  opts: { state?: string | undefined; limit?: number } = {},
): Promise<OutboxSummary[]> {
  let query = db
    .selectFrom('outbox')
    .select([
      'id',
      'kind',
      'state',
      'attempts',
      'next_attempt_at',
      'last_error',
      'report_id',
      'created_at',
      'sent_at',
    ])
    .orderBy('created_at')
    .orderBy('id');
  if (opts.state !== undefined) query = query.where('state', '=', opts.state);
  if (opts.limit !== undefined) query = query.limit(opts.limit);
  return query.execute();
}

/** Number of outbox rows in each state; states without rows are absent. */
export async function countOutboxByState(
  db: Kysely<Database>,
): Promise<Partial<Record<OutboxState, number>>> {
  const rows = await db
    .selectFrom('outbox')
    .select((eb) => ['state', eb.fn.countAll().as('count')])
    .groupBy('state')
    .execute();
  const counts: Partial<Record<OutboxState, number>> = {};
  // count(*) is a bigint on PostgreSQL; Number() also covers drivers that return it as text.
  for (const row of rows) counts[row.state as OutboxState] = Number(row.count);
  return counts;
}
