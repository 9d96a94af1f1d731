/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../src/programs/index.js';
import { launchChromium } from '../helpers/browser.js';
import { type Receipt, startConsoleVigil, submitReport, watchProblems } from '../helpers/console.js';
import { validAnswers } from '../helpers/reports.js';
import { createUserWithTotp, type SignedIn, signInWithTotp } from '../helpers/session.js';
import type { TestVigil } from '../helpers/test-vigil.js';
import { toolMissing } from '../helpers/tools.js';

/**
 * Every piece of reporter-controlled text (and a staff name) carries script and HTML payloads;
 * each payload, if it ever ran, would set `window.__xss`. The console (queue, case page,
 * timeline, similar cases) and the reporter's page must show them as text: no dialog, no marker,
 * no injected element, no `javascript:` link.
 */

/** One line per trick; each would set the marker if the browser ever treated it as markup or a link. */
const PAYLOAD_LINES = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=2">',
  '<svg onload="window.__xss=3"></svg>',
  '[click me](javascript:window.__xss=4)',
  '[entity link](jav&#x61;script&#58;window.__xss=5)',
  '![pixel](https://attacker.example/p.png)',
  '![img js](javascript:window.__xss=6)',
  '<javascript:window.__xss=7>',
  '"><iframe srcdoc="<script>parent.__xss=8</script>"></iframe>',
  "' onmouseover='window.__xss=9' x='",
  '&lt;script&gt;window.__xss=10&lt;/script&gt;',
  '<details open ontoggle="window.__xss=11">d</details>',
  '<a href="javascript:window.__xss=12">raw link</a>',
  '[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTM8L3NjcmlwdD4=)',
];
const PAYLOAD = PAYLOAD_LINES.join('\n\n');
/** Fits one-line fields (and is itself a payload). */
const SHORT = '"><img src=x onerror=window.__xss=20>';
/** The first line of the summary: what the similar-cases panel shows as the title. */
const TITLE_LINE = '<img src=x onerror=window.__xss=30> infusion library upload';
/** Vigil replaces `<>:"|?*` in stored file names, so this one breaks out of attributes with quotes and entities. */
const FILE_NAME = "' onmouseover='window.__xss=40' x='&lt;img src=x onerror=window.__xss=41&gt;.txt";
const STAFF_NAME = '<svg onload=window.__xss=50>';

/** Texts that must appear verbatim as text on the page (proof the payload was shown, not dropped). */
const VISIBLE_AS_TEXT = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=2">',
  '[click me](javascript:window.__xss=4)',
  '<a href="javascript:window.__xss=12">raw link</a>',
];

/** What an injection would leave in the DOM, as a list of descriptions (empty when inert). */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const marker = (window as unknown as { __xss?: unknown }).__xss;
    if (marker !== undefined) found.push(`window.__xss = ${String(marker)}`);
    const selectors = [
      'script:not([src])',
      'img[src="x"]',
      'svg[onload]',
      'iframe',
      'object',
      'embed',
      'details[ontoggle]',
      'a[href^="javascript:" i]',
      'a[href^="data:" i]',
      'img[src^="https://attacker.example"]',
      '.report-body img',
    ];
    for (const s of selectors)
      for (const el of Array.from(document.querySelectorAll(s)))
        found.push(`${s}: ${el.outerHTML.slice(0, 120)}`);
    for (const el of Array.from(document.querySelectorAll('*')))
      for (const a of el.getAttributeNames())
        if (/^on/i.test(a)) found.push(`[${a}] on <${el.tagName.toLowerCase()}>`);
    return found;
  });
}

describe.skipIf(toolMissing('chromium'))('hostile report content renders inert (Chromium)', () => {
  let v: TestVigil;
  let base: string;
  let browser: Browser;
  let program: Program;
  let staff: SignedIn;
  let first: Receipt;
  let second: Receipt;

  beforeAll(async () => {
    ({ v, base } = await startConsoleVigil());
    browser = await launchChromium();
    program = (await v.services.programs.get('lakeside-health')) as Program;
    const user = await createUserWithTotp(v, {
      email: 'lead@lakeside.test',
      name: STAFF_NAME,
      role: 'admin',
    });
    staff = await signInWithTotp(base, user);

    const answers: Record<string, string> = {
      ...validAnswers(program, 'xss'),
      name: SHORT,
      organization: SHORT,
      jobTitle: SHORT,
      publicKey: PAYLOAD,
      cveCredit: 'yes',
      cveCreditText: SHORT,
      summary: `${TITLE_LINE}\n\n${PAYLOAD}`,
      details: PAYLOAD,
      cwe: '<svg/onload=__xss=1>',
      stepsToReproduce: PAYLOAD,
      version: SHORT,
    };
    const file = {
      name: FILE_NAME,
      type: 'text/html',
      data: Buffer.from('<script>window.__xss=60</script>'),
    };
    first = await submitReport(base, program.slug, answers, [file]);
    // A second, near-identical report, so the similar-cases panel lists a hostile title.
    second = await submitReport(base, program.slug, answers);

    // Staff side: a message to the reporter and an internal note, both hostile; the contact
    // person named at acknowledgement too. Then the reporter answers with the payload.
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${base}/api/v1/reports/${first.caseNumber}/${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: staff.cookie,
          'x-csrf-token': staff.csrfToken,
        },
        body: JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    };
    await post('acknowledge', { contactPerson: SHORT });
    await post('request-info', { message: PAYLOAD });
    await post('messages', { body: PAYLOAD, visibility: 'internal' });
    await post('assign', { userId: user.id });
    const form = new FormData();
    form.set('message', PAYLOAD);
    const reply = await fetch(`${first.reporterUrl}/messages`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(reply.status).toBe(303);
  });
  afterAll(async () => {
    await browser?.close();
    await v?.destroy();
  });

  async function staffPage(): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
    const context = await browser.newContext();
    await context.addCookies([{ name: 'vigil_session', value: staff.session, url: base }]);
    const page = await context.newPage();
    // Fail on a missing element well before the test's own timeout, naming the locator.
    page.setDefaultTimeout(30_000);
    const problems = await watchProblems(page);
    return { page, problems, close: () => context.close() };
  }

  it('keeps the queue inert, with the hostile assignee name shown as text', async () => {
    const { page, problems, close } = await staffPage();
    await page.goto(`${base}/console/`);
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: first.caseNumber }) });
    await row.waitFor();
    // Cells: the bulk checkbox, program, state, severity, assignee.
    await expect.poll(() => row.getByRole('cell').nth(4).textContent()).toBe(STAFF_NAME);
    expect(await injected(page)).toEqual([]);
    expect(problems).toEqual([]);
    await close();
  });

  it('keeps the case page inert: report, answers, attachment name, timeline, similar cases', async () => {
    const { page, problems, close } = await staffPage();
    await page.goto(`${base}/console/cases/${first.caseNumber}`);
    await page.getByRole('heading', { level: 1, name: first.caseNumber }).waitFor();
    // Wait for every part that shows reporter text to have loaded.
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.locator('ol.timeline > li').filter({ hasText: 'message from the reporter' }).waitFor();
    await page.getByRole('link', { name: FILE_NAME }).waitFor();
    const similar = page.getByRole('region', { name: 'Similar cases' });
    await similar.getByText(second.caseNumber).waitFor();
    expect(await similar.textContent()).toContain(TITLE_LINE);
    await page.getByRole('region', { name: 'Reporter contact' }).getByText(SHORT).first().waitFor();

    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text (what a person reads) is the point
    const text = await page.locator('main').innerText();
    for (const t of VISIBLE_AS_TEXT) expect(text).toContain(t);
    expect(text).toContain(STAFF_NAME);
    expect(text).toContain('<svg/onload=__xss=1>');
    // Three hostile messages (to the reporter, internal, from the reporter), each shown verbatim.
    const bodies = await timeline.locator('.tl-body').allTextContents();
    expect(bodies.filter((b) => b === PAYLOAD)).toHaveLength(3);

    // An injected handler waiting for the pointer would have its chance here.
    await page.locator('.report-body').first().hover();
    expect(await injected(page)).toEqual([]);
    // The rendered markdown keeps only safe links: the https autolink, never javascript: or data:.
    const hrefs = await page
      .locator('.report-body a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')).filter((h) => h !== null));
    for (const h of hrefs) expect(h).toMatch(/^(https?:|mailto:)/);
    expect(problems).toEqual([]);
    await close();
  });

  it('keeps the reporter page inert, and shows the payloads as text', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = await watchProblems(page);
    await page.goto(first.reporterUrl);
    await page.getByRole('heading', { level: 1, name: `Case ${first.caseNumber}` }).waitFor();
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text (what a person reads) is the point
    const text = await page.locator('main').innerText();
    for (const t of VISIBLE_AS_TEXT) expect(text).toContain(t);
    expect(text).toContain(SHORT); // the contact person named at acknowledgement
    expect(text).toContain(FILE_NAME);
    expect(await injected(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('would notice an injection (the detector itself works)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/console/sign-in`);
    await page.evaluate((html) => {
      const div = document.createElement('div');
      div.innerHTML = html;
      document.body.append(div);
      (window as unknown as { __xss?: number }).__xss = 99;
    }, '<img src=x onerror="window.__xss=98"><a href="javascript:void 0">x</a>');
    expect(await injected(page)).toEqual([
      'window.__xss = 99',
      'img[src="x"]: <img src="x" onerror="window.__xss=98">',
      'a[href^="javascript:" i]: <a href="javascript:void 0">x</a>',
      '[onerror] on <img>',
    ]);
    await context.close();
  });
});
