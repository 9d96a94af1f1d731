import fc from 'fast-check';
import type { LightMyRequestResponse as Response } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieValue, createUserWithTotp, type EnrolledUser } from '../helpers/session.js';
import { dialects, startTestVigil, type TestVigil } from '../helpers/test-vigil.js';
import {
  announceSeed,
  controlChar,
  deepJson,
  expectRefusal,
  fuzz,
  hostileText,
  hostileValue,
  invalidUtf8,
  oddContentType,
  spliceBytes,
  trace,
  watchProcess,
  within,
} from './fuzz-kit.js';

/**
 * The unauthenticated account endpoints: opening and completing a setup or enrolment link,
 * password sign-in, each second factor (TOTP, recovery code, passkey assertion), and the session
 * check. Hostile bodies, cookies and content types are refused with a 4xx and a message; no
 * account, session or credential comes of them. Failed sign-ins are recorded on purpose (that is
 * the throttle), so those rows are not part of "no trace" here.
 */

announceSeed('sign-in');
watchProcess();

const PENDING = 'vigil_pending';

describe.each(dialects)('fuzz: sign-in, setup and enrolment (%s)', (dialect) => {
  let v: TestVigil;
  let user: EnrolledUser;
  let pending: string;

  beforeAll(async () => {
    v = await startTestVigil(dialect);
    user = await createUserWithTotp(v, { email: 'lead@vendor.example', role: 'admin' });
    const res = await v.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: user.email, password: user.password },
    });
    expect(res.statusCode, res.body).toBe(200);
    const sc = res.headers['set-cookie'];
    pending = cookieValue(Array.isArray(sc) ? sc : [String(sc)], PENDING) as string;
    expect(pending).toBeTruthy();
  });
  afterAll(async () => {
    await v?.destroy();
  });

  /** What a refused sign-in must not create: accounts, sessions, credentials, and nothing of a report. */
  const accountsTrace = async () => {
    const t = await trace(v);
    const k = v.db.kysely;
    const n = async (table: 'recovery_codes' | 'passkeys' | 'enrolment_links' | 'api_tokens') =>
      Number(
        (
          await k
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      users: t.users,
      sessions: t.sessions,
      reports: t.reports,
      messages: t.messages,
      outbox: t.outbox,
      blobs: t.blobs,
      recoveryCodes: await n('recovery_codes'),
      passkeys: await n('passkeys'),
      links: await n('enrolment_links'),
      tokens: await n('api_tokens'),
    };
  };

  /**
   * Refused, with no account, session or credential made. `optionsMayAnswer`: the passkey options
   * take no body, so with the real pending sign-in they answer 200 whatever the body holds.
   */
  async function refusedWithoutAccount(
    send: () => Promise<Response>,
    what: string,
    optionsMayAnswer = false,
  ) {
    const before = await accountsTrace();
    const res = await within(15_000, what, send());
    if (optionsMayAnswer && res.statusCode === 200) expect(res.json()).toHaveProperty('challenge');
    else expectRefusal(res, what);
    expect(res.headers['set-cookie'] ?? [], `${what}: no session cookie`).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^vigil_session=[^;]+/)]),
    );
    expect(await accountsTrace(), `${what}: an account, session or credential was created`).toEqual(before);
  }

  // Each request from its own address: the per-address throttle would otherwise answer 429 to
  // nearly every run after the first few, and the hostile values would never reach the lookups.
  let clients = 0;
  const post = (url: string, payload: string | Buffer, headers: Record<string, string> = {}) => {
    clients += 1;
    return v.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', ...headers },
      payload,
      remoteAddress: `10.${(clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`,
    });
  };

  const ENDPOINTS = [
    '/api/v1/auth/setup/open',
    '/api/v1/auth/setup/complete',
    '/api/v1/auth/sign-in',
    '/api/v1/auth/sign-in/totp',
    '/api/v1/auth/sign-in/recovery',
    '/api/v1/auth/sign-in/passkey/options',
    '/api/v1/auth/sign-in/passkey',
  ];

  /** Bodies of the right shape for each endpoint, with hostile values in every place (never the real secrets). */
  const shaped = (url: string): fc.Arbitrary<unknown> => {
    const text = fc.oneof(
      hostileValue,
      fc.constantFrom(user.email, '000000', 'aaaa-bbbb-cccc'),
      // Shaped like an address, so it gets past a format check to the account lookup.
      fc
        .tuple(hostileText(4), hostileText(3))
        .map(([a, b]) => `${a.replace(/[\s@]/g, '') || 'x'}@${b.replace(/[\s@.]/g, '') || 'y'}.example`),
    );
    const b64 = fc.oneof(
      hostileText(),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64url')),
    );
    switch (url) {
      case '/api/v1/auth/setup/open':
        return fc.record({ token: text });
      case '/api/v1/auth/setup/complete':
        return fc.record(
          { token: text, email: text, name: text, password: text, totpCode: text },
          { requiredKeys: ['token', 'password', 'totpCode'] },
        );
      case '/api/v1/auth/sign-in':
        return fc.record({ email: text, password: text });
      case '/api/v1/auth/sign-in/passkey':
        return fc.record({
          id: b64,
          rawId: b64,
          type: fc.constantFrom('public-key', 'x'),
          response: fc.record({
            clientDataJSON: fc.oneof(
              b64,
              fc.jsonValue({ maxDepth: 3 }).map((j) => Buffer.from(JSON.stringify(j)).toString('base64url')),
              fc
                .record({
                  type: fc.constantFrom('webauthn.get', 'webauthn.create'),
                  challenge: b64,
                  origin: text,
                })
                .map((j) => Buffer.from(JSON.stringify(j)).toString('base64url')),
            ),
            authenticatorData: b64,
            signature: b64,
            userHandle: b64,
          }),
          clientExtensionResults: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
            maxKeys: 3,
          }),
        });
      default:
        return fc.record({ code: text });
    }
  };

  it('hostile values in bodies of the right shape, with and without a pending sign-in: 4xx, no account or session', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS).chain((url) => fc.tuple(fc.constant(url), shaped(url))),
        fc.boolean(),
        async ([url, body], withPending) => {
          const json = JSON.stringify(body, (_k, x) =>
            typeof x === 'string' ? x.replace(/[\ud800-\udfff]/g, '\ufffd') : x,
          );
          await refusedWithoutAccount(
            () => post(url, json, withPending ? { cookie: `${PENDING}=${pending}` } : {}),
            `${url} ${json.slice(0, 160)}`,
            withPending && url === '/api/v1/auth/sign-in/passkey/options',
          );
        },
      ),
      fuzz(150, dialect),
    );
  });

  it('a NUL or control character inside an otherwise well-formed value, in every field: 4xx', async () => {
    const wellFormed: Record<string, Record<string, string>> = {
      '/api/v1/auth/setup/open': { token: 'A'.repeat(43) },
      '/api/v1/auth/setup/complete': {
        token: 'A'.repeat(43),
        email: 'new@vendor.example',
        name: 'New Colleague',
        password: 'a long enough passphrase here',
        totpCode: '123456',
      },
      '/api/v1/auth/sign-in': { email: user.email, password: 'not the password' },
      '/api/v1/auth/sign-in/totp': { code: '123456' },
      '/api/v1/auth/sign-in/recovery': { code: 'aaaa-bbbb-cccc' },
    };
    const endpoint = fc.constantFrom(...Object.keys(wellFormed));
    await fc.assert(
      fc.asyncProperty(
        endpoint.chain((url) =>
          fc.tuple(fc.constant(url), fc.constantFrom(...Object.keys(wellFormed[url] as object))),
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.oneof(fc.constant('\0'), controlChar),
        fc.boolean(),
        async ([url, field], at, ch, withPending) => {
          const body = { ...wellFormed[url] } as Record<string, string>;
          const value = body[field] as string;
          const i = Math.floor(at * (value.length + 1));
          body[field] = `${value.slice(0, i)}${ch}${value.slice(i)}`;
          await refusedWithoutAccount(
            () => post(url, JSON.stringify(body), withPending ? { cookie: `${PENDING}=${pending}` } : {}),
            `${url} ${JSON.stringify(body)}`,
          );
        },
      ),
      fuzz(100, dialect),
    );
  });

  it('wrong types, broken JSON, invalid UTF-8 and deep nesting on every endpoint: 4xx', async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((j) => JSON.stringify(j)),
      fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
      fc
        .tuple(fc.double({ min: 0, max: 1, noNaN: true }), invalidUtf8)
        .map(([at, bad]) =>
          spliceBytes(Buffer.from(JSON.stringify({ email: user.email, password: 'x', code: '1' })), at, bad),
        ),
      fc
        .tuple(
          fc.constantFrom(1_000, 100_000),
          fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>,
        )
        .map(([depth, shape]) => deepJson(depth, shape)),
      fc.constantFrom(
        '{"email":"a","email":"b","password":"c"}',
        '{"code":["1"]}',
        '{"code":{"$gt":""}}',
        '{"__proto__":{"admin":true},"code":"1"}',
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), body, async (url, b) => {
        await refusedWithoutAccount(
          () => post(url, b, { cookie: `${PENDING}=${pending}` }),
          `${url} ${String(b).slice(0, 120)}`,
          url === '/api/v1/auth/sign-in/passkey/options',
        );
      }),
      fuzz(150, dialect),
    );
  });

  it('odd content types and hostile cookies: 4xx', async () => {
    const cookie = fc.oneof(
      hostileText(6).map((s) => s.replace(/[\r\n]/g, ' ')),
      hostileText(4).map((s) => `${PENDING}=${encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?'))}`),
      fc.constantFrom(
        `${PENDING}=${pending}; ${PENDING}=x`,
        `${PENDING}=`,
        `vigil_session=${'a'.repeat(4000)}`,
        `${PENDING}=${pending}%00`,
        '=;=;=',
        `${PENDING}="${pending}"`,
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), oddContentType, cookie, async (url, type, c) => {
        await refusedWithoutAccount(
          () =>
            post(
              url,
              JSON.stringify({
                code: '123456',
                token: 'x',
                email: user.email,
                password: 'nope',
                totpCode: '1',
              }),
              { 'content-type': type, cookie: c },
            ),
          `${url} (${type.slice(0, 40)}; cookie ${c.slice(0, 40)})`,
        );
      }),
      fuzz(100, dialect),
    );
  });

  it('the session check with hostile cookies: 401', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText(6), async (s) => {
        const value = encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?'));
        const res = await within(
          10_000,
          'session',
          v.app.inject({
            method: 'GET',
            url: '/api/v1/auth/session',
            headers: { cookie: `vigil_session=${value}` },
          }),
        );
        expectRefusal(res, `session cookie ${value.slice(0, 60)}`);
        expect(res.statusCode).toBe(401);
      }),
      fuzz(60, dialect),
    );
  });
});
