import type { Clock } from '../core/index.js';
import { describeError, type WorkerLogger } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Db, OutboxRow } from '../db/index.js';
import type { OutgoingMail } from '../mail/index.js';
import { type MailSender, PermanentSendError } from '../mail/index.js';
import { outboxAad } from './outbox.js';
import { claimDueOutbox, markOutboxAttemptFailed, markOutboxSent } from './outbox-store.js';

/** What the worker needs; every timing takes `clock`, so tests move time instead of sleeping. */
export interface OutboxWorkerDeps {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  sender: MailSender;
  logger?: WorkerLogger;
  /** Pause between polls when the last one found less than a full batch (default 5 s). */
  pollIntervalMs?: number;
  /** Rows claimed per poll (default 10). */
  batchSize?: number;
  /**
   * How long a claim holds before another worker may take the row over (default 10 min). Must
   * outlast sending a whole batch, or a slow batch gets sent twice.
   */
  leaseMs?: number;
  /** Attempts before a row is marked `failed` (default 20, about 14 hours of retrying). */
  maxAttempts?: number;
}

/** A background sender for the outbox. */
export interface OutboxWorker {
  /** Starts polling; a no-op when already running. */
  start(): void;
  /** Stops polling and resolves once the batch in flight has been settled. */
  stop(): Promise<void>;
  /** Claims and sends one batch; `failed` counts attempts that did not deliver, retried or not. */
  runOnce(): Promise<{ sent: number; failed: number }>;
}

const RETRY_BASE_MS = 30_000;
const RETRY_CAP_MS = 60 * 60_000;

/**
 * Sends queued mail. Rows are claimed with a lease in a short statement or transaction, then sent
 * with no transaction open, so a slow relay never holds database locks. Delivery is at least
 * once: a worker that dies after the peer accepted but before recording it leaves the row to be
 * sent again when the lease runs out; the fixed Message-ID lets the recipient see the duplicate.
 */
export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const { db, sealer, clock, sender, logger } = deps;
  const pollIntervalMs = deps.pollIntervalMs ?? 5_000;
  const batchSize = deps.batchSize ?? 10;
  const leaseMs = deps.leaseMs ?? 10 * 60_000;
  const maxAttempts = deps.maxAttempts ?? 20;

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> | undefined;
  /**
   * What a batch cut short by a database error left in this worker's hands: rows it claimed but
   * had not sent yet (still under its lease, so the next batch sends them rather than leaving
   * them until the lease runs out), and rows the peer accepted but whose sending was not recorded
   * (the next batch records them, without sending them again).
   */
  let held: { rows: OutboxRow[]; lease: string } | undefined;
  const unrecorded = new Map<string, string>();

  async function runOnce(): Promise<{ sent: number; failed: number }> {
    const { sent, failed } = await runBatch();
    return { sent, failed };
  }

  async function runBatch(): Promise<{ sent: number; failed: number; claimed: number }> {
    for (const [id, at] of unrecorded) {
      await markOutboxSent(db.kysely, id, at);
      unrecorded.delete(id);
    }
    const now = clock.now();
    let rows: OutboxRow[];
    let leaseUntil: string;
    if (held && now.toISOString() < held.lease) {
      ({ rows, lease: leaseUntil } = held);
    } else {
      leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
      rows = await claimDueOutbox(db.kysely, { now: now.toISOString(), leaseUntil, limit: batchSize });
    }
    held = undefined;
    let sent = 0;
    let failed = 0;
    // One at a time: relays often limit connections per client, and the batch is small.
    for (const [i, row] of rows.entries()) {
      try {
        if ((await deliver(row, leaseUntil)) === 'sent') sent++;
        else failed++;
      } catch (err) {
        const rest = rows.slice(i + (unrecorded.has(row.id) ? 1 : 0));
        if (rest.length > 0) held = { rows: rest, lease: leaseUntil };
        throw err;
      }
    }
    return { sent, failed, claimed: rows.length };
  }

  async function deliver(row: OutboxRow, lease: string): Promise<'sent' | 'failed'> {
    // attempts already counts this one (see claimDueOutbox). Above the limit means the previous
    // holder died during the last allowed attempt: give up rather than try once more.
    if (row.attempts > maxAttempts) {
      await settleFailure(row, lease, 'abandoned: lease expired during the last attempt', true);
      return 'failed';
    }
    // With a real clock a long batch can outlive its lease; another worker may own the rest.
    if (clock.now().toISOString() >= lease) {
      logger?.warn(
        { outboxId: row.id },
        'outbox lease expired before sending; leaving the row to be claimed again',
      );
      return 'failed';
    }
    try {
      const mail = sealer.openJson<OutgoingMail>(row.payload_sealed, outboxAad(row.id));
      await sender.send(mail);
    } catch (err) {
      await settleFailure(
        row,
        lease,
        describeError(err),
        row.attempts >= maxAttempts || err instanceof PermanentSendError,
      );
      return 'failed';
    }
    const sentAt = clock.now().toISOString();
    try {
      await markOutboxSent(db.kysely, row.id, sentAt);
    } catch (err) {
      // Delivered but not recorded: the next batch records it. Should this process end first,
      // the row is sent again once its lease runs out.
      unrecorded.set(row.id, sentAt);
      logger?.error({ outboxId: row.id, err: describeError(err) }, 'outbox mail sent but not recorded');
      throw err;
    }
    logger?.info({ outboxId: row.id, attempts: row.attempts }, 'outbox mail sent');
    return 'sent';
  }

  async function settleFailure(row: OutboxRow, lease: string, error: string, final: boolean): Promise<void> {
    const nextAttemptAt = final
      ? null
      : new Date(clock.now().getTime() + retryDelayMs(row.attempts)).toISOString();
    const updated = await markOutboxAttemptFailed(db.kysely, row.id, { lease, error, nextAttemptAt });
    if (!updated) {
      logger?.warn(
        { outboxId: row.id, attempts: row.attempts },
        'outbox row was taken over by another worker',
      );
    } else if (final) {
      logger?.error({ outboxId: row.id, attempts: row.attempts, error }, 'outbox mail failed for good');
    } else {
      logger?.warn(
        { outboxId: row.id, attempts: row.attempts, error, nextAttemptAt },
        'outbox mail send failed; will retry',
      );
    }
  }

  function schedule(delayMs: number): void {
    // One loop at most: a batch that outlived stop() must not start a second one after start().
    if (!running || timer !== undefined) return;
    timer = setTimeout(tick, delayMs);
  }

  function tick(): void {
    timer = undefined;
    const batch = runBatch().then(
      // A full batch suggests more is due: go again at once instead of waiting a whole interval.
      ({ claimed }) => schedule(claimed >= batchSize ? 0 : pollIntervalMs),
      (err: unknown) => {
        logger?.error({ err: describeError(err) }, 'outbox poll failed');
        schedule(pollIntervalMs);
      },
    );
    inFlight = batch;
    void batch.finally(() => {
      if (inFlight === batch) inFlight = undefined;
    });
  }

  return {
    start() {
      if (running) return;
      running = true;
      // A batch still settling from before stop() schedules the next poll when it is done.
      if (inFlight === undefined) schedule(0);
    },
    async stop() {
      running = false;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
    runOnce,
  };
}

/**
 * Delay before the next attempt after `attempts` failed ones: 30 s doubling up to an hour, less
 * up to half of it at random so that mail held up by one outage does not all retry in lockstep.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const full = Math.min(RETRY_BASE_MS * 2 ** Math.max(attempts - 1, 0), RETRY_CAP_MS);
  return Math.round(full - (full / 2) * random());
}
