import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createManualClock } from '../src/core/clock.js';
import type { Program } from '../src/programs/index.js';
import { launchChromium } from './helpers/browser.js';
import { validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';
import { toolMissing } from './helpers/tools.js';
import { WARM_TIMEOUT, warmValidators } from './helpers/validators.js';

/**
 * The public side of advisories: the per-program and instance-wide indexes, the advisory page,
 * the Atom feeds (parsed by Chromium's XML parser, which refuses anything not well-formed) and
 * the acknowledgements page. Only published TLP:CLEAR revisions appear; an embargoed one stays
 * invisible until the embargo job runs past its instant (clock moved, never slept). The
 * reporter's contact details appear in no page, feed or API answer.
 *
 * `northwind-ack` is Northwind with a credit question added to its form, so its reporters can
 * consent to public acknowledgement in their own words.
 */

const SLUG = 'northwind-ack';
const DAY = 86_400_000;

interface ParsedFeed {
  error: string | null;
  ns: string | null;
  id: string | null;
  title: string | null;
  updated: string | null;
  self: string | null;
  entries: { id: string; title: string; updated: string; published: string; link: string; summary: string }[];
}

describe.skipIf(toolMissing('chromium')).each(dialects)('advisory portal (%s)', (dialect) => {
  const clock = createManualClock(new Date('2027-05-03T14:00:00.000Z'));
  const tag = randomBytes(4).toString('hex');
  const canary = {
    contactNames: `Canary Person ${tag}`,
    email: `canary-${tag}@reporter.example`,
    phone: `+1 612 555 ${String(parseInt(tag.slice(0, 4), 16) % 10000).padStart(4, '0')}`,
    organization: `Canary Labs ${tag}`,
  };
  const credit = `The Pump Whisperers ${tag}`;
  const declined = `Declined Credit ${tag}`;
  let v: TestVigil;
  let program: Program;
  let browser: Browser;
  let page: Page;
  const tokens: Record<string, string> = {};
  /** Every public body fetched, scanned for the canary at the end. */
  const fetched: string[] = [];

  async function get(url: string) {
    const res = await v.app.inject({ method: 'GET', url });
    fetched.push(res.body);
    return res;
  }
  async function api(who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
    const res = await v.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[who]}` },
      ...(payload !== undefined ? { payload } : {}),
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    if (url.startsWith('/api/v1/advisories')) fetched.push(res.body);
    return res.json();
  }

  async function confirmedCase(fields: Record<string, string>): Promise<string> {
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${SLUG}/reports`,
      payload: { fields: { ...validAnswers(program, 'portal test', canary.email), ...canary, ...fields } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const n = res.json().caseNumber as string;
    await api('lead', 'POST', `/api/v1/reports/${n}/acknowledge`, { contactPerson: 'Lee Lead' });
    await api('lead', 'POST', `/api/v1/reports/${n}/start-verification`, {});
    await api('lead', 'POST', `/api/v1/reports/${n}/confirm`, {});
    await api('lead', 'PUT', `/api/v1/reports/${n}/assessment`, {
      cvss31: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      cvss40: 'CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      cwe: 'CWE-347',
      affected: [{ productId: 'aurora-ip400', versions: '>= 3.0, < 3.4.2', fixedIn: '3.4.2' }],
    });
    return n;
  }

  /** Draft, change the content, then submit, approve and publish; the advisory as the API answers. */
  async function publishAdvisory(cases: string[], change: (c: Record<string, unknown>) => object) {
    const draft = await api('lead', 'POST', '/api/v1/advisories', { cases });
    const url = `/api/v1/advisories/${draft.id}/revisions/1`;
    await api('lead', 'PUT', url, change(draft.revisions[0].content));
    await api('lead', 'POST', `${url}/submit`);
    await api('approver', 'POST', `${url}/approve`);
    return api('lead', 'POST', `${url}/publish`);
  }

  async function feed(url: string): Promise<ParsedFeed> {
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    return page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      const error = doc.getElementsByTagName('parsererror')[0];
      const root = doc.documentElement;
      const child = (el: Element, name: string) =>
        [...el.children].filter((c) => c.localName === name && c.namespaceURI === root.namespaceURI);
      const text = (el: Element, name: string) => {
        const found = child(el, name);
        return found.length === 1 ? (found[0]?.textContent ?? null) : null;
      };
      return {
        error: error ? (error.textContent ?? 'error') : null,
        ns: root.namespaceURI,
        id: text(root, 'id'),
        title: text(root, 'title'),
        updated: text(root, 'updated'),
        self:
          child(root, 'link')
            .find((l) => l.getAttribute('rel') === 'self')
            ?.getAttribute('href') ?? null,
        entries: child(root, 'entry').map((e) => ({
          id: text(e, 'id') ?? '',
          title: text(e, 'title') ?? '',
          updated: text(e, 'updated') ?? '',
          published: text(e, 'published') ?? '',
          link:
            child(e, 'link')
              .find((l) => l.getAttribute('rel') === 'alternate')
              ?.getAttribute('href') ?? '',
          summary: text(e, 'summary') ?? '',
        })),
      };
    }, res.body);
  }

  const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

  beforeAll(async () => {
    await warmValidators();
    v = await startTestVigil(dialect, { clock });
    // Northwind's form asks for consent to public acknowledgement and its words (`credit`, `creditText`).
    const copy = parse(await v.services.programs.exportYaml('northwind-medical')) as Record<string, unknown>;
    await v.services.programs.importYaml(
      stringify({ ...copy, slug: SLUG, name: 'Northwind acknowledgements program', casePrefix: 'NWA' }),
      'test',
    );
    program = await v.services.programs.get(SLUG);
    for (const [key, role, duties] of [
      ['lead', 'lead', []],
      ['approver', 'viewer', ['approver']],
    ] as const) {
      const email = `${key}@portal.test`;
      await v.services.accounts.createUser({ email, role, program: SLUG, duties: [...duties] }, 'test');
      tokens[key] = (
        await v.services.accounts.createToken({ userEmail: email, scope: 'read-write' }, 'test')
      ).token;
    }
    browser = await launchChromium();
    page = await browser.newPage();
  }, WARM_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await v?.destroy();
  });

  let first: string;
  let embargoed: string;
  let embargo: Date;

  it('shows empty indexes and valid empty feeds before anything is published; drafts are not public', async () => {
    const caseA = await confirmedCase({ credit: 'yes', creditText: credit });
    const draft = await api('lead', 'POST', '/api/v1/advisories', { cases: [caseA] });
    const index = await get(`/p/${SLUG}/advisories`);
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('No security advisory has been published yet.');
    expect((await get(`/p/${SLUG}/advisories/${draft.id}`)).statusCode).toBe(404);
    const f = await feed(`/p/${SLUG}/advisories.atom`);
    expect(f).toMatchObject({ error: null, ns: 'http://www.w3.org/2005/Atom', entries: [] });
    expect(f.updated).toMatch(RFC3339);
    expect((await get('/p/no-such-program/advisories')).statusCode).toBe(404);
    // The program page links its advisories and, since it thanks publicly, its acknowledgements.
    const programPage = (await get(`/p/${SLUG}`)).body;
    expect(programPage).toContain(`href="/p/${SLUG}/advisories"`);
    expect(programPage).toContain(`href="/p/${SLUG}/acknowledgements"`);
    expect((await get('/p/lakeside-health')).body).not.toContain('/p/lakeside-health/acknowledgements');
    expect((await get('/')).body).toContain('href="/advisories"');
  });

  it('publishes an advisory page with everything it says, and no internal detail', async () => {
    const caseA = await confirmedCase({ credit: 'yes', creditText: credit });
    const caseB = await confirmedCase({ credit: 'no', creditText: declined });
    const published = await publishAdvisory([caseA, caseB], (c) => ({
      ...c,
      title: 'Unsigned drug-library updates accepted by the Aurora IP-400',
      summary: 'The pump accepts **unsigned** drug libraries.\n\n<script>alert(1)</script>',
      mitigations: 'Keep pumps on an isolated network segment.',
      references: [
        { url: 'https://northwind-medical.example/security/aurora', summary: 'Aurora security notes' },
      ],
      vulnerabilities: (c.vulnerabilities as Record<string, unknown>[]).map((x, i) => ({
        ...x,
        cve: `CVE-2027-2000${i}`,
      })),
    }));
    first = published.id;
    expect(first).toBe('NWA-SA-2027-0002');
    const res = await get(`/p/${SLUG}/advisories/${first}`);
    expect(res.statusCode).toBe(200);
    const body = res.body;
    for (const expected of [
      'Unsigned drug-library updates accepted by the Aurora IP-400',
      '<strong>unsigned</strong>',
      '&lt;script&gt;alert(1)&lt;/script&gt;',
      'CVE-2027-20000',
      'CVE-2027-20001',
      'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      'CWE-347',
      'Aurora IP-400 Infusion Pump',
      'from 3.0, before 3.4.2',
      'Update Aurora IP-400 Infusion Pump to version 3.4.2 or later.',
      'Keep pumps on an isolated network segment.',
      'https://northwind-medical.example/security/aurora',
      credit,
      'Initial release.',
      'TLP:CLEAR',
    ])
      expect(body, expected).toContain(expected);
    expect(body).not.toContain('<script>alert');
    expect(body).not.toContain(declined);
    for (const n of [caseA, caseB]) expect(body).not.toContain(n);
    expect(body).not.toContain('Lee Lead');

    const index = (await get(`/p/${SLUG}/advisories`)).body;
    expect(index).toContain(`href="/p/${SLUG}/advisories/${first}"`);
    expect(index).toContain('High');
    expect((await get('/advisories')).body).toContain(`href="/p/${SLUG}/advisories/${first}"`);
    // The same id under another program is not there.
    expect((await get(`/p/northwind-medical/advisories/${first}`)).statusCode).toBe(404);
  });

  it('keeps anything but TLP:CLEAR off the public pages and feeds', async () => {
    const amber = await publishAdvisory([await confirmedCase({})], (c) => ({ ...c, tlp: 'AMBER' }));
    expect(amber.state).toBe('published');
    expect((await get(`/p/${SLUG}/advisories/${amber.id}`)).statusCode).toBe(404);
    expect((await get(`/p/${SLUG}/advisories`)).body).not.toContain(amber.id);
    expect((await get('/advisories')).body).not.toContain(amber.id);
    for (const url of [`/p/${SLUG}/advisories.atom`, '/advisories.atom'])
      expect((await feed(url)).entries.map((e) => e.link)).not.toContain(
        `https://vigil.test/p/${SLUG}/advisories/${amber.id}`,
      );
  });

  it('keeps an embargoed advisory invisible until the embargo job runs past its instant', async () => {
    embargo = new Date(clock.now().getTime() + DAY);
    const scheduled = await publishAdvisory([await confirmedCase({})], (c) => ({
      ...c,
      title: `Embargoed monitor issue ${tag}`,
      publishNotBefore: embargo.toISOString(),
    }));
    embargoed = scheduled.id;
    expect(scheduled.openRevision).toMatchObject({ state: 'scheduled' });
    const invisible = async () => {
      expect((await get(`/p/${SLUG}/advisories/${embargoed}`)).statusCode).toBe(404);
      expect((await get(`/p/${SLUG}/advisories`)).body).not.toContain(embargoed);
      expect((await feed(`/p/${SLUG}/advisories.atom`)).entries.map((e) => e.title).join()).not.toContain(
        'Embargoed',
      );
    };
    await invisible();
    clock.set(new Date(embargo.getTime() - 1));
    expect(await v.embargo.runOnce()).toEqual([]);
    await invisible();
    // The instant has passed, but only the job publishes.
    clock.set(embargo);
    await invisible();
    expect(await v.embargo.runOnce()).toEqual([embargoed]);
    const page = await get(`/p/${SLUG}/advisories/${embargoed}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Embargoed monitor issue ${tag}`);
  });

  it('serves valid Atom feeds per program and for the instance, updated by corrections', async () => {
    clock.advance(2 * DAY);
    const rev2 = await api('lead', 'POST', `/api/v1/advisories/${first}/revisions`, {
      summary: 'Added the network mitigation for older firmware.',
    });
    const url = `/api/v1/advisories/${first}/revisions/2`;
    await api('lead', 'PUT', url, { ...rev2.revisions[1].content, mitigations: 'Segment the network.' });
    await api('lead', 'POST', `${url}/submit`);
    await api('approver', 'POST', `${url}/approve`);
    await api('lead', 'POST', `${url}/publish`);
    const corrected = clock.now().toISOString();

    const f = await feed(`/p/${SLUG}/advisories.atom`);
    expect(f).toMatchObject({
      error: null,
      ns: 'http://www.w3.org/2005/Atom',
      id: `https://vigil.test/p/${SLUG}/advisories.atom`,
      self: `https://vigil.test/p/${SLUG}/advisories.atom`,
      updated: corrected,
    });
    expect(f.title).toContain('Northwind acknowledgements program');
    expect(f.entries.map((e) => e.link)).toEqual([
      `https://vigil.test/p/${SLUG}/advisories/${first}`,
      `https://vigil.test/p/${SLUG}/advisories/${embargoed}`,
    ]);
    const entry = f.entries[0];
    expect(entry).toMatchObject({ id: entry?.link, updated: corrected });
    expect(entry?.title).toContain(first);
    expect(entry?.summary).toContain('The pump accepts **unsigned** drug libraries.');
    for (const e of f.entries) {
      expect(e.updated).toMatch(RFC3339);
      expect(e.published).toMatch(RFC3339);
    }
    expect(f.entries[1]?.published).toBe(embargo.toISOString());

    const all = await feed('/advisories.atom');
    expect(all.error).toBeNull();
    expect(all.entries.map((e) => e.id)).toEqual(f.entries.map((e) => e.id));

    const pageBody = (await get(`/p/${SLUG}/advisories/${first}`)).body;
    expect(pageBody).toContain('Segment the network.');
    expect(pageBody).toContain('Added the network mitigation for older firmware.');
    expect(pageBody).toContain('revision 2');
  });

  it('lists consented credits on the acknowledgements page, only where the program thanks publicly', async () => {
    const res = await get(`/p/${SLUG}/acknowledgements`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(credit);
    expect(res.body).toContain(`href="/p/${SLUG}/advisories/${first}"`);
    expect(res.body).not.toContain(declined);
    expect((await get('/p/lakeside-health/acknowledgements')).statusCode).toBe(404);
    const empty = await get('/p/northwind-medical/acknowledgements');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('No one has been acknowledged yet.');
  });

  it('never shows the reporter contact details in any page, feed or API answer', async () => {
    expect(fetched.length).toBeGreaterThan(30);
    for (const body of fetched) for (const value of Object.values(canary)) expect(body).not.toContain(value);
  });
});
