/// <reference lib="dom" />
import fs from 'node:fs/promises';
import path from 'node:path';
import * as openpgp from 'openpgp';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import {
  enrolStaffUser,
  SCREENSHOT_DIR,
  seriousViolations,
  startConsoleVigil,
  watchProblems,
} from '../helpers/console.js';
import { validAnswers } from '../helpers/reports.js';
import { signInWithTotp } from '../helpers/session.js';
import type { TestVigil } from '../helpers/test-vigil.js';
import { toolMissing } from '../helpers/tools.js';
import { WARM_TIMEOUT, warmValidators } from '../helpers/validators.js';

/**
 * Advisories in the staff console (Chromium, SQLite): a confirmed, assessed case is drafted into
 * an advisory from the case page; the editor adds a blank vulnerability and removes one, and
 * shows the API's message under the list when none is left; it shows the API's message under a
 * bad field and keeps nothing of that save; a good save, then submission; the author sees Approve
 * disabled with the reason, while a second holder of the approver duty with the same display name
 * approves; the author publishes and the public advisory page shows the edited text. The
 * advisory page has no serious accessibility violations. Customers are imported from CSV all or
 * nothing, every bad line named; a contact is edited (a bad address refused under its field, then
 * a new name, address and key), the organisation's products changed, a contact added and one
 * removed; and the advisory lists who was told.
 */

const SLUG = 'northwind-medical';
const SHOTS = process.env.VIGIL_UPDATE_SCREENSHOTS ? path.join('docs', 'screenshots') : SCREENSHOT_DIR;
const TITLE = 'Authentication bypass in the Harbor gateway';
const SUMMARY =
  '## Impact\n\nAn attacker on the hospital network can bypass authentication. <img src=x onerror=alert(1)>';

describe.skipIf(toolMissing('chromium'))('advisories in the console (Chromium, SQLite)', () => {
  let v: TestVigil;
  let base: string;
  let browser: Browser;
  let leadToken: string;
  const sessions: Record<string, string> = {};
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await warmValidators();
    ({ v, base } = await startConsoleVigil());
    browser = await launchChromium();
    // The author holds the approver duty too, so only authorship stops them approving. The
    // approver shares the author's display name: only their user ids tell them apart.
    const people: [string, string, string, string[]][] = [
      ['lead', 'Lee Lead', 'lead', ['approver']],
      ['chief', 'Lee Lead', 'viewer', ['approver']],
    ];
    for (const [key, name, role, duties] of people) {
      const who = await enrolStaffUser(v, SLUG, `${key}@northwind.example`, name, role, duties);
      sessions[key] = (await signInWithTotp(base, who)).session;
    }
    leadToken = (
      await v.services.accounts.createToken(
        { userEmail: 'lead@northwind.example', scope: 'read-write' },
        'test',
      )
    ).token;
  }, WARM_TIMEOUT);
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

  async function lead(method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
    const res = await v.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${leadToken}` },
      ...(payload !== undefined ? { payload } : {}),
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  }

  /** A report taken to `confirmed` and assessed through the staff API. */
  async function confirmedAssessedCase(): Promise<string> {
    const program = await v.services.programs.get(SLUG);
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${SLUG}/reports`,
      payload: { fields: validAnswers(program, 'gateway login bypass') },
    });
    expect(res.statusCode, res.body).toBe(201);
    const n = res.json().caseNumber as string;
    await lead('POST', `/api/v1/reports/${n}/acknowledge`, { contactPerson: 'Lee Lead' });
    await lead('POST', `/api/v1/reports/${n}/start-verification`, {});
    await lead('POST', `/api/v1/reports/${n}/confirm`, {});
    await lead('PUT', `/api/v1/reports/${n}/assessment`, {
      cvss31: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N',
      cwe: 'CWE-287',
      affected: [{ productId: 'harbor-gateway', versions: '>= 2.0, < 2.4.1', fixedIn: '2.4.1' }],
    });
    return n;
  }

  it('drafts from the case, edits, submits, is approved by a second approver and published', async () => {
    const caseNumber = await confirmedAssessedCase();
    const author = await as('lead');
    const page = author.page;
    await page.goto(`${base}/console/cases/${caseNumber}`);
    await page.getByRole('button', { name: 'Draft advisory' }).click();
    await page.waitForURL(/\/console\/advisories\/[A-Z0-9]+-SA-\d{4}-\d{4,}$/);
    const id = decodeURIComponent(page.url().split('/').pop() as string);
    const revision = page.getByRole('region', { name: /^Revision 1/ });
    await revision.getByText('draft', { exact: true }).waitFor();
    expect(await page.getByLabel('CWE', { exact: true }).inputValue()).toBe('CWE-287');

    // A blank vulnerability, added and filled in, is saved beside the case's own.
    await page.getByRole('button', { name: 'Add vulnerability' }).click();
    const second = page.getByRole('region', { name: 'Vulnerability 2' });
    expect(await second.getByLabel('Product', { exact: true }).inputValue()).toBe('aurora-ip400');
    await second.getByLabel('Vulnerability title').fill('Hard-coded service password');
    await second
      .getByLabel('Description', { exact: true })
      .fill('The service port accepts a fixed password.');
    await second.getByLabel('Version', { exact: true }).fill('3.2');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Saved.').waitFor();
    let kept = (await lead('GET', `/api/v1/advisories/${id}`)).revisions[0].content.vulnerabilities;
    expect(kept).toHaveLength(2);
    expect(kept[1]).toMatchObject({
      title: 'Hard-coded service password',
      affected: [{ productId: 'aurora-ip400', versions: [{ version: '3.2', status: 'affected' }] }],
      credits: [],
      caseNumbers: [],
    });

    // With none left, the API refuses and its message sits under the list; nothing is kept.
    await second.getByRole('button', { name: 'Remove vulnerability 2' }).click();
    await page.getByRole('button', { name: 'Remove vulnerability 1' }).click();
    await page.getByText('No vulnerability in this draft.').waitFor();
    await page.getByRole('button', { name: 'Save draft' }).click();
    const add = page.getByRole('button', { name: 'Add vulnerability' });
    const listError = page.locator('#adv-vulnerabilities-error');
    await listError.waitFor();
    expect(await listError.textContent()).toBe('describe at least one vulnerability');
    expect(await add.getAttribute('aria-describedby')).toBe('adv-vulnerabilities-error');
    kept = (await lead('GET', `/api/v1/advisories/${id}`)).revisions[0].content.vulnerabilities;
    expect(kept).toHaveLength(2);

    // From the server's copy again, the added one goes and the case's stays.
    await page.reload();
    await page.getByRole('button', { name: 'Remove vulnerability 2' }).click();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Saved.').waitFor();
    kept = (await lead('GET', `/api/v1/advisories/${id}`)).revisions[0].content.vulnerabilities;
    expect(kept.map((x: { caseNumbers: string[] }) => x.caseNumbers)).toEqual([[caseNumber]]);

    // The summary preview renders markdown with raw HTML never live.
    await page.getByLabel('Title', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Title', { exact: true }).fill(TITLE);
    await page.getByLabel('Summary', { exact: true }).fill(SUMMARY);
    await page.getByRole('button', { name: 'Preview summary' }).click();
    const preview = page.getByRole('region', { name: 'Summary (preview)' });
    await preview.getByRole('heading', { name: 'Impact' }).waitFor();
    expect(await preview.locator('img').count()).toBe(0);
    await page.getByRole('button', { name: 'Write summary' }).click();

    // A bad CVE ID: the server's message sits under the field, and nothing of the save is kept.
    const cve = page.getByLabel('CVE ID');
    await cve.fill('CVE-12');
    await page.getByRole('button', { name: 'Save draft' }).click();
    const cveError = page.locator(`#${await cve.getAttribute('id')}-error`);
    expect(await cveError.textContent()).toBe('expected a CVE ID such as CVE-2026-12345');
    expect(await cve.getAttribute('aria-invalid')).toBe('true');
    expect((await cve.getAttribute('aria-describedby'))?.split(' ')).toContain(
      await cveError.getAttribute('id'),
    );
    const unchanged = await lead('GET', `/api/v1/advisories/${id}`);
    expect(unchanged.revisions[0].content.title).not.toBe(TITLE);

    await cve.fill('');
    // The embargo is typed in the program's time zone (America/Chicago, CDT in July), already past.
    await page.getByLabel('Publish not before').fill('2026-07-01T09:00');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Saved.').waitFor();
    expect(await cveError.count()).toBe(0);
    const saved = await lead('GET', `/api/v1/advisories/${id}`);
    expect(saved.revisions[0].content).toMatchObject({
      title: TITLE,
      summary: SUMMARY,
      publishNotBefore: '2026-07-01T14:00:00.000Z',
    });
    expect(await page.getByLabel('Publish not before').inputValue()).toBe('2026-07-01T09:00');
    await page
      .getByRole('region', { name: 'Checks' })
      .getByText(/^No errors in /)
      .waitFor();

    // Accessibility of the advisory page with the editor open, and the README's picture.
    expect(await seriousViolations(page)).toEqual([]);
    await fs.mkdir(SHOTS, { recursive: true });
    // From the top, so the sticky header is drawn where it belongs.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'console-advisory.png'), fullPage: true });

    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await revision.getByText('in review', { exact: true }).waitFor();
    const approve = page.getByRole('button', { name: 'Approve', exact: true });
    expect(await approve.isDisabled()).toBe(true);
    expect(await page.locator(`#${await approve.getAttribute('aria-describedby')}`).textContent()).toBe(
      'You wrote revision 1, so you cannot approve it: another holder of the approver duty must.',
    );
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);

    // The same-named approver is another person: the button is theirs to press, with no reason given.
    const chief = await as('chief');
    await chief.page.goto(`${base}/console/advisories/${id}`);
    const chiefApprove = chief.page.getByRole('button', { name: 'Approve', exact: true });
    await chiefApprove.waitFor();
    expect(await chiefApprove.isDisabled()).toBe(false);
    expect(await chiefApprove.getAttribute('aria-describedby')).toBeNull();
    await chiefApprove.click();
    await chief.page
      .getByRole('region', { name: /^Revision 1/ })
      .getByText('approved', { exact: true })
      .waitFor();
    // A viewer approves but does not publish.
    expect(await chief.page.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);

    await page.reload();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await revision.getByText('published', { exact: true }).waitFor();
    const link = page.getByRole('link', { name: `Public page of ${id}` });
    const href = (await link.getAttribute('href')) as string;
    expect(href).toBe(`${base}/p/${SLUG}/advisories/${id}`);
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${base}/console/advisories`);
    const row = page.getByRole('row', { name: new RegExp(id) });
    expect(await row.getByRole('cell').first().textContent()).toBe('published');

    // The public page, for anyone.
    const anon = await browser.newContext();
    contexts.push(anon);
    const reader = await anon.newPage();
    const res = await reader.goto(href);
    expect(res?.status()).toBe(200);
    expect(await reader.getByRole('heading', { level: 1 }).textContent()).toContain(TITLE);
    expect(await reader.getByRole('heading', { name: 'Impact' }).count()).toBeGreaterThan(0);
    expect(await reader.locator('img[src=x]').count()).toBe(0);

    // The refusals the browser logs are the two bad saves' 400s.
    expect(author.problems.filter((x) => !/status of 400 .*\/revisions\/1\)$/.test(x))).toEqual([]);
    expect(author.problems).toHaveLength(2);
    expect(chief.problems).toEqual([]);
  }, 180_000);

  it('imports customers from CSV with every bad line named, then lists them; the published advisory lists its notifications (dark)', async () => {
    const { page, problems } = await as('lead', 'dark');
    await page.goto(`${base}/console/advisories`);
    await page.getByRole('link', { name: 'Customers and coordinators' }).click();
    await page.getByRole('heading', { level: 1, name: /^Customers and coordinators of / }).waitFor();
    await page.getByText('No customer yet.').waitFor();

    const csv = (rows: string[]) => ['organisation,name,email,products', ...rows].join('\n');
    await page
      .getByLabel('CSV text')
      .fill(
        csv([
          'Mercy Clinics,Ola Ops,ops@mercy.example,harbor-gateway',
          'Mercy Clinics,Sam Shared,shared@mercy.example,toaster',
          'County Health,Cy County,not-an-address,harbor-gateway',
        ]),
      );
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const lines = page.getByRole('list', { name: 'Problems by line' }).getByRole('listitem');
    await lines.first().waitFor();
    const texts = await lines.allTextContents();
    expect(texts.map((t) => t.split(':')[0])).toEqual(['line 3', 'line 4']);
    expect(texts[0]).toMatch(/"toaster" is not a product/);
    // All or nothing: the good line was not kept either.
    expect(await page.getByText('No customer yet.').count()).toBe(1);

    await page.getByLabel('CSV text').fill(csv(['Mercy Clinics,Ola Ops,ops@mercy.example,harbor-gateway']));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText(/^Imported 1 rows: 1 organisations and 1 contacts added/).waitFor();
    const row = page.getByRole('row', { name: /Mercy Clinics/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('ops@mercy.example');
    expect(await seriousViolations(page)).toEqual([]);

    // Editing a contact: a bad address is refused under its field, and nothing of that save is kept.
    const stored = async () =>
      (
        (await lead('GET', `/api/v1/programs/${SLUG}/customers`)).organisations as {
          name: string;
          products: string[];
          contacts: { name: string; email: string; keyFingerprint: string | null }[];
        }[]
      ).find((o) => o.name === 'Mercy Clinics');
    await row.getByRole('button', { name: 'Edit Mercy Clinics' }).click();
    const editor = page.getByRole('region', { name: 'Edit Mercy Clinics' });
    // Named by the saved name, which changes below.
    const ola = editor.getByRole('form', { name: /^Contact Ola Op/ });
    const email = ola.getByLabel('Email', { exact: true });
    await ola.getByLabel('Name', { exact: true }).fill('Ola Operations');
    await email.fill('not-an-address');
    await ola.getByRole('button', { name: 'Save contact' }).click();
    const emailError = page.locator(`#${await email.getAttribute('id')}-error`);
    await emailError.waitFor();
    expect(await emailError.textContent()).toBe('expected an email address');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect((await stored())?.contacts).toEqual([
      { id: expect.any(String), name: 'Ola Ops', email: 'ops@mercy.example', keyFingerprint: null },
    ]);

    // A good save: new name, address and key; the table shows the key by fingerprint.
    const { publicKey } = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Ola', email: 'ola.ops@mercy.example' }],
      format: 'armored',
    });
    const fingerprint = (await openpgp.readKey({ armoredKey: publicKey })).getFingerprint().toUpperCase();
    await email.fill('ola.ops@mercy.example');
    await ola.getByLabel('OpenPGP public key').fill(publicKey);
    await ola.getByRole('button', { name: 'Save contact' }).click();
    await ola.getByText('Saved.').waitFor();
    expect(await emailError.count()).toBe(0);
    await row.getByText(`Ola Operations <ola.ops@mercy.example> · key ${fingerprint.slice(-16)}`).waitFor();

    // The organisation's products, a second contact, and the first one removed.
    const orgForm = editor.getByRole('form', { name: 'Organisation Mercy Clinics' });
    await orgForm.getByLabel('Beacon PM-7 Patient Monitor').check();
    await orgForm.getByRole('button', { name: 'Save organisation' }).click();
    await orgForm.getByText('Saved.').waitFor();
    const adding = editor.getByRole('form', { name: 'Add a contact' });
    await adding.getByLabel('Name', { exact: true }).fill('Sam Shared');
    await adding.getByLabel('Email', { exact: true }).fill('shared@mercy.example');
    await adding.getByRole('button', { name: 'Add contact' }).click();
    await row.getByText('Sam Shared <shared@mercy.example>').waitFor();
    await ola.getByRole('button', { name: 'Remove contact' }).click();
    await ola
      .getByRole('group', { name: 'Remove Ola Operations <ola.ops@mercy.example>?' })
      .getByRole('button', { name: 'Yes, remove' })
      .click();
    await editor.getByText('Removed Ola Operations <ola.ops@mercy.example>.').waitFor();
    expect(await row.textContent()).not.toContain('ola.ops@mercy.example');
    expect(await stored()).toMatchObject({
      products: ['beacon-pm7', 'harbor-gateway'],
      contacts: [{ name: 'Sam Shared', email: 'shared@mercy.example', keyFingerprint: null }],
    });
    expect(await seriousViolations(page)).toEqual([]);
    await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'console-customer-editor.png'), fullPage: true });

    // The advisory published in the first test told its reporter; the panel lists it.
    await page.goto(`${base}/console/advisories`);
    await page
      .getByRole('link', { name: /-SA-\d{4}-\d{4,}$/ })
      .first()
      .click();
    const panel = page.getByRole('region', { name: 'Notifications and sharing' });
    await panel.getByText(/^reporter .* · revision 1 \(publication\)/).waitFor();
    await page.getByRole('region', { name: 'Checks' }).waitFor({ state: 'detached' });
    expect(await seriousViolations(page)).toEqual([]);
    expect(
      problems.filter((x) => !/status of 400 .*\/customers\/(import|[^/]+\/contacts\/[^/]+)\)$/.test(x)),
    ).toEqual([]);
  }, 120_000);
});
