import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import type { Program } from '../src/programs/index.js';
import { auditEntries } from './helpers/audit.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import {
  cookieValue,
  createUserWithTotp,
  type EnrolledUser,
  nextTotpStep,
  signInAtNextStep,
  signInWithTotp,
  totpCode,
} from './helpers/session.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * Interactive staff sign-in through the real API on both dialects: first-admin setup, password +
 * TOTP / recovery code, sessions with CSRF and timeouts, throttling, tokens and program members.
 * Time moves on a manual clock; nothing waits on the wall clock.
 */
describe.each(dialects)('staff sign-in and sessions (%s)', (dialect) => {
  let v: TestVigil;
  const clock = createManualClock(new Date('2026-12-02T09:00:00.000Z'));
  const now = () => clock.now();
  let A: Program;
  let B: Program;
  let caseA: string;
  let caseB: string;
  let admin: { email: string; password: string; totpSecret: string; recoveryCodes: string[] };

  const call = (opts: InjectOptions) => v.app.inject(opts);
  const json = (method: 'POST' | 'PUT' | 'DELETE' | 'GET', url: string, body?: unknown, headers = {}) =>
    call({
      method,
      url,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  const setCookies = (res: { headers: Record<string, unknown> }): string[] => {
    const sc = res.headers['set-cookie'];
    return sc === undefined ? [] : Array.isArray(sc) ? (sc as string[]) : [sc as string];
  };
  const nextStep = () => nextTotpStep(clock);
  const signIn = (u: { email: string; password: string; totpSecret: string }) =>
    signInAtNextStep(v.app, clock, u);
  const auditActions = (action: string) => auditEntries(v, action);

  async function submit(p: Program): Promise<string> {
    const { body, contentType } = multipartBody(validAnswers(p, 'sign-in test', 'r@example.org'), []);
    const res = await call({
      method: 'POST',
      url: `/api/v1/programs/${p.slug}/reports`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().caseNumber as string;
  }

  beforeAll(async () => {
    v = await startTestVigil(dialect, { clock });
    [A, B] = (await v.services.programs.list()) as [Program, Program];
    caseA = await submit(A);
    caseB = await submit(B);
  });
  afterAll(async () => {
    await v?.destroy();
  });

  describe('first-admin setup link', () => {
    let token: string;
    let offered: { kind: string; email: string | null; totpSecret: string; otpauthUrl: string };

    it('is offered while no user exists, with the same TOTP secret on every visit', async () => {
      const link = await v.services.auth.enrolment.setupLink();
      expect(link.url).toMatch(/^https:\/\/vigil\.test\/console\/setup#[A-Za-z0-9_-]{43}$/);
      token = link.url.split('#')[1] as string;
      const a = await json('POST', '/api/v1/auth/setup/open', { token });
      expect(a.statusCode, a.body).toBe(200);
      offered = a.json();
      expect(offered.kind).toBe('first-admin');
      expect(offered.email).toBeNull();
      expect(offered.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
      expect(offered.otpauthUrl).toContain('otpauth://totp/');
      expect((await json('POST', '/api/v1/auth/setup/open', { token })).json().totpSecret).toBe(
        offered.totpSecret,
      );
      expect(
        (await json('POST', '/api/v1/auth/setup/open', { token: 'not-a-real-token-at-all-xx' })).statusCode,
      ).toBe(404);
    });

    it('refuses a short password, a wrong code and a bad email, naming each field, and writes nothing', async () => {
      const res = await json('POST', '/api/v1/auth/setup/complete', {
        token,
        email: 'not-an-email',
        name: 'Ada',
        password: 'short',
        totpCode: '000000',
      });
      expect(res.statusCode, res.body).toBe(400);
      const paths = (res.json().fields as { path: string }[]).map((f) => f.path).sort();
      expect(paths).toEqual(['email', 'password', 'totpCode']);
      expect(setCookies(res).some((c) => c.startsWith('vigil_session='))).toBe(false);
      expect(await v.db.kysely.selectFrom('users').select('id').execute()).toEqual([]);
      // Still usable after a refusal.
      expect((await json('POST', '/api/v1/auth/setup/open', { token })).statusCode).toBe(200);
    });

    it('creates the admin with ten recovery codes and a session; the link works once', async () => {
      const password = 'a long enough passphrase';
      const res = await json('POST', '/api/v1/auth/setup/complete', {
        token,
        email: 'Admin@Vendor.example',
        name: 'Ada Admin',
        password,
        totpCode: await totpCode(offered.totpSecret, now()),
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body.user).toMatchObject({ email: 'admin@vendor.example', name: 'Ada Admin', role: 'admin' });
      expect(body.recoveryCodes).toHaveLength(10);
      expect(new Set(body.recoveryCodes).size).toBe(10);
      const cookie = setCookies(res).find((c) => c.startsWith('vigil_session=')) as string;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).toMatch(/Secure/);
      const session = await json('GET', '/api/v1/auth/session', undefined, {
        cookie: `vigil_session=${cookieValue(setCookies(res), 'vigil_session')}`,
      });
      expect(session.statusCode, session.body).toBe(200);
      expect(session.json().user.role).toBe('admin');

      const again = await json('POST', '/api/v1/auth/setup/complete', {
        token,
        email: 'second@vendor.example',
        name: 'Eve',
        password,
        totpCode: await totpCode(offered.totpSecret, now()),
      });
      expect(again.statusCode).toBe(404);
      expect((await json('POST', '/api/v1/auth/setup/open', { token })).statusCode).toBe(404);
      await expect(v.services.auth.enrolment.setupLink()).rejects.toThrow(/already has users/);
      admin = {
        email: 'admin@vendor.example',
        password,
        totpSecret: offered.totpSecret,
        recoveryCodes: body.recoveryCodes,
      };
      expect((await auditActions('auth.setup')).length).toBe(1);
    });
  });

  describe('sign-in', () => {
    it('password then TOTP opens a session; the same code is refused the second time', async () => {
      nextStep();
      const first = await json('POST', '/api/v1/auth/sign-in', {
        email: admin.email,
        password: admin.password,
      });
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toEqual({ secondFactor: { totp: true, passkey: false, recoveryCode: true } });
      const pending = cookieValue(setCookies(first), 'vigil_pending') as string;
      const pendingCookie = setCookies(first).find((c) => c.startsWith('vigil_pending=')) as string;
      expect(pendingCookie).toMatch(/Max-Age=300/);
      expect(pendingCookie).toMatch(/HttpOnly/i);
      const code = await totpCode(admin.totpSecret, now());
      const second = await json(
        'POST',
        '/api/v1/auth/sign-in/totp',
        { code },
        { cookie: `vigil_pending=${pending}` },
      );
      expect(second.statusCode, second.body).toBe(200);
      expect(second.json().user.email).toBe(admin.email);
      expect(second.json().csrfToken).toBeTruthy();
      expect(cookieValue(setCookies(second), 'vigil_session')).toBeTruthy();

      // The same code on a new pending sign-in: refused (a code is accepted once).
      const again = await json('POST', '/api/v1/auth/sign-in', {
        email: admin.email,
        password: admin.password,
      });
      const replay = await json(
        'POST',
        '/api/v1/auth/sign-in/totp',
        { code },
        { cookie: `vigil_pending=${cookieValue(setCookies(again), 'vigil_pending')}` },
      );
      expect(replay.statusCode).toBe(401);
      // The pending sign-in is gone once used.
      const reused = await json(
        'POST',
        '/api/v1/auth/sign-in/totp',
        { code },
        { cookie: `vigil_pending=${pending}` },
      );
      expect(reused.statusCode).toBe(401);
      const signIns = await auditActions('auth.sign-in');
      expect(signIns.some((e) => e.detail.method === 'totp')).toBe(true);
      const text = JSON.stringify(await v.db.kysely.selectFrom('audit_log').select('detail').execute());
      expect(text).not.toContain(admin.password);
      expect(text).not.toContain(code);
    });

    it('answers a wrong password and an unknown email alike', async () => {
      const wrong = await json('POST', '/api/v1/auth/sign-in', {
        email: admin.email,
        password: 'not the password!',
      });
      const unknown = await json('POST', '/api/v1/auth/sign-in', {
        email: 'nobody@vendor.example',
        password: admin.password,
      });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json().error).toBe('invalid_credentials');
      expect(unknown.json().message).toBe(wrong.json().message);
      expect(setCookies(wrong)).toEqual([]);
      expect(v.logs()).not.toContain('not the password!');
    });

    it('a TOTP step without a pending sign-in, or after five minutes, is refused', async () => {
      const none = await json('POST', '/api/v1/auth/sign-in/totp', { code: '123456' });
      expect(none.statusCode).toBe(401);
      nextStep();
      const first = await json('POST', '/api/v1/auth/sign-in', {
        email: admin.email,
        password: admin.password,
      });
      clock.advance(5 * 60_000 + 1000);
      const late = await json(
        'POST',
        '/api/v1/auth/sign-in/totp',
        { code: await totpCode(admin.totpSecret, now()) },
        { cookie: `vigil_pending=${cookieValue(setCookies(first), 'vigil_pending')}` },
      );
      expect(late.statusCode).toBe(401);
      expect(late.json().error).toBe('sign_in_expired');
    });

    it('a recovery code signs in once', async () => {
      const code = admin.recoveryCodes[0] as string;
      const use = async () => {
        const first = await json('POST', '/api/v1/auth/sign-in', {
          email: admin.email,
          password: admin.password,
        });
        return json(
          'POST',
          '/api/v1/auth/sign-in/recovery',
          { code: code.toUpperCase() },
          { cookie: `vigil_pending=${cookieValue(setCookies(first), 'vigil_pending')}` },
        );
      };
      const ok = await use();
      expect(ok.statusCode, ok.body).toBe(200);
      expect(cookieValue(setCookies(ok), 'vigil_session')).toBeTruthy();
      const factors = await json('GET', '/api/v1/auth/factors', undefined, {
        cookie: `vigil_session=${cookieValue(setCookies(ok), 'vigil_session')}`,
      });
      expect(factors.json()).toEqual({ totp: true, passkeys: [], recoveryCodesLeft: 9 });
      const spent = await use();
      expect(spent.statusCode).toBe(401);
    });
  });

  describe('sessions', () => {
    it('CSRF: a state-changing request needs the header; a bearer request ignores cookies', async () => {
      const s = await signIn(admin);
      const without = await json(
        'POST',
        '/api/v1/tokens',
        { name: 't', scope: 'read' },
        { cookie: s.cookie },
      );
      expect(without.statusCode).toBe(403);
      expect(without.json().error).toBe('csrf');
      expect(without.json().message).toMatch(/X-CSRF-Token/);
      const wrong = await json(
        'POST',
        '/api/v1/tokens',
        { name: 't', scope: 'read' },
        { cookie: s.cookie, 'x-csrf-token': 'nope' },
      );
      expect(wrong.statusCode).toBe(403);
      const right = await json(
        'POST',
        '/api/v1/tokens',
        { name: 'script', scope: 'read' },
        { cookie: s.cookie, 'x-csrf-token': s.csrfToken },
      );
      expect(right.statusCode, right.body).toBe(201);
      const bearer = right.json().token as string;

      // A bad bearer beside a good cookie: judged by the token alone.
      const bad = await json('GET', '/api/v1/reports', undefined, {
        cookie: s.cookie,
        authorization: 'Bearer vgl_wrong',
      });
      expect(bad.statusCode).toBe(401);
      // A good bearer with a cookie but no CSRF header: no CSRF needed for a token.
      const ok = await json('GET', '/api/v1/reports', undefined, {
        cookie: s.cookie,
        authorization: `Bearer ${bearer}`,
      });
      expect(ok.statusCode, ok.body).toBe(200);
      const actors = (await auditActions('token.created')).map((e) => e.actor);
      expect(actors).toContain(`user:${s.body.user.id}/session:${await sessionId(s.session)}`);
    });

    async function sessionId(secret: string) {
      const { hashToken } = await import('../src/crypto/index.js');
      const row = await v.db.kysely
        .selectFrom('sessions')
        .select('id')
        .where('secret_hash', '=', hashToken(secret))
        .executeTakeFirst();
      return row?.id;
    }

    it('ends after the idle time without requests, and at the absolute limit despite activity', async () => {
      const s = await signIn(admin);
      const get = () => json('GET', '/api/v1/auth/session', undefined, { cookie: s.cookie });
      clock.advance(29 * 60_000);
      expect((await get()).statusCode).toBe(200);
      clock.advance(29 * 60_000);
      const alive = await get();
      expect(alive.statusCode).toBe(200);
      expect(Date.parse(alive.json().idleExpiresAt)).toBe(clock.now().getTime() + 30 * 60_000);
      clock.advance(31 * 60_000);
      expect((await get()).statusCode).toBe(401);

      const t = await signIn(admin);
      const expiresAt = Date.parse(t.body.expiresAt);
      for (let i = 0; i < 30; i++) {
        clock.advance(29 * 60_000);
        const r = await json('GET', '/api/v1/auth/session', undefined, { cookie: t.cookie });
        if (clock.now().getTime() >= expiresAt) {
          expect(r.statusCode).toBe(401);
          break;
        }
        expect(r.statusCode, `at ${clock.now().toISOString()}`).toBe(200);
      }
      expect(clock.now().getTime()).toBeGreaterThanOrEqual(expiresAt);
      expect(expiresAt - Date.parse(t.body.idleExpiresAt)).toBe(12 * 3_600_000 - 30 * 60_000);
    });

    it('sign-out deletes the session and clears the cookie', async () => {
      const s = await signIn(admin);
      const noCsrf = await json('POST', '/api/v1/auth/sign-out', undefined, { cookie: s.cookie });
      expect(noCsrf.statusCode).toBe(403);
      const out = await json('POST', '/api/v1/auth/sign-out', undefined, {
        cookie: s.cookie,
        'x-csrf-token': s.csrfToken,
      });
      expect(out.statusCode, out.body).toBe(204);
      expect(setCookies(out).some((c) => /^vigil_session=;/.test(c))).toBe(true);
      expect((await json('GET', '/api/v1/auth/session', undefined, { cookie: s.cookie })).statusCode).toBe(
        401,
      );
      expect((await json('GET', '/api/v1/reports', undefined, { cookie: s.cookie })).statusCode).toBe(401);
      expect((await auditActions('auth.sign-out')).length).toBeGreaterThan(0);
    });
  });

  describe('throttling', () => {
    it('makes an address wait after five failures for an account, for 15 minutes after the last, and a success from there clears the count', async () => {
      const u = await createUserWithTotp(v, { email: 'throttle@vendor.example', now });
      // inject's own address: where signInWithTotp's requests come from too.
      const here = '127.0.0.1';
      const bad = () =>
        call({
          method: 'POST',
          url: '/api/v1/auth/sign-in',
          remoteAddress: here,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ email: u.email, password: 'wrong password!!' }),
        });
      for (let i = 0; i < 4; i++) expect((await bad()).statusCode).toBe(401);
      // A success before the fifth failure clears the count.
      await signIn(u);
      for (let i = 0; i < 5; i++) expect((await bad()).statusCode).toBe(401);
      const locked = await bad();
      expect(locked.statusCode).toBe(429);
      expect(locked.headers['retry-after']).toBeDefined();
      // Even the right password is refused from this address while it waits.
      await expect(signInWithTotp(v.app, { ...u, now })).rejects.toThrow(/429/);
      clock.advance(14 * 60_000);
      expect((await bad()).statusCode).toBe(429);
      clock.advance(61_000);
      await signIn(u);
      expect((await auditActions('auth.throttled')).length).toBeGreaterThan(0);
    });

    it('locks an address after thirty failures', async () => {
      const ip = '10.9.9.9';
      const attempt = (email: string) =>
        call({
          method: 'POST',
          url: '/api/v1/auth/sign-in',
          remoteAddress: ip,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ email, password: 'guessing away!!' }),
        });
      for (let i = 0; i < 30; i++) expect((await attempt(`user${i}@vendor.example`)).statusCode).toBe(401);
      const locked = await attempt('admin@vendor.example');
      expect(locked.statusCode).toBe(429);
      expect(locked.json().message).toMatch(/your address/);
      // Another address is not affected.
      nextStep();
      const other = await call({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        remoteAddress: '10.9.9.10',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email: admin.email, password: admin.password }),
      });
      expect(other.statusCode).toBe(200);
      clock.advance(15 * 60_000 + 1000);
      expect((await attempt('admin@vendor.example')).statusCode).toBe(401);
    });
  });

  describe('access through a session', () => {
    let handler: EnrolledUser;

    beforeAll(async () => {
      handler = await createUserWithTotp(v, {
        email: 'handler-a@vendor.example',
        role: 'handler',
        program: A.slug,
        now,
      });
    });

    it("a handler of A signed in by session reads A's cases and gets 404 for B's", async () => {
      const s = await signIn(handler);
      const own = await json('GET', `/api/v1/reports/${caseA}`, undefined, { cookie: s.cookie });
      expect(own.statusCode, own.body).toBe(200);
      const other = await json('GET', `/api/v1/reports/${caseB}`, undefined, { cookie: s.cookie });
      expect(other.statusCode).toBe(404);
      expect(s.body).toBeTruthy();
      const view = await json('GET', '/api/v1/auth/session', undefined, { cookie: s.cookie });
      expect(view.json().memberships).toEqual([
        { program: A.slug, programName: A.definition.name, role: 'handler', duties: [] },
      ]);
      const members = await json('GET', `/api/v1/programs/${B.slug}/members`, undefined, {
        cookie: s.cookie,
      });
      expect(members.statusCode).toBe(404);
      const mine = await json('GET', `/api/v1/programs/${A.slug}/members`, undefined, { cookie: s.cookie });
      expect(mine.statusCode, mine.body).toBe(200);
      const list = mine.json().members as { email: string; role: string; instanceAdmin?: boolean }[];
      expect(list).toContainEqual(expect.objectContaining({ email: handler.email, role: 'handler' }));
      expect(list).toContainEqual(
        expect.objectContaining({ email: admin.email, role: 'admin', instanceAdmin: true }),
      );
    });

    it("a disabled user's session stops working", async () => {
      const u = await createUserWithTotp(v, {
        email: 'leaver@vendor.example',
        role: 'viewer',
        program: A.slug,
        now,
      });
      const s = await signIn(u);
      expect((await json('GET', '/api/v1/reports', undefined, { cookie: s.cookie })).statusCode).toBe(200);
      await v.db.kysely.updateTable('users').set({ disabled: 1 }).where('email', '=', u.email).execute();
      expect((await json('GET', '/api/v1/reports', undefined, { cookie: s.cookie })).statusCode).toBe(401);
      expect((await json('GET', '/api/v1/auth/session', undefined, { cookie: s.cookie })).statusCode).toBe(
        401,
      );
    });
  });

  describe('tokens API', () => {
    it('creates, lists and revokes; a read token cannot write; a bearer token cannot mint tokens', async () => {
      const handler = await createUserWithTotp(v, {
        email: 'tok@vendor.example',
        role: 'handler',
        program: A.slug,
        now,
      });
      const s = await signIn(handler);
      const h = { cookie: s.cookie, 'x-csrf-token': s.csrfToken };
      const created = await json(
        'POST',
        '/api/v1/tokens',
        { name: 'reader', scope: 'read', programs: [A.slug] },
        h,
      );
      expect(created.statusCode, created.body).toBe(201);
      const t = created.json() as { id: string; token: string; scope: string; programs: string[] };
      expect(t).toMatchObject({ scope: 'read', programs: [A.slug] });
      expect(t.token).toMatch(/^vgl_/);

      const listed = await json('GET', '/api/v1/tokens', undefined, { cookie: s.cookie });
      expect(listed.statusCode).toBe(200);
      const tokens = listed.json().tokens as { id: string; name: string; revokedAt: string | null }[];
      expect(tokens.map((x) => x.id)).toEqual([t.id]);
      expect(JSON.stringify(listed.json())).not.toContain(t.token);
      expect((await json('GET', '/api/v1/tokens?all=1', undefined, { cookie: s.cookie })).statusCode).toBe(
        403,
      );

      const bearer = { authorization: `Bearer ${t.token}` };
      expect((await json('GET', `/api/v1/reports/${caseA}`, undefined, bearer)).statusCode).toBe(200);
      const write = await json('POST', `/api/v1/reports/${caseA}/start-verification`, {}, bearer);
      expect([403, 404]).toContain(write.statusCode);
      expect(write.statusCode).not.toBe(200);
      const mint = await json('POST', '/api/v1/tokens', { name: 'more', scope: 'read-write' }, bearer);
      expect(mint.statusCode).toBe(403);
      expect((await json('GET', '/api/v1/tokens', undefined, bearer)).statusCode).toBe(403);

      // Someone else's token is not the handler's to revoke.
      const a = await signIn(admin);
      const adminToken = await json(
        'POST',
        '/api/v1/tokens',
        { name: 'admin', scope: 'read' },
        {
          cookie: a.cookie,
          'x-csrf-token': a.csrfToken,
        },
      );
      expect((await json('DELETE', `/api/v1/tokens/${adminToken.json().id}`, undefined, h)).statusCode).toBe(
        404,
      );
      const everyone = await json('GET', '/api/v1/tokens?all=1', undefined, { cookie: a.cookie });
      expect(everyone.statusCode).toBe(200);
      expect(
        (everyone.json().tokens as { user?: { email: string } }[]).some(
          (x) => x.user?.email === handler.email,
        ),
      ).toBe(true);

      const revoked = await json('DELETE', `/api/v1/tokens/${t.id}`, undefined, h);
      expect(revoked.statusCode, revoked.body).toBe(204);
      expect((await json('GET', `/api/v1/reports/${caseA}`, undefined, bearer)).statusCode).toBe(401);
      const after = (await json('GET', '/api/v1/tokens', undefined, { cookie: s.cookie })).json().tokens;
      expect(after[0].revokedAt).toBeTruthy();
    });
  });

  describe('passkeys', () => {
    it('offers a challenge to the pending user and refuses garbage with 400', async () => {
      nextStep();
      const first = await json('POST', '/api/v1/auth/sign-in', {
        email: admin.email,
        password: admin.password,
      });
      const pending = `vigil_pending=${cookieValue(setCookies(first), 'vigil_pending')}`;
      const options = await json('POST', '/api/v1/auth/sign-in/passkey/options', undefined, {
        cookie: pending,
      });
      expect(options.statusCode, options.body).toBe(200);
      expect(options.json().challenge).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect(options.json().rpId).toBe('vigil.test');
      expect((await json('POST', '/api/v1/auth/sign-in/passkey/options')).statusCode).toBe(401);
      const garbage = await json(
        'POST',
        '/api/v1/auth/sign-in/passkey',
        { hello: 'world' },
        { cookie: pending },
      );
      expect(garbage.statusCode).toBe(400);

      const s = await signIn(admin);
      const h = { cookie: s.cookie, 'x-csrf-token': s.csrfToken };
      const reg = await json('POST', '/api/v1/auth/passkeys/options', undefined, h);
      expect(reg.statusCode, reg.body).toBe(200);
      expect(reg.json()).toMatchObject({
        rp: { id: 'vigil.test', name: 'Vigil' },
        user: { name: admin.email },
      });
      const bad = await json(
        'POST',
        '/api/v1/auth/passkeys',
        {
          name: 'laptop',
          response: {
            id: 'abc',
            rawId: 'abc',
            type: 'public-key',
            response: { clientDataJSON: 'e30', attestationObject: 'AAAA' },
            clientExtensionResults: {},
          },
        },
        h,
      );
      expect(bad.statusCode).toBe(400);
      expect(bad.json().fields[0].path).toBe('response');
      expect(
        (await json('GET', '/api/v1/auth/factors', undefined, { cookie: s.cookie })).json().passkeys,
      ).toEqual([]);
    });
  });
});
