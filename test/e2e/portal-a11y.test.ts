/// <reference lib="dom" />

import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedExamplePolicies } from '../../src/policy/index.js';
import type { Program } from '../../src/programs/index.js';
import { launchChromium } from '../helpers/browser.js';
import { repoRoot } from '../helpers/cli.js';
import { validAnswers } from '../helpers/reports.js';
import { listenOnLoopback, startTestVigil, type TestVigil } from '../helpers/test-vigil.js';
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

describe.skipIf(toolMissing('chromium'))('portal accessibility (axe, WCAG 2.2 AA, light and dark)', () => {
  let v: TestVigil;
  let base: string;
  let browser: Browser;
  let privatePath: string;

  beforeAll(async () => {
    v = await startTestVigil('sqlite');
    base = await listenOnLoopback(v);
    browser = await launchChromium();
    const p = (await v.services.programs.list())[0] as Program;
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${p.slug}/reports`,
      payload: { fields: validAnswers(p, 'a11y') },
    });
    privatePath = new URL(res.json().reporterUrl).pathname;
    // The governed policy pages (table of contents, revision history) of the example programs.
    const seeded = await seedExamplePolicies(v.services, path.join(repoRoot, 'examples', 'policies'));
    expect(seeded).toHaveLength(2);
  });
  afterAll(async () => {
    await browser?.close();
    await v?.destroy();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no serious or critical violations on every public page (${colorScheme})`, async () => {
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      const paths = [
        '/',
        '/p/northwind-medical',
        '/p/lakeside-health',
        '/p/lakeside-health/report',
        '/p/northwind-medical/report',
        '/p/lakeside-health/policy',
        '/p/northwind-medical/policy/v/1.0',
        privatePath,
        `${privatePath}?received=1`,
        '/p/nope',
      ];
      const found: string[] = [];
      for (const p of paths) {
        await page.goto(`${base}${p}`);
        for (const line of await violations(page))
          found.push(`${p.replace(/\/r\/[^?]+/, '/r/<token>')} ${line}`);
      }
      // The refused form (error summary and inline messages) too.
      await page.goto(`${base}/p/lakeside-health/report`);
      await page.getByRole('button', { name: 'Send report' }).click();
      for (const line of await violations(page)) found.push(`refused form ${line}`);
      expect(found).toEqual([]);
      await context.close();
    });
  }
});
