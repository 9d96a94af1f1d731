/// <reference lib="dom" />
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { multipartBody } from './reports.js';
import { TEST_PASSWORD, totpCode } from './session.js';
import { startTestVigil, type TestVigil } from './test-vigil.js';

/**
 * Helpers for the staff console's browser tests: a Vigil served on `http://localhost:<port>`
 * (WebAuthn needs a domain, and the session cookie is `Secure` only for https public URLs),
 * problem collection (console errors, CSP violations, dialogs), sign-in through the console's
 * own forms, and a reporter's submission through the intake API.
 */

/** Where CI keeps screenshots (test-results/ is kept as an artifact). */
export const SCREENSHOT_DIR = path.join('test-results', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** A TCP port that was free a moment ago (the public URL must name it before the server starts). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A real Vigil on SQLite with the example programs, no user yet, listening on loopback with
 * `http://localhost:<port>` as its public URL (setup links, reporter links and the WebAuthn
 * relying party all use it).
 */
export async function startConsoleVigil(
  env: Record<string, string> = {},
): Promise<{ v: TestVigil; base: string }> {
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const v = await startTestVigil('sqlite', { env: { VIGIL_PUBLIC_URL: base, ...env } });
  try {
    // Fastify listens on every loopback address "localhost" has (127.0.0.1 and ::1 where present).
    await v.app.listen({ port, host: 'localhost' });
  } catch (err) {
    await v.destroy();
    throw err;
  }
  return { v, base };
}

/**
 * Collect everything that should never happen on a console or portal page: console errors,
 * uncaught exceptions, Content-Security-Policy violations and any dialog (alert/confirm/prompt —
 * an injected `alert(1)` would surface here). The one expected error is the 401 Chromium logs
 * when the console asks for the session of a signed-out visitor.
 */
export async function watchProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (m) => {
    const text = m.text();
    const csp = /Content Security Policy|Refused to (execute|load|apply|frame|connect)/i.test(text);
    if (m.type() !== 'error' && !csp) return;
    if (
      !csp &&
      /Failed to load resource.*\b401\b/.test(text) &&
      /\/api\/v1\/auth\/session$/.test(m.location().url)
    )
      return;
    problems.push(`console ${m.type()}: ${text} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog ${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return problems;
}

/**
 * The TOTP code to type at sign-in. Enrolment spent the current 30-second step and each step is
 * accepted once, so the next step's code is used: the server accepts one step either side of
 * its clock, and the next step is always later than the one enrolment spent.
 */
export const nextTotpCode = (secret: string) => totpCode(secret, new Date(Date.now() + 30_000));

/** Sign in through the console's forms with password and authenticator code; ends on the queue. */
export async function signInWithTotpInConsole(
  page: Page,
  base: string,
  who: { email: string; password: string; totpSecret: string },
): Promise<void> {
  await page.goto(`${base}/console/sign-in`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Authenticator code').fill(await nextTotpCode(who.totpSecret));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Case queue' }).waitFor();
}

export interface Receipt {
  caseNumber: string;
  reporterUrl: string;
}

/** A reporter's submission through the public intake API (multipart, as a script or the form's JS would send it). */
export async function submitReport(
  base: string,
  slug: string,
  fields: Record<string, string>,
  files: { name: string; type?: string; data: Buffer }[] = [],
): Promise<Receipt> {
  const { body, contentType } = multipartBody(fields, files);
  const res = await fetch(`${base}/api/v1/programs/${slug}/reports`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new Uint8Array(body),
  });
  if (res.status !== 201) throw new Error(`intake answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Receipt;
}

/** A GET of the staff API with the browser context's session cookie (what the console itself sees). */
export async function apiGet<T>(page: Page, base: string, url: string): Promise<T> {
  const res = await page.context().request.get(`${base}${url}`);
  if (res.status() !== 200) throw new Error(`GET ${url} answered ${res.status()}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** A staff member of `program` with a role and duties, enrolled with the test password and TOTP. */
export async function enrolStaffUser(
  v: TestVigil,
  program: string,
  email: string,
  name: string,
  role: string,
  duties: string[],
): Promise<{ email: string; password: string; totpSecret: string }> {
  await v.services.accounts.createUser({ email, name, role, program, duties }, 'test');
  const link = await v.services.auth.enrolment.enrolmentLink(email, 'test');
  const token = link.url.slice(link.url.indexOf('#') + 1);
  const offered = await v.services.auth.enrolment.describe(token);
  await v.services.auth.enrolment.complete(
    token,
    { password: TEST_PASSWORD, totpCode: await totpCode(offered.totpSecret) },
    null,
  );
  return { email, password: TEST_PASSWORD, totpSecret: offered.totpSecret };
}

/** Serious and critical WCAG 2.x A/AA violations on the page, as "rule: target" lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return result.violations
    .filter((x) => x.impact === 'serious' || x.impact === 'critical')
    .flatMap((x) => x.nodes.map((n) => `${x.id}: ${n.target.join(' ')}`));
}
