import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { createVigil, type Vigil } from '../src/server.js';
import { type ChildServer, startChildServer, stopChildServer } from './helpers/child-server.js';
import { type CliResult, createTempDatabase, runVigil } from './helpers/cli.js';
import { signInWithTotp, totpCode } from './helpers/session.js';
import { dialects } from './helpers/test-vigil.js';

/**
 * Setup and enrolment links from the `vigil` command, as an operator meets them: `vigil serve`
 * offers a first-admin link while the instance has no user, `vigil setup-link` prints a fresh
 * one, `vigil user create` and `vigil user enrol-link` print enrolment links that work in the API.
 */

const show = (r: CliResult) => `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
const LINK = /(https?:\/\/\S+\/console\/setup#([\w-]{43}))/;
/** What the console asks of a link: the token goes in the body, never in the path. */
const openLink = (v: Pick<Vigil, 'app'>, token: string) =>
  v.app.inject({
    method: 'POST',
    url: '/api/v1/auth/setup/open',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ token }),
  });

describe.each(dialects)('vigil setup-link, user create and enrol-link (%s)', (dialect) => {
  let dataDir: string;
  let env: Record<string, string>;
  let dropDatabase: (() => Promise<void>) | undefined;
  const vigil = (...args: string[]) => runVigil(args, env);
  // Set by the enrolment step, used by the disable/enable step after it.
  let passwordOfNew = '';
  let cookieOfNew = '';
  /** The instance the CLI works on, opened in-process to use the links through the API. */
  const open = () =>
    createVigil(
      { ...loadConfig({ ...env, VIGIL_SEED_EXAMPLES: 'false', VIGIL_RATE_LIMIT_PER_MINUTE: '0' }) },
      { logger: false, worker: false },
    );

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-cli-sign-in-'));
    env = { VIGIL_DATA_DIR: dataDir, LOG_LEVEL: 'warn', VIGIL_PUBLIC_URL: 'http://localhost:4000' };
    if (dialect === 'postgres') {
      const db = await createTempDatabase('vigil_cli_sign_in');
      dropDatabase = db.drop;
      env.DATABASE_URL = db.url;
    }
  });
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
    await dropDatabase?.();
  });

  describe.sequential('step by step', () => {
    it('vigil serve prints a setup link while there is no user', async () => {
      let server: ChildServer | undefined;
      try {
        server = await startChildServer(
          { dataDir, databaseUrl: env.DATABASE_URL },
          { env: { VIGIL_PUBLIC_URL: 'http://localhost:4000', VIGIL_SMTP_LISTEN: 'false' } },
        );
        for (let i = 0; i < 100 && !LINK.test(server.output()); i++)
          await new Promise((r) => setTimeout(r, 50));
        expect(server.output()).toMatch(/Open this link to create the first administrator/);
        expect(server.output()).toMatch(LINK);
      } finally {
        if (server) await stopChildServer(server);
      }
    });

    it('vigil setup-link prints a link that creates the first admin; afterwards it is refused', async () => {
      const r = await vigil('setup-link');
      expect(r.code, show(r)).toBe(0);
      const token = (LINK.exec(r.stdout) as RegExpExecArray)[2] as string;
      const v = await open();
      try {
        const offered = await v.services.auth.enrolment.describe(token);
        expect(offered.kind).toBe('first-admin');
        const res = await v.app.inject({
          method: 'POST',
          url: '/api/v1/auth/setup/complete',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({
            token,
            email: 'root@vendor.example',
            name: 'Root',
            password: 'the first admin password',
            totpCode: await totpCode(offered.totpSecret),
          }),
        });
        expect(res.statusCode, res.body).toBe(201);
      } finally {
        await v.close();
      }
      const again = await vigil('setup-link');
      expect(again.code, show(again)).toBe(1);
      expect(again.stderr).toMatch(/already has users/);
      expect(again.stdout).toBe('');
    });

    it('user create prints an enrolment link; enrol-link replaces it; the new one enrols and signs in', async () => {
      const created = await vigil('user', 'create', '--email', 'New@Vendor.example');
      expect(created.code, show(created)).toBe(0);
      const first = (LINK.exec(created.stdout) as RegExpExecArray)[2] as string;
      expect(created.stdout).toContain('http://localhost:4000/console/setup#');

      const renewed = await vigil('user', 'enrol-link', '--email', 'new@vendor.example');
      expect(renewed.code, show(renewed)).toBe(0);
      const second = (LINK.exec(renewed.stdout) as RegExpExecArray)[2] as string;
      expect(second).not.toBe(first);
      const unknown = await vigil('user', 'enrol-link', '--email', 'ghost@vendor.example');
      expect(unknown.code, show(unknown)).toBe(1);

      const v = await open();
      try {
        expect((await openLink(v, first)).statusCode).toBe(404);
        const offered = await openLink(v, second);
        expect(offered.statusCode, offered.body).toBe(200);
        expect(offered.json()).toMatchObject({ kind: 'enrolment', email: 'new@vendor.example' });
        const secret = offered.json().totpSecret as string;
        const password = 'the new member password';
        const res = await v.app.inject({
          method: 'POST',
          url: '/api/v1/auth/setup/complete',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({
            token: second,
            name: 'New Member',
            password,
            totpCode: await totpCode(secret),
          }),
        });
        expect(res.statusCode, res.body).toBe(201);
        expect(res.json().user).toMatchObject({
          email: 'new@vendor.example',
          name: 'New Member',
          role: 'member',
        });
        const s = await signInWithTotp(v.app, { email: 'new@vendor.example', password, totpSecret: secret });
        expect(s.body.user.email).toBe('new@vendor.example');
        passwordOfNew = password;
        cookieOfNew = s.cookie;
      } finally {
        await v.close();
      }
    });

    it('user disable ends sessions and refuses sign-in; user enable lets the user back in', async () => {
      // The password step alone tells: 200 (a second factor is asked) or the same 401 as a wrong password.
      const passwordStep = (v: Awaited<ReturnType<typeof open>>) =>
        v.app.inject({
          method: 'POST',
          url: '/api/v1/auth/sign-in',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ email: 'new@vendor.example', password: passwordOfNew }),
        });
      const cookie = cookieOfNew;
      let v = await open();
      try {
        expect((await v.app.inject({ url: '/api/v1/auth/session', headers: { cookie } })).statusCode).toBe(
          200,
        );
      } finally {
        await v.close();
      }
      const disabled = await vigil('user', 'disable', '--email', 'New@Vendor.example');
      expect(disabled.code, show(disabled)).toBe(0);
      expect(disabled.stdout).toContain('Disabled new@vendor.example.');
      const listed = await vigil('user', 'list');
      expect(listed.stdout).toMatch(/new@vendor\.example\tmember\tdisabled/);
      v = await open();
      try {
        const session = await v.app.inject({ url: '/api/v1/auth/session', headers: { cookie } });
        expect(session.statusCode).toBe(401);
        expect((await passwordStep(v)).statusCode).toBe(401);
      } finally {
        await v.close();
      }
      const again = await vigil('user', 'disable', '--email', 'new@vendor.example');
      expect(again.stdout).toContain('was already disabled');
      const enabled = await vigil('user', 'enable', '--email', 'new@vendor.example');
      expect(enabled.code, show(enabled)).toBe(0);
      v = await open();
      try {
        expect((await passwordStep(v)).statusCode).toBe(200);
        // The session ended by disabling stays ended.
        expect((await v.app.inject({ url: '/api/v1/auth/session', headers: { cookie } })).statusCode).toBe(
          401,
        );
      } finally {
        await v.close();
      }
      const ghost = await vigil('user', 'disable', '--email', 'ghost@vendor.example');
      expect(ghost.code).not.toBe(0);
      expect(ghost.stderr).toMatch(/no user with the email ghost@vendor\.example/);
    });
  });
});
