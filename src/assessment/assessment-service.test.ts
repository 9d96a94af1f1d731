import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.js';
import type { AssessmentInput } from './assessment-schema.js';
import { type AssessmentContext, changedParts, computeAssessment, readStored } from './assessment-service.js';

const program = {
  slug: 'acme',
  definition: {
    calendar: { timeZone: 'America/Chicago' },
    scope: {
      products: [
        { id: 'pump', name: 'Infusion Pump', versions: [{ versions: '>= 3.0', inScope: true }] },
        { id: 'gateway', name: 'Gateway', versions: [{ versions: 'all', inScope: true }] },
      ],
    },
  },
} as unknown as AssessmentContext['program'];

const ctx: AssessmentContext = {
  program,
  receivedAt: new Date('2026-12-01T15:00:00Z'),
  now: new Date('2026-12-03T10:00:00Z'),
  actor: 'user:u1/token:t1',
};

const full: AssessmentInput = {
  cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  cvss40: 'CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  cwe: '79',
  ssvc: {
    exploitation: 'public-poc',
    utility: 'efficient',
    technicalImpact: 'total',
    publicSafetyImpact: 'significant',
  },
  patientSafety: { severity: 'critical', phiInvolved: true, notes: 'bolus dose can be changed' },
  affected: [
    { productId: 'pump', versions: '>= 3.0, < 3.4.2', fixedIn: '3.4.2' },
    { productId: 'gateway', versions: 'all' },
  ],
  remediationTargetDate: '2027-03-01',
};

describe('computeAssessment', () => {
  it('adds scores, decision, risk and FDA dates, and takes severity from CVSS 4.0', () => {
    const a = computeAssessment(full, ctx);
    expect(a.cvss31).toMatchObject({ baseScore: 9.8, severity: 'critical' });
    expect(a.cvss40?.severity).toBe('high');
    expect(a.severity).toBe('high');
    expect(a.cwe?.id).toBe('CWE-79');
    expect(a.ssvc?.decision).toBe('immediate');
    expect(a.patientSafety).toMatchObject({
      severity: 'critical',
      phiInvolved: true,
      exploitability: 'medium',
      risk: 'uncontrolled',
      fda: { learnedOn: '2026-12-01', notifyCustomersBy: '2026-12-31', distributeFixBy: '2027-01-30' },
    });
    expect(a.affected).toEqual([
      { productId: 'pump', productName: 'Infusion Pump', versions: '>= 3.0, < 3.4.2', fixedIn: '3.4.2' },
      { productId: 'gateway', productName: 'Gateway', versions: 'all' },
    ]);
    expect(a.warnings.join(' ')).toMatch(/2027-03-01 is after 2027-01-30/);
    expect(a.updatedAt).toBe('2026-12-03T10:00:00.000Z');
  });

  it('uses CVSS 3.1 for severity when there is no 4.0 vector, and nothing without either', () => {
    expect(computeAssessment({ cvss31: full.cvss31 }, ctx).severity).toBe('critical');
    expect(computeAssessment({ cwe: 'CWE-89' }, ctx).severity).toBeNull();
  });

  it('names every bad field in one error', () => {
    try {
      computeAssessment(
        {
          cvss31: 'CVSS:3.1/AV:N',
          cvss40: 'CVSS:4.0/nonsense',
          cwe: 'CWE-99999',
          affected: [
            { productId: 'pump', versions: 'all' },
            { productId: 'toaster', versions: '1.0' },
          ],
          remediationTargetDate: '2027-02-30',
        },
        ctx,
      );
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      const fields = (err as ValidationError).fields;
      expect(fields.map((f) => f.path)).toEqual([
        'cvss31',
        'cvss40',
        'cwe',
        'affected.1.productId',
        'remediationTargetDate',
      ]);
      expect(fields[2]?.message).toBe('CWE-99999 is not in the CWE catalogue');
      expect(fields[3]?.message).toMatch(
        /"toaster" is not a product of acme; expected one of: pump, gateway/,
      );
    }
  });

  it('tells which parts changed', () => {
    const a = computeAssessment(full, ctx);
    const b = computeAssessment({ ...full, cwe: 'CWE-89', affected: undefined }, { ...ctx, now: new Date() });
    expect(changedParts(a, b)).toEqual(['cwe', 'affected']);
    expect(changedParts(a, computeAssessment(full, { ...ctx, now: new Date() }))).toEqual([]);
    expect(changedParts(readStored('{}'), a)).toEqual([
      'cvss31',
      'cvss40',
      'cwe',
      'ssvc',
      'patientSafety',
      'affected',
      'remediationTargetDate',
    ]);
  });

  it('reads what it stored, and treats unreadable JSON as no assessment', () => {
    const a = computeAssessment(full, ctx);
    expect(readStored(JSON.stringify(a))).toEqual(a);
    expect(changedParts(readStored(JSON.stringify(a)), a)).toEqual([]);
    expect(readStored('not json').affected).toEqual([]);
    expect(readStored('{}').severity).toBeNull();
  });
});
