/// <reference lib="dom" />
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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
import { mainTextField, validAnswers } from '../helpers/reports.js';
import { signInWithTotp } from '../helpers/session.js';
import type { TestVigil } from '../helpers/test-vigil.js';
import { toolMissing } from '../helpers/tools.js';

/**
 * The PHI guard in the staff console (Chromium, SQLite): a report with a pasted FHIR Patient
 * resource and a CSV of patients arrives; a handler without the privacy duty sees placeholders
 * and the patient's name never reaches their page or any response the console fetched; a
 * privacy officer sees it, proposes a redaction and may not approve it; a second privacy officer
 * approves, and the text is gone for everyone.
 */

const SLUG = 'northwind-medical';
/** The README's screenshots are refreshed on request; otherwise they land with CI's artifacts. */
const SHOTS = process.env.VIGIL_UPDATE_SCREENSHOTS ? path.join('docs', 'screenshots') : SCREENSHOT_DIR;
// Fictional people only.
const FAMILY = 'Okonkwo-Lindqvist';
const CSV_NAME = 'Thaddeus Brightwater';
const FHIR = JSON.stringify(
  {
    resourceType: 'Patient',
    id: 'pt-4471',
    identifier: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-0088231' }],
    name: [{ family: FAMILY, given: ['Marisol'] }],
    birthDate: '1961-07-23',
    gender: 'female',
  },
  null,
  2,
);
const LEAD_IN = 'The export endpoint returned this without authentication:';
const CSV = `patient_name,date_of_birth,mrn\n${CSV_NAME},1950-02-14,MRN-7710042\nIngrid Vasquez-Holm,1988-09-30,MRN-7710043\n`;

describe.skipIf(toolMissing('chromium'))('PHI quarantine in the console (Chromium, SQLite)', () => {
  let v: TestVigil;
  let base: string;
  let browser: Browser;
  let receipt: Receipt;
  const sessions: Record<string, string> = {};
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ({ v, base } = await startConsoleVigil());
    browser = await launchChromium();
    const people: [string, string, string, string[]][] = [
      ['handler', 'Hal Handler', 'handler', []],
      ['priya', 'Priya Privacy', 'handler', ['privacy']],
      ['paul', 'Paul Privacy', 'handler', ['privacy']],
    ];
    for (const [key, name, role, duties] of people) {
      const who = await enrolStaffUser(v, SLUG, `${key}@northwind.example`, name, role, duties);
      sessions[key] = (await signInWithTotp(base, who)).session;
    }
    const program = (await v.services.programs.get(SLUG)) as Program;
    receipt = await submitReport(
      base,
      SLUG,
      {
        ...validAnswers(program, 'phi'),
        [mainTextField(program)]: `${LEAD_IN}\n\n${FHIR}\n`,
        // The reporter says they reached PHI: the case gets a privacy escalation.
        phiAccessed: 'yes',
      },
      [{ name: 'patients.csv', type: 'text/csv', data: Buffer.from(CSV) }],
    );
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await v?.destroy();
  });

  /** A signed-in page that also keeps the body of every response the console received. */
  async function as(who: string) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    await context.addCookies([{ name: 'vigil_session', value: sessions[who] as string, url: base }]);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const bodies: string[] = [];
    page.on('response', async (r) => {
      try {
        bodies.push(await r.text());
      } catch {
        // Redirects and aborted requests have no body.
      }
    });
    return { page, bodies, problems: await watchProblems(page) };
  }
  const caseUrl = () => `${base}/console/cases/${receipt.caseNumber}`;
  const report = (page: Page) => page.getByRole('region', { name: 'Report', exact: true });

  it('shows a handler placeholders and never the patient, on the page or on the wire', async () => {
    const h = await as('handler');
    await h.page.goto(`${base}/console/`);
    const row = h.page
      .getByRole('row')
      .filter({ has: h.page.getByRole('rowheader', { name: receipt.caseNumber }) });
    await row.getByText('PHI', { exact: true }).waitFor();
    await row.getByRole('link', { name: receipt.caseNumber }).click();
    await h.page.getByRole('heading', { level: 1, name: receipt.caseNumber }).waitFor();
    await report(h.page).getByText('Held in privacy quarantine — visible to privacy officers').waitFor();
    await h.page
      .getByRole('region', { name: 'Attachments' })
      .getByText('Attachment: Held in privacy quarantine — visible to privacy officers')
      .waitFor();
    await h.page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await h.page.waitForLoadState('networkidle');
    expect(await h.page.getByRole('region', { name: 'Quarantine' }).count()).toBe(0);
    // The escalation's deadline and checklist are readable; only privacy officers tick items.
    await h.page.getByText(/^Privacy escalation — due /).waitFor();
    const checklist = h.page.getByRole('list', { name: 'Privacy escalation checklist' });
    expect(await checklist.getByRole('listitem').count()).toBe(5);
    expect(await checklist.getByRole('checkbox').count()).toBe(0);
    expect(await h.page.getByRole('button', { name: 'Close the escalation' }).count()).toBe(0);
    expect(await h.page.getByRole('link', { name: 'patients.csv' }).count()).toBe(0);
    const dom = await h.page.content();
    for (const secret of [FAMILY, 'Marisol', 'MRN-0088231', CSV_NAME, 'patients.csv']) {
      expect(dom).not.toContain(secret);
      expect(h.bodies.filter((b) => b.includes(secret))).toEqual([]);
    }
    // The responses were recorded (the check above would see the name if it were sent).
    expect(h.bodies.some((b) => b.includes(receipt.caseNumber))).toBe(true);
    expect(h.problems).toEqual([]);
    const found = await seriousViolations(h.page);
    expect(found).toEqual([]);
  }, 120_000);

  it('lets one privacy officer propose a redaction and another approve it; the text is gone', async () => {
    const priya = await as('priya');
    await priya.page.goto(caseUrl());
    await report(priya.page).getByText(FAMILY, { exact: false }).waitFor();
    const panel = priya.page.getByRole('region', { name: 'Quarantine' });
    await panel.getByText('Patient resource with name, birthDate, identifier').first().waitFor();
    // The panel lists findings masked: never the name itself.
    expect(await panel.textContent()).not.toContain(FAMILY);

    // Pick every finding of every held part (the attachment whole) and propose.
    for (const box of await panel.getByRole('group').getByRole('checkbox').all()) await box.check();
    await panel
      .getByLabel('Reason for the redaction')
      .fill('Patient data the reporter pasted; not needed to fix the flaw.');
    await panel.getByRole('button', { name: 'Propose redaction' }).click();
    const approve = panel.getByRole('button', { name: 'Approve redaction' });
    await approve.waitFor();
    expect(await approve.isDisabled()).toBe(true);
    await panel
      .getByText('You proposed this redaction, so another privacy officer must approve it.')
      .waitFor();
    expect(await approve.getAttribute('aria-describedby')).toBeTruthy();
    await fs.mkdir(SHOTS, { recursive: true });
    // The panel in the full page (an element shot would slide it under the sticky header).
    await priya.page.evaluate(() => window.scrollTo(0, 0));
    const clip = await panel.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return {
        x: r.left + window.scrollX - 8,
        y: r.top + window.scrollY - 8,
        width: r.width + 16,
        height: r.height + 16,
      };
    });
    await priya.page.screenshot({ path: path.join(SHOTS, 'console-quarantine.png'), fullPage: true, clip });
    for (const colorScheme of ['light', 'dark'] as const) {
      await priya.page.emulateMedia({ colorScheme });
      expect(await seriousViolations(priya.page)).toEqual([]);
    }

    // Priya works the escalation: with items open it closes only early, with a reason.
    const escalation = priya.page.getByRole('region', { name: 'Privacy escalation' });
    const first = escalation.getByRole('checkbox', { name: /^Assess whether PHI/ });
    // The boxes follow the server's record, so each is checked once the answer arrived.
    await first.click();
    await expect.poll(() => first.isChecked()).toBe(true);
    await escalation.getByText(/— Priya Privacy, /).waitFor();
    expect(await escalation.getByRole('button', { name: 'Close the escalation' }).count()).toBe(0);
    await escalation.getByRole('button', { name: 'Close early…' }).click();
    await escalation.getByRole('button', { name: 'Close early', exact: true }).click();
    await escalation.getByText('must not be empty').waitFor();
    await escalation.getByRole('button', { name: 'Cancel' }).click();
    for (const box of await escalation.getByRole('checkbox').all()) {
      if (await box.isChecked()) continue;
      await box.click();
      await expect.poll(() => box.isChecked()).toBe(true);
    }
    await escalation.getByRole('button', { name: 'Close the escalation' }).click();
    await escalation.getByText(/^Closed .* by Priya Privacy$/).waitFor();

    const paul = await as('paul');
    await paul.page.goto(caseUrl());
    const paulPanel = paul.page.getByRole('region', { name: 'Quarantine' });
    await paulPanel.getByRole('button', { name: 'Approve redaction' }).click();
    await paulPanel.getByText('applied', { exact: true }).waitFor();
    await report(paul.page).getByText('[redacted]', { exact: false }).waitFor();
    expect(await report(paul.page).textContent()).toContain(LEAD_IN);
    await paul.page
      .getByRole('region', { name: 'Attachments' })
      .getByText('An attachment was redacted (its content was destroyed).')
      .waitFor();

    // Gone for everyone: the officers and the handler.
    for (const who of ['priya', 'handler']) {
      const s = await as(who);
      await s.page.goto(caseUrl());
      await report(s.page).getByText('[redacted]', { exact: false }).waitFor();
      await s.page.waitForLoadState('networkidle');
      const dom = await s.page.content();
      for (const secret of [FAMILY, 'MRN-0088231', CSV_NAME]) {
        expect(dom).not.toContain(secret);
        expect(s.bodies.filter((b) => b.includes(secret))).toEqual([]);
      }
      expect(s.problems).toEqual([]);
    }
    expect(priya.problems.filter((x) => !/Failed to load resource.*\b(409|400)\b/.test(x))).toEqual([]);
    expect(paul.problems).toEqual([]);
  }, 120_000);

  it("holds a reporter's follow-up message in the timeline until a privacy officer releases it", async () => {
    const program = (await v.services.programs.get(SLUG)) as Program;
    const second = await submitReport(base, SLUG, validAnswers(program, 'follow-up'));
    // The reporter answers on their private page and pastes the resource again.
    const form = new FormData();
    form.set('message', `Here is what the endpoint returned:\n${FHIR}`);
    const sent = await fetch(`${second.reporterUrl}/messages`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(sent.status).toBeLessThan(400);
    const url = `${base}/console/cases/${second.caseNumber}`;

    const h = await as('handler');
    await h.page.goto(url);
    const timeline = h.page.getByRole('region', { name: 'Timeline' });
    await timeline.getByText('Held in privacy quarantine — visible to privacy officers').waitFor();
    await h.page.waitForLoadState('networkidle');
    expect(await h.page.content()).not.toContain(FAMILY);
    expect(h.bodies.filter((b) => b.includes(FAMILY))).toEqual([]);

    // Release needs a reason; the part then shows as released, and the handler sees the message.
    const priya = await as('priya');
    await priya.page.goto(url);
    const panel = priya.page.getByRole('region', { name: 'Quarantine' });
    await panel.getByRole('button', { name: /^Release/ }).click();
    await panel
      .getByLabel('Why is this not PHI?')
      .fill('Synthetic test patient from the vendor’s own sandbox.');
    await panel.getByRole('button', { name: 'Release', exact: true }).click();
    await panel.getByText('released', { exact: true }).waitFor();
    await h.page.reload();
    await timeline.getByText('Here is what the endpoint returned:').waitFor();
    expect(await timeline.getByText('Held in privacy quarantine — visible to privacy officers').count()).toBe(
      0,
    );
    expect(h.problems).toEqual([]);
    expect(priya.problems).toEqual([]);
  }, 120_000);
});
