import type { Limits } from '../config/index.js';
import { VigilError } from '../core/index.js';

/**
 * One memory budget for every large decryption in the process — a mail opened by the intake
 * processor (SMTP and IMAP alike) and the browser-encrypted report form — so that unauthenticated
 * senders together cannot make the process hold more decrypted data than the instance is sized for.
 *
 * A decryption of `n` ciphertext bytes reserves `n × DECRYPT_MEMORY_FACTOR` bytes (the copies the
 * in-memory path holds at once: the ciphertext, its armour decoded, the plaintext, the parsed MIME
 * and its attachments), clamped to the whole budget so a message larger than the budget still
 * goes through, alone. Messages under `smallBytes` pass without reserving: they are the common
 * case and cannot add up to much. A reservation waits in line (first come, first served) for at
 * most `maxWaitMs`; past that the caller gets `DecryptBudgetBusyError`, a temporary refusal the
 * transport turns into "try again later" (SMTP 451, HTTP 503, IMAP: the next poll).
 */

/**
 * Bytes held in memory per ciphertext byte while a mail is received, decrypted, parsed and stored.
 * Measured on the compiled build: one 20 MB PGP/MIME mail (the received bytes, its plaintext, the
 * attachment decoded, the PHI guard's copy, and what the allocator has not yet given back) grows
 * RSS by 100–115 MiB, about 5.5 times its size (8.5 before the payload was decrypted as a stream
 * and large entities split without mailparser).
 */
export const DECRYPT_MEMORY_FACTOR = 6;
/**
 * The same for a file decrypted as a stream into the blob store (the form's encrypted files):
 * openpgp's stream buffers and the request's part still hold about 1.7 times the ciphertext
 * (measured: 8 concurrent 20 MB files grew RSS by 275 MiB).
 */
export const STREAM_DECRYPT_MEMORY_FACTOR = 2;
/** A reservation waits this long for room before it is refused. */
export const DEFAULT_DECRYPT_WAIT_MS = 10_000;
/** What a refused client is told to wait before trying again. */
export const DECRYPT_RETRY_AFTER_SECONDS = 30;

/** The budget is spent by other large decryptions: a temporary refusal (HTTP 503). */
export class DecryptBudgetBusyError extends VigilError {
  readonly retryAfterSeconds = DECRYPT_RETRY_AFTER_SECONDS;
  constructor() {
    super(
      503,
      'decryption_busy',
      `The server is decrypting other large encrypted reports at the moment and has no memory to spare for this one, so nothing was stored. Send it again in ${DECRYPT_RETRY_AFTER_SECONDS} seconds.`,
    );
  }
}

export interface DecryptBudgetOptions {
  /** Bytes of memory all large decryptions together may reserve. */
  totalBytes: number;
  /** Ciphertexts below this size pass without reserving (default: 1 MiB, or 1/16 of the total if less). */
  smallBytes?: number;
  /** How long a reservation may wait for room (default 10 s); 0 refuses at once when full. */
  maxWaitMs?: number;
}

/** Gives the reservation back; calling it again does nothing. */
export type ReleaseBudget = () => void;

export interface DecryptBudget {
  /**
   * Reserve memory to decrypt `ciphertextBytes` in memory (or, `streamed`, as a stream into the
   * blob store); resolves with the release once there is
   * room, rejects with `DecryptBudgetBusyError` after the wait. Release in a `finally`.
   */
  acquire(ciphertextBytes: number, how?: { streamed?: boolean }): Promise<ReleaseBudget>;
  /** Ciphertexts below this many bytes pass without reserving. */
  readonly smallBytes: number;
  /** Run `work` within a reservation, released however `work` ends. */
  run<T>(ciphertextBytes: number, work: () => Promise<T>): Promise<T>;
  /** Reserved bytes and waiting reservations (for tests, metrics and the bench). */
  readonly state: { reservedBytes: number; waiting: number; totalBytes: number };
}

interface Waiter {
  weight: number;
  admit: () => void;
}

export function createDecryptBudget(options: DecryptBudgetOptions): DecryptBudget {
  const totalBytes = Math.max(1, Math.floor(options.totalBytes));
  const smallBytes = options.smallBytes ?? Math.min(1024 * 1024, Math.floor(totalBytes / 16));
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_DECRYPT_WAIT_MS;
  let reserved = 0;
  const queue: Waiter[] = [];

  const releaser = (weight: number): ReleaseBudget => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      reserved -= weight;
      admitWaiting();
    };
  };

  // First come, first served: a large reservation at the head is not overtaken by small ones,
  // or a steady stream of medium mails could starve it.
  function admitWaiting(): void {
    for (;;) {
      const head = queue[0];
      if (!head || reserved + head.weight > totalBytes) return;
      queue.shift();
      reserved += head.weight;
      head.admit();
    }
  }

  async function acquire(ciphertextBytes: number, how?: { streamed?: boolean }): Promise<ReleaseBudget> {
    if (ciphertextBytes < smallBytes) return () => {};
    const factor = how?.streamed ? STREAM_DECRYPT_MEMORY_FACTOR : DECRYPT_MEMORY_FACTOR;
    const weight = Math.min(totalBytes, Math.ceil(ciphertextBytes * factor));
    if (queue.length === 0 && reserved + weight <= totalBytes) {
      reserved += weight;
      return releaser(weight);
    }
    if (maxWaitMs <= 0) throw new DecryptBudgetBusyError();
    return new Promise<ReleaseBudget>((resolve, reject) => {
      const waiter: Waiter = {
        weight,
        admit: () => {
          clearTimeout(timer);
          resolve(releaser(weight));
        },
      };
      const timer = setTimeout(() => {
        const at = queue.indexOf(waiter);
        if (at >= 0) queue.splice(at, 1);
        // The head leaving may let the ones behind it in.
        admitWaiting();
        reject(new DecryptBudgetBusyError());
      }, maxWaitMs);
      queue.push(waiter);
    });
  }

  return {
    acquire,
    smallBytes,
    async run(ciphertextBytes, work) {
      const release = await acquire(ciphertextBytes);
      try {
        return await work();
      } finally {
        release();
      }
    },
    get state() {
      return { reservedBytes: reserved, waiting: queue.length, totalBytes };
    },
  };
}

/**
 * The budget of one configured instance, shared by everything holding the same `limits` object
 * (the mail intake and the portal both receive `config.limits`), so both paths draw on one budget
 * without a process-wide singleton: two instances in one process (tests) keep separate budgets.
 */
const budgets = new WeakMap<Limits, DecryptBudget>();

export function decryptBudgetFor(limits: Limits): DecryptBudget {
  let budget = budgets.get(limits);
  if (!budget) {
    budget = createDecryptBudget({ totalBytes: limits.decryptBudgetBytes });
    budgets.set(limits, budget);
  }
  return budget;
}

/**
 * Give an instance's limits a budget of one's own making (tests and benches: a short wait) —
 * before the first decryption, which would otherwise create the default one.
 */
export function useDecryptBudget(limits: Limits, budget: DecryptBudget): void {
  budgets.set(limits, budget);
}
