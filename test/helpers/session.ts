import { generate } from 'otplib';
import type { Vigil } from '../../src/server.js';

/**
 * Console sign-in for tests, through the real services and the real HTTP API.
 *
 * - `createUserWithTotp(vigil, { email, role?, program? })` creates a staff user, enrols it
 *   through an enrolment link (password + TOTP, as the console would) and returns the email,
 *   password, base32 TOTP secret and recovery codes.
 * - `signInWithTotp(target, { email, password, totpSecret })` signs in through
 *   `POST /api/v1/auth/sign-in` and `/sign-in/totp` and returns the session cookie value, the
 *   `Cookie` header to send and the CSRF token. `target` is the app (`vigil.app`, requests go
 *   through `inject()`) or a base URL such as `http://localhost:PORT` (real HTTP, e.g. before
 *   handing the cookie to a browser).
 * - `totpCode(secret, at)` computes the code an authenticator app would show at `at`.
 *
 * A TOTP code is accepted once per 30-second step; enrolment uses the current step, so the
 * helper falls back to the next step's code (inside the ±1 step window) when the current one was
 * already used. Pass `now` when the Vigil under test runs on a manual clock.
 */

export const TEST_PASSWORD = 'correct horse battery staple';

export async function totpCode(secret: string, at: Date = new Date()): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

export interface EnrolledUser {
  id: string;
  email: string;
  password: string;
  totpSecret: string;
  recoveryCodes: string[];
}

export async function createUserWithTotp(
  vigil: Pick<Vigil, 'services'>,
  input: {
    email: string;
    name?: string;
    role?: string;
    program?: string;
    password?: string;
    now?: () => Date;
  },
): Promise<EnrolledUser> {
  const password = input.password ?? TEST_PASSWORD;
  const now = input.now ?? (() => new Date());
  const user = await vigil.services.accounts.createUser(
    { email: input.email, name: input.name, role: input.role, program: input.program },
    'test',
  );
  const link = await vigil.services.auth.enrolment.enrolmentLink(user.email, 'test');
  const token = link.url.slice(link.url.indexOf('#') + 1);
  const offered = await vigil.services.auth.enrolment.describe(token);
  const done = await vigil.services.auth.enrolment.complete(
    token,
    { password, totpCode: await totpCode(offered.totpSecret, now()) },
    null,
  );
  return {
    id: user.id,
    email: user.email,
    password,
    totpSecret: offered.totpSecret,
    recoveryCodes: done.recoveryCodes,
  };
}

interface Answer {
  status: number;
  body: unknown;
  setCookies: string[];
}

type Target = string | { inject: (opts: never) => unknown };

async function post(target: Target, url: string, body: unknown, cookie?: string): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (cookie) headers.cookie = cookie;
  if (typeof target === 'string') {
    const res = await fetch(new URL(url, target), { method: 'POST', headers, body: JSON.stringify(body) });
    return {
      status: res.status,
      body: await res.json().catch(() => null),
      setCookies: res.headers.getSetCookie(),
    };
  }
  const res = (await (target.inject as (o: unknown) => Promise<unknown>)({
    method: 'POST',
    url,
    headers,
    payload: JSON.stringify(body),
  })) as { statusCode: number; body: string; headers: Record<string, string | string[] | undefined> };
  const sc = res.headers['set-cookie'];
  return {
    status: res.statusCode,
    body: res.body ? JSON.parse(res.body) : null,
    setCookies: sc === undefined ? [] : Array.isArray(sc) ? sc : [sc],
  };
}

/** The value of a cookie among Set-Cookie headers. */
export function cookieValue(setCookies: readonly string[], name: string): string | undefined {
  for (const c of setCookies) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(c);
    if (m) return decodeURIComponent(m[1] as string);
  }
  return undefined;
}

export interface SignedIn {
  /** The `vigil_session` cookie value. */
  session: string;
  /** `vigil_session=…`, ready for a Cookie header. */
  cookie: string;
  csrfToken: string;
  body: { csrfToken: string; user: { id: string; email: string }; expiresAt: string; idleExpiresAt: string };
}

export async function signInWithTotp(
  target: Target,
  who: { email: string; password: string; totpSecret: string; now?: () => Date },
): Promise<SignedIn> {
  const now = who.now ?? (() => new Date());
  const first = await post(target, '/api/v1/auth/sign-in', { email: who.email, password: who.password });
  if (first.status !== 200)
    throw new Error(`sign-in answered ${first.status}: ${JSON.stringify(first.body)}`);
  const pending = cookieValue(first.setCookies, 'vigil_pending');
  if (!pending) throw new Error('sign-in set no vigil_pending cookie');
  let second: Answer | undefined;
  for (const offset of [0, 30_000]) {
    const code = await totpCode(who.totpSecret, new Date(now().getTime() + offset));
    second = await post(target, '/api/v1/auth/sign-in/totp', { code }, `vigil_pending=${pending}`);
    if (second.status === 200) break;
  }
  if (second?.status !== 200)
    throw new Error(`TOTP step answered ${second?.status}: ${JSON.stringify(second?.body)}`);
  const session = cookieValue(second.setCookies, 'vigil_session');
  if (!session) throw new Error('the TOTP step set no vigil_session cookie');
  const body = second.body as SignedIn['body'];
  return { session, cookie: `vigil_session=${session}`, csrfToken: body.csrfToken, body };
}

/** A clock the test moves by hand, as `createManualClock` makes. */
interface SettableClock {
  now(): Date;
  set(d: Date): void;
}

/**
 * Move `clock` to just after the start of the next 30-second TOTP step, so a code not used
 * before is current (Vigil accepts each code once).
 */
export function nextTotpStep(clock: SettableClock): void {
  clock.set(new Date((Math.floor(clock.now().getTime() / 30_000) + 1) * 30_000 + 1000));
}

/** A whole sign-in (password, then TOTP) in a fresh TOTP step of `clock`. */
export function signInAtNextStep(
  target: Target,
  clock: SettableClock,
  who: { email: string; password: string; totpSecret: string },
): Promise<SignedIn> {
  nextTotpStep(clock);
  return signInWithTotp(target, { ...who, now: () => clock.now() });
}
