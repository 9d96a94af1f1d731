import { describe, expect, it } from 'vitest';
import { scoreCvss } from './cvss.js';
import {
  assessPatientSafety,
  EXPLOITABILITY,
  exploitabilityOf,
  fdaClocks,
  HARM_SEVERITIES,
  patientRisk,
} from './patient-safety.js';

describe('exploitability from CVSS', () => {
  it.each([
    ['3.1', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'high'],
    ['3.1', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 'medium'],
    ['3.1', 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'medium'],
    ['3.1', 'CVSS:3.1/AV:L/AC:L/PR:L/UI:R/S:U/C:H/I:H/A:H', 'low'],
    ['3.1', 'CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'low'],
    // The deployment lowers it: reachable only from the adjacent clinical network.
    ['3.1', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:A', 'medium'],
    ['4.0', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'high'],
    ['4.0', 'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'medium'],
    ['4.0', 'CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N', 'medium'],
    ['4.0', 'CVSS:4.0/AV:A/AC:L/AT:N/PR:L/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'low'],
    ['4.0', 'CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 'low'],
  ] as const)('CVSS %s %s is %s', (version, vector, level) => {
    expect(exploitabilityOf(scoreCvss(version, vector))).toBe(level);
  });

  it('is unknown without a vector', () => {
    expect(exploitabilityOf(undefined)).toBe('unknown');
  });
});

describe('controlled vs. uncontrolled risk', () => {
  // The rule, written independently of the matrix in patient-safety.ts.
  const serious = new Set(['serious', 'critical', 'catastrophic']);
  const cells = HARM_SEVERITIES.flatMap((s) => EXPLOITABILITY.map((e) => [s, e] as const));

  it.each(cells)('%s harm, %s exploitability', (severity, exploitability) => {
    const expected = serious.has(severity) && exploitability !== 'low' ? 'uncontrolled' : 'controlled';
    expect(patientRisk(severity, exploitability)).toBe(expected);
  });

  it('covers all 20 cells', () => {
    expect(cells).toHaveLength(20);
  });
});

describe("FDA's clocks for an uncontrolled risk", () => {
  it('counts 30 and 60 calendar days from the local day of learning', () => {
    // 02:30 UTC on 1 March is still 28 February in Minneapolis.
    const c = fdaClocks(new Date('2027-03-01T02:30:00Z'), 'America/Chicago');
    expect(c).toEqual({
      learnedOn: '2027-02-28',
      notifyCustomersBy: '2027-03-30',
      notifyCustomersDueAt: '2027-03-31T04:59:59.999Z',
      distributeFixBy: '2027-04-29',
      distributeFixDueAt: '2027-04-30T04:59:59.999Z',
    });
  });

  it('are given only when the risk is uncontrolled', () => {
    const learnedAt = new Date('2026-12-01T15:00:00Z');
    const cvss = scoreCvss('3.1', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    const bad = assessPatientSafety({ severity: 'critical', cvss, learnedAt, timeZone: 'UTC' });
    expect(bad).toMatchObject({ exploitability: 'high', risk: 'uncontrolled' });
    expect(bad.fda?.notifyCustomersBy).toBe('2026-12-31');
    expect(bad.fda?.distributeFixBy).toBe('2027-01-30');
    const mild = assessPatientSafety({ severity: 'minor', cvss, learnedAt, timeZone: 'UTC' });
    expect(mild).toEqual({ severity: 'minor', exploitability: 'high', risk: 'controlled' });
    // Not yet scored: treated as exploitable, so the clocks start on time.
    expect(assessPatientSafety({ severity: 'serious', learnedAt, timeZone: 'UTC' }).risk).toBe(
      'uncontrolled',
    );
  });
});
