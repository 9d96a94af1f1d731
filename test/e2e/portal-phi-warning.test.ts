/// <reference lib="dom" />
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../src/programs/index.js';
import { launchChromium } from '../helpers/browser.js';
import { listenOnLoopback, startTestVigil, type TestVigil } from '../helpers/test-vigil.js';
import { toolMissing } from '../helpers/tools.js';

/** A FHIR Patient resource about a fictional person, as a reporter might paste it from a response. */
const FICTIONAL_BIRTH_DATE = '1974-03-12';
const fhirPatient = JSON.stringify(
  {
    resourceType: 'Patient',
    id: 'example-7731',
    identifier: [{ system: 'urn:oid:1.2.36.146.595.217.0.1', value: 'MRN-4417302' }],
    name: [{ family: 'Quillfeather', given: ['Marisol'] }],
    gender: 'female',
    birthDate: FICTIONAL_BIRTH_DATE,
  },
  null,
  2,
);

/** What vulnerability reports are full of, and the guard must leave alone. */
const cleanDescription = `The Harbor Gateway 3.4.1 admin API at https://10.20.30.40:8443/api/v2/export?id=42 answers without a session.
Reproduced on 2025-11-03T14:22:05Z from 192.168.56.10 with curl 8.5.0; build sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.
Stack trace:
  at com.harbor.export.ExportController.handle(ExportController.java:118)
  at org.eclipse.jetty.server.Server.handle(Server.java:516)
Affected: gateway-01.harbor.internal, firmware 2.0.17 (CVE-2024-12345 looks related).`;

/** A page that records POSTs, console errors, script errors and CSP violations. */
async function watchedPage(
  context: BrowserContext,
): Promise<{ page: Page; posts: string[]; problems: string[] }> {
  const page = await context.newPage();
  const posts: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push(new URL(r.url()).pathname);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return { page, posts, problems };
}

/** Fill every required answer with clean text; the reporter's own contact details included. */
async function fillForm(page: Page, p: Program, description: string): Promise<void> {
  for (const f of p.definition.form.fields) {
    const input = page.locator(`[name="${f.id}"]`).first();
    if (f.purpose === 'details') {
      await input.fill(description);
      continue;
    }
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
        await input.fill(f.purpose === 'contact.name' ? 'Ada Finder' : `Answer for ${f.id}`);
    }
  }
}

describe.skipIf(toolMissing('chromium'))(
  'the PHI warning before submit, in a real browser with JavaScript',
  () => {
    let v: TestVigil;
    let base: string;
    let browser: Browser;
    let program: Program;
    const reportCount = async () => (await v.db.kysely.selectFrom('reports').select('id').execute()).length;

    beforeAll(async () => {
      v = await startTestVigil('sqlite');
      base = await listenOnLoopback(v);
      browser = await launchChromium();
      program = (await v.services.programs.list()).find((x) => x.slug === 'northwind-medical') as Program;
    });
    afterAll(async () => {
      await browser?.close();
      await v?.destroy();
    });

    it('serves the guard with the portal asset headers and puts it on the report form', async () => {
      const res = await v.app.inject({ method: 'GET', url: '/assets/phi-guard.js' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      const css = await v.app.inject({ method: 'GET', url: '/assets/portal.css' });
      expect(res.headers['cache-control']).toBe(css.headers['cache-control']);
      const form = await v.app.inject({ method: 'GET', url: `/p/${program.slug}/report` });
      expect(form.body).toContain('<script type="module" src="/assets/phi-guard.js"></script>');
    });

    it('holds a report with a pasted FHIR Patient resource, names the field, and sends it anyway on request', async () => {
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      const { page, posts, problems } = await watchedPage(context);
      const before = await reportCount();
      await page.goto(`${base}/p/${program.slug}/report`);
      await page.waitForSelector('form.report[data-encryption="ready"]');

      await fillForm(
        page,
        program,
        `The export endpoint returned this without authentication:\n${fhirPatient}`,
      );
      await page.getByRole('button', { name: 'Send report' }).click();

      const warning = page.getByRole('alert').filter({ hasText: 'This looks like patient data' });
      await warning.waitFor();
      await page.waitForSelector('form.report[data-phi-guard="held"]');
      const text = await warning.innerText();
      expect(text).toContain('Technical description');
      expect(text).toContain('FHIR Patient resource');
      // Masked excerpts only: the pasted identifiers are not repeated on the page.
      expect(text).not.toContain('Quillfeather');
      expect(text).not.toContain('4417302');
      expect(text).not.toContain(FICTIONAL_BIRTH_DATE);
      // The reporter's own contact details are not findings.
      expect(text).not.toContain('Your name');
      expect(text).not.toContain('Phone');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('phi-guard-heading');

      // Held: nothing was sent, no report exists, the page is still the form.
      expect(posts).toEqual([]);
      expect(await reportCount()).toBe(before);
      expect(page.url()).toBe(`${base}/p/${program.slug}/report`);

      const axe = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
        .analyze();
      expect(
        axe.violations
          .filter((x) => x.impact === 'serious' || x.impact === 'critical')
          .flatMap((x) => x.nodes.map((n) => `${x.id}: ${n.target.join(' ')}`)),
      ).toEqual([]);

      await warning.getByRole('button', { name: 'Send anyway' }).click();
      await page.waitForURL(/\/r\/[A-Za-z0-9_-]{43}\?received=1$/, { timeout: 30_000 });
      expect(posts).toEqual([`/p/${program.slug}/report`]);
      expect(await reportCount()).toBe(before + 1);
      expect(problems).toEqual([]);
      await context.close();
    });

    it('warns about a patient table attached as a file, and sends once it is removed', async () => {
      const context = await browser.newContext();
      const { page, posts, problems } = await watchedPage(context);
      const before = await reportCount();
      await page.goto(`${base}/p/${program.slug}/report`);
      await page.waitForSelector('form.report[data-encryption="ready"]');
      await fillForm(page, program, cleanDescription);
      await page.setInputFiles('#f-attachments', [
        {
          name: 'patients.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from(
            'patient_name,date_of_birth,mrn\nMarisol Quillfeather,1974-03-12,4417302\nTobias Wren,1988-07-30,5520018\n',
          ),
        },
      ]);
      // Attaching is enough to warn, before any submit.
      const warning = page.getByRole('alert').filter({ hasText: 'This looks like patient data' });
      await warning.waitFor();
      expect(await warning.innerText()).toContain('Attached file patients.csv');
      expect(await warning.innerText()).not.toContain('Quillfeather');

      await page.getByRole('button', { name: 'Send report' }).click();
      await page.waitForSelector('form.report[data-phi-guard="held"]');
      expect(posts).toEqual([]);
      expect(await reportCount()).toBe(before);

      await page.setInputFiles('#f-attachments', []);
      await warning.waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: 'Send report' }).click();
      await page.waitForURL(/\/r\/[A-Za-z0-9_-]{43}\?received=1$/, { timeout: 30_000 });
      expect(await reportCount()).toBe(before + 1);
      expect(problems).toEqual([]);
      await context.close();
    });

    it('sends a clean report with IPs, URLs, versions and a stack trace directly, without a warning', async () => {
      const context = await browser.newContext();
      const { page, posts, problems } = await watchedPage(context);
      const before = await reportCount();
      await page.goto(`${base}/p/${program.slug}/report`);
      await page.waitForSelector('form.report[data-encryption="ready"]');
      await fillForm(page, program, cleanDescription);
      await page.getByRole('button', { name: 'Send report' }).click();
      await page.waitForURL(/\/r\/[A-Za-z0-9_-]{43}\?received=1$/, { timeout: 30_000 });
      expect(posts).toEqual([`/p/${program.slug}/report`]);
      expect(await reportCount()).toBe(before + 1);
      expect(await page.locator('.answers').first().innerText()).toContain('ExportController.java:118');
      expect(problems).toEqual([]);
      await context.close();
    });
  },
);
