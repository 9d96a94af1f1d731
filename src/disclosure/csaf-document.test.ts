import { beforeAll, describe, expect, it } from 'vitest';
import {
  allAdvisories,
  CANARIES,
  fullVectors,
  monitorAndGatewayAdvisory,
  NORTHWIND,
  platformAdvisory,
  pumpAdvisory,
} from '../../test/fixtures/disclosure/advisories.js';
import type { AdvisoryRelease } from './advisory-model.js';
import {
  buildCsafAdvisory,
  type CsafCategory,
  csafCanonicalUrl,
  csafFileName,
  csafTlpLabel,
  versOf,
} from './csaf-document.js';
import { loadCsafTests, validateCsafDocument } from './csaf-validate.js';

const base = 'https://northwind-medical.example/.well-known/csaf/white';
const build = (release: AdvisoryRelease, category: CsafCategory = 'csaf_security_advisory') =>
  buildCsafAdvisory(release, NORTHWIND.products, {
    category,
    distributionBaseUrl: base,
    engineVersion: '0.1.0',
  });

describe('buildCsafAdvisory', () => {
  // The validator compiles its schemas on first load: seconds of CPU, more on a busy machine.
  beforeAll(() => loadCsafTests(), 180_000);

  it.each(['csaf_security_advisory', 'csaf_vex'] as const)(
    'builds %s documents that pass the schema and mandatory tests, for every fixture advisory',
    async (category) => {
      for (const release of allAdvisories()) {
        const result = await validateCsafDocument(build(release, category));
        expect({ id: release.id, errors: result.errors }).toEqual({ id: release.id, errors: [] });
        expect(result.valid).toBe(true);
      }
    },
  );

  it('passes a draft and an interim revision too', async () => {
    for (const status of ['draft', 'interim'] as const) {
      const result = await validateCsafDocument(build({ ...pumpAdvisory(), status }));
      expect(result.errors).toEqual([]);
    }
  });

  it('builds the product tree vendor → product → version / range with stable ids', () => {
    const doc = build(pumpAdvisory());
    expect(doc.product_tree).toEqual({
      branches: [
        {
          category: 'vendor',
          name: 'Northwind Medical Systems',
          branches: [
            {
              category: 'product_name',
              name: 'Aurora IP-400 Infusion Pump',
              branches: [
                {
                  category: 'product_version_range',
                  name: 'vers:generic/>=3.0|<3.4.2',
                  product: {
                    product_id: 'aurora-ip400@>=3.0|<3.4.2',
                    name: 'Aurora IP-400 Infusion Pump >=3.0|<3.4.2',
                  },
                },
                {
                  category: 'product_version',
                  name: '3.4.2',
                  product: { product_id: 'aurora-ip400@3.4.2', name: 'Aurora IP-400 Infusion Pump 3.4.2' },
                },
              ],
            },
          ],
        },
      ],
    });
    // The same advisory built again (e.g. for revision 2) keeps its ids.
    expect(build(pumpAdvisory()).product_tree).toEqual(doc.product_tree);
  });

  it('fills vulnerabilities: CVE, CWE, description, status, remediations, v3 score only, credits', () => {
    const [v] = build(pumpAdvisory()).vulnerabilities;
    expect(v.cve).toBe('CVE-2026-41001');
    expect(v.cwe).toEqual({ id: 'CWE-306', name: 'Missing Authentication for Critical Function' });
    expect(v.notes).toEqual([
      { category: 'description', title: 'Vulnerability description', text: expect.any(String) },
    ]);
    expect(v.product_status).toEqual({
      known_affected: ['aurora-ip400@>=3.0|<3.4.2'],
      fixed: ['aurora-ip400@3.4.2'],
    });
    expect(v.remediations).toEqual([
      {
        category: 'vendor_fix',
        details: 'Update Aurora IP-400 Infusion Pump to version 3.4.2 or later.',
        product_ids: ['aurora-ip400@>=3.0|<3.4.2'],
      },
      {
        category: 'mitigation',
        details: 'Restrict the pump network segment to the Harbor gateway until the update is installed.',
        product_ids: ['aurora-ip400@>=3.0|<3.4.2'],
      },
    ]);
    expect(v.scores).toEqual([
      {
        products: ['aurora-ip400@>=3.0|<3.4.2'],
        cvss_v3: {
          version: '3.1',
          vectorString: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H',
          baseScore: 8.1,
          baseSeverity: 'HIGH',
        },
      },
    ]);
    expect(JSON.stringify(v)).not.toContain('CVSS:4.0');
    expect(v.acknowledgments).toEqual([
      { names: ['Dana Whitlock of Example Hospital Biomed'], summary: 'finding the vulnerability' },
    ]);
  });

  it('keeps CVSS 4.0 out, says when nothing fixes a product, and shares ids across vulnerabilities', () => {
    const doc = build(monitorAndGatewayAdvisory());
    expect(JSON.stringify(doc)).not.toContain('CVSS:4.0');
    const [hl7, passwords] = doc.vulnerabilities;
    expect(passwords.scores).toBeUndefined();
    expect(hl7.product_status.known_affected).toEqual([
      'beacon-pm7@2.1.0',
      'beacon-pm7@2.1.1',
      'harbor-gateway@>=4.0|<5.0',
    ]);
    expect(hl7.remediations.at(-1)).toEqual({
      category: 'none_available',
      details: 'No fix is available yet.',
      product_ids: ['harbor-gateway@>=4.0|<5.0'],
    });
    const gatewayLeaves = doc.product_tree.branches[0].branches[1].branches.map(
      (b: { name: string }) => b.name,
    );
    expect(gatewayLeaves).toEqual(['vers:generic/>=4.0|<5.0', 'vers:generic/<=5.2.1', '5.3.0']);
    expect(doc.document.acknowledgments).toHaveLength(4);
    expect(doc.document.tracking).toMatchObject({
      id: 'NWMS-SA-2026-0004',
      status: 'final',
      version: '2',
      initial_release_date: '2026-11-20T14:00:00.000Z',
      current_release_date: '2026-11-27T09:30:00.000Z',
      revision_history: [
        { number: '1', date: '2026-11-20T14:00:00.000Z', summary: 'Initial publication.' },
        { number: '2', date: '2026-11-27T09:30:00.000Z', summary: 'Fixed version of the gateway added.' },
      ],
      generator: { engine: { name: 'Vigil', version: '0.1.0' } },
    });
    expect(doc.document.distribution.tlp.label).toBe('GREEN');
  });

  it('fills the document: publisher, TLP, summary note, self references first', () => {
    const release = pumpAdvisory();
    const d = build(release).document;
    expect(d).toMatchObject({
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      title: release.content.title,
      lang: 'en',
      publisher: {
        category: 'vendor',
        name: 'Northwind Medical Systems',
        namespace: 'https://northwind-medical.example',
      },
      distribution: { tlp: { label: 'WHITE', url: 'https://www.first.org/tlp/' } },
      notes: [{ category: 'summary', title: 'Summary', text: release.content.summary }],
    });
    expect(d.references.map((r: { category: string; url: string }) => [r.category, r.url])).toEqual([
      ['self', `${base}/2026/nwms-sa-2026-0003.json`],
      ['self', release.url],
      ['external', 'https://www.cisa.gov/news-events/ics-medical-advisories'],
    ]);
  });

  it('maps TLP 2.0 labels to CSAF 2.0: CLEAR → WHITE, AMBER+STRICT → RED with the original stated', async () => {
    expect(csafTlpLabel('CLEAR')).toBe('WHITE');
    expect(csafTlpLabel('AMBER')).toBe('AMBER');
    const strict = pumpAdvisory();
    strict.content.tlp = 'AMBER+STRICT';
    const doc = build(strict);
    expect(doc.document.distribution).toEqual({
      tlp: { label: 'RED', url: 'https://www.first.org/tlp/' },
      text: 'TLP:AMBER+STRICT (TLP 2.0): share only within your own organisation.',
    });
    expect((await validateCsafDocument(doc)).errors).toEqual([]);
  });

  it('gives VEX an id without a CVE and an impact statement for versions not affected', async () => {
    const release = platformAdvisory();
    const v = release.content.vulnerabilities[0];
    if (!v) throw new Error('fixture');
    v.cve = undefined;
    v.affected[0]?.versions.push({ version: '2.0.0', status: 'unaffected' });
    const doc = buildCsafAdvisory(release, [], { category: 'csaf_vex' });
    const [out] = doc.vulnerabilities;
    expect(out.ids).toEqual([{ system_name: 'Lakeside Health Data', text: 'LHD-2026-007-1' }]);
    expect(out.product_status.known_not_affected).toEqual(['lakeside-health-server@2.0.0']);
    expect(out.threats).toEqual([
      {
        category: 'impact',
        details: 'These versions are not affected by this vulnerability.',
        product_ids: ['lakeside-health-server@2.0.0'],
      },
    ]);
    expect((await validateCsafDocument(doc)).errors).toEqual([]);
  });

  it('never carries the reporter contact details or the internal case numbers', () => {
    for (const release of allAdvisories()) {
      for (const category of ['csaf_security_advisory', 'csaf_vex'] as const) {
        const text = JSON.stringify(build(release, category));
        for (const canary of CANARIES) expect(text).not.toContain(canary);
        for (const v of release.content.vulnerabilities)
          for (const n of v.caseNumbers) expect(text).not.toContain(n);
      }
    }
  });

  it('passes the CVSS computation tests with temporal and environmental metrics in the vector', async () => {
    const release = pumpAdvisory();
    const [v] = release.content.vulnerabilities;
    if (!v) throw new Error('fixture');
    Object.assign(v, fullVectors());
    const doc = build(release);
    expect(doc.vulnerabilities[0].scores[0].cvss_v3).toMatchObject({
      baseScore: 9.8,
      baseSeverity: 'CRITICAL',
    });
    expect((await validateCsafDocument(doc)).errors).toEqual([]);
  });

  it('refuses a release whose revision is not in its history', () => {
    expect(() => build({ ...pumpAdvisory(), revision: '2' })).toThrow(/no entry for revision 2/);
  });
});

describe('CSAF names and notations', () => {
  it.each([
    ['NWMS-SA-2026-0003', 'nwms-sa-2026-0003.json'],
    ['Example Company - 2019-YH3234', 'example_company_-_2019-yh3234.json'],
    ['RHBA-2019:0024', 'rhba-2019_0024.json'],
    ['cisco-sa-20190513-secureboot', 'cisco-sa-20190513-secureboot.json'],
    ['ACME+SA/2026//07', 'acme+sa_2026_07.json'],
  ])('file name of %j is %j', (id, name) => {
    expect(csafFileName(id)).toBe(name);
  });

  it('puts the canonical URL in the folder of the initial release year', () => {
    expect(
      csafCanonicalUrl('https://x.example/.well-known/csaf/white/', {
        id: 'X-1',
        initialReleaseDate: '2025-12-31T23:30:00.000Z',
      }),
    ).toBe('https://x.example/.well-known/csaf/white/2025/x-1.json');
  });

  it.each([
    [{ version: '3.0', lessThan: '3.4.2' }, 'vers:generic/>=3.0|<3.4.2'],
    [{ version: '0', lessThan: '2.5' }, 'vers:generic/<2.5'],
    [{ version: '0', lessThanOrEqual: '1.9.3' }, 'vers:generic/<=1.9.3'],
    [{ version: '0', lessThan: '*' }, 'vers:generic/*'],
    [{ version: '4.0', lessThan: '*' }, 'vers:generic/>=4.0'],
    [{ version: '3.1.0' }, 'vers:generic/3.1.0'],
  ])('writes %j as %s', (s, vers) => {
    expect(versOf({ ...s, status: 'affected' })).toBe(vers);
  });
});
