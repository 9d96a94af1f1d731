/// <reference lib="dom" />
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import {
  enrolStaffUser,
  SCREENSHOT_DIR,
  seriousViolations,
  startConsoleVigil,
  watchProblems,
} from '../helpers/console.js';
import { signInWithTotp } from '../helpers/session.js';
import type { TestVigil } from '../helpers/test-vigil.js';
import { toolMissing } from '../helpers/tools.js';

/**
 * Policy governance in the staff console (Chromium, SQLite): an owner creates the document and a
 * draft with a sanitised preview, submits it; a privacy officer signs the review; the same person
 * and a person without the approver duty are refused with the API's own sentence; the approver
 * approves; the owner publishes, and the public policy page shows the text with the generated
 * history. A review past its due date shows as OVERDUE on the queue and the policy pages until a
 * review without change is recorded and approved.
 */

const SLUG = 'northwind-medical';
/** The README's screenshots are refreshed on request; otherwise they land with CI's artifacts. */
const SHOTS = process.env.VIGIL_UPDATE_SCREENSHOTS ? path.join('docs', 'screenshots') : SCREENSHOT_DIR;
const DAY = 86_400_000;
const POLICY = [
  '# Scope',
  '',
  'The infusion pump family and its cloud service.',
  '',
  '## Safe harbor',
  '',
  'We will not pursue good-faith research. <img src=x onerror=alert(1)>',
].join('\n');

describe.skipIf(toolMissing('chromium'))('policy governance in the console (Chromium, SQLite)', () => {
  let v: TestVigil;
  let base: string;
  let browser: Browser;
  const sessions: Record<string, string> = {};
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ({ v, base } = await startConsoleVigil());
    browser = await launchChromium();
    const people: [string, string, string, string[]][] = [
      ['owner', 'Olu Owner', 'lead', []],
      ['privacy', 'Priya Privacy', 'handler', ['privacy']],
      ['both', 'Bo Both', 'handler', ['privacy', 'approver']],
      ['ceo', 'Casey Chief', 'viewer', ['approver']],
    ];
    for (const [key, name, role, duties] of people) {
      const who = await enrolStaffUser(v, SLUG, `${key}@northwind.example`, name, role, duties);
      sessions[key] = (await signInWithTotp(base, who)).session;
    }
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await v?.destroy();
  });

  async function as(who: string, colorScheme: 'light' | 'dark' = 'light') {
    const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    await context.addCookies([{ name: 'vigil_session', value: sessions[who] as string, url: base }]);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    return { page, problems: await watchProblems(page) };
  }
  const docUrl = () => `${base}/console/policies/${SLUG}/disclosure-policy`;
  const versionCard = (page: Page) => page.getByRole('region', { name: /^Version 1\.0/ });

  it('takes a policy from draft to publication through two different people, refusing the rest', async () => {
    const owner = await as('owner');
    const page = owner.page;
    await page.goto(`${base}/console/`);
    await page.getByRole('link', { name: 'Policies' }).click();
    await page.getByRole('heading', { level: 1, name: 'Policies' }).waitFor();
    const section = page.getByRole('region', { name: /^Northwind Medical/ });
    await section.getByText('No policy document yet.').waitFor();
    await section.getByRole('button', { name: 'New policy document' }).click();
    await section.getByRole('button', { name: 'Create document' }).click();
    await page.getByRole('heading', { level: 1, name: 'Vulnerability Disclosure Policy' }).waitFor();

    // A draft, previewed as the console renders markdown: headings shifted, raw HTML never live.
    await page.getByLabel('Policy text').fill(POLICY);
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: 'Policy text (preview)' });
    await preview.getByRole('heading', { name: 'Safe harbor' }).waitFor();
    expect(await preview.locator('img').count()).toBe(0);
    expect(await preview.textContent()).toContain('<img src=x onerror=alert(1)>');
    await page.getByRole('button', { name: 'Write' }).click();
    await page.getByRole('button', { name: 'Create draft' }).click();
    await versionCard(page).getByText('draft', { exact: true }).waitFor();

    // Edit, save, submit.
    await page.getByLabel('Policy text').fill(POLICY.replace(' <img src=x onerror=alert(1)>', ''));
    await page.getByLabel('Record of changes').fill('First issue of the disclosure policy.');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await versionCard(page).getByText('in review', { exact: true }).waitFor();

    // Priya sends it back with a note; the owner sees it, changes the text and resubmits.
    const privacy = await as('privacy');
    await privacy.page.goto(docUrl());
    await privacy.page.getByLabel('Note to the author').fill('Name the cloud service in the scope.');
    await privacy.page.getByRole('button', { name: 'Send back to draft' }).click();
    await versionCard(privacy.page).getByText('draft', { exact: true }).waitFor();
    await page.reload();
    await versionCard(page)
      .getByText(/^Sent back to draft by Priya Privacy on .*: Name the cloud service in the scope\.$/)
      .waitFor();
    await page
      .getByLabel('Policy text')
      .fill(
        POLICY.replace(' <img src=x onerror=alert(1)>', '').replace(
          'its cloud service',
          'the Northwind Cloud service',
        ),
      );
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await versionCard(page).getByText('in review', { exact: true }).waitFor();

    // Bo signs the review, then may not approve the version they reviewed.
    const both = await as('both');
    await both.page.goto(docUrl());
    await both.page.getByRole('button', { name: 'Sign off the review' }).click();
    await both.page.getByText(/Review signed by Bo Both/).waitFor();
    await both.page.getByRole('button', { name: 'Approve', exact: true }).click();
    expect(await both.page.getByRole('alert').textContent()).toBe(
      'You reviewed this version, so you cannot also approve it: review and approval need two different people.',
    );
    // Priya holds the privacy duty, not the approver duty.
    await privacy.page.reload();
    await privacy.page.getByRole('button', { name: 'Approve', exact: true }).click();
    expect(await privacy.page.getByRole('alert').textContent()).toMatch(
      /^Only a holder of the approver duty in northwind-medical may approve/,
    );

    // Casey approves; the owner publishes.
    const ceo = await as('ceo');
    await ceo.page.goto(docUrl());
    await ceo.page.getByRole('button', { name: 'Approve', exact: true }).click();
    await versionCard(ceo.page).getByText('approved', { exact: true }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByRole('region', { name: 'Published text (version 1.0)' }).waitFor();
    const history = page.getByRole('table', { name: 'Revision history of Vulnerability Disclosure Policy' });
    const row = history.getByRole('row').nth(1);
    expect(await row.getByRole('rowheader').textContent()).toBe('1.0');
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells.slice(1)).toEqual(['First issue of the disclosure policy.', 'Bo Both', 'Casey Chief']);

    // The public page shows it, with the same generated history.
    const pub = await fetch(`${base}/p/${SLUG}/policy`);
    expect(pub.status).toBe(200);
    const html = await pub.text();
    expect(html).toContain('The infusion pump family and the Northwind Cloud service.');
    expect(html).toContain('First issue of the disclosure policy.');
    expect(html).toContain('Bo Both');
    expect(html).toContain('Casey Chief');
    const anon = await browser.newContext();
    contexts.push(anon);
    const reader = await anon.newPage();
    await reader.goto(`${base}/p/${SLUG}/policy`);
    const pubRow = reader.getByRole('region', { name: 'Revision history' }).getByRole('row').nth(1);
    expect((await pubRow.textContent())?.replace(/\s+/g, ' ').trim()).toMatch(
      /^1\.0 \d{4}-\d{2}-\d{2} First issue of the disclosure policy\. Bo Both Casey Chief$/,
    );

    for (const p of [owner, both, privacy, ceo])
      expect(p.problems.filter((x) => !/Failed to load resource.*\b403\b/.test(x))).toEqual([]);
  }, 120_000);

  it('announces a review due soon, then overdue, on the queue and the policy pages until the annual review is signed', async () => {
    const owner = await as('owner');
    const page = owner.page;
    // Reviewed 350 days ago: due within 30 days, announced on the queue but not overdue.
    const soon = new Date(Date.now() - 350 * DAY).toISOString();
    await v.db.kysely.updateTable('policy_documents').set({ last_reviewed_at: soon }).execute();
    await page.goto(`${base}/console/`);
    const dueSoon = page.getByRole('region', { name: 'Policy reviews due within 30 days' });
    await dueSoon.getByText('due soon', { exact: true }).waitFor();
    expect(await dueSoon.getByText('OVERDUE').count()).toBe(0);

    // The last review a year and more ago, as if the policy had been published then.
    const old = new Date(Date.now() - 400 * DAY).toISOString();
    await v.db.kysely.updateTable('policy_documents').set({ last_reviewed_at: old }).execute();
    await page.reload();
    const banner = page.getByRole('region', { name: 'Policy reviews overdue' });
    await banner.getByText('OVERDUE', { exact: true }).waitFor();
    await banner
      .getByRole('link', { name: /^Northwind Medical.*: Vulnerability Disclosure Policy$/ })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Vulnerability Disclosure Policy' }).waitFor();
    expect(await page.locator('.case-head .badge.overdue').textContent()).toBe('OVERDUE');
    await page.goto(`${base}/console/policies`);
    const row = page.getByRole('row', { name: /Vulnerability Disclosure Policy/ });
    expect(await row.getByRole('cell').nth(2).textContent()).toContain('OVERDUE');
    await fs.mkdir(SHOTS, { recursive: true });
    await page.goto(docUrl());
    await page.getByRole('region', { name: 'Revision history' }).getByRole('table').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'console-policy.png'), fullPage: true });

    // The annual review without change: privacy officer, then a different approver.
    const privacy = await as('privacy');
    await privacy.page.goto(docUrl());
    await privacy.page.getByLabel('Note (optional)').fill('Still accurate; no change needed.');
    await privacy.page.getByRole('button', { name: 'Record a review without change' }).click();
    await privacy.page.getByText(/waits for the approver’s sign-off/).waitFor();
    const ceo = await as('ceo');
    await ceo.page.goto(docUrl());
    await ceo.page.getByRole('button', { name: 'Approve the review' }).click();
    await ceo.page.getByRole('button', { name: 'Record a review without change' }).waitFor();
    expect(await ceo.page.locator('.case-head .badge.overdue').count()).toBe(0);
    const history = await ceo.page
      .getByRole('table', { name: 'Revision history of Vulnerability Disclosure Policy' })
      .getByRole('row')
      .allTextContents();
    expect(history.some((r) => /Priya Privacy.*Casey Chief/.test(r))).toBe(true);

    await page.goto(`${base}/console/`);
    await page.getByRole('heading', { level: 1, name: 'Case queue' }).waitFor();
    await page.getByText('No cases yet.').waitFor();
    // Every policy query of the queue has answered.
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('region', { name: /^Policy reviews/ }).count()).toBe(0);
    expect(owner.problems).toEqual([]);
  }, 120_000);

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no serious accessibility violations on the policy pages (${colorScheme})`, async () => {
      // A draft open for editing, so the editor is checked too.
      const owner = await as('owner', colorScheme);
      const page = owner.page;
      await page.goto(docUrl());
      const found: string[] = [];
      if (colorScheme === 'light') {
        await page.getByLabel('Record of changes').fill('Clarify the safe harbor.');
        await page.getByRole('button', { name: 'Create draft' }).click();
      }
      await page.getByRole('button', { name: 'Save draft' }).waitFor();
      for (const l of await seriousViolations(page)) found.push(`document ${l}`);
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByRole('region', { name: 'Policy text (preview)' }).waitFor();
      for (const l of await seriousViolations(page)) found.push(`preview ${l}`);
      await page.goto(`${base}/console/policies`);
      await page.getByRole('row', { name: /Vulnerability Disclosure Policy/ }).waitFor();
      for (const l of await seriousViolations(page)) found.push(`list ${l}`);
      expect(found).toEqual([]);
      expect(owner.problems).toEqual([]);
    }, 120_000);
  }
});
