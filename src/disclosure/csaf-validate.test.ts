import { beforeAll, describe, expect, it } from 'vitest';
import {
  monitorAndGatewayAdvisory,
  NORTHWIND,
  pumpAdvisory,
} from '../../test/fixtures/disclosure/advisories.js';
import { buildCsafAdvisory, type CsafDocument } from './csaf-document.js';
import { csafRefusal, describeCsafErrors, loadCsafTests, validateCsafDocument } from './csaf-validate.js';

const base = 'https://northwind-medical.example/.well-known/csaf/white';
const pumpCsaf = () =>
  buildCsafAdvisory(pumpAdvisory(), NORTHWIND.products, {
    category: 'csaf_security_advisory',
    distributionBaseUrl: base,
  });

describe('validateCsafDocument', () => {
  // The validator compiles its schemas on first load: seconds of CPU, more on a busy machine.
  beforeAll(() => loadCsafTests(), 180_000);

  it('runs the strict schema and every mandatory test as blocking, the offline advisory tests as warnings', async () => {
    const { blocking: CSAF_BLOCKING_TESTS, advisory: CSAF_ADVISORY_TESTS } = await loadCsafTests();
    const names = (tests: readonly { name: string }[]) => tests.map((t) => t.name);
    expect(names(CSAF_BLOCKING_TESTS)).toContain('csaf_2_0_strict');
    expect(names(CSAF_BLOCKING_TESTS)).toContain('mandatoryTest_6_1_9');
    expect(
      names(CSAF_BLOCKING_TESTS).filter((n) => n.startsWith('mandatoryTest_')).length,
    ).toBeGreaterThanOrEqual(40);
    expect(names(CSAF_ADVISORY_TESTS)).toContain('optionalTest_6_2_11');
    expect(names(CSAF_ADVISORY_TESTS)).toContain('informativeTest_6_3_4');
    // The URL-fetching and spell-checking tests stay out: publishing must work offline.
    for (const online of ['informativeTest_6_3_6', 'informativeTest_6_3_7', 'informativeTest_6_3_8']) {
      expect(names(CSAF_ADVISORY_TESTS)).not.toContain(online);
    }
  });

  it('fails a broken document with the validator messages (the guard can fail)', async () => {
    const doc: CsafDocument = pumpCsaf();
    // A score that does not match its vector (6.1.9), a remediation for an undefined product
    // (6.1.1), a revision missing from the history (6.1.16), and a member the schema does not know.
    doc.vulnerabilities[0].scores[0].cvss_v3.baseScore = 4.2;
    doc.vulnerabilities[0].remediations[0].product_ids = ['aurora-ip400@9.9.9'];
    doc.document.tracking.version = '3';
    doc.document.tracking.reviewer = 'someone';
    const result = await validateCsafDocument(doc);
    expect(result.valid).toBe(false);
    const by = (test: string) => result.errors.filter((e) => e.test === test);
    expect(by('csaf_2_0_strict')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: '/document/tracking',
          message: expect.stringMatching(/additional properties/),
        }),
      ]),
    );
    expect(by('mandatoryTest_6_1_1')).toEqual([
      expect.objectContaining({ path: '/vulnerabilities/0/remediations/0/product_ids/0' }),
    ]);
    expect(by('mandatoryTest_6_1_9').map((e) => e.path)).toContain(
      '/vulnerabilities/0/scores/0/cvss_v3/baseScore',
    );
    expect(by('mandatoryTest_6_1_16').length).toBeGreaterThan(0);
    const refusal = csafRefusal(result.errors);
    expect(refusal.status).toBe(400);
    expect(refusal.fields).toContainEqual({
      path: 'csaf/vulnerabilities/0/remediations/0/product_ids/0',
      message: expect.stringMatching(/\(mandatoryTest_6_1_1\)$/),
    });
    expect(describeCsafErrors(result.errors)).toMatch(
      /^\/vulnerabilities\/0\/remediations\/0\/product_ids\/0: .+ \(mandatoryTest_6_1_1\)$/m,
    );
  });

  it('refuses a VEX document whose affected product has no action statement', async () => {
    const doc: CsafDocument = buildCsafAdvisory(pumpAdvisory(), NORTHWIND.products, { category: 'csaf_vex' });
    delete doc.vulnerabilities[0].remediations;
    const result = await validateCsafDocument(doc);
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.test)).toContain('mandatoryTest_6_1_27_10');
  });

  it('reports recommended and informative findings as warnings without refusing', async () => {
    const clean = await validateCsafDocument(pumpCsaf());
    expect(clean.valid).toBe(true);
    const tests = new Set(clean.warnings.map((w) => w.test));
    // Canonical self reference present and keys sorted: those recommendations hold.
    expect(tests.has('optionalTest_6_2_11')).toBe(false);
    expect(tests.has('optionalTest_6_2_13')).toBe(false);

    // No distribution URL → no canonical reference; a CVSS 4.0-only vulnerability has no CSAF score
    // and one without CWE is reported too — advice, not refusal.
    const doc = buildCsafAdvisory(monitorAndGatewayAdvisory(), NORTHWIND.products, {
      category: 'csaf_security_advisory',
    });
    const advised = await validateCsafDocument(doc);
    expect(advised.valid).toBe(true);
    expect(advised.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ test: 'optionalTest_6_2_11', path: '/document/references' }),
        expect.objectContaining({
          test: 'optionalTest_6_2_3',
          path: '/vulnerabilities/1/product_status/known_affected/0',
        }),
        expect.objectContaining({ test: 'informativeTest_6_3_4', path: '/vulnerabilities/0' }),
      ]),
    );
  });
});
