/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { apiGet, signInWithTotpInConsole, startConsoleVigil, watchProblems } from '../helpers/console.js';
import { createUserWithTotp, type EnrolledUser } from '../helpers/session.js';
import type { TestVigil } from '../helpers/test-vigil.js';
import { toolMissing } from '../helpers/tools.js';

/** A credential as Chromium's virtual authenticator exports it (CDP `WebAuthn.Credential`). */
interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

interface Factors {
  totp: boolean;
  passkeys: { id: string; name: string; createdAt: string; lastUsedAt: string | null }[];
  recoveryCodesLeft: number;
}

/**
 * Passkeys in Chromium with its DevTools virtual authenticator (a platform authenticator with
 * resident keys and user verification): added on the account page, then used as the second
 * factor after the password. The relying party is `localhost`, the host of the public URL.
 */
describe.skipIf(toolMissing('chromium'))('passkeys in the console (Chromium virtual authenticator)', () => {
  let v: TestVigil;
  let base: string;
  let browser: Browser;
  let user: EnrolledUser;
  /** The passkey the first test registered, exported from the virtual authenticator (with its private key). */
  let registered: VirtualCredential | undefined;

  beforeAll(async () => {
    ({ v, base } = await startConsoleVigil());
    browser = await launchChromium();
    user = await createUserWithTotp(v, {
      email: 'sam.handler@northwind.test',
      name: 'Sam Handler',
      role: 'admin',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await v?.destroy();
  });

  it('adds a passkey on the account page and signs in with password and the passkey', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const problems = await watchProblems(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    });

    await signInWithTotpInConsole(page, base, user);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    expect((await apiGet<Factors>(page, base, '/api/v1/auth/factors')).passkeys).toEqual([]);

    await page.getByLabel('Passkey name').fill('work laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('button', { name: 'Remove passkey work laptop' }).waitFor();
    const added = await apiGet<Factors>(page, base, '/api/v1/auth/factors');
    expect(added.passkeys).toEqual([
      { id: expect.any(String), name: 'work laptop', createdAt: expect.any(String), lastUsedAt: null },
    ]);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]?.rpId).toBe('localhost');
    registered = credentials[0];
    const countAfterRegistration = credentials[0]?.signCount ?? 0;

    // Sign out, then password and "use a passkey".
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to the staff console' }).waitFor();
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.getByRole('heading', { level: 1, name: 'Case queue' }).waitFor();

    const used = await apiGet<Factors>(page, base, '/api/v1/auth/factors');
    expect(used.passkeys).toHaveLength(1);
    expect(used.passkeys[0]?.id).toBe(added.passkeys[0]?.id);
    expect(used.passkeys[0]?.lastUsedAt).toEqual(expect.any(String));
    expect(Date.parse(used.passkeys[0]?.lastUsedAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(added.passkeys[0]?.createdAt ?? ''),
    );
    const after = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(after.credentials[0]?.signCount).toBeGreaterThan(countAfterRegistration);
    const session = await apiGet<{ user: { email: string } }>(page, base, '/api/v1/auth/session');
    expect(session.user.email).toBe(user.email);

    expect(problems).toEqual([]);
    await context.close();
  });

  it("refuses another user's passkey for a sign-in, and offers no passkey to an account without one", async () => {
    expect(registered).toBeDefined();
    const other = await createUserWithTotp(v, { email: 'no.passkey@northwind.test', role: 'admin' });
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    // This browser holds the first user's passkey (a discoverable credential for localhost).
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    });
    await cdp.send('WebAuthn.addCredential', {
      authenticatorId,
      credential: registered as VirtualCredential,
    });

    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel('Email').fill(other.email);
    await page.getByLabel('Password').fill(other.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Authenticator code').waitFor();
    expect(await page.getByRole('button', { name: 'Use a passkey' }).count()).toBe(0);

    // A hand-made passkey step for the pending sign-in of the second user, answered with the
    // first user's passkey: the authenticator signs, the server must refuse.
    const status = await page.evaluate(async () => {
      const b64u = (buf: ArrayBuffer) =>
        btoa(String.fromCharCode(...new Uint8Array(buf)))
          .replace(/\+/g, '-')
          .replace(/\//g, '_')
          .replace(/=+$/, '');
      const fromB64u = (s: string) =>
        Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
      const opts = await (await fetch('/api/v1/auth/sign-in/passkey/options', { method: 'POST' })).json();
      const cred = (await navigator.credentials.get({
        publicKey: { challenge: fromB64u(opts.challenge), rpId: opts.rpId, userVerification: 'preferred' },
      })) as PublicKeyCredential;
      const r = cred.response as AuthenticatorAssertionResponse;
      const body = {
        id: cred.id,
        rawId: b64u(cred.rawId),
        type: 'public-key',
        clientExtensionResults: {},
        response: {
          clientDataJSON: b64u(r.clientDataJSON),
          authenticatorData: b64u(r.authenticatorData),
          signature: b64u(r.signature),
          ...(r.userHandle ? { userHandle: b64u(r.userHandle) } : {}),
        },
      };
      const res = await fetch('/api/v1/auth/sign-in/passkey', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return res.status;
    });
    expect(status).toBe(401);
    expect((await context.request.get(`${base}/api/v1/auth/session`)).status()).toBe(401);
    await context.close();
  });
});
