/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../src/programs/index.js';
import { launchChromium } from '../helpers/browser.js';
import {
  apiGet,
  enrolStaffUser,
  type Receipt,
  screenshot,
  seriousViolations,
  startConsoleVigil,
  submitReport,
  watchProblems,
} from '../helpers/console.js';
import { validAnswers } from '../helpers/reports.js';
import { signInWithTotp } from '../helpers/session.js';
import type { TestVigil } from '../helpers/test-vigil.js';
import { toolMissing } from '../helpers/tools.js';

const SLUG = 'northwind-medical';

/**
 * Keyboard triage and bulk actions in the staff console (Chromium, SQLite). A handler opens the
 * shortcut list with `?`, walks the queue with j and k (and a case's neighbours from its page),
 * finds that typing a "j" in a field moves nothing, selects two junk reports and closes them as
 * invalid in one go, with a confirmation and a result per case; the genuine report is untouched.
 */
describe.skipIf(toolMissing('chromium'))('keyboard triage and bulk actions (Chromium, SQLite)', () => {
  let v: TestVigil;
  let base: string;
  let browser: Browser;
  let session: string;
  let junk: Receipt[];
  let genuine: Receipt;

  beforeAll(async () => {
    // Several reports from one address at once: no proof-of-work asked of this test.
    ({ v, base } = await startConsoleVigil({
      VIGIL_POW_QUIET_PER_HOUR: '1000000',
      VIGIL_POW_ADDRESS_FREE_PER_HOUR: '1000000',
    }));
    browser = await launchChromium();
    const who = await enrolStaffUser(v, SLUG, 'hal@northwind.example', 'Hal Handler', 'handler', []);
    session = (await signInWithTotp(base, who)).session;
    const program = (await v.services.programs.get(SLUG)) as Program;
    genuine = await submitReport(
      base,
      SLUG,
      validAnswers(program, 'Aurora IP400 firmware 3.2 accepts unsigned drug library updates on port 8443'),
    );
    junk = [
      await submitReport(base, SLUG, validAnswers(program, 'best seo services cheap', 'spam1@example.org')),
      await submitReport(base, SLUG, validAnswers(program, 'you have a bug, pay me', 'spam2@example.org')),
    ];
  });
  afterAll(async () => {
    await browser?.close();
    await v?.destroy();
  });

  async function signedInPage(): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'vigil_session', value: session, url: base }]);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    return { page, problems: await watchProblems(page) };
  }
  /** Wait for a case page to have loaded (its keys are bound once the case is there). */
  async function onCase(page: Page, caseNumber: string) {
    await page.getByRole('heading', { level: 1, name: caseNumber }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Actions' }).waitFor();
  }
  const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');

  it('lists the shortcuts under ?, and walks the queue and the cases with j and k', async () => {
    const { page, problems } = await signedInPage();
    await page.goto(`${base}/console/?sort=received`);
    await page.getByRole('heading', { level: 1, name: 'Case queue' }).waitFor();
    const rows = page.locator('table.queue tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const order = await page.locator('table.queue tbody th a.case-link').allTextContents();

    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    await expect.poll(() => help.getByText('Next case in the list').isVisible()).toBe(true);
    expect(await help.getByText('Assign this case to me').isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    await page.keyboard.press('j');
    expect(await focusedText(page)).toBe(order[0]);
    await page.keyboard.press('j');
    expect(await focusedText(page)).toBe(order[1]);
    await page.keyboard.press('k');
    expect(await focusedText(page)).toBe(order[0]);
    await page.keyboard.press('j');
    await page.keyboard.press('o');
    await onCase(page, order[1] as string);

    // On a case: j and k walk the queue it was opened from; u goes back to the queue.
    await page.keyboard.press('j');
    await onCase(page, order[2] as string);
    await page.keyboard.press('k');
    await onCase(page, order[1] as string);
    // Typing in a field is typing: "j" stays in the field and the page stays.
    const composer = page.locator('#composer-body');
    await composer.focus();
    await page.keyboard.type('just j and k, i and a');
    expect(await composer.inputValue()).toBe('just j and k, i and a');
    expect(page.url()).toContain(encodeURIComponent(order[1] as string));
    await composer.fill('');
    await composer.blur();
    // i: assign to me.
    await page.keyboard.press('i');
    await expect
      .poll(
        async () =>
          (await apiGet<{ assignee: { email: string } | null }>(page, base, `/api/v1/reports/${order[1]}`))
            .assignee?.email,
      )
      .toBe('hal@northwind.example');
    // a: the acknowledgement form opens with me as contact person, focused; Enter sends it.
    await page.keyboard.press('a');
    const contact = page.getByLabel('Contact person named to the reporter');
    await contact.waitFor();
    expect(await contact.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await contact.inputValue()).toBe('Hal Handler');
    await page.keyboard.press('Enter');
    await contact.waitFor({ state: 'detached' });
    await expect
      .poll(async () => (await apiGet<{ state: string }>(page, base, `/api/v1/reports/${order[1]}`)).state)
      .toBe('acknowledged');
    await page.keyboard.press('u');
    await page.getByRole('heading', { level: 1, name: 'Case queue' }).waitFor();
    expect(new URL(page.url()).searchParams.get('sort')).toBe('received');

    // The "needs triage" lane: reports not yet acknowledged, each with its quality signals.
    await page.getByRole('link', { name: 'Needs triage' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('triage');
    expect(await page.getByRole('link', { name: 'Needs triage' }).getAttribute('aria-current')).toBe('page');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.locator('table.queue tbody .badge.signals').count()).toBe(2);
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('closes two junk reports as invalid in one bulk action, with a confirmation and a result per case', async () => {
    const { page, problems } = await signedInPage();
    await page.goto(`${base}/console/`);
    await page.getByRole('heading', { level: 1, name: 'Case queue' }).waitFor();

    // Select all on the page, then none: the bar follows.
    const all = page.getByRole('checkbox', { name: 'Select every case on this page' });
    await all.check();
    const bar = page.getByRole('region', { name: /^Bulk action/ });
    await bar.getByRole('heading', { name: 'Bulk action: 3 cases selected' }).waitFor();
    await all.uncheck();
    await bar.waitFor({ state: 'detached' });

    for (const j of junk) await page.getByRole('checkbox', { name: `Select ${j.caseNumber}` }).check();
    await bar.getByRole('heading', { name: 'Bulk action: 2 cases selected' }).waitFor();
    expect(await bar.getByLabel('Action').inputValue()).toBe('mark_invalid');
    const reply = bar.getByLabel('Reply to every reporter (optional)');
    await reply.fill('This was sent to many vendors at once.');
    // A shortcut key typed in the reply is only text.
    await reply.press('j');
    expect(await reply.inputValue()).toBe('This was sent to many vendors at once.j');
    await reply.fill('This was sent to many vendors at once.');
    await bar.getByRole('button', { name: 'Close as invalid 2 cases…' }).click();
    const confirm = bar.getByRole('button', { name: 'Yes, close as invalid 2 cases' });
    await confirm.waitFor();
    expect(await confirm.evaluate((b) => b === document.activeElement)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-bulk-triage.png');
    await confirm.click();

    const results = bar.getByRole('status');
    await results.getByText('2 cases done.').waitFor();
    for (const j of junk) expect(await results.getByText(j.caseNumber).isVisible()).toBe(true);
    for (const j of junk) {
      const c = await apiGet<{ state: string }>(page, base, `/api/v1/reports/${j.caseNumber}`);
      expect(c.state).toBe('invalid');
    }
    expect((await apiGet<{ state: string }>(page, base, `/api/v1/reports/${genuine.caseNumber}`)).state).toBe(
      'received',
    );
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
