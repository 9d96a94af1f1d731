import { addDays, endOfLocalDay, localDateOf } from '../deadlines/index.js';
import type { CvssResult } from './cvss.js';

/**
 * Patient safety for medical devices, following FDA's "Postmarket Management of Cybersecurity in
 * Medical Devices" (December 2016): the risk of patient harm is judged from how exploitable the
 * vulnerability is and how severe the harm could be (ISO 14971's five levels), and comes out as
 * "controlled" (acceptable residual risk) or "uncontrolled".
 *
 * THE RULE implemented here (the guidance draws the line in a figure, not in numbers, so we make
 * ours explicit):
 *   uncontrolled  ⇔  severity of harm is serious, critical or catastrophic
 *                    AND exploitability is medium, high or unknown.
 * Exploitability is unknown until the case has a CVSS vector; it counts as exploitable so that
 * FDA's clocks never start late because scoring came after the safety call.
 *
 * For an uncontrolled risk the guidance spares the manufacturer a 21 CFR 806 report only if,
 * among other conditions, customers are told within 30 days of learning of the vulnerability and
 * a validated fix is distributed within 60 days: those are the two clocks returned here.
 */

export const HARM_SEVERITIES = ['negligible', 'minor', 'serious', 'critical', 'catastrophic'] as const;
export type HarmSeverity = (typeof HARM_SEVERITIES)[number];

export const EXPLOITABILITY = ['low', 'medium', 'high', 'unknown'] as const;
export type Exploitability = (typeof EXPLOITABILITY)[number];

export type PatientRisk = 'controlled' | 'uncontrolled';

/** The risk matrix, written out in full so a reviewer can check every cell against THE RULE. */
export const RISK_MATRIX: Record<HarmSeverity, Record<Exploitability, PatientRisk>> = {
  negligible: { low: 'controlled', medium: 'controlled', high: 'controlled', unknown: 'controlled' },
  minor: { low: 'controlled', medium: 'controlled', high: 'controlled', unknown: 'controlled' },
  serious: { low: 'controlled', medium: 'uncontrolled', high: 'uncontrolled', unknown: 'uncontrolled' },
  critical: { low: 'controlled', medium: 'uncontrolled', high: 'uncontrolled', unknown: 'uncontrolled' },
  catastrophic: { low: 'controlled', medium: 'uncontrolled', high: 'uncontrolled', unknown: 'uncontrolled' },
};

/** Days after learning of an uncontrolled risk (FDA 2016 postmarket guidance). */
export const FDA_NOTIFY_CUSTOMERS_DAYS = 30;
export const FDA_DISTRIBUTE_FIX_DAYS = 60;

/**
 * Exploitability from a CVSS vector (4.0 preferred by the caller), using the exploitability
 * metrics, with an environmental "modified" metric taking the place of its base metric when set
 * (the deployment, e.g. a device behind a hospital network segment, is what matters):
 *   high   — network attack vector, low complexity (and no attack requirements in 4.0),
 *            no privileges and no user interaction: anyone who can reach it can exploit it;
 *   low    — physical access needed, or none of "network", "no privileges", "no user
 *            interaction" holds (CVSS 4.0's own lowest EQ1 level);
 *   medium — everything in between.
 */
export function exploitabilityOf(cvss: Pick<CvssResult, 'version' | 'metrics'> | undefined): Exploitability {
  if (!cvss) return 'unknown';
  const m = (key: string) => cvss.metrics[`M${key}`] ?? cvss.metrics[key];
  const av = m('AV');
  const networkReach = av === 'N';
  const noPrivileges = m('PR') === 'N';
  const noUser = m('UI') === 'N';
  const easy = m('AC') === 'L' && (cvss.version === '3.1' || m('AT') === 'N');
  if (networkReach && noPrivileges && noUser && easy) return 'high';
  if (av === 'P' || (!networkReach && !noPrivileges && !noUser)) return 'low';
  return 'medium';
}

export function patientRisk(severity: HarmSeverity, exploitability: Exploitability): PatientRisk {
  return RISK_MATRIX[severity][exploitability];
}

export interface FdaClocks {
  /** The local day the manufacturer learned of the vulnerability (the day the report arrived). */
  learnedOn: string;
  /** Tell customers (and the ISAO) by the end of this local day. */
  notifyCustomersBy: string;
  notifyCustomersDueAt: string;
  /** Distribute a validated fix by the end of this local day. */
  distributeFixBy: string;
  distributeFixDueAt: string;
}

/**
 * FDA's two clocks, counted in calendar days from the local day of learning in the program's
 * time zone and ending at the end of the last day — the same convention as every other
 * calendar-day clock in Vigil (docs/architecture.md, "Deadline rule").
 */
export function fdaClocks(learnedAt: Date, timeZone: string): FdaClocks {
  const learnedOn = localDateOf(learnedAt, timeZone);
  const notifyCustomersBy = addDays(learnedOn, FDA_NOTIFY_CUSTOMERS_DAYS);
  const distributeFixBy = addDays(learnedOn, FDA_DISTRIBUTE_FIX_DAYS);
  return {
    learnedOn,
    notifyCustomersBy,
    notifyCustomersDueAt: endOfLocalDay(notifyCustomersBy, timeZone).toISOString(),
    distributeFixBy,
    distributeFixDueAt: endOfLocalDay(distributeFixBy, timeZone).toISOString(),
  };
}

export interface PatientSafetyAssessment {
  severity: HarmSeverity;
  exploitability: Exploitability;
  risk: PatientRisk;
  /** Present only for an uncontrolled risk. */
  fda?: FdaClocks;
}

/** The whole call: exploitability, the matrix, and the clocks when the risk is uncontrolled. */
export function assessPatientSafety(input: {
  severity: HarmSeverity;
  cvss?: Pick<CvssResult, 'version' | 'metrics'>;
  learnedAt: Date;
  timeZone: string;
}): PatientSafetyAssessment {
  const exploitability = exploitabilityOf(input.cvss);
  const risk = patientRisk(input.severity, exploitability);
  return {
    severity: input.severity,
    exploitability,
    risk,
    ...(risk === 'uncontrolled' ? { fda: fdaClocks(input.learnedAt, input.timeZone) } : {}),
  };
}
