/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../../src/programs/index.js';
import { launchChromium } from '../helpers/browser.js';
import {
  apiGet,
  nextTotpCode,
  type Receipt,
  screenshot,
  startConsoleVigil,
  submitReport,
  watchProblems,
} from '../helpers/console.js';
import { validAnswers } from '../helpers/reports.js';
import { totpCode } from '../helpers/session.js';
import type { TestVigil } from '../helpers/test-vigil.js';
import { toolMissing } from '../helpers/tools.js';

interface CaseBody {
  caseNumber: string;
  state: string;
  attachments: { name: string }[];
}
interface TimelineBody {
  items: (
    | { type: 'message'; author: string; visibility: string; body: string }
    | { type: 'action'; action: string; from: string | null; to: string | null }
    | { type: 'assignment' }
  )[];
}
interface AssessmentBody {
  cvss31?: { vector: string; score: number };
  cwe?: { id: string; name: string };
  ssvc?: { exploitation: string; decision: string };
  patientSafety?: { severity: string; phiInvolved: boolean; risk: string };
}

const ADMIN = {
  email: 'dana.whitfield@northwind.test',
  name: 'Dana Whitfield',
  password: 'a long passphrase for the PSIRT',
};
const DETAILS = 'The bolus library upload accepts unsigned files over the service port.';
const QUESTION = 'Which firmware build did you test, and was the service port enabled by default?';
const ANSWER = 'Firmware 4.2.1 build 311; the service port was enabled out of the box.';
const NOTE = 'Internal: reproduce on the bench pump before the Friday triage call.';
const SUMMARY = 'Confirmed: library uploads were not signature-checked. A fix ships in 4.3.0.';
const CVSS = 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

/**
 * The staff console from first start to a closed case, in Debian's Chromium against a real
 * server: first-admin setup, sign-out and sign-in with TOTP, a report arriving, and every step a
 * PSIRT takes on it, with the reporter answering on their private page. Each step is checked on
 * the screen and in the API; the reporter page shows what was sent and never an internal note.
 */
describe.skipIf(toolMissing('chromium'))('staff console end to end (Chromium, SQLite)', () => {
  let v: TestVigil;
  let base: string;
  let browser: Browser;
  let program: Program;

  beforeAll(async () => {
    ({ v, base } = await startConsoleVigil());
    browser = await launchChromium();
    program = (await v.services.programs.get('northwind-medical')) as Program;
  });
  afterAll(async () => {
    await browser?.close();
    await v?.destroy();
  });

  it('sets up the first admin, signs in again, and takes a report from receipt to closing', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // A missing element fails the step well before the test's timeout, naming the locator.
    page.setDefaultTimeout(30_000);
    const problems = await watchProblems(page);

    // The operator's setup link, as `vigil serve` prints it on an instance without users.
    expect(await v.services.auth.enrolment.needsFirstAdmin()).toBe(true);
    const link = await v.services.auth.enrolment.setupLink();
    expect(link.url.startsWith(`${base}/console/setup#`)).toBe(true);

    // Setup: the page shows the TOTP secret; an authenticator app would compute the code from it.
    await page.goto(link.url);
    await page.getByRole('heading', { level: 1, name: 'Set up your account' }).waitFor();
    const secretBox = page.locator('code.secret');
    await secretBox.waitFor();
    const secret = ((await secretBox.textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByRole('img', { name: 'QR code of the authenticator secret' }).waitFor();
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Name').fill(ADMIN.name);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByLabel('6-digit code from the app').fill(await totpCode(secret));
    await page.getByRole('button', { name: 'Create administrator' }).click();

    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    // The token leaves the address bar once used.
    expect(new URL(page.url()).hash).toBe('');
    expect(await v.services.auth.enrolment.needsFirstAdmin()).toBe(false);
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByRole('heading', { level: 1, name: 'Case queue' }).waitFor();
    // The link is spent: its page now says so.
    const used = await fetch(`${base}/api/v1/auth/setup/open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: link.url.split('#')[1] }),
    });
    expect(used.status).toBe(404);
    // The console sent the token in request bodies only: it is nowhere in the request log.
    expect(v.logs()).toContain('/api/v1/auth/setup/complete');
    expect(v.logs()).not.toContain(link.url.split('#')[1]);

    // Sign out, then in again with password and TOTP.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to the staff console' }).waitFor();
    expect((await context.request.get(`${base}/api/v1/auth/session`)).status()).toBe(401);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Authenticator code').fill(await nextTotpCode(secret));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Case queue' }).waitFor();
    const session = await apiGet<{ user: { email: string; name: string; role: string } }>(
      page,
      base,
      '/api/v1/auth/session',
    );
    expect(session.user).toMatchObject({ email: ADMIN.email, name: ADMIN.name, role: 'admin' });

    // A report arrives from a researcher, with a proof of concept attached.
    const answers = { ...validAnswers(program, 'flow'), description: DETAILS };
    const receipt: Receipt = await submitReport(base, program.slug, answers, [
      { name: 'poc-upload.py', type: 'text/x-python', data: Buffer.from('print("unsigned")\n') },
    ]);
    expect(receipt.reporterUrl.startsWith(`${base}/r/`)).toBe(true);
    const caseNumber = receipt.caseNumber;
    const casePath = `/api/v1/reports/${caseNumber}`;

    // The queue lists it with its running acknowledgement clock (5 business days for this program).
    await page.reload();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: caseNumber }) });
    await row.waitFor();
    // The first cell is the row's checkbox for bulk actions.
    expect(await row.getByRole('cell').nth(1).textContent()).toBe(program.definition.name);
    expect(await row.getByRole('cell').nth(2).textContent()).toBe('received');
    expect(await row.getByRole('cell').nth(4).textContent()).toBe('unassigned');
    await expect
      .poll(() => row.locator('.clock').textContent())
      .toMatch(/^Acknowledge: \d+ business days? left$/);
    await screenshot(page, 'console-queue.png');

    // Open the case: the report, its attachment and its deadlines.
    await row.getByRole('link', { name: caseNumber }).click();
    await page.getByRole('heading', { level: 1, name: caseNumber }).waitFor();
    await page.getByText(DETAILS).waitFor();
    await page.getByRole('link', { name: 'poc-upload.py' }).waitFor();
    await expect
      .poll(() => page.getByRole('list', { name: 'Deadlines' }).textContent())
      .toMatch(/Acknowledge: \d+ business days? left/);
    expect(await page.title()).toBe(`${caseNumber} (received) · Vigil console`);

    // Acknowledge, naming the contact person the reporter will see.
    await runAction(page, 'Acknowledge', async (form) => {
      const contact = form.getByLabel('Contact person named to the reporter');
      expect(await contact.inputValue()).toBe(ADMIN.name);
      await contact.fill('Dana Whitfield, Northwind PSIRT');
    });
    await expect.poll(async () => (await apiGet<CaseBody>(page, base, casePath)).state).toBe('acknowledged');
    await expect.poll(() => page.title()).toBe(`${caseNumber} (acknowledged) · Vigil console`);

    // Ask the reporter for more, and keep a note for the team only.
    await runAction(page, 'Request more information', (form) =>
      form.getByLabel('Message to the reporter').fill(QUESTION),
    );
    await page.getByRole('list').filter({ hasText: QUESTION }).first().waitFor();
    await page.getByLabel('Message', { exact: true }).fill(NOTE);
    await page.getByRole('button', { name: 'Add internal note' }).click();
    await page.getByText('Internal note added.').waitFor();
    const noteEntry = page.locator('ol.timeline > li').filter({ hasText: NOTE });
    await noteEntry.waitFor();
    expect(await noteEntry.textContent()).toContain('Internal — never sent to the reporter');
    expect((await apiGet<CaseBody>(page, base, casePath)).state).toBe('acknowledged');

    // The reporter (no staff cookie) sees the acknowledgement, the contact person and the question,
    // never the internal note, and answers on the private page.
    const reporterContext = await browser.newContext();
    const reporter = await reporterContext.newPage();
    const reporterProblems = await watchProblems(reporter);
    await reporter.goto(receipt.reporterUrl);
    await reporter.getByRole('heading', { level: 1, name: `Case ${caseNumber}` }).waitFor();
    const facts = await reporter.locator('dl.kv').first().textContent();
    expect(facts).toContain('Acknowledged');
    expect(facts).toContain('Dana Whitfield, Northwind PSIRT');
    const messages = reporter.getByRole('region', { name: 'Messages' });
    expect(await messages.textContent()).toContain(QUESTION);
    expect(await reporter.content()).not.toContain(NOTE);
    await reporter.getByLabel('Message', { exact: true }).fill(ANSWER);
    await reporter.getByRole('button', { name: 'Send' }).click();
    await reporter.getByText('Your message was sent.').waitFor();
    expect(await messages.textContent()).toContain(ANSWER);

    // The answer reaches the case timeline, marked as from the reporter.
    await page.reload();
    const answerEntry = page.locator('ol.timeline > li').filter({ hasText: ANSWER });
    await answerEntry.waitFor();
    expect(await answerEntry.textContent()).toContain('message from the reporter');
    const timeline = await apiGet<TimelineBody>(page, base, `${casePath}/timeline`);
    expect(timeline.items.filter((i) => i.type === 'message')).toEqual([
      expect.objectContaining({ author: 'staff', visibility: 'reporter', body: QUESTION }),
      expect.objectContaining({ author: 'staff', visibility: 'internal', body: NOTE }),
      expect.objectContaining({ author: 'reporter', body: ANSWER }),
    ]);

    // Verify and assess: CVSS 3.1, a CWE picked from the catalogue, SSVC and patient safety.
    await runAction(page, 'Start verification', async () => {});
    await expect
      .poll(async () => (await apiGet<CaseBody>(page, base, casePath)).state)
      .toBe('in_verification');
    await page.getByLabel('CVSS 3.1 vector').fill(CVSS);
    await expect.poll(() => page.locator('#cvss31-hint').textContent()).toContain('Preview score 8.8');
    const cwe = page.getByRole('combobox', { name: 'CWE' });
    await cwe.fill('hard-coded credentials');
    const option = page.getByRole('listbox', { name: 'Matching CWE entries' }).getByRole('option');
    await option.filter({ hasText: 'CWE-798' }).waitFor();
    const index = (await option.allTextContents()).findIndex((t) => t.startsWith('CWE-798'));
    for (let i = 0; i <= index; i++) await cwe.press('ArrowDown');
    await cwe.press('Enter');
    expect(await cwe.inputValue()).toBe('CWE-798');
    await page.getByLabel('Assess with SSVC').check();
    await page.getByLabel('Exploitation').selectOption('public-poc');
    await page.getByLabel('Utility').selectOption('efficient');
    await page.getByLabel('Technical impact').selectOption('total');
    await page.getByLabel('Public safety impact').selectOption('significant');
    await page.getByLabel('Severity of potential harm').selectOption('serious');
    await page.getByLabel('Protected health information involved').check();
    await page.getByLabel('Patient-safety notes').fill('A wrong bolus library could over-infuse.');
    await page.getByRole('button', { name: 'Save assessment' }).click();
    await page.getByText('Assessment saved.').waitFor();
    await expect.poll(() => page.locator('#cvss31-hint').textContent()).toBe('Score 8.8.');
    const assessment = await apiGet<AssessmentBody>(page, base, `${casePath}/assessment`);
    expect(assessment.cvss31).toMatchObject({ vector: CVSS, score: 8.8 });
    expect(assessment.cwe?.id).toBe('CWE-798');
    expect(assessment.ssvc?.exploitation).toBe('public-poc');
    expect(assessment.ssvc?.decision).toEqual(expect.any(String));
    expect(assessment.patientSafety).toMatchObject({ severity: 'serious', phiInvolved: true });
    const assessmentCard = page.getByRole('region', { name: 'Assessment' });
    expect(await assessmentCard.textContent()).toContain(`SSVC decision: ${assessment.ssvc?.decision}`);
    expect(await assessmentCard.textContent()).toContain(
      `Patient-safety risk: ${assessment.patientSafety?.risk}`,
    );

    // Confirm, send the summary of findings, close.
    await runAction(page, 'Confirm', async () => {});
    await expect.poll(async () => (await apiGet<CaseBody>(page, base, casePath)).state).toBe('confirmed');
    await runAction(page, 'Send summary of findings', (form) =>
      form.getByLabel('Summary of findings').fill(SUMMARY),
    );
    await runAction(page, 'Close', (form) =>
      form.getByLabel('Message to the reporter (optional)').fill('Thank you; we are closing this case.'),
    );
    await expect.poll(async () => (await apiGet<CaseBody>(page, base, casePath)).state).toBe('closed');
    await expect.poll(() => page.title()).toBe(`${caseNumber} (closed) · Vigil console`);
    const actions = (await apiGet<TimelineBody>(page, base, `${casePath}/timeline`)).items.flatMap((i) =>
      i.type === 'action' ? [`${i.action} ${i.from}→${i.to}`] : [],
    );
    expect(actions).toEqual([
      'received null→received',
      'acknowledge received→acknowledged',
      'request-info acknowledged→acknowledged',
      'start-verification acknowledged→in_verification',
      'confirm in_verification→confirmed',
      'summary confirmed→confirmed',
      'close confirmed→closed',
    ]);
    await page.getByRole('region', { name: 'Timeline' }).getByText(SUMMARY).waitFor();
    await screenshot(page, 'console-case.png');

    // The reporter sees the summary and the closed state, still without the internal note.
    await reporter.reload();
    expect(await reporter.locator('dl.kv').first().textContent()).toContain('Closed');
    const finalMessages = (await messages.textContent()) ?? '';
    expect(finalMessages).toContain(SUMMARY);
    expect(finalMessages).toContain('Thank you; we are closing this case.');
    expect(await reporter.content()).not.toContain(NOTE);

    expect(problems).toEqual([]);
    expect(reporterProblems).toEqual([]);
    await reporterContext.close();
    await context.close();
  }, 120_000);
});

/** Open a case action's form, fill it, submit it and wait for the console to say it is done. */
async function runAction(
  page: Page,
  label: string,
  fill: (form: ReturnType<Page['getByRole']>) => Promise<unknown>,
): Promise<void> {
  await page
    .getByRole('region', { name: 'Actions' })
    .getByRole('button', { name: label, exact: true })
    .click();
  const form = page.getByRole('form', { name: label });
  await form.waitFor();
  await fill(form);
  await form.getByRole('button', { name: label, exact: true }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `${label}: done.` })
    .waitFor();
}
