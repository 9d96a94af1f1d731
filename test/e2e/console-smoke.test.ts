/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { listenOnLoopback, startTestVigil, type TestVigil } from '../helpers/test-vigil.js';
import { toolMissing } from '../helpers/tools.js';

describe.skipIf(toolMissing('chromium'))('staff console in Chromium (smoke)', () => {
  let v: TestVigil;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    v = await startTestVigil('sqlite');
    base = await listenOnLoopback(v);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await v?.destroy();
  });

  it('loads the sign-in page with no script errors and no CSP violations', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      // The console asks for the session on load; "signed out" is a 401 that Chromium logs.
      if (m.type() === 'error' && !/Failed to load resource.*\b(401|404)\b/.test(m.text()))
        problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`),
      );
    });

    await page.goto(`${base}/console/sign-in`);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Sign in to the staff console');
    expect(await page.getByLabel('Email').count()).toBe(1);
    expect(await page.getByLabel('Password').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Continue' }).count()).toBe(1);
    expect(await page.locator('main').count()).toBe(1);
    expect(await page.title()).toBe('Sign in · Vigil console');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('sends a signed-out visitor of the queue to sign-in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/console/`);
    await page.waitForURL(/\/console\/sign-in/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in to the staff console');
    await context.close();
  });
});
