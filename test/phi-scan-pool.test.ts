import { BroadcastChannel } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { createScanPool } from '../src/privacy-quarantine/index.js';

/**
 * The PHI guard's worker pool on its own: results per input, a job held past its deadline comes
 * back "not checked" and its worker is replaced, a queued job past its deadline is never started,
 * and bytes reach the worker (transferred when they own their buffer). Ordering, not timing: the
 * gated worker (test/helpers/gated-scan-worker.ts) holds a large job until told.
 */
describe('PHI scan pool', () => {
  const gated = new URL('./helpers/gated-scan-worker.ts', import.meta.url);
  const gate = new BroadcastChannel('vigil-scan-gate');
  const started = () =>
    new Promise<void>((resolve) => {
      gate.onmessage = (e) => {
        if ((e as { data?: { started?: number } }).data?.started !== undefined) resolve();
      };
    });
  afterAll(() => gate.close());
  const PHI = 'Patient Jane Roe DOB 03/14/1961 MRN: 00482913';
  const big = 'DOB 01/02/1960 '.repeat(Math.ceil((1.2 * 1024 * 1024) / 15));

  it('answers each input with the detector’s result, text and bytes alike', async () => {
    const pool = createScanPool({ size: 1 });
    try {
      const owned = new Uint8Array(new TextEncoder().encode(`${PHI}\n`.repeat(400)));
      const results = await pool.scan(
        [{ text: PHI }, { text: 'SQL injection in /api/v2/devices' }, { bytes: owned, fileName: 'x.txt' }],
        {},
        Date.now() + 60_000,
      );
      expect(results[0]?.findings.map((f) => f.kind)).toEqual([
        'name-with-birth-date',
        'medical-record-number',
      ]);
      expect(results[1]).toEqual({ findings: [], scanned: 'text' });
      expect(results[2]?.scanned).toBe('text');
      expect(results[2]?.findings.length).toBeGreaterThan(0);
      // Moved, not copied: the caller's view of the bytes is detached.
      expect(owned.byteLength).toBe(0);
      // A view into Node's shared small-buffer pool is copied, so the rest of that pool survives.
      const pooled = Buffer.from(PHI);
      const [fromPooled] = await pool.scan(
        [{ bytes: new Uint8Array(pooled.buffer, pooled.byteOffset, pooled.length) }],
        {},
        Date.now() + 60_000,
      );
      expect(fromPooled?.findings.length).toBeGreaterThan(0);
      expect(pooled.toString()).toBe(PHI);
    } finally {
      await pool.close();
    }
  });

  it('stops a job at its deadline: unfinished inputs come back not checked, the worker is replaced', async () => {
    const pool = createScanPool({ size: 1, workerUrl: gated });
    try {
      const deadline = Date.now() + 60_000;
      // Started first, so that the worker's start-up does not count against the short deadline below.
      expect((await pool.scan([{ text: PHI }], {}, deadline))[0]?.findings.length).toBe(2);
      const first = started();
      let settled = false;
      const slow = pool.scan([{ text: big }, { text: PHI }], {}, Date.now() + 3_000).then((r) => {
        settled = true;
        return r;
      });
      // Queued behind the slow job, with a deadline before the slow one ends: never started.
      const queued = pool.scan([{ text: PHI }], {}, Date.now() + 1_000);
      await first;
      expect(settled).toBe(false);
      expect(await queued).toEqual([undefined]);
      expect(await slow).toEqual([undefined, undefined]);
      // The next job gets a new worker and a real answer.
      const [after] = await pool.scan([{ text: PHI }], {}, deadline);
      expect(after?.findings.length).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('answers not checked once closed, and for a deadline already past', async () => {
    const pool = createScanPool({ size: 1 });
    expect(await pool.scan([{ text: PHI }], {}, Date.now() - 1)).toEqual([undefined]);
    await pool.close();
    expect(await pool.scan([{ text: PHI }], {}, Date.now() + 60_000)).toEqual([undefined]);
  });

  it('stops a worker left without a job, and starts a new one for the next job', async () => {
    const pool = createScanPool({ size: 1, idleMs: 50 });
    try {
      expect(pool.started).toBe(0);
      const first = await pool.scan([{ text: PHI }], {}, Date.now() + 60_000);
      expect(first[0]?.findings.length).toBeGreaterThan(0);
      expect(pool.started).toBe(1);
      await expect.poll(() => pool.started, { timeout: 10_000 }).toBe(0);
      const again = await pool.scan([{ text: PHI }], {}, Date.now() + 60_000);
      expect(again).toEqual(first);
    } finally {
      await pool.close();
    }
  });
});
