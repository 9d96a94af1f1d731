import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * An API token's "last used" is kept to the minute: requests within a minute of the last write
 * read it without writing it again (a write per request was an fsync per request on SQLite).
 */
describe.each(dialects)('API token last use (%s)', (dialect) => {
  const clock = createManualClock(new Date('2026-12-07T10:00:00Z'));
  let v: TestVigil;
  let token: string;

  beforeAll(async () => {
    v = await startTestVigil(dialect, { clock });
    await v.services.accounts.createUser({ email: 'integrator@tokens.test', role: 'admin' }, 'test');
    token = (
      await v.services.accounts.createToken({ userEmail: 'integrator@tokens.test', scope: 'read' }, 'test')
    ).token;
  });

  afterAll(async () => {
    await v?.destroy();
  });

  const lastUsed = async () => (await v.services.accounts.listTokens(null))[0]?.lastUsedAt ?? null;

  it('is written on first use, not again within the minute, and again after it', async () => {
    expect(await lastUsed()).toBeNull();
    await v.services.accounts.authenticate(token);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    expect(new Date(String(first)).toISOString()).toBe('2026-12-07T10:00:00.000Z');

    clock.advance(59_000);
    await v.services.accounts.authenticate(token);
    expect(new Date(String(await lastUsed())).toISOString()).toBe('2026-12-07T10:00:00.000Z');

    clock.advance(2_000);
    await v.services.accounts.authenticate(token);
    expect(new Date(String(await lastUsed())).toISOString()).toBe('2026-12-07T10:01:01.000Z');
  });
});
