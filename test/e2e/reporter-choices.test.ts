/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../src/programs/index.js';
import { launchChromium } from '../helpers/browser.js';
import {
  apiGet,
  enrolStaffUser,
  screenshot,
  seriousViolations,
  signInWithTotpInConsole,
  startConsoleVigil,
  submitReport,
  watchProblems,
} from '../helpers/console.js';
import { validAnswers } from '../helpers/reports.js';
import type { TestVigil } from '../helpers/test-vigil.js';
import { toolMissing } from '../helpers/tools.js';

/**
 * What the reporter chooses, in a real browser: consent to public credit given, refused in place
 * and withdrawn on the private page with JavaScript off; and in the console, a reporter's
 * statement that they reached PHI decided by opening an escalation with a reason, and a consent
 * given by phone recorded with its evidence.
 */
describe.skipIf(toolMissing('chromium'))('reporter choices in the browser', () => {
  let v: TestVigil;
  let base: string;
  let browser: Browser;
  let northwind: Program;

  beforeAll(async () => {
    ({ v, base } = await startConsoleVigil());
    browser = await launchChromium();
    northwind = await v.services.programs.get('northwind-medical');
  });
  afterAll(async () => {
    await browser?.close();
    await v?.destroy();
  });

  it('the reporter gives, corrects and withdraws consent to credit on the private page, without JavaScript', async () => {
    const receipt = await submitReport(base, northwind.slug, {
      ...validAnswers(northwind, 'credit in the browser'),
      credit: '',
      creditText: '',
    });
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1000, height: 900 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(receipt.reporterUrl);
    const section = page.getByRole('region', { name: 'Public credit' });
    await section.getByText('You have not told us yet. Until you do, we name no one.').waitFor();

    // Yes without words: refused in place, nothing recorded.
    await section.getByLabel('Yes, credit me as written below').check();
    await section.getByRole('button', { name: 'Save my answer' }).click();
    await page
      .getByRole('alert')
      .getByText(/say how the credit should read/)
      .waitFor();
    expect(await page.getByLabel('Yes, credit me as written below').isChecked()).toBe(true);

    await page.getByLabel('How the credit should read').fill('Ada L. (Example Labs)');
    await page.getByRole('button', { name: 'Save my answer' }).click();
    await page.getByRole('status').getByText('Your answer about public credit is saved.').waitFor();
    await page.getByText('You agreed to be credited as: Ada L. (Example Labs)').waitFor();
    expect(await page.getByLabel('How the credit should read').inputValue()).toBe('Ada L. (Example Labs)');
    await screenshot(page, 'reporter-credit-consent.png');
    // axe runs as a script: the same page, checked in a context that allows one.
    const checker = await browser.newContext();
    const checked = await checker.newPage();
    await checked.goto(receipt.reporterUrl);
    expect(await seriousViolations(checked)).toEqual([]);
    await checker.close();

    await page.getByLabel('No, do not name me').check();
    await page.getByRole('button', { name: 'Save my answer' }).click();
    await page.getByText('You asked not to be named. We will not credit you.').waitFor();
    await context.close();

    const report = await v.db.kysely
      .selectFrom('reports')
      .select('id')
      .where('case_number', '=', receipt.caseNumber)
      .executeTakeFirstOrThrow();
    const rows = await v.db.kysely
      .selectFrom('credit_consents')
      .select(['choice', 'via'])
      .where('report_id', '=', report.id)
      .orderBy('seq')
      .execute();
    expect(rows).toEqual([
      { choice: 'given', via: 'private-page' },
      { choice: 'declined', via: 'private-page' },
    ]);
  });

  it('in the console, the case team opens an escalation on a PHI statement and records a consent with its evidence', async () => {
    const handler = await enrolStaffUser(
      v,
      northwind.slug,
      'hana@vendor.example',
      'Hana Handler',
      'handler',
      [],
    );
    const answers = validAnswers(northwind, 'statement in the browser');
    const details = northwind.definition.form.fields.find((f) => f.purpose === 'details')?.id as string;
    answers[details] =
      'Stored XSS in the gateway. During testing I was able to view patient names in the worklist.';
    const receipt = await submitReport(base, northwind.slug, { ...answers, credit: '', creditText: '' });

    const context = await browser.newContext({ viewport: { width: 1300, height: 1000 } });
    const page = await context.newPage();
    const problems = await watchProblems(page);
    page.setDefaultTimeout(30_000);
    await signInWithTotpInConsole(page, base, handler);
    await page.getByRole('row').filter({ hasText: receipt.caseNumber }).getByText('PHI stated').waitFor();
    await page.goto(`${base}/console/cases/${receipt.caseNumber}`);

    const claim = page.getByRole('region', { name: 'The reporter says they reached PHI' });
    await claim.getByText('During testing I was able to view patient names in the worklist.').waitFor();
    await claim.getByRole('button', { name: 'Open a privacy escalation…' }).click();
    // An empty reason is refused under the field.
    await claim.getByRole('button', { name: 'Open the escalation' }).click();
    await claim.getByText('must not be empty').waitFor();
    await claim.getByLabel(/^Why/).fill('The worklist is the live one of a customer hospital.');
    await claim.getByRole('button', { name: 'Open the escalation' }).click();
    const escalation = page.getByRole('region', { name: 'Privacy escalation' });
    await escalation.getByText('Reason: The worklist is the live one of a customer hospital.').waitFor();
    await claim.getByText(/^Escalated by Hana Handler/).waitFor();

    const credit = page.getByRole('region', { name: 'Credit consent' });
    await credit.getByText(/Not answered/).waitFor();
    await credit.getByRole('button', { name: 'Record an answer given another way…' }).click();
    await credit.getByLabel('Consents to be credited').check();
    await credit.getByLabel('The credit, exactly in the reporter’s words').fill('Ada Lovelace');
    await credit.getByRole('button', { name: 'Record the answer' }).click();
    await credit.getByText('say how the reporter gave this answer').waitFor();
    await credit
      .getByLabel('Evidence: how and when the reporter told you')
      .fill('Phone call on 2 March, 10:15.');
    await credit.getByRole('button', { name: 'Record the answer' }).click();
    await credit.getByText('Evidence: Phone call on 2 March, 10:15.').waitFor();
    await credit.getByText(/Consents to be credited as “Ada Lovelace”/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-reporter-choices.png');

    const consent = await apiGet<{ history: { via: string }[] }>(
      page,
      base,
      `/api/v1/reports/${receipt.caseNumber}/credit-consent`,
    );
    expect(consent.history.map((h) => h.via)).toEqual(['staff']);
    // Only the two refusals this test asked for (Chromium logs a 400 as a console error).
    expect(problems).toEqual([
      expect.stringMatching(/status of 400 .*\/privacy-escalation\)$/),
      expect.stringMatching(/status of 400 .*\/credit-consent\)$/),
    ]);
    await context.close();
  });
});
