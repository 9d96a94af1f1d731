import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../src/http/redact.js';
import type { Program } from '../src/programs/index.js';
import { multipartBody, validAnswers } from './helpers/reports.js';
import { cookieValue, totpCode } from './helpers/session.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * No secret Vigil issues reaches its request log. The whole first start runs as the console and a
 * new colleague meet it — the first admin through the setup link, a second user through an
 * enrolment link, then a sign-in — against an instance whose logger writes to a captured stream;
 * afterwards not one token, TOTP secret, session secret, CSRF token, pending sign-in, recovery code
 * or password it handed out may appear in a log line. Clients that put a token in the request
 * line anyway (an old console, a script) are redacted too.
 */

describe.each(dialects)('secrets and the request log (%s)', (dialect) => {
  let v: TestVigil;
  let program: Program;
  /** Every secret the instance issued or was given, by what it is. */
  const issued = new Map<string, string>();
  const keep = (what: string, value: string | undefined) => {
    expect(value, what).toBeTruthy();
    issued.set(value as string, what);
    return value as string;
  };

  const call = (opts: InjectOptions) => v.app.inject(opts);
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    call({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(body),
    });
  const setCookies = (res: { headers: Record<string, unknown> }): string[] => {
    const sc = res.headers['set-cookie'];
    return sc === undefined ? [] : Array.isArray(sc) ? (sc as string[]) : [sc as string];
  };
  const logLines = () => v.logs().split('\n').filter(Boolean);
  /** The issued secrets found in the log, each with the line it is on. */
  const leaks = () =>
    logLines().flatMap((line) =>
      [...issued.keys()].filter((s) => line.includes(s)).map((s) => `${issued.get(s)} in ${line}`),
    );

  /** Open a link and finish it as the console does: the token in the body only. */
  async function followLink(token: string, who: { email?: string; name: string; password: string }) {
    const offered = await post('/api/v1/auth/setup/open', { token });
    expect(offered.statusCode, offered.body).toBe(200);
    const totpSecret = keep('TOTP secret', offered.json().totpSecret);
    const done = await post('/api/v1/auth/setup/complete', {
      token,
      ...who,
      totpCode: await totpCode(totpSecret),
    });
    expect(done.statusCode, done.body).toBe(201);
    for (const c of done.json().recoveryCodes as string[]) keep('recovery code', c);
    const session = keep('session secret', cookieValue(setCookies(done), 'vigil_session'));
    const view = await call({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: `vigil_session=${session}` },
    });
    expect(view.statusCode, view.body).toBe(200);
    keep('CSRF token', view.json().csrfToken);
    return { totpSecret, session };
  }

  beforeAll(async () => {
    v = await startTestVigil(dialect);
    program = (await v.services.programs.list())[0] as Program;
  });
  afterAll(async () => {
    await v?.destroy();
  });

  it('keeps every token, code and secret of setup, enrolment and sign-in out of the log', async () => {
    // First start: the operator's setup link makes the first administrator.
    const setup = await v.services.auth.enrolment.setupLink();
    const setupToken = keep('setup token', setup.url.split('#')[1]);
    const adminPassword = keep('admin password', 'the first admin passphrase');
    const admin = await followLink(setupToken, {
      email: 'admin@vendor.example',
      name: 'Ada Admin',
      password: adminPassword,
    });
    // A used link answers 404 — still without the token in the log.
    expect((await post('/api/v1/auth/setup/open', { token: setupToken })).statusCode).toBe(404);

    // A colleague: created by the admin, enrolled through their own link.
    await v.services.accounts.createUser({ email: 'ben@vendor.example' }, 'test');
    const enrol = await v.services.auth.enrolment.enrolmentLink('ben@vendor.example', 'test');
    const enrolToken = keep('enrolment token', enrol.url.split('#')[1]);
    const benPassword = keep('member password', 'the second user passphrase');
    const ben = await followLink(enrolToken, { name: 'Ben Member', password: benPassword });

    // …who signs in again later: password, then TOTP (the next step: enrolment spent this one).
    const first = await post('/api/v1/auth/sign-in', { email: 'ben@vendor.example', password: benPassword });
    expect(first.statusCode, first.body).toBe(200);
    const pending = keep('pending sign-in', cookieValue(setCookies(first), 'vigil_pending'));
    const second = await post(
      '/api/v1/auth/sign-in/totp',
      { code: await totpCode(ben.totpSecret, new Date(Date.now() + 30_000)) },
      { cookie: `vigil_pending=${pending}` },
    );
    expect(second.statusCode, second.body).toBe(200);
    keep('session secret', cookieValue(setCookies(second), 'vigil_session'));
    keep('CSRF token', second.json().csrfToken);
    // A wrong password is logged as a refusal, not with the password.
    const wrong = keep('wrong password', 'not the right passphrase at all');
    expect(
      (await post('/api/v1/auth/sign-in', { email: 'admin@vendor.example', password: wrong })).statusCode,
    ).toBe(401);
    expect(admin.session).not.toBe(ben.session);

    // The requests were logged (the check below is not vacuous) and their paths name no secret.
    const urls = logLines().flatMap((l) => {
      const url = (JSON.parse(l) as { req?: { url?: string } }).req?.url;
      return url ? [url] : [];
    });
    expect(urls).toContain('/api/v1/auth/setup/open');
    expect(urls).toContain('/api/v1/auth/setup/complete');
    expect(urls).toContain('/api/v1/auth/sign-in/totp');
    expect(leaks()).toEqual([]);
  });

  it('redacts a token wherever a client puts it in the request line', async () => {
    // A reporter's private link, to use in the paths below.
    const { body, contentType } = multipartBody(validAnswers(program, 'log test', 'r@example.org'), []);
    const res = await call({
      method: 'POST',
      url: `/api/v1/programs/${program.slug}/reports`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    const reporterToken = keep('reporter token', new URL(res.json().reporterUrl).pathname.split('/')[2]);
    // A live enrolment link, asked for the old way (the token in the path).
    await v.services.accounts.createUser({ email: 'cy@vendor.example' }, 'test');
    const link = await v.services.auth.enrolment.enrolmentLink('cy@vendor.example', 'test');
    const pathToken = keep('enrolment token', link.url.split('#')[1]);
    const stray = keep('query secret', 'QUERYSECRETQUERYSECRET01');

    for (const url of [
      `/api/v1/auth/setup/${pathToken}`,
      `/api/v1/auth/Setup/${pathToken}?x=1`,
      `/r/${reporterToken}`,
      `/r/${reporterToken}/messages?token=${stray}`,
      `/R/${reporterToken}/r/${reporterToken}`,
      `/r%2F${reporterToken}`,
      `/api/v1/reports?program=${program.slug}&key=${stray}&t=${stray}&code=${stray}&access_token=${stray}`,
    ])
      await call({ method: 'GET', url });
    expect(leaks()).toEqual([]);
    const logs = v.logs();
    expect(logs).toContain('/api/v1/auth/setup/[redacted]');
    expect(logs).toContain('/r/[redacted]/messages?token=[redacted]');
    expect(logs).toContain(`program=${program.slug}&key=[redacted]`);
  });
});

describe('redactUrl', () => {
  const T = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd';

  it('redacts every token path, in any case, and leaves other paths alone', () => {
    expect(redactUrl(`/r/${T}`)).toBe('/r/[redacted]');
    expect(redactUrl(`/r/${T}/attachments/a1`)).toBe('/r/[redacted]/attachments/a1');
    expect(redactUrl(`/r/${T}/r/${T}`)).toBe('/r/[redacted]/r/[redacted]');
    expect(redactUrl(`//r/${T}`)).toBe('//r/[redacted]');
    expect(redactUrl(`/R/${T}`)).toBe('/R/[redacted]');
    expect(redactUrl(`/r%2f${T}`)).toBe('/r/[redacted]');
    expect(redactUrl(`/api/v1/auth/setup/${T}`)).toBe('/api/v1/auth/setup/[redacted]');
    expect(redactUrl('/api/v1/auth/setup/open')).toBe('/api/v1/auth/setup/open');
    expect(redactUrl('/api/v1/auth/setup/complete')).toBe('/api/v1/auth/setup/complete');
    expect(redactUrl('/api/v1/reports/NW-2026-0001/timeline')).toBe('/api/v1/reports/NW-2026-0001/timeline');
    expect(redactUrl('/p/northwind/report')).toBe('/p/northwind/report');
  });

  it('redacts secret-bearing query values and fragments, keeping filters', () => {
    expect(redactUrl(`/x?token=${T}&key=${T};t=${T}&code=${T}`)).toBe(
      '/x?token=[redacted]&key=[redacted];t=[redacted]&code=[redacted]',
    );
    expect(redactUrl(`/x?api_key=${T}&Access%5FToken=${T}&password=${T}&secret=${T}`)).toBe(
      '/x?api_key=[redacted]&Access%5FToken=[redacted]&password=[redacted]&secret=[redacted]',
    );
    expect(redactUrl('/api/v1/reports?program=a&state=new&state=triage&sort=deadline&cursor=abc&q=xss')).toBe(
      '/api/v1/reports?program=a&state=new&state=triage&sort=deadline&cursor=abc&q=xss',
    );
    expect(redactUrl(`/console/setup#${T}`)).toBe('/console/setup#[redacted]');
    expect(redactUrl(`/r/${T}?token=${T}#${T}`)).toBe('/r/[redacted]?token=[redacted]#[redacted]');
  });
});
