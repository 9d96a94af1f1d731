import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config/index.js';
import {
  createDecryptBudget,
  DECRYPT_MEMORY_FACTOR,
  DecryptBudgetBusyError,
  decryptBudgetFor,
} from './decrypt-budget.js';

const MiB = 1024 * 1024;
/** Ciphertext bytes that reserve `mib` MiB of the budget. */
const costing = (mib: number) => (mib * MiB) / DECRYPT_MEMORY_FACTOR;

/** A promise the test settles by hand. */
function gate<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Whether a promise has settled, after letting pending callbacks run. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('decryption memory budget', () => {
  it('admits reservations that fit, at once', async () => {
    const budget = createDecryptBudget({ totalBytes: 10 * MiB, smallBytes: 1024 });
    const a = await budget.acquire(costing(4));
    const b = await budget.acquire(costing(6));
    expect(budget.state).toMatchObject({ reservedBytes: 10 * MiB, waiting: 0 });
    a();
    b();
    expect(budget.state.reservedBytes).toBe(0);
  });

  it('lets small messages through without reserving, even when the budget is spent', async () => {
    const budget = createDecryptBudget({ totalBytes: 10 * MiB, smallBytes: 64 * 1024, maxWaitMs: 0 });
    const all = await budget.acquire(costing(10));
    const small = await budget.acquire(64 * 1024 - 1);
    expect(budget.state.reservedBytes).toBe(10 * MiB);
    small();
    all();
  });

  it('queues a reservation that does not fit and admits it when room is released, in order', async () => {
    const budget = createDecryptBudget({ totalBytes: 10 * MiB, smallBytes: 1024, maxWaitMs: 60_000 });
    const first = await budget.acquire(costing(8));
    const second = budget.acquire(costing(6));
    const third = budget.acquire(costing(2));
    expect(await settled(second)).toBe(false);
    // The third would fit beside the first, but does not overtake the second.
    expect(await settled(third)).toBe(false);
    expect(budget.state.waiting).toBe(2);
    first();
    const releaseSecond = await second;
    const releaseThird = await third;
    expect(budget.state).toMatchObject({ reservedBytes: 8 * MiB, waiting: 0 });
    releaseSecond();
    releaseThird();
    expect(budget.state.reservedBytes).toBe(0);
  });

  it('admits a message larger than the whole budget alone', async () => {
    const budget = createDecryptBudget({ totalBytes: 10 * MiB, smallBytes: 1024, maxWaitMs: 60_000 });
    const huge = await budget.acquire(costing(50));
    expect(budget.state.reservedBytes).toBe(10 * MiB);
    const next = budget.acquire(costing(1));
    expect(await settled(next)).toBe(false);
    huge();
    (await next)();
  });

  it('refuses with DecryptBudgetBusyError after the wait, and the next in line moves up', async () => {
    vi.useFakeTimers();
    const budget = createDecryptBudget({ totalBytes: 10 * MiB, smallBytes: 1024, maxWaitMs: 5_000 });
    const held = await budget.acquire(costing(9));
    const refused = budget.acquire(costing(8));
    const refusal = expect(refused).rejects.toBeInstanceOf(DecryptBudgetBusyError);
    const behind = budget.acquire(costing(1));
    await vi.advanceTimersByTimeAsync(5_000);
    await refusal;
    // The refused head no longer blocks the small one that fits beside the held reservation.
    const releaseBehind = await behind;
    expect(budget.state).toMatchObject({ reservedBytes: 10 * MiB, waiting: 0 });
    releaseBehind();
    held();
  });

  it('refuses at once with no wait, with a 503 that says to send again', async () => {
    const budget = createDecryptBudget({ totalBytes: 10 * MiB, smallBytes: 1024, maxWaitMs: 0 });
    const held = await budget.acquire(costing(10));
    const err = await budget.acquire(costing(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecryptBudgetBusyError);
    expect(err).toMatchObject({ status: 503, code: 'decryption_busy' });
    expect((err as Error).message).toMatch(/nothing was stored.*again/i);
    held();
  });

  it('releases when the work fails, and a release twice counts once', async () => {
    const budget = createDecryptBudget({ totalBytes: 10 * MiB, smallBytes: 1024 });
    const failing = gate<string>();
    const run = budget.run(costing(10), () => failing.promise);
    expect(await settled(run)).toBe(false);
    expect(budget.state.reservedBytes).toBe(10 * MiB);
    failing.reject(new Error('damaged message'));
    await expect(run).rejects.toThrow('damaged message');
    expect(budget.state.reservedBytes).toBe(0);

    const release = await budget.acquire(costing(5));
    release();
    release();
    expect(budget.state.reservedBytes).toBe(0);
  });

  it('is one budget per configured instance, sized by VIGIL_DECRYPT_BUDGET_BYTES', () => {
    const a = loadConfig({ VIGIL_DECRYPT_BUDGET_BYTES: String(8 * MiB) });
    const b = loadConfig({});
    expect(decryptBudgetFor(a.limits)).toBe(decryptBudgetFor(a.limits));
    expect(decryptBudgetFor(a.limits)).not.toBe(decryptBudgetFor(b.limits));
    expect(decryptBudgetFor(a.limits).state.totalBytes).toBe(8 * MiB);
    expect(decryptBudgetFor(b.limits).state.totalBytes).toBe(96 * MiB);
  });
});
