import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_LIMIT, engagesAccountLock, PAIR_LIMIT } from '../src/accounts/throttle.js';
import { createManualClock } from '../src/core/clock.js';
import { createSealer, loadKeyring, type Sealer } from '../src/crypto/index.js';
import { outboxAad } from '../src/jobs/index.js';
import type { OutgoingMail } from '../src/mail/index.js';
import { auditEntries } from './helpers/audit.js';
import { createUserWithTotp, type EnrolledUser, nextTotpStep, signInAtNextStep } from './helpers/session.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * Sign-in throttling that a guesser cannot turn against the account's owner: failures for one
 * account from one address make that address wait, while the owner signs in from elsewhere; only
 * a far higher count from many addresses locks the account for everyone, and then the owner and
 * the instance admins are mailed and the lock is audited. Time moves on a manual clock.
 */
describe.each(dialects)('sign-in throttling per account and address (%s)', (dialect) => {
  let v: TestVigil;
  let sealer: Sealer;
  const clock = createManualClock(new Date('2027-01-12T09:00:00.000Z'));
  const now = () => clock.now();
  let admin: EnrolledUser;

  const call = (opts: InjectOptions) => v.app.inject(opts);
  const attempt = (email: string, password: string, ip: string) =>
    call({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      remoteAddress: ip,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email, password }),
    });
  const nextStep = () => nextTotpStep(clock);
  /** A whole sign-in (password and TOTP) from inject's own address, 127.0.0.1. */
  const signIn = (u: EnrolledUser) => signInAtNextStep(v.app, clock, u);
  const audited = (action: string) => auditEntries(v, action);
  const outbox = async (): Promise<OutgoingMail[]> =>
    (
      await v.db.kysely.selectFrom('outbox').select(['id', 'payload_sealed']).orderBy('created_at').execute()
    ).map((r) => sealer.openJson(r.payload_sealed, outboxAad(r.id)) as OutgoingMail);

  beforeAll(async () => {
    v = await startTestVigil(dialect, { clock });
    sealer = createSealer(await loadKeyring({ masterKey: v.config.masterKey, dataDir: v.config.dataDir }));
    admin = await createUserWithTotp(v, { email: 'root@vendor.example', role: 'admin', now });
    await createUserWithTotp(v, { email: 'ops@vendor.example', role: 'admin', now });
    await createUserWithTotp(v, { email: 'gone@vendor.example', role: 'admin', now });
    await v.services.accounts.setDisabled('gone@vendor.example', true, 'test');
  });
  afterAll(async () => {
    await v?.destroy();
  });

  it('makes one address wait after five failures for an account, while the owner signs in from another', async () => {
    const u = await createUserWithTotp(v, { email: 'pair@vendor.example', now });
    const guesser = '10.2.0.1';
    for (let i = 0; i < PAIR_LIMIT; i++)
      expect((await attempt(u.email, 'wrong password!!', guesser)).statusCode).toBe(401);
    const lastFailure = clock.now().getTime();
    const waits = await attempt(u.email, 'wrong password!!', guesser);
    expect(waits.statusCode).toBe(429);
    expect(waits.headers['retry-after']).toBeDefined();
    expect(waits.json().message).toMatch(/for this account from your address/);
    // From the guesser's address even the right password waits…
    expect((await attempt(u.email, u.password, guesser)).statusCode).toBe(429);
    // …but the owner, elsewhere, signs in, and so does anyone else from the guesser's address.
    await signIn(u);
    nextStep();
    expect((await attempt(admin.email, admin.password, guesser)).statusCode).toBe(200);
    expect((await audited('auth.throttled')).map((a) => a.detail.by)).toContain('account-from-ip');
    // Nothing locked the account as a whole, so nobody was mailed.
    expect(await audited('auth.account-locked')).toEqual([]);
    expect(await outbox()).toEqual([]);
    // The address waits until 15 minutes after its last failure.
    clock.set(new Date(lastFailure + 14 * 60_000));
    expect((await attempt(u.email, 'wrong password!!', guesser)).statusCode).toBe(429);
    clock.set(new Date(lastFailure + 15 * 60_000 + 1000));
    expect((await attempt(u.email, 'wrong password!!', guesser)).statusCode).toBe(401);
  });

  it('locks the account for everyone at fifty failures from many addresses, and tells its owner and the admins once', async () => {
    const u = await createUserWithTotp(v, { email: 'target@vendor.example', now });
    const addresses = Array.from({ length: ACCOUNT_LIMIT / PAIR_LIMIT }, (_, i) => `10.3.0.${i + 1}`);
    for (let i = 0; i < ACCOUNT_LIMIT - 1; i++) {
      const res = await attempt(u.email, `guess number ${i}!!`, addresses[i % addresses.length] as string);
      expect(res.statusCode, `attempt ${i + 1}`).toBe(401);
    }
    // One short of the limit: the owner still signs in (which clears only their own address).
    nextStep();
    expect((await attempt(u.email, u.password, '10.3.1.1')).statusCode).toBe(200);
    expect(await audited('auth.account-locked')).toEqual([]);

    // The fiftieth, from the one address with four failures so far (each of the others has five).
    expect((await attempt(u.email, 'the fiftieth guess', addresses.at(-1) as string)).statusCode).toBe(401);
    const locked = await attempt(u.email, u.password, '10.3.1.1');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().message).toMatch(/account is locked/);
    await expect(signIn(u)).rejects.toThrow(/429/);
    // Other accounts are not affected.
    await signIn(admin);

    const locks = await audited('auth.account-locked');
    expect(locks).toHaveLength(1);
    expect(locks[0]).toMatchObject({
      actor: 'system:throttle',
      detail: { userId: u.id, addresses: addresses.length, notified: 3 },
    });
    const mails = await outbox();
    expect(mails.map((m) => m.to).sort()).toEqual([
      'ops@vendor.example',
      'root@vendor.example',
      'target@vendor.example',
    ]);
    const owner = mails.find((m) => m.to === u.email) as OutgoingMail;
    expect(owner.subject).toMatch(/account is locked/);
    expect(owner.text).toContain('50 failed');
    expect(owner.text).not.toContain('10.3.0.1');
    const toAdmin = mails.find((m) => m.to === admin.email) as OutgoingMail;
    expect(toAdmin.subject).toContain(u.email);
    for (const a of addresses) expect(toAdmin.text).toContain(a);
    expect(toAdmin.text).toContain('VIGIL_TRUST_PROXY');
    for (const m of mails) expect(m.text).not.toMatch(/guess number|fiftieth/);

    // The lock ends 15 minutes after the last failure, without another announcement.
    clock.advance(15 * 60_000 + 1000);
    await signIn(u);
    expect(await audited('auth.account-locked')).toHaveLength(1);
    expect(await outbox()).toHaveLength(3);
  });

  it('does not mail anyone about guesses at an email that is nobody’s account', async () => {
    const before = (await outbox()).length;
    for (let i = 0; i < ACCOUNT_LIMIT; i++)
      await attempt('nobody@vendor.example', 'guessing away!!', `10.4.${Math.floor(i / PAIR_LIMIT)}.1`);
    expect((await attempt('nobody@vendor.example', 'x', '10.4.99.1')).statusCode).toBe(429);
    expect((await audited('auth.account-locked')).at(-1)?.detail).toMatchObject({
      userId: null,
      notified: 0,
    });
    expect(await outbox()).toHaveLength(before);
  });
});

describe('the account-wide lock', () => {
  it('announces the lock only for the failure that reaches the limit', () => {
    const at = (n: number) => Array.from({ length: n }, () => '2027-01-12T09:00:00.000Z');
    expect(engagesAccountLock(at(ACCOUNT_LIMIT - 1))).toBe(false);
    expect(engagesAccountLock(at(ACCOUNT_LIMIT))).toBe(true);
    expect(engagesAccountLock(at(ACCOUNT_LIMIT + 1))).toBe(false);
    // Failures older than the window of the newest do not count towards it.
    expect(engagesAccountLock(['2027-01-12T10:00:00.000Z', ...at(ACCOUNT_LIMIT - 1)])).toBe(false);
  });
});
