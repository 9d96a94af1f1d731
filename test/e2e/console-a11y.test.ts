/// <reference lib="dom" />
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../src/programs/index.js';
import { launchChromium } from '../helpers/browser.js';
import { type Receipt, startConsoleVigil, submitReport, watchProblems } from '../helpers/console.js';
import { validAnswers } from '../helpers/reports.js';
import { createUserWithTotp, type SignedIn, signInWithTotp } from '../helpers/session.js';
import type { TestVigil } from '../helpers/test-vigil.js';
import { toolMissing } from '../helpers/tools.js';

/** Serious and critical WCAG 2.x A/AA violations on a page, as "rule: target" lines. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/**
 * The staff console's pages, each in the state a person meets it in (a queue with rows, a case
 * with a timeline and a saved assessment, metrics with figures), checked with axe in light and
 * dark. The reporter's private page with messages is checked here too (the portal suite checks
 * it fresh).
 */
describe.skipIf(toolMissing('chromium'))(
  'staff console accessibility (axe, WCAG 2.2 AA, light and dark)',
  () => {
    let v: TestVigil;
    let base: string;
    /** An instance still without users, for the first-admin setup page. */
    let empty: TestVigil;
    let firstAdminUrl: string;
    let browser: Browser;
    let setupUrl: string;
    let staff: SignedIn;
    let receipt: Receipt;
    let email: string;

    beforeAll(async () => {
      ({ v, base } = await startConsoleVigil());
      browser = await launchChromium();
      let emptyBase: string;
      ({ v: empty, base: emptyBase } = await startConsoleVigil());
      firstAdminUrl = (await empty.services.auth.enrolment.setupLink()).url;
      expect(firstAdminUrl.startsWith(emptyBase)).toBe(true);
      const user = await createUserWithTotp(v, {
        email: 'lead@northwind.test',
        name: 'Lena Lead',
        role: 'admin',
      });
      email = user.email;
      // The enrolment variant of the setup page: a second user's link.
      await v.services.accounts.createUser({ email: 'new@northwind.test', name: 'Noor New' }, 'test');
      setupUrl = (await v.services.auth.enrolment.enrolmentLink('new@northwind.test', 'test')).url;
      staff = await signInWithTotp(base, user);

      const program = (await v.services.programs.get('northwind-medical')) as Program;
      receipt = await submitReport(base, program.slug, validAnswers(program, 'a11y'), [
        { name: 'trace.pcap', data: Buffer.from('pcap') },
      ]);
      const other = (await v.services.programs.get('lakeside-health')) as Program;
      await submitReport(base, other.slug, validAnswers(other, 'a11y'));
      const post = async (path: string, body: unknown, method = 'POST') => {
        const res = await fetch(`${base}/api/v1/reports/${receipt.caseNumber}/${path}`, {
          method,
          headers: {
            'content-type': 'application/json',
            cookie: staff.cookie,
            'x-csrf-token': staff.csrfToken,
          },
          body: JSON.stringify(body),
        });
        if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
      };
      await post('acknowledge', { contactPerson: 'Lena Lead' });
      await post('request-info', { message: 'Which firmware did you test?' });
      await post('messages', { body: 'Bench pump booked for Friday.', visibility: 'internal' });
      await post('start-verification', {});
      await post(
        'assessment',
        {
          cvss31: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
          cwe: 'CWE-798',
          ssvc: {
            exploitation: 'public-poc',
            utility: 'efficient',
            technicalImpact: 'total',
            publicSafetyImpact: 'significant',
          },
          patientSafety: { severity: 'serious', phiInvolved: false },
          affected: [{ productId: program.definition.scope.products[0]?.id, versions: '4.2' }],
        },
        'PUT',
      );
      const form = new FormData();
      form.set('message', 'Firmware 4.2.1.');
      await fetch(`${receipt.reporterUrl}/messages`, { method: 'POST', body: form, redirect: 'manual' });
    });
    afterAll(async () => {
      await browser?.close();
      await v?.destroy();
      await empty?.destroy();
    });

    for (const colorScheme of ['light', 'dark'] as const) {
      it(`has no serious or critical violations on the console's pages (${colorScheme})`, async () => {
        const found: string[] = [];
        const check = async (page: Page, name: string) => {
          for (const line of await violations(page)) found.push(`${name} ${line}`);
        };

        // Signed out: sign-in (both steps) and setup.
        const out = await browser.newContext({ colorScheme });
        const anon = await out.newPage();
        anon.setDefaultTimeout(30_000);
        const anonProblems = await watchProblems(anon);
        await anon.goto(`${base}/console/sign-in`);
        await anon.getByLabel('Email').waitFor();
        await check(anon, 'sign-in');
        await anon.getByLabel('Email').fill(email);
        await anon.getByLabel('Password').fill('wrong password, shown as an alert');
        await anon.getByRole('button', { name: 'Continue' }).click();
        await anon.getByRole('alert').waitFor();
        await check(anon, 'sign-in refused');
        await anon.goto(setupUrl);
        await anon.getByLabel('6-digit code from the app').waitFor();
        await anon.getByRole('img', { name: 'QR code of the authenticator secret' }).waitFor();
        await check(anon, 'enrolment');
        await anon.goto(firstAdminUrl);
        await anon.getByLabel('Email').waitFor();
        await anon.getByRole('img', { name: 'QR code of the authenticator secret' }).waitFor();
        await check(anon, 'first-admin setup');
        // A refused setup (wrong code, short password) shows its errors.
        await anon.getByLabel('Password').fill('short');
        await anon.getByLabel('6-digit code from the app').fill('000000');
        await anon.getByRole('button', { name: 'Create administrator' }).click();
        await anon.getByRole('alert').waitFor();
        await check(anon, 'first-admin setup refused');

        // The reporter's page with the acknowledgement and messages.
        await anon.goto(receipt.reporterUrl);
        await anon.getByText('Firmware 4.2.1.').waitFor();
        await check(anon, 'reporter case page');
        // The refused sign-in (401) and setup (400) were provoked; anything else is a problem.
        expect(anonProblems.filter((p) => !/Failed to load resource.*\b(400|401)\b/.test(p))).toEqual([]);
        await out.close();

        // Signed in.
        const context = await browser.newContext({ colorScheme });
        await context.addCookies([{ name: 'vigil_session', value: staff.session, url: base }]);
        const page = await context.newPage();
        page.setDefaultTimeout(30_000);
        const problems = await watchProblems(page);

        await page.goto(`${base}/console/`);
        await page.getByRole('rowheader', { name: receipt.caseNumber }).waitFor();
        expect(await page.getByRole('row').count()).toBe(3);
        await check(page, 'queue');

        await page.goto(`${base}/console/cases/${receipt.caseNumber}`);
        await page.getByText('Firmware 4.2.1.').waitFor();
        await page.getByText('Internal — never sent to the reporter').waitFor();
        await page.getByText('Score 8.8.').waitFor();
        await page.getByText(/SSVC decision:/).waitFor();
        await page.getByRole('region', { name: 'Similar cases' }).getByRole('heading').waitFor();
        await page.getByRole('list', { name: 'Deadlines' }).locator('.clock').first().waitFor();
        await check(page, 'case');
        // An action form open, as a person filling it sees the page.
        await page
          .getByRole('region', { name: 'Actions' })
          .getByRole('button', { name: 'Request more information' })
          .click();
        await page.getByLabel('Message to the reporter').waitFor();
        await check(page, 'case with an action form');

        await page.goto(`${base}/console/metrics`);
        await page.getByRole('heading', { level: 1, name: 'Metrics' }).waitFor();
        await page.getByRole('link', { name: 'Export CSV' }).waitFor();
        await page.getByText(/^2 cases received from /).waitFor();
        await check(page, 'metrics');
        // Each chart's figures table, opened.
        for (const summary of await page.getByText('Figures', { exact: true }).all()) await summary.click();
        await page.getByRole('table').first().waitFor();
        await check(page, 'metrics with figures');

        await page.goto(`${base}/console/tokens`);
        await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
        await page.getByLabel('Token name').waitFor();
        await check(page, 'tokens');

        await page.goto(`${base}/console/account`);
        await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
        await page.getByLabel('Passkey name').waitFor();
        await check(page, 'account');

        expect(found).toEqual([]);
        expect(problems).toEqual([]);
        await context.close();
      }, 120_000);
    }

    it('would report a violation (the check itself works)', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/console/sign-in`);
      await page.getByLabel('Email').waitFor();
      await page.evaluate(() => {
        const input = document.createElement('input');
        input.type = 'text';
        document.querySelector('main')?.append(input);
      });
      expect((await violations(page)).some((l) => l.startsWith('label:'))).toBe(true);
      await context.close();
    });
  },
);
