import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPeriodicPass } from './periodic-pass.js';

describe('createPeriodicPass', () => {
  afterEach(() => vi.useRealTimers());

  it('never overlaps passes, reports results and failures, and stop() waits for the pass in flight', async () => {
    vi.useFakeTimers();
    let release: (() => void) | undefined;
    let started = 0;
    let finished = 0;
    const logged: string[] = [];
    const reported: number[] = [];
    const job = createPeriodicPass({
      intervalMs: 1000,
      pass: async () => {
        started += 1;
        if (started === 2) throw new Error('database went away');
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        finished += 1;
        return started;
      },
      report: (n) => reported.push(n),
      failure: 'test pass failed',
      logger: { info: () => {}, warn: () => {}, error: (_o, msg) => logged.push(msg ?? '') },
    });
    job.start();
    job.start(); // a second start is a no-op, not a second timer
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toBe(1);
    // Three more ticks while the first pass still runs: none starts another.
    await vi.advanceTimersByTimeAsync(3000);
    expect(started).toBe(1);
    release?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(reported).toEqual([1]);
    // The next tick runs a pass that fails: logged, and the job goes on.
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toBe(2);
    expect(logged).toEqual(['test pass failed']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toBe(3);
    let stopped = false;
    const stopping = job.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release?.();
    await stopping;
    expect(finished).toBe(2);
    await vi.advanceTimersByTimeAsync(5000);
    expect(started).toBe(3);
  });
});
