/// <reference lib="dom" />
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../src/programs/index.js';
import { launchChromium } from '../helpers/browser.js';
import {
  enrolStaffUser,
  type Receipt,
  SCREENSHOT_DIR,
  seriousViolations,
  startConsoleVigil,
  submitReport,
  watchProblems,
} from '../helpers/console.js';
import { validAnswers } from '../helpers/reports.js';
import { signInWithTotp } from '../helpers/session.js';
import type { TestVigil } from '../helpers/test-vigil.js';
import { toolMissing } from '../helpers/tools.js';

/**
 * Regulatory duties in the staff console (Chromium, SQLite). Northwind's infusion pump has FDA
 * and EU MDR duties, its gateway CRA duties. A handler records a device malfunction on a pump
 * case (first without a reason: the field says why it was refused), sees its clocks with due
 * times, prepares a report (the reporter's address is not in it) and marks the FDA report
 * submitted; they propose the EU vigilance report "not reportable" and may not approve it
 * themselves; a lead with the approver duty approves it, then records an uncontrolled risk and
 * sees FDA's reporting exception lost. An actively exploited gateway flaw
 * starts the CRA clocks, which the regulatory page lists soonest first.
 */

const SLUG = 'northwind-medical';
const SHOTS = process.env.VIGIL_UPDATE_SCREENSHOTS ? path.join('docs', 'screenshots') : SCREENSHOT_DIR;
/** The reporter's address: it must never reach a paste-ready report. */
const REPORTER_EMAIL = 'odalys.regulatory-canary@example.org';
const REFERENCE = 'MW5093117';

describe.skipIf(toolMissing('chromium'))('regulatory duties in the console (Chromium, SQLite)', () => {
  let v: TestVigil;
  let base: string;
  let browser: Browser;
  let pump: Receipt;
  let gateway: Receipt;
  const sessions: Record<string, string> = {};
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ({ v, base } = await startConsoleVigil());
    browser = await launchChromium();
    const people: [string, string, string, string[]][] = [
      ['hal', 'Hal Handler', 'handler', []],
      ['lena', 'Lena Lead', 'lead', ['approver']],
    ];
    for (const [key, name, role, duties] of people) {
      const who = await enrolStaffUser(v, SLUG, `${key}@northwind.example`, name, role, duties);
      sessions[key] = (await signInWithTotp(base, who)).session;
    }
    const program = (await v.services.programs.get(SLUG)) as Program;
    const token = (
      await v.services.accounts.createToken(
        { userEmail: 'lena@northwind.example', scope: 'read-write' },
        'test',
      )
    ).token;
    /** A report whose assessment names `product` as affected: that makes it the case's product. */
    const caseAbout = async (product: string, text: string) => {
      const receipt = await submitReport(base, SLUG, {
        ...validAnswers(program, text, REPORTER_EMAIL),
        product,
      });
      const res = await v.app.inject({
        method: 'PUT',
        url: `/api/v1/reports/${receipt.caseNumber}/assessment`,
        headers: { authorization: `Bearer ${token}` },
        payload: { affected: [{ productId: product, versions: 'all supported versions' }] },
      });
      expect(res.statusCode, res.body).toBe(200);
      return receipt;
    };
    pump = await caseAbout('aurora-ip400', 'pump keeps infusing after a stop command');
    gateway = await caseAbout('harbor-gateway', 'gateway accepts unsigned HL7 feeds');
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await v?.destroy();
  });

  async function as(who: string) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    await context.addCookies([{ name: 'vigil_session', value: sessions[who] as string, url: base }]);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    return { page, problems: await watchProblems(page) };
  }
  const panelOf = (page: Page) => page.getByRole('region', { name: 'Regulatory duties' });
  /** One clock of the panel's table (its row and its actions row share a row group). */
  const clock = (panel: Locator, text: RegExp) => panel.getByRole('rowgroup').filter({ hasText: text });
  /** Refusals the browser logs as failed loads: expected where the test provokes them. */
  const unexpected = (problems: string[], ...statuses: number[]) =>
    problems.filter((x) => !statuses.some((s) => new RegExp(`Failed to load resource.*\\b${s}\\b`).test(x)));

  async function recordTrigger(
    page: Page,
    kind: string,
    reason: string,
    extra?: (form: Locator) => Promise<void>,
  ) {
    const panel = panelOf(page);
    await panel.getByRole('button', { name: 'Record a trigger…' }).click();
    const form = panel.getByRole('form', { name: 'Record a trigger' });
    await form.getByLabel('What happened').selectOption(kind);
    await extra?.(form);
    await form.getByLabel('Why (required)').fill(reason);
    await form.getByRole('button', { name: 'Record trigger' }).click();
    await form.waitFor({ state: 'detached' });
  }

  it('records a device malfunction, prepares and submits the FDA report, and needs a second person for "not reportable"', async () => {
    const hal = await as('hal');
    await hal.page.goto(`${base}/console/cases/${pump.caseNumber}`);
    const panel = panelOf(hal.page);
    await panel.getByText('Aurora IP-400 Infusion Pump').waitFor();
    await panel.getByText('No trigger recorded', { exact: false }).waitFor();

    // A trigger without a reason is refused, and the reason field says so.
    await panel.getByRole('button', { name: 'Record a trigger…' }).click();
    const form = panel.getByRole('form', { name: 'Record a trigger' });
    await form.getByLabel('What happened').selectOption('device-malfunction');
    await form.getByLabel('Outcome').selectOption('serious-injury');
    await form.getByRole('button', { name: 'Record trigger' }).click();
    const reason = form.getByLabel('Why (required)');
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    const errorId = ((await reason.getAttribute('aria-describedby')) ?? '').split(' ').at(-1) ?? '';
    const fieldError = hal.page.locator(`[id="${errorId}"]`);
    expect(await fieldError.getAttribute('class')).toContain('field-error');
    expect(((await fieldError.textContent()) ?? '').trim().length).toBeGreaterThan(3);
    await form.getByRole('button', { name: 'Cancel' }).click();

    await recordTrigger(
      hal.page,
      'device-malfunction',
      'Field report: a pump kept infusing after a stop command sent over the network.',
      async (f) => {
        await f.getByLabel('Outcome').selectOption('serious-injury');
      },
    );
    const fda = clock(panel, /803\.50/);
    const eu = clock(panel, /87\(3\)/);
    await fda.getByText('running', { exact: true }).waitFor();
    await eu.getByText('running', { exact: true }).waitFor();
    // Each due time is relative ("in 30 days") with the absolute time in the program's zone.
    for (const k of [fda, eu]) {
      expect(await k.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(await k.textContent()).toMatch(/in \d+ days/);
      expect(await k.textContent()).toMatch(/\b(CST|CDT|GMT-[56])(?!\d)/);
    }
    await panel.getByText('Field report: a pump kept infusing', { exact: false }).waitFor();

    // The paste-ready report: text with a copy button and the JSON; never the reporter's address.
    const answered = hal.page.waitForResponse((r) => /\/regulatory\/clocks\/[^/]+\/report$/.test(r.url()));
    await fda.getByRole('button', { name: /^Prepare report/ }).click();
    const body = await (await answered).text();
    expect(body).not.toContain(REPORTER_EMAIL);
    const report = fda.getByRole('region', { name: /^Report: / });
    await report.getByRole('button', { name: 'Copy text' }).waitFor();
    const text = (await report.locator('pre').first().textContent()) ?? '';
    expect(text.length).toBeGreaterThan(40);
    expect(text).not.toContain(REPORTER_EMAIL);
    await report.getByText('JSON', { exact: true }).click();
    expect(await report.locator('pre').nth(1).textContent()).toMatch(/^[[{]/);

    // Marked submitted with the authority's reference: the clock stops.
    await fda.getByRole('button', { name: /^Mark submitted/ }).click();
    await fda.getByRole('button', { name: 'Mark submitted', exact: true }).click();
    await expect
      .poll(() => fda.getByLabel('Reference number (required)').getAttribute('aria-invalid'))
      .toBe('true');
    await fda.getByLabel('Reference number (required)').fill(REFERENCE);
    await fda.getByRole('button', { name: 'Mark submitted', exact: true }).click();
    await fda.getByText('submitted', { exact: true }).waitFor();
    await fda.getByText(REFERENCE).waitFor();

    // "Not reportable" under the EU MDR, proposed by Hal: he may not approve it himself.
    await panel.getByRole('button', { name: /^Not reportable…/ }).click();
    const propose = panel.getByRole('form', { name: /^Propose not reportable/ });
    await propose.getByLabel('Under which regulation').selectOption('eu-vigilance');
    await propose
      .getByLabel('Why it is not reportable (required)')
      .fill('The injury was caused by a non-Northwind infusion set; the pump stopped as designed.');
    await propose.getByRole('button', { name: 'Propose not reportable' }).click();
    const decisions = panel.getByRole('list', { name: /^Decisions on / });
    await decisions.getByText('proposed', { exact: true }).waitFor();
    await decisions.getByText('You proposed this, so another person must approve it.').waitFor();
    await decisions.getByRole('button', { name: /^Approve/ }).click();
    const refusal = decisions.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/approver duty|two people/);
    await eu.getByText('running', { exact: true }).waitFor();

    for (const colorScheme of ['light', 'dark'] as const) {
      await hal.page.emulateMedia({ colorScheme });
      expect(await seriousViolations(hal.page)).toEqual([]);
    }
    await hal.page.emulateMedia({ colorScheme: 'light' });
    expect(unexpected(hal.problems, 400, 403, 409)).toEqual([]);

    // Lena holds the approver duty: her approval stops the EU clocks as not reportable.
    const lena = await as('lena');
    await lena.page.goto(`${base}/console/cases/${pump.caseNumber}`);
    const lenaPanel = panelOf(lena.page);
    await lenaPanel.getByRole('button', { name: /^Approve/ }).click();
    await clock(lenaPanel, /87\(3\)/)
      .getByText('not reportable', { exact: true })
      .waitFor();
    await lenaPanel
      .getByRole('list', { name: /^Decisions on / })
      .getByText('approved', { exact: true })
      .waitFor();
    await lenaPanel.getByText(/approved by Lena Lead/).waitFor();
    expect(
      await clock(lenaPanel, /803\.50/)
        .getByText('submitted', { exact: true })
        .count(),
    ).toBe(1);

    // An uncontrolled risk on a device known to have caused a serious injury: FDA's exception from
    // 21 CFR 806 reporting is lost, and the panel says so in words.
    await recordTrigger(
      lena.page,
      'uncontrolled-risk',
      'Exploitable without authentication from the hospital network; no compensating control yet.',
    );
    const lost = lenaPanel.getByRole('note', { name: 'FDA reporting exception lost' });
    await lost.getByText('The 21 CFR 806 reporting exception no longer applies').waitFor();
    expect(await lost.textContent()).toContain('serious adverse event');

    await fs.mkdir(SHOTS, { recursive: true });
    await lena.page.evaluate(() => window.scrollTo(0, 0));
    const clip = await lenaPanel.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return {
        x: r.left + window.scrollX - 8,
        y: r.top + window.scrollY - 8,
        width: r.width + 16,
        height: r.height + 16,
      };
    });
    await lena.page.screenshot({
      path: path.join(SHOTS, 'console-regulatory-case.png'),
      fullPage: true,
      clip,
    });
    expect(lena.problems).toEqual([]);
  }, 180_000);

  it('lists the running clocks of every case soonest first, and the queue shows what is due', async () => {
    const hal = await as('hal');
    await hal.page.goto(`${base}/console/cases/${gateway.caseNumber}`);
    const panel = panelOf(hal.page);
    await panel.getByText('Harbor Clinical Gateway').waitFor();
    await recordTrigger(
      hal.page,
      'actively-exploited',
      'Exploit traffic against the HL7 listener seen at two hospitals.',
    );
    await panel.getByText('running', { exact: true }).first().waitFor();
    // The final report waits for a corrective measure; saying one is available starts it.
    await panel.getByText('waiting', { exact: true }).waitFor();
    await panel.getByRole('button', { name: 'Corrective measure available' }).click();
    await expect.poll(() => panel.getByText('waiting', { exact: true }).count()).toBe(0);

    await hal.page
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Regulatory' })
      .click();
    await hal.page.getByRole('heading', { level: 1, name: 'Regulatory clocks' }).waitFor();
    const table = hal.page.getByRole('table', { name: /Running regulatory clocks/ });
    await table.getByRole('link', { name: gateway.caseNumber }).first().waitFor();
    const rows = table.locator('tbody tr');
    // Only open clocks: the pump's vigilance reports are submitted or not reportable.
    const pumpRows = rows.filter({ has: hal.page.getByRole('link', { name: pump.caseNumber }) });
    expect(await pumpRows.count()).toBeGreaterThan(0);
    expect(await pumpRows.filter({ hasText: /803\.50|87\(3\)/ }).count()).toBe(0);
    expect(await rows.count()).toBeGreaterThanOrEqual(6);
    const due = await rows
      .locator('time')
      .evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
    expect(due.length).toBe(await rows.count());
    expect([...due].sort((a, b) => Date.parse(a) - Date.parse(b))).toEqual(due);
    expect(await rows.first().textContent()).toMatch(/in (2[0-4]|1\d) hours/);
    for (const colorScheme of ['light', 'dark'] as const) {
      await hal.page.emulateMedia({ colorScheme });
      expect(await seriousViolations(hal.page)).toEqual([]);
    }
    await hal.page.emulateMedia({ colorScheme: 'light' });
    await fs.mkdir(SHOTS, { recursive: true });
    await hal.page.screenshot({ path: path.join(SHOTS, 'console-regulatory.png'), fullPage: true });

    // The queue shows the soonest regulatory report under the case's own clock.
    await hal.page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Queue' }).click();
    const row = hal.page
      .getByRole('row')
      .filter({ has: hal.page.getByRole('rowheader', { name: gateway.caseNumber }) });
    await row.getByText(/^Regulatory report due in \d+ hours$/).waitFor();

    // The metrics page counts the clocks per regulation.
    await hal.page
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Metrics' })
      .click();
    const metrics = hal.page.getByRole('region', { name: 'Regulatory deadlines' });
    await metrics.getByRole('rowheader').first().waitFor();
    expect(await metrics.getByRole('rowheader').count()).toBeGreaterThanOrEqual(2);
    expect(hal.problems).toEqual([]);
  }, 180_000);
});
