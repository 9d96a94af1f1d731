import type { RegulatoryProfile } from '../programs/index.js';
import type { ReportKind } from './report-content.js';

/**
 * The regulatory duties Vigil tracks, as data: one row per report a regulation asks for, with the
 * fact that starts its clock, its window and its source. Nothing else in the code knows a figure
 * or an article; changing a duty is changing this table (docs/regulatory.md explains each row).
 *
 * Windows are counted the way the texts count them:
 * - `hours`: exactly that many hours after the start (CRA 24 h / 72 h, GDPR 72 h);
 * - `calendarDays`: to the end of the Nth calendar day after the start's local day in the
 *   program's time zone (Vigil's convention for every calendar-day clock);
 * - `months`: to the end of the same local date one or more months later;
 * - `workDays`: business days of the program's calendar (21 CFR 803.53's "5 work days").
 */

export const TRIGGER_KINDS = [
  'actively-exploited',
  'severe-incident',
  'uncontrolled-risk',
  'phi-breach',
  'personal-data-breach',
  'device-malfunction',
] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

export const TRIGGER_LABELS: Record<TriggerKind, string> = {
  'actively-exploited': 'Actively exploited vulnerability',
  'severe-incident': 'Severe incident affecting the security of the product',
  'uncontrolled-risk': 'Uncontrolled risk to patients',
  'phi-breach': 'Confirmed breach of unsecured PHI',
  'personal-data-breach': 'Personal data breach',
  'device-malfunction': 'Device malfunction that could cause or contribute to death or serious injury',
};

/**
 * What a device malfunction led to, or could: it picks the EU vigilance window. `death` covers
 * an unanticipated serious deterioration in a person's state of health too (MDR Art. 87(5)).
 */
export const MALFUNCTION_OUTCOMES = ['serious-injury', 'death', 'public-health-threat'] as const;
export type MalfunctionOutcome = (typeof MALFUNCTION_OUTCOMES)[number];

export const REGIMES = ['cra', 'fda-postmarket', 'fda-mdr', 'eu-vigilance', 'hipaa', 'gdpr'] as const;
export type Regime = (typeof REGIMES)[number];

/**
 * Each regime: its name, and the duty an approver of a "not reportable" decision must hold —
 * the privacy officers for the privacy laws, the program's approvers for the product laws.
 */
export const REGIME_INFO: Record<Regime, { regulation: string; approverDuty: 'approver' | 'privacy' }> = {
  cra: { regulation: 'EU Cyber Resilience Act', approverDuty: 'approver' },
  'fda-postmarket': { regulation: 'FDA postmarket cybersecurity', approverDuty: 'approver' },
  'fda-mdr': { regulation: 'FDA Medical Device Reporting (21 CFR 803)', approverDuty: 'approver' },
  'eu-vigilance': { regulation: 'EU MDR/IVDR vigilance', approverDuty: 'approver' },
  hipaa: { regulation: 'HIPAA Breach Notification Rule', approverDuty: 'privacy' },
  gdpr: { regulation: 'GDPR', approverDuty: 'privacy' },
};

export type DutyWindow =
  | { hours: number }
  | { calendarDays: number }
  | { months: number }
  | { workDays: number }
  /** The GDPR processor's "without undue delay": the profile's `gdpr.noticeHours`, else `hours`. */
  | { profileNoticeHours: true; hours: number };

/**
 * When a duty's clock starts: when the vendor became aware (the trigger's `awareAt`); when a
 * corrective or mitigating measure became available; when another duty's report was submitted;
 * or at the end of the calendar year of awareness.
 */
export type DutyStart = 'aware' | 'measure-available' | 'year-end' | { afterDuty: string };

/** Facts of a trigger that narrow which duties it starts. */
export interface DutyCondition {
  outcome?: readonly MalfunctionOutcome[];
  remedialAction?: boolean;
  /** Individuals affected at least / below this many. */
  individualsAtLeast?: number;
  individualsBelow?: number;
  /** More than this many residents of one State or jurisdiction. */
  residentsAbove?: number;
}

/** Which profile entries make a duty apply. */
export interface DutyScope {
  profile: 'fda' | 'euDevice' | 'cra' | 'hipaa' | 'gdpr';
  roles?: readonly string[];
}

export interface DutyDefinition {
  id: string;
  regime: Regime;
  trigger: TriggerKind;
  scope: DutyScope;
  when?: DutyCondition;
  title: string;
  /** Who is to be told. */
  recipient: string;
  window: DutyWindow;
  starts: DutyStart;
  /** The paste-ready content prepared for it. */
  reportKind: ReportKind;
  source: { document: string; article: string };
}

const CRA = 'Regulation (EU) 2024/2847 (Cyber Resilience Act)';
const CRA_RECIPIENT = 'The CSIRT designated as coordinator and ENISA, via the single reporting platform';
const FDA_GUIDANCE = 'FDA, Postmarket Management of Cybersecurity in Medical Devices (28 December 2016)';
const MDR = 'Regulation (EU) 2017/745 (MDR) / Regulation (EU) 2017/746 (IVDR)';
const HIPAA = '45 CFR Part 164, Subpart D (Breach Notification Rule)';
const GDPR = 'Regulation (EU) 2016/679 (GDPR)';

export const DUTIES: readonly DutyDefinition[] = [
  {
    id: 'cra-vuln-early-warning',
    regime: 'cra',
    trigger: 'actively-exploited',
    scope: { profile: 'cra' },
    title: 'Early warning of an actively exploited vulnerability',
    recipient: CRA_RECIPIENT,
    window: { hours: 24 },
    starts: 'aware',
    reportKind: 'cra-vulnerability-early-warning',
    source: { document: CRA, article: 'Art. 14(2)(a)' },
  },
  {
    id: 'cra-vuln-notification',
    regime: 'cra',
    trigger: 'actively-exploited',
    scope: { profile: 'cra' },
    title: 'Vulnerability notification',
    recipient: CRA_RECIPIENT,
    window: { hours: 72 },
    starts: 'aware',
    reportKind: 'cra-vulnerability-notification',
    source: { document: CRA, article: 'Art. 14(2)(b)' },
  },
  {
    id: 'cra-vuln-final',
    regime: 'cra',
    trigger: 'actively-exploited',
    scope: { profile: 'cra' },
    title: 'Final report on the vulnerability',
    recipient: CRA_RECIPIENT,
    window: { calendarDays: 14 },
    starts: 'measure-available',
    reportKind: 'cra-vulnerability-final',
    source: { document: CRA, article: 'Art. 14(2)(c)' },
  },
  {
    id: 'cra-incident-early-warning',
    regime: 'cra',
    trigger: 'severe-incident',
    scope: { profile: 'cra' },
    title: 'Early warning of a severe incident',
    recipient: CRA_RECIPIENT,
    window: { hours: 24 },
    starts: 'aware',
    reportKind: 'cra-incident-early-warning',
    source: { document: CRA, article: 'Art. 14(4)(a)' },
  },
  {
    id: 'cra-incident-notification',
    regime: 'cra',
    trigger: 'severe-incident',
    scope: { profile: 'cra' },
    title: 'Incident notification',
    recipient: CRA_RECIPIENT,
    window: { hours: 72 },
    starts: 'aware',
    reportKind: 'cra-incident-notification',
    source: { document: CRA, article: 'Art. 14(4)(b)' },
  },
  {
    id: 'cra-incident-final',
    regime: 'cra',
    trigger: 'severe-incident',
    scope: { profile: 'cra' },
    title: 'Final report on the incident',
    recipient: CRA_RECIPIENT,
    window: { months: 1 },
    starts: { afterDuty: 'cra-incident-notification' },
    reportKind: 'cra-incident-final',
    source: { document: CRA, article: 'Art. 14(4)(c)' },
  },
  {
    id: 'fda-customer-communication',
    regime: 'fda-postmarket',
    trigger: 'uncontrolled-risk',
    scope: { profile: 'fda' },
    title: 'Communicate the vulnerability to customers and the user community',
    recipient: 'Customers and users of the device',
    window: { calendarDays: 30 },
    starts: 'aware',
    reportKind: 'fda-customer-communication',
    source: { document: FDA_GUIDANCE, article: 'section VII.B, condition 2' },
  },
  {
    id: 'fda-isao',
    regime: 'fda-postmarket',
    trigger: 'uncontrolled-risk',
    scope: { profile: 'fda' },
    title: 'Share the customer communication with the ISAO the manufacturer participates in',
    recipient: 'The ISAO (e.g. Health-ISAC)',
    window: { calendarDays: 30 },
    starts: 'aware',
    reportKind: 'fda-isao-share',
    source: { document: FDA_GUIDANCE, article: 'section VII.B, condition 4; ISAO criteria in section IX' },
  },
  {
    id: 'fda-remediation',
    regime: 'fda-postmarket',
    trigger: 'uncontrolled-risk',
    scope: { profile: 'fda' },
    title: 'Remediate: distribute a validated fix or compensating controls',
    recipient: 'Customers and users of the device',
    window: { calendarDays: 60 },
    starts: 'aware',
    reportKind: 'fda-remediation',
    source: { document: FDA_GUIDANCE, article: 'section VII.B, condition 3' },
  },
  {
    id: 'fda-mdr-30-day',
    regime: 'fda-mdr',
    trigger: 'device-malfunction',
    scope: { profile: 'fda' },
    when: { remedialAction: false },
    title: 'Medical device report (MDR)',
    recipient: 'FDA (eMDR, Form 3500A)',
    window: { calendarDays: 30 },
    starts: 'aware',
    reportKind: 'vigilance',
    source: { document: '21 CFR Part 803', article: '§ 803.50(a)' },
  },
  {
    id: 'fda-mdr-5-day',
    regime: 'fda-mdr',
    trigger: 'device-malfunction',
    scope: { profile: 'fda' },
    when: { remedialAction: true },
    title: '5-day report: remedial action needed to prevent an unreasonable risk of substantial harm',
    recipient: 'FDA (eMDR, Form 3500A)',
    window: { workDays: 5 },
    starts: 'aware',
    reportKind: 'vigilance',
    source: { document: '21 CFR Part 803', article: '§ 803.53(a)' },
  },
  {
    id: 'eu-serious-incident',
    regime: 'eu-vigilance',
    trigger: 'device-malfunction',
    scope: { profile: 'euDevice' },
    when: { outcome: ['serious-injury'] },
    title: 'Serious incident report',
    recipient: 'The competent authority of the Member State where it occurred (via EUDAMED)',
    window: { calendarDays: 15 },
    starts: 'aware',
    reportKind: 'vigilance',
    source: { document: MDR, article: 'MDR Art. 87(3) / IVDR Art. 82(3)' },
  },
  {
    id: 'eu-death-or-deterioration',
    regime: 'eu-vigilance',
    trigger: 'device-malfunction',
    scope: { profile: 'euDevice' },
    when: { outcome: ['death'] },
    title: 'Serious incident report: death or unanticipated serious deterioration in health',
    recipient: 'The competent authority of the Member State where it occurred (via EUDAMED)',
    window: { calendarDays: 10 },
    starts: 'aware',
    reportKind: 'vigilance',
    source: { document: MDR, article: 'MDR Art. 87(5) / IVDR Art. 82(5)' },
  },
  {
    id: 'eu-public-health-threat',
    regime: 'eu-vigilance',
    trigger: 'device-malfunction',
    scope: { profile: 'euDevice' },
    when: { outcome: ['public-health-threat'] },
    title: 'Serious incident report: serious public health threat',
    recipient: 'The competent authority of the Member State where it occurred (via EUDAMED)',
    window: { calendarDays: 2 },
    starts: 'aware',
    reportKind: 'vigilance',
    source: { document: MDR, article: 'MDR Art. 87(4) / IVDR Art. 82(4)' },
  },
  {
    id: 'hipaa-individuals',
    regime: 'hipaa',
    trigger: 'phi-breach',
    scope: { profile: 'hipaa', roles: ['covered-entity'] },
    title: 'Notify the affected individuals',
    recipient: 'Each individual whose unsecured PHI was breached',
    window: { calendarDays: 60 },
    starts: 'aware',
    reportKind: 'hipaa-individuals',
    source: { document: HIPAA, article: '§ 164.404(b)' },
  },
  {
    id: 'hipaa-hhs-500',
    regime: 'hipaa',
    trigger: 'phi-breach',
    scope: { profile: 'hipaa', roles: ['covered-entity'] },
    when: { individualsAtLeast: 500 },
    title: 'Notify HHS (500 or more individuals): contemporaneously with the individual notices',
    recipient: 'The Secretary of HHS (OCR breach portal)',
    window: { calendarDays: 60 },
    starts: 'aware',
    reportKind: 'hipaa-hhs',
    source: { document: HIPAA, article: '§ 164.408(b)' },
  },
  {
    id: 'hipaa-hhs-annual',
    regime: 'hipaa',
    trigger: 'phi-breach',
    scope: { profile: 'hipaa', roles: ['covered-entity'] },
    when: { individualsBelow: 500 },
    title: 'Log for HHS (fewer than 500 individuals): within 60 days after the end of the calendar year',
    recipient: 'The Secretary of HHS (OCR breach portal)',
    window: { calendarDays: 60 },
    starts: 'year-end',
    reportKind: 'hipaa-hhs',
    source: { document: HIPAA, article: '§ 164.408(c)' },
  },
  {
    id: 'hipaa-media',
    regime: 'hipaa',
    trigger: 'phi-breach',
    scope: { profile: 'hipaa', roles: ['covered-entity'] },
    when: { residentsAbove: 500 },
    title: 'Notify prominent media outlets (more than 500 residents of a State or jurisdiction)',
    recipient: 'Prominent media outlets serving the State or jurisdiction',
    window: { calendarDays: 60 },
    starts: 'aware',
    reportKind: 'hipaa-media',
    source: { document: HIPAA, article: '§ 164.406(b)' },
  },
  {
    id: 'hipaa-business-associate',
    regime: 'hipaa',
    trigger: 'phi-breach',
    scope: { profile: 'hipaa', roles: ['business-associate'] },
    title: 'Notify the covered entity',
    recipient: 'The covered entity (the customer whose PHI it is)',
    window: { calendarDays: 60 },
    starts: 'aware',
    reportKind: 'hipaa-covered-entity',
    source: { document: HIPAA, article: '§ 164.410(b)' },
  },
  {
    id: 'gdpr-authority',
    regime: 'gdpr',
    trigger: 'personal-data-breach',
    scope: { profile: 'gdpr', roles: ['controller'] },
    title: 'Notify the supervisory authority',
    recipient: 'The competent supervisory authority (Art. 55)',
    window: { hours: 72 },
    starts: 'aware',
    reportKind: 'gdpr-authority',
    source: { document: GDPR, article: 'Art. 33(1)' },
  },
  {
    id: 'gdpr-controller',
    regime: 'gdpr',
    trigger: 'personal-data-breach',
    scope: { profile: 'gdpr', roles: ['processor'] },
    title: 'Notify the controller without undue delay',
    recipient: 'The controller (the customer whose data it is)',
    window: { profileNoticeHours: true, hours: 24 },
    starts: 'aware',
    reportKind: 'gdpr-controller',
    source: { document: GDPR, article: 'Art. 33(2)' },
  },
];

/** The duty of an id; throws for an id the table does not have (stored rows name only these). */
export function dutyById(id: string): DutyDefinition {
  const duty = DUTIES.find((d) => d.id === id);
  if (!duty) throw new Error(`unknown regulatory duty ${id}`);
  return duty;
}

/** The role a profile gives for a duty's scope, or undefined when the profile lacks that entry. */
function scopeRole(profile: RegulatoryProfile, scope: DutyScope): string | undefined | null {
  switch (scope.profile) {
    case 'fda':
      return profile.fda ? null : undefined;
    case 'euDevice':
      return profile.euMdr || profile.euIvdr ? null : undefined;
    case 'cra':
      return profile.cra?.role;
    case 'hipaa':
      return profile.hipaa?.role;
    case 'gdpr':
      return profile.gdpr?.role;
  }
}

/** Whether a product's profile binds the vendor to a duty (before the trigger's facts). */
export function profileHasDuty(profile: RegulatoryProfile | undefined, duty: DutyDefinition): boolean {
  if (!profile) return false;
  const role = scopeRole(profile, duty.scope);
  if (role === undefined) return false;
  return duty.scope.roles === undefined || (role !== null && duty.scope.roles.includes(role));
}

/** The trigger kinds a profile has any duty for, with the regimes each would start. */
export function triggersFor(
  profile: RegulatoryProfile | undefined,
): { kind: TriggerKind; regimes: Regime[] }[] {
  return TRIGGER_KINDS.flatMap((kind) => {
    const regimes = [
      ...new Set(DUTIES.filter((d) => d.trigger === kind && profileHasDuty(profile, d)).map((d) => d.regime)),
    ];
    return regimes.length > 0 ? [{ kind, regimes }] : [];
  });
}

/** The facts of a trigger that select duties. */
export interface TriggerFacts {
  kind: TriggerKind;
  individualsAffected?: number | null;
  residentsOfOneState?: number | null;
  outcome?: MalfunctionOutcome | null;
  remedialAction?: boolean | null;
}

function conditionHolds(when: DutyCondition | undefined, t: TriggerFacts): boolean {
  if (!when) return true;
  if (when.outcome && !(t.outcome && when.outcome.includes(t.outcome))) return false;
  if (when.remedialAction !== undefined && (t.remedialAction ?? false) !== when.remedialAction) return false;
  const n = t.individualsAffected;
  if (when.individualsAtLeast !== undefined && !(n != null && n >= when.individualsAtLeast)) return false;
  if (when.individualsBelow !== undefined && !(n != null && n < when.individualsBelow)) return false;
  // Without a per-State figure, all of the individuals are taken to live in one: the notice that
  // may be owed is shown rather than silently skipped.
  const residents = t.residentsOfOneState ?? n;
  if (when.residentsAbove !== undefined && !(residents != null && residents > when.residentsAbove))
    return false;
  return true;
}

/** The duties a trigger on a product with this profile starts. */
export function dutiesFor(profile: RegulatoryProfile | undefined, t: TriggerFacts): DutyDefinition[] {
  return DUTIES.filter(
    (d) => d.trigger === t.kind && profileHasDuty(profile, d) && conditionHolds(d.when, t),
  );
}

/** A short human reading of a profile, e.g. "EU MDR class IIb". */
export function describeProfile(profile: RegulatoryProfile | undefined): string[] {
  if (!profile) return [];
  const lines: string[] = [];
  if (profile.fda)
    lines.push(
      profile.fda.cyberDevice ? 'FDA medical device, cyber device (FD&C Act §524B)' : 'FDA medical device',
    );
  if (profile.euMdr) lines.push(`EU MDR class ${profile.euMdr.class}`);
  if (profile.euIvdr) lines.push(`EU IVDR class ${profile.euIvdr.class}`);
  if (profile.cra)
    lines.push(
      `EU Cyber Resilience Act: ${profile.cra.role === 'manufacturer' ? 'manufacturer' : 'open-source software steward'}`,
    );
  if (profile.hipaa) lines.push(`HIPAA ${profile.hipaa.role.replace('-', ' ')}`);
  if (profile.gdpr) lines.push(`GDPR ${profile.gdpr.role}`);
  return lines;
}

/** The window as people say it: "24 hours", "15 calendar days", "5 work days", "1 month". */
export function describeWindow(window: DutyWindow, profile?: RegulatoryProfile): string {
  if ('profileNoticeHours' in window) {
    const h = profile?.gdpr?.noticeHours ?? window.hours;
    return `without undue delay (program target: ${h} hours)`;
  }
  if ('hours' in window) return `${window.hours} hours`;
  if ('calendarDays' in window) return `${window.calendarDays} calendar days`;
  if ('workDays' in window) return `${window.workDays} work days`;
  return window.months === 1 ? '1 month' : `${window.months} months`;
}
