/// <reference lib="dom" />
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../src/programs/index.js';
import { launchChromium } from '../helpers/browser.js';
import { listenOnLoopback, startTestVigil, type TestVigil } from '../helpers/test-vigil.js';
import { toolMissing } from '../helpers/tools.js';

const shots = path.resolve('test-results', 'screenshots');

describe.skipIf(toolMissing('chromium'))('the portal in a real browser with JavaScript disabled', () => {
  let v: TestVigil;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    v = await startTestVigil('sqlite');
    base = await listenOnLoopback(v);
    browser = await launchChromium();
    await fs.mkdir(shots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await v?.destroy();
  });

  it('files a report with an attachment through the form and follows it on the private page', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1100, height: 900 },
    });
    const page = await context.newPage();
    const programs = await v.services.programs.list();
    const p = programs.find((x) => x.slug === 'northwind-medical') as Program;

    await page.goto(`${base}/`);
    await page.screenshot({ path: path.join(shots, 'portal-index.png'), fullPage: true });
    await page.getByRole('link', { name: p.definition.name }).click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(p.definition.name);
    expect(await page.locator('table').innerText()).toContain(p.definition.scope.products[0]?.name ?? '');
    await page.screenshot({ path: path.join(shots, 'program-page.png'), fullPage: true });
    await page.getByRole('link', { name: 'Report a vulnerability' }).first().click();
    expect(page.url()).toBe(`${base}/p/${p.slug}/report`);

    // Submitting empty shows every problem at the top and keeps the page usable.
    await page.getByRole('button', { name: 'Send report' }).click();
    expect(await page.locator('.error-summary').innerText()).toContain('is required');

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
        case 'select':
          await input.selectOption(f.options?.[0]?.value ?? '');
          break;
        case 'yesno':
          await page.locator(`#f-${f.id}-no`).check();
          break;
        case 'checkbox':
        case 'multiselect':
        case 'urls':
        case 'url':
        case 'date':
          break;
        default:
          await input.fill(
            f.purpose === 'details' || f.purpose === 'summary'
              ? 'Unauthenticated firmware update over the service port'
              : `Answer for ${f.label}`.slice(0, 80),
          );
      }
    }
    await page.setInputFiles('#f-attachments', [
      { name: 'poc.txt', mimeType: 'text/plain', buffer: Buffer.from('proof of concept') },
    ]);
    await page.screenshot({ path: path.join(shots, 'report-form.png'), fullPage: true });
    await page.getByRole('button', { name: 'Send report' }).click();

    expect(page.url()).toMatch(/\/r\/[A-Za-z0-9_-]{43}\?received=1$/);
    const receipt = await page.locator('.receipt').innerText();
    expect(receipt).toMatch(new RegExp(`${p.definition.casePrefix}-\\d{4}-\\d{4}`));
    expect(receipt).toContain(p.definition.calendar.timeZone);
    expect(receipt).toContain(page.url().replace('?received=1', '').replace(base, 'https://vigil.test'));
    expect(await page.locator('.answers').first().innerText()).toContain(
      'Unauthenticated firmware update over the service port',
    );
    expect(await page.locator('.files').first().innerText()).toContain('poc.txt');
    await page.screenshot({ path: path.join(shots, 'receipt.png'), fullPage: true });

    await page.locator('#m-body').fill('A second trace is attached.');
    await page.setInputFiles('#m-files', [
      { name: 'trace.pcap', mimeType: 'application/octet-stream', buffer: Buffer.from('pcap') },
    ]);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    expect(await page.locator('.flash').innerText()).toContain('Your message was sent');
    expect(await page.locator('.timeline').innerText()).toContain('A second trace is attached.');
    expect(await page.locator('.timeline').innerText()).toContain('trace.pcap');
    await context.close();
  });

  it('reads well on a phone in dark mode', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
    });
    const page = await context.newPage();
    await page.goto(`${base}/p/lakeside-health`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    expect(overflow).toBe(false);
    await page.screenshot({ path: path.join(shots, 'program-page-phone-dark.png'), fullPage: false });
    await context.close();
  });
});
