/// <reference lib="dom" />
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../src/programs/index.js';
import { launchChromium } from '../helpers/browser.js';
import { listenOnLoopback, startTestVigil, type TestVigil } from '../helpers/test-vigil.js';
import { toolMissing } from '../helpers/tools.js';

const shots = path.resolve('test-results', 'screenshots');

interface Sent {
  url: string;
  method: string;
  body: Buffer | null;
}

/**
 * A page that records every request body it sends, and every CSP violation and script error
 * (the violation event is reported from an init script, which CSP does not govern).
 */
async function watchedPage(
  context: BrowserContext,
): Promise<{ page: Page; sent: Sent[]; problems: string[] }> {
  const page = await context.newPage();
  const sent: Sent[] = [];
  const problems: string[] = [];
  // Chromium reports the body of an upload built from Blobs only to an interceptor, so every
  // request passes through one (and a body that cannot be read fails the test, not passes it).
  await page.route('**/*', (route) => route.continue());
  page.on('request', (r) => sent.push({ url: r.url(), method: r.method(), body: r.postDataBuffer() }));
  page.on('console', (m) => {
    // A refused form is a 400, which Chromium logs as a failed load; that one is expected.
    if (/Content Security Policy/i.test(m.text())) problems.push(m.text());
    else if (m.type() === 'error' && !/Failed to load resource.*\b400\b/.test(m.text()))
      problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return { page, sent, problems };
}

/** Fill every field of the form, the canary going into the technical description. */
async function fillForm(page: Page, p: Program, canary: string, skip: string[] = []): Promise<void> {
  for (const f of p.definition.form.fields) {
    if (skip.includes(f.id)) continue;
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
      case 'checkbox':
      case 'multiselect':
      case 'urls':
      case 'url':
      case 'date':
        break;
      default:
        await input.fill(
          f.purpose === 'details' ? `Firmware update without authentication ${canary}` : `Answer for ${f.id}`,
        );
    }
  }
}

describe.skipIf(toolMissing('chromium'))(
  'the report form in a real browser with JavaScript: encrypted before it leaves',
  () => {
    let v: TestVigil;
    let base: string;
    let browser: Browser;
    let program: Program;
    let fingerprint: string;

    beforeAll(async () => {
      v = await startTestVigil('sqlite');
      base = await listenOnLoopback(v);
      browser = await launchChromium();
      await fs.mkdir(shots, { recursive: true });
      program = (await v.services.programs.list()).find((x) => x.slug === 'northwind-medical') as Program;
      fingerprint = (await v.services.keys.publishedKey(program.id))?.fingerprint as string;
      expect(fingerprint).toMatch(/^[0-9A-F]{40}$/);
    });
    afterAll(async () => {
      await browser?.close();
      await v?.destroy();
    });

    it('sends only ciphertext, shows progress, lands on the receipt, and the case reads in clear', async () => {
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      const { page, sent, problems } = await watchedPage(context);
      const canary = `canary${randomBytes(8).toString('hex')}`;
      const fileName = `poc-${canary}.py`;
      const fileData = Buffer.concat([Buffer.from(`print("${canary}")\n`), randomBytes(2 * 1024 * 1024)]);

      await page.goto(`${base}/p/${program.slug}/report`);
      // The script checked the embedded key against its fingerprint before taking over the form.
      await page.waitForSelector('form.report[data-encryption="ready"]');
      expect(await page.locator('#encryption').isVisible()).toBe(true);
      expect((await page.locator('#encryption .fingerprint').innerText()).replace(/\s/g, '')).toBe(
        fingerprint,
      );

      await fillForm(page, program, canary);
      await page.setInputFiles('#f-attachments', [
        { name: fileName, mimeType: 'text/x-python', buffer: fileData },
      ]);

      // Hold the upload for a moment to photograph the progress UI in its sending state.
      let held = false;
      await page.route('**/report?encrypted=1', async (route) => {
        if (!held) {
          held = true;
          expect(await page.locator('.encryption-progress').isVisible()).toBe(true);
          expect(
            await page.locator('#encrypt-progress').evaluate((el) => (el as HTMLProgressElement).value),
          ).toBe(100);
          await page.screenshot({ path: path.join(shots, 'report-form-encrypting.png'), fullPage: false });
        }
        await route.continue();
      });
      await page.locator('#encryption').scrollIntoViewIfNeeded();
      await page.getByRole('button', { name: 'Send report' }).click();
      await page.waitForURL(/\/r\/[A-Za-z0-9_-]{43}\?received=1$/, { timeout: 30_000 });
      expect(held).toBe(true);

      // What went over the wire: one multipart POST of ciphertext, nothing in clear.
      const posts = sent.filter((s) => s.method === 'POST');
      expect(posts.map((s) => new URL(s.url).pathname + new URL(s.url).search)).toEqual([
        `/p/${program.slug}/report?encrypted=1`,
      ]);
      const upload = posts[0]?.body;
      expect(upload).not.toBeNull();
      expect(upload?.length).toBeGreaterThan(fileData.length);
      expect(upload?.includes('name="vigil_encrypted"')).toBe(true);
      expect(upload?.includes(`name="vigil_key"\r\n\r\n${fingerprint}`)).toBe(true);
      expect(upload?.includes('-----BEGIN PGP MESSAGE-----')).toBe(true);
      expect(upload?.includes('filename="file-1.pgp"')).toBe(true);
      for (const s of sent) {
        if (!s.body) continue;
        expect(s.body.includes(canary)).toBe(false);
        expect(s.body.includes(fileName)).toBe(false);
        expect(s.body.includes('Firmware update without authentication')).toBe(false);
        expect(s.body.includes('finder@example.org')).toBe(false);
        expect(s.body.includes(fileData.subarray(0, 4096))).toBe(false);
      }

      // The receipt, and the case decrypted on the reporter's page and in the download.
      expect(await page.locator('.receipt').innerText()).toMatch(
        new RegExp(`${program.definition.casePrefix}-\\d{4}-\\d{4}`),
      );
      expect(await page.locator('.answers').first().innerText()).toContain(
        `Firmware update without authentication ${canary}`,
      );
      const link = page.locator('.files a', { hasText: fileName });
      expect(await link.count()).toBe(1);
      const download = await page.request.get(
        new URL((await link.getAttribute('href')) as string, base).href,
      );
      expect(download.status()).toBe(200);
      expect((await download.body()).equals(fileData)).toBe(true);
      expect(download.headers()['content-disposition']).toContain(fileName);

      expect(problems).toEqual([]);
      // The watch works: an inline script is refused and reported.
      await page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.inline = true';
        document.body.append(s);
      });
      await expect.poll(() => problems.some((p) => /Content Security Policy/i.test(p))).toBe(true);
      await context.close();
    });

    it('shows a refused report with its problems, keeping the answers and the chosen file', async () => {
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      const { page, sent, problems } = await watchedPage(context);
      const canary = `kept${randomBytes(6).toString('hex')}`;
      await page.goto(`${base}/p/${program.slug}/report`);
      await page.waitForSelector('form.report[data-encryption="ready"]');
      // Leave the required "disclosed to" question empty: the server finds that out only after
      // decrypting, and answers with the form again.
      await fillForm(page, program, canary, ['disclosedTo']);
      await page.setInputFiles('#f-attachments', [
        { name: 'trace.pcap', mimeType: 'application/octet-stream', buffer: Buffer.from(`trace ${canary}`) },
      ]);
      await page.getByRole('button', { name: 'Send report' }).click();
      await page.waitForSelector('.error-summary');
      expect(await page.locator('.error-summary').innerText()).toContain('is required');
      expect(page.url()).toBe(`${base}/p/${program.slug}/report`);
      expect(await page.locator('#f-description').inputValue()).toContain(canary);
      expect(
        await page.locator('#f-attachments').evaluate((el) => (el as HTMLInputElement).files?.[0]?.name),
      ).toBe('trace.pcap');
      // The form is ready to encrypt again.
      await page.waitForSelector('form.report[data-encryption="ready"]');

      await page.locator('#f-disclosedTo').fill('No one');
      await page.getByRole('button', { name: 'Send report' }).click();
      await page.waitForURL(/\/r\/[A-Za-z0-9_-]{43}\?received=1$/, { timeout: 30_000 });
      expect(await page.locator('.files').first().innerText()).toContain('trace.pcap');
      expect(await page.locator('.answers').first().innerText()).toContain(canary);

      const posts = sent.filter((s) => s.method === 'POST');
      expect(posts).toHaveLength(2);
      for (const s of posts) {
        expect(s.body).not.toBeNull();
        expect(s.body?.includes(canary)).toBe(false);
        expect(s.body?.includes('trace.pcap')).toBe(false);
      }
      expect(problems).toEqual([]);
      await context.close();
    });
  },
);
