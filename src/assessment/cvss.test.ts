import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.js';
import { cvssProblems, scoreCvss, severityOf } from './cvss.js';

describe('CVSS 3.1', () => {
  // Scores as published by NVD / the FIRST 3.1 calculator, and recomputed by the 3.1 formulas.
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'critical'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10, 'critical'],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4, 'medium'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'medium'],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.1, 'high'],
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 1.6, 'low'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0, 'none'],
  ])('%s scores %s', (vector, score, severity) => {
    const r = scoreCvss('3.1', vector);
    expect(r).toMatchObject({ version: '3.1', vector, baseScore: score, score, severity });
  });

  it('scores temporal metrics on top of the base and normalises order and X', () => {
    const r = scoreCvss('3.1', 'CVSS:3.1/E:U/A:H/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/RL:X');
    expect(r.vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U');
    expect(r.baseScore).toBe(9.8);
    // Temporal = roundup(9.8 × 0.91 × 1 × 1) = 9.0
    expect(r.score).toBe(9);
  });

  it.each([
    ['AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /must start with "CVSS:3.1\/"/],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /is a CVSS 3.0 vector; expected CVSS 3.1/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', /misses the base metric A$/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:L', /A \(.*\) appears more than once/],
    ['CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /AV:Q is not allowed; .* takes X, N, A, L, P/],
    ['CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /AV .* is a base metric and must have a value/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/FOO:X', /"FOO" is not a CVSS 3.1 metric/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/', /"" is not a metric/],
    ['garbage', /must start with/],
  ])('refuses %s', (vector, message) => {
    expect(cvssProblems('3.1', vector).join('; ')).toMatch(message);
  });

  it('throws a ValidationError naming the field', () => {
    try {
      scoreCvss('3.1', 'CVSS:3.1/AV:N');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      const fields = (err as ValidationError).fields;
      expect(fields).toHaveLength(1);
      expect(fields[0]?.path).toBe('cvss31');
      expect(fields[0]?.message).toMatch(/misses the base metrics AC, PR, UI, S, C, I, A/);
    }
  });
});

describe('CVSS 4.0', () => {
  // From FIRST's "CVSS v4.0 Examples" and the specification's reference calculator.
  it.each([
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3, 'critical', 'CVSS-B'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 10, 'critical', 'CVSS-B'],
    // CVE-2023-3089 (OpenShift FIPS)
    ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N', 8.3, 'high', 'CVSS-B'],
    // CVE-2021-44714 (Adobe Reader)
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N', 4.6, 'medium', 'CVSS-B'],
    ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 7.7, 'high', 'CVSS-B'],
    ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U', 5.2, 'medium', 'CVSS-BT'],
    [
      'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N/CR:H/IR:L/AR:L/MAV:N/MAC:H/MVC:H/MVI:L/MVA:L',
      8.1,
      'high',
      'CVSS-BE',
    ],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0, 'none', 'CVSS-B'],
  ])('%s scores %s', (vector, score, severity, nomenclature) => {
    const r = scoreCvss('4.0', vector);
    expect(r).toMatchObject({ version: '4.0', vector, score, severity, nomenclature });
  });

  it('keeps the base-only score apart from the threat-adjusted one', () => {
    const r = scoreCvss('4.0', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U');
    expect(r.baseScore).toBe(9.3);
    expect(r.score).toBe(8.1);
  });

  it('normalises to the specification order and drops X', () => {
    const r = scoreCvss('4.0', 'CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/S:P');
    expect(r.vector).toBe('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:P');
    expect(r.score).toBe(9.3);
  });

  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /is a CVSS 3.1 vector; expected CVSS 4.0/],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H', /misses the base metrics SC, SI, SA/],
    // "S" (safety) is only a value of the modified subsequent-system metrics, not the base ones.
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N', /SI:S is not allowed/],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:Z', /E:Z is not allowed/],
  ])('refuses %s', (vector, message) => {
    expect(cvssProblems('4.0', vector).join('; ')).toMatch(message);
  });
});

describe('severity bands', () => {
  it.each([
    [0, 'none'],
    [0.1, 'low'],
    [3.9, 'low'],
    [4, 'medium'],
    [6.9, 'medium'],
    [7, 'high'],
    [8.9, 'high'],
    [9, 'critical'],
    [10, 'critical'],
  ])('%s is %s', (score, band) => {
    expect(severityOf(score)).toBe(band);
  });
});
