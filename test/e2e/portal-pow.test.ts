/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../src/programs/index.js';
import { launchChromium } from '../helpers/browser.js';
import { seriousViolations } from '../helpers/console.js';
import { listenOnLoopback, startTestVigil, type TestVigil } from '../helpers/test-vigil.js';
import { toolMissing } from '../helpers/tools.js';

/**
 * The busy program's report form in Chromium (issue 18): with JavaScript, the page solves the
 * proof-of-work (progress announced in a status line) and sends, encrypted or plain; without it,
 * an early send comes back filled in with the wait explained, and is accepted after the wait.
 * Neither page has a serious accessibility problem.
 */

async function fillForm(page: Page, p: Program, text: string): Promise<void> {
  for (const f of p.definition.form.fields) {
    const input = page.locator(`[name="${f.id}"]`).first();
    switch (f.kind) {
      case 'email':
        await input.fill('finder@example.org');
        break;
      case 'phone':
        await input.fill('+1 612 555 0100');
        break;
      case 'product':
        await input.selectOption(p.definition.scope.products[0]?.id ?? 'other');
        break;
      case 'yesno':
        await page.locator(`#f-${f.id}-no`).check();
        break;
      case 'select':
        await input.selectOption(f.options?.[0]?.value ?? '');
        break;
      case 'checkbox':
        if (f.required) await input.check();
        break;
      case 'multiselect':
      case 'urls':
      case 'url':
      case 'date':
        break;
      default:
        await input.fill(f.purpose === 'details' || f.purpose === 'summary' ? text : `Answer for ${f.id}`);
    }
  }
}

describe.skipIf(toolMissing('chromium'))('the proof-of-work form in a real browser', () => {
  let v: TestVigil;
  let base: string;
  let browser: Browser;
  let p: Program;

  beforeAll(async () => {
    // Busy at level 2: maxnumber 12 500 (a blink) and a 10-second wait without JavaScript.
    v = await startTestVigil('sqlite', {
      env: { VIGIL_POW_MIN_LEVEL: '2', VIGIL_POW_MAX_NUMBER: '200000', VIGIL_POW_WAIT_SECONDS: '20' },
    });
    base = await listenOnLoopback(v);
    browser = await launchChromium();
    p = (await v.services.programs.list()).find((x) => x.slug === 'northwind-medical') as Program;
  });
  afterAll(async () => {
    await browser?.close();
    await v?.destroy();
  });

  const spentSolutions = async () =>
    (await v.db.kysely.selectFrom('intake_proofs_spent').select('id').execute()).filter((r) =>
      r.id.startsWith('pow:'),
    ).length;

  it('with JavaScript: solves the challenge, shows its progress, and sends the encrypted report', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/p/${p.slug}/report`);
    await page.waitForFunction(() => document.querySelector('form')?.dataset.encryption === 'ready');
    await fillForm(page, p, 'Service port accepts unsigned firmware (js)');
    const before = await spentSolutions();
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL(/\/r\/[^/]+\?received=1$/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('Report received');
    expect(await spentSolutions()).toBe(before + 1);
    await context.close();
  });

  it('with JavaScript but no encryption script: the plain form carries the solution', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.route('**/assets/report-form.js', (route) => route.abort());
    await page.goto(`${base}/p/${p.slug}/report`);
    await fillForm(page, p, 'Service port accepts unsigned firmware (plain js)');
    const before = await spentSolutions();
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL(/\/r\/[^/]+\?received=1$/);
    expect(await spentSolutions()).toBe(before + 1);
    // The status line and its progress bar, as a screen reader meets them (shown while solving).
    await page.goto(`${base}/p/${p.slug}/report`);
    const status = page.locator('#pow [role="status"]');
    expect(await status.getAttribute('aria-live')).toBe('polite');
    expect(await page.locator('#pow label[for="pow-progress"]').count()).toBe(1);
    await page.evaluate(() => {
      const box = document.querySelector('#pow') as HTMLElement;
      box.hidden = false;
      (box.querySelector('.pow-step') as HTMLElement).textContent = 'Anti-spam check in your browser: 40 %';
    });
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('without JavaScript: an early send explains the wait and keeps the answers; after it, accepted', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/p/${p.slug}/report`);
    await fillForm(page, p, 'Service port accepts unsigned firmware (no js)');
    await page.getByRole('button', { name: 'Send report' }).click();
    const summary = page.locator('.error-summary');
    const wait = /please wait (\d+) seconds/.exec(await summary.innerText());
    expect(Number(wait?.[1])).toBeGreaterThan(0);
    expect(await summary.getAttribute('role')).toBe('alert');
    const details =
      p.definition.form.fields.find((f) => f.purpose === 'details') ?? p.definition.form.fields[0];
    expect(await page.locator(`[name="${details?.id}"]`).first().inputValue()).toContain('(no js)');
    await page.waitForTimeout(Number(wait?.[1]) * 1000 + 500);
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL(/\/r\/[^/]+\?received=1$/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('Report received');
    await context.close();
  });

  it('the explanation of the wait has no serious accessibility problem (axe)', async () => {
    // axe needs JavaScript in the page: the portal's own scripts are kept out instead.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.route('**/assets/*.js', (route) => route.abort());
    await page.goto(`${base}/p/${p.slug}/report`);
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('.error-summary').innerText()).toMatch(/please wait \d+ seconds/);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
