import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLease, leaseHolder, releaseLease } from '../src/jobs/index.js';
import { openTestDatabase, type TestDb } from './helpers/test-db.js';
import { dialects } from './helpers/test-vigil.js';

const T0 = new Date('2026-12-08T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const TTL = 60_000;

describe.each(dialects)('job leases on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase(dialect, { poolSize: 4, prefix: 'lease' });
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('goes to one of two holders asking at once, and the other is refused until it expires', async () => {
    const k = t.db.kysely;
    const [a, b] = await Promise.all([
      acquireLease(k, 'race', 'instance-a', TTL, T0),
      acquireLease(k, 'race', 'instance-b', TTL, T0),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const winner = a ? 'instance-a' : 'instance-b';
    const loser = a ? 'instance-b' : 'instance-a';
    expect((await leaseHolder(k, 'race', T0))?.holder).toBe(winner);
    // Still running just before it expires: the other stays refused.
    expect(await acquireLease(k, 'race', loser, TTL, at(TTL - 1))).toBe(false);
    expect((await leaseHolder(k, 'race', at(TTL - 1)))?.holder).toBe(winner);
  });

  it('is renewed by its holder, and handed over once the holder stops renewing', async () => {
    const k = t.db.kysely;
    expect(await acquireLease(k, 'poller', 'a', TTL, T0)).toBe(true);
    // Renewal at 50 s pushes the expiry to 110 s: b is still refused at 100 s.
    expect(await acquireLease(k, 'poller', 'a', TTL, at(50_000))).toBe(true);
    expect(await acquireLease(k, 'poller', 'b', TTL, at(100_000))).toBe(false);
    expect((await leaseHolder(k, 'poller', at(100_000)))?.expiresAt).toBe(at(110_000).toISOString());
    // a stops renewing: at 110 s its lease has run out and b takes it.
    expect(await acquireLease(k, 'poller', 'b', TTL, at(110_000))).toBe(true);
    expect(await acquireLease(k, 'poller', 'a', TTL, at(111_000))).toBe(false);
    expect((await leaseHolder(k, 'poller', at(111_000)))?.holder).toBe('b');
  });

  it('is free for another holder at once after a release, and only its holder can release it', async () => {
    const k = t.db.kysely;
    expect(await acquireLease(k, 'released', 'a', TTL, T0)).toBe(true);
    await releaseLease(k, 'released', 'b');
    expect(await acquireLease(k, 'released', 'b', TTL, at(1000))).toBe(false);
    await releaseLease(k, 'released', 'a');
    expect(await leaseHolder(k, 'released', at(1000))).toBeUndefined();
    expect(await acquireLease(k, 'released', 'b', TTL, at(1000))).toBe(true);
  });

  it('keeps leases of different names apart', async () => {
    const k = t.db.kysely;
    expect(await acquireLease(k, 'one', 'a', TTL, T0)).toBe(true);
    expect(await acquireLease(k, 'two', 'b', TTL, T0)).toBe(true);
  });

  it('refuses a lease with no duration and writes nothing', async () => {
    const k = t.db.kysely;
    await expect(acquireLease(k, 'zero', 'a', 0, T0)).rejects.toThrow(/ttlMs must be positive/);
    expect(await leaseHolder(k, 'zero', T0)).toBeUndefined();
  });
});
