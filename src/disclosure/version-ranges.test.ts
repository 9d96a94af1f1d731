import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.js';
import { draftVulnerabilityFromAssessment, parseVersionRanges } from './version-ranges.js';

describe('parseVersionRanges', () => {
  it.each([
    ['>= 3.0, < 3.4.2', [{ version: '3.0', lessThan: '3.4.2', status: 'affected' }]],
    ['>=3.0 <3.4.2', [{ version: '3.0', lessThan: '3.4.2', status: 'affected' }]],
    ['< 2.5', [{ version: '0', lessThan: '2.5', status: 'affected' }]],
    ['<= 1.9.3', [{ version: '0', lessThanOrEqual: '1.9.3', status: 'affected' }]],
    ['3.1.0', [{ version: '3.1.0', status: 'affected' }]],
    [
      '3.1.0, 3.1.1',
      [
        { version: '3.1.0', status: 'affected' },
        { version: '3.1.1', status: 'affected' },
      ],
    ],
    ['all', [{ version: '0', lessThan: '*', status: 'affected' }]],
    ['All versions', [{ version: '0', lessThan: '*', status: 'affected' }]],
    ['2.x', [{ version: '2.0', lessThan: '3.0', status: 'affected' }]],
    ['3.1.x', [{ version: '3.1.0', lessThan: '3.2.0', status: 'affected' }]],
    ['>= 4.0', [{ version: '4.0', lessThan: '*', status: 'affected' }]],
    ['3.0 - 3.4.1', [{ version: '3.0', lessThanOrEqual: '3.4.1', status: 'affected' }]],
    ['= 5.0.0-rc1', [{ version: '5.0.0-rc1', status: 'affected' }]],
    [
      '>= 2.0, < 2.9.8, >= 3.0, <= 3.4.1, 4.0.0',
      [
        { version: '2.0', lessThan: '2.9.8', status: 'affected' },
        { version: '3.0', lessThanOrEqual: '3.4.1', status: 'affected' },
        { version: '4.0.0', status: 'affected' },
      ],
    ],
    [
      '>= 1.0, 2.x',
      [
        { version: '1.0', lessThan: '*', status: 'affected' },
        { version: '2.0', lessThan: '3.0', status: 'affected' },
      ],
    ],
  ])('reads %j', (text, expected) => {
    expect(parseVersionRanges(text)).toEqual(expected);
  });

  it.each([
    ['', /name the affected versions/],
    ['> 3.0', /cannot be stated: write ">= "/],
    ['>= 3.4.2, < 3.0', /range from 3.4.2 to 3.0 is empty/],
    ['< 3.0 || >= 4', /is not a version/],
    ['before 3.4', /"before" is not a version/],
    ['all, 3.1', /"all" cannot be combined/],
    ['3.1.0, 3.1.0', /listed twice/],
    ['>= 2.x', /cannot be combined with the branch/],
    ['>= 3.0, < 3.0', /is empty/],
  ])('refuses %j with a message that says why', (text, message) => {
    let error: unknown;
    try {
      parseVersionRanges(text, 'affected.0.versions');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const fields = (error as ValidationError).fields;
    expect(fields[0]?.path).toBe('affected.0.versions');
    expect(fields[0]?.message).toMatch(message);
  });
});

const products = [
  { id: 'infusion-pump-x2', name: 'InfuseRight X2 pump' },
  { id: 'pump-gateway', name: 'Pump Gateway' },
];

const cvss31 = {
  vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U',
  baseScore: 9.8,
  score: 9.1,
  severity: 'critical' as const,
};
const cvss40 = {
  vector: 'CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N',
  baseScore: 8.7,
  score: 8.7,
  severity: 'high' as const,
  nomenclature: 'CVSS-B',
};

describe('draftVulnerabilityFromAssessment', () => {
  it('turns an assessment into a vulnerability draft with scores, CWE, versions and fixes', () => {
    const v = draftVulnerabilityFromAssessment({
      caseNumber: 'ACME-2026-0007',
      title: 'Missing authentication on the pump service port',
      description: 'The service port accepts commands without authentication.',
      cve: 'CVE-2026-10001',
      products,
      credits: [{ text: 'Jo Example of Example Labs', type: 'finder', lang: 'en' }],
      assessment: {
        cvss31,
        cvss40,
        cwe: { id: 'CWE-306', name: 'Missing Authentication for Critical Function' },
        affected: [
          {
            productId: 'infusion-pump-x2',
            productName: 'old name',
            versions: '>= 3.0, < 3.4.2',
            fixedIn: '3.4.2',
          },
          { productId: 'pump-gateway', productName: 'Pump Gateway', versions: '2.x' },
        ],
      },
    });
    expect(v.cvss31).toEqual({ vector: cvss31.vector, baseScore: 9.8, severity: 'critical' });
    expect(v.cvss40).toEqual({ vector: cvss40.vector, baseScore: 8.7, severity: 'high' });
    expect(v.cwe?.id).toBe('CWE-306');
    expect(v.caseNumbers).toEqual(['ACME-2026-0007']);
    expect(v.affected).toEqual([
      {
        productId: 'infusion-pump-x2',
        productName: 'InfuseRight X2 pump',
        versions: [{ version: '3.0', lessThan: '3.4.2', status: 'affected' }],
        fixedIn: '3.4.2',
        defaultStatus: 'unaffected',
      },
      {
        productId: 'pump-gateway',
        productName: 'Pump Gateway',
        versions: [{ version: '2.0', lessThan: '3.0', status: 'affected' }],
        defaultStatus: 'unaffected',
      },
    ]);
    expect(v.remediations).toEqual([
      {
        category: 'vendor_fix',
        details: 'Update InfuseRight X2 pump to version 3.4.2 or later.',
        productIds: ['infusion-pump-x2'],
      },
    ]);
    expect(v.credits).toEqual([{ text: 'Jo Example of Example Labs', type: 'finder', lang: 'en' }]);
  });

  it('uses the base score band for the published severity, not the full vector rating', () => {
    const v = draftVulnerabilityFromAssessment({
      caseNumber: 'C-1',
      title: 't',
      description: 'd',
      products,
      assessment: {
        cvss31: { ...cvss31, baseScore: 7.5, score: 6.9, severity: 'medium' },
        affected: [{ productId: 'pump-gateway', productName: 'x', versions: 'all' }],
      },
    });
    expect(v.cvss31?.severity).toBe('high');
    expect(v.cvss40).toBeUndefined();
    expect(v.cwe).toBeUndefined();
  });

  it('closes an open range at the fixed-in version', () => {
    const v = draftVulnerabilityFromAssessment({
      caseNumber: 'C-1',
      title: 't',
      description: 'd',
      products,
      assessment: {
        affected: [
          { productId: 'infusion-pump-x2', productName: 'x', versions: '>= 3.0', fixedIn: '3.4.2' },
          { productId: 'pump-gateway', productName: 'x', versions: 'all', fixedIn: '2.0' },
          { productId: 'pump-gateway', productName: 'x', versions: '>= 5.0', fixedIn: '4.0' },
        ],
      },
    });
    expect(v.affected.map((a) => a.versions)).toEqual([
      [{ version: '3.0', lessThan: '3.4.2', status: 'affected' }],
      [{ version: '0', lessThan: '2.0', status: 'affected' }],
      // A fix older than the range's start says nothing about it: left open.
      [{ version: '5.0', lessThan: '*', status: 'affected' }],
    ]);
  });

  it('reports every problem at once, each on its field', () => {
    let error: unknown;
    try {
      draftVulnerabilityFromAssessment({
        caseNumber: 'C-1',
        title: 't',
        description: 'd',
        products,
        assessment: {
          affected: [
            { productId: 'toaster', productName: 'Toaster', versions: '1.0' },
            { productId: 'pump-gateway', productName: 'x', versions: '> 2.0', fixedIn: '>= 2.5' },
          ],
        },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields.map((f) => f.path)).toEqual([
      'affected.0.productId',
      'affected.1.versions',
      'affected.1.fixedIn',
    ]);
  });

  it('refuses an assessment without affected products, and a bad CVE id', () => {
    expect(() =>
      draftVulnerabilityFromAssessment({
        caseNumber: 'C-1',
        title: 't',
        description: 'd',
        products,
        assessment: { affected: [] },
      }),
    ).toThrow(/names no affected product/);
    expect(() =>
      draftVulnerabilityFromAssessment({
        caseNumber: 'C-1',
        title: 't',
        description: 'd',
        cve: 'CVE-26-1',
        products,
        assessment: { affected: [{ productId: 'pump-gateway', productName: 'x', versions: 'all' }] },
      }),
    ).toThrow(/cve: expected a CVE ID/);
  });
});
