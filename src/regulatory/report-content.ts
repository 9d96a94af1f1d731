import { DateTime } from 'luxon';
import { formatInstant } from '../core/index.js';

/**
 * Paste-ready content for each regulatory report: plain text with headings for a person to paste
 * into the authority's form (ENISA's single reporting platform, the FDA's and HHS's portals, a
 * supervisory authority's form, a customer letter), and JSON with the same fields.
 *
 * Invariants:
 * - Built only from staff-authored and program data. `ReportContext` has no field for anything the
 *   reporter wrote or for the reporter's contact details, and the builder picks each field by name,
 *   never spreads, so an object that carries more than the type (a view, a row) cannot leak it.
 * - A fact Vigil does not know is never guessed: it becomes `[to complete: …]` in the text and
 *   `null` in the JSON, so a reader sees at once what is left to fill in.
 * - Pure: no clock, no I/O. `now` and the time zone come in; instants are shown in the program's
 *   zone with the zone named, and stay ISO 8601 in the JSON.
 */

export const REPORT_KINDS = [
  'cra-vulnerability-early-warning',
  'cra-vulnerability-notification',
  'cra-vulnerability-final',
  'cra-incident-early-warning',
  'cra-incident-notification',
  'cra-incident-final',
  'fda-customer-communication',
  'fda-isao-share',
  'fda-remediation',
  'hipaa-individuals',
  'hipaa-hhs',
  'hipaa-media',
  'hipaa-covered-entity',
  'gdpr-authority',
  'gdpr-controller',
  'vigilance',
] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export type ReportTriggerKind =
  | 'actively-exploited'
  | 'severe-incident'
  | 'uncontrolled-risk'
  | 'phi-breach'
  | 'personal-data-breach'
  | 'device-malfunction';
export type DeviceOutcome = 'serious-injury' | 'death' | 'public-health-threat';

/** Everything a report may be filled from. Staff-authored and program data only (see above). */
export interface ReportContext {
  caseNumber: string;
  /** The vendor running the program; `contacts` are its own PSIRT/privacy contacts, never a reporter's. */
  vendor: { name: string; contacts: { role: string; email?: string }[] };
  program: { name: string; slug: string; policyUrl?: string };
  product: {
    id: string;
    name: string;
    kind: string;
    inScopeVersions: string[];
    outOfScopeVersions: string[];
    /** Human lines from the regulatory profile, e.g. "EU MDR class IIb". */
    profileSummary: string[];
  };
  trigger: {
    kind: ReportTriggerKind;
    /** When the vendor became aware (ISO 8601). */
    awareAt: string;
    individualsAffected?: number | null;
    residentsOfOneState?: number | null;
    outcome?: DeviceOutcome | null;
    remedialAction?: boolean | null;
    /** When a corrective or mitigating measure became available (ISO 8601). */
    measureAvailableAt?: string | null;
  };
  /** The clock this report answers, as the duty table names it. */
  clock: { duty: string; regulation: string; article: string; recipient: string; dueAt: string | null };
  assessment?: {
    cvss?: { version: string; vector: string; score: number; severity: string };
    cwes: { id: string; name: string }[];
    severity?: string | null;
    patientSafety?: { severity: string; exploitability: string; risk: string };
    ssvcDecision?: string;
  };
  advisory?: {
    id?: string;
    title: string;
    summary?: string;
    remediation?: string;
    workarounds?: string;
    publicUrl?: string;
    cves: string[];
    /** Affected product/version statements as the advisory words them. */
    affected?: string[];
    publishedAt?: string | null;
  };
  /** The program's IANA time zone. */
  timeZone: string;
  /** When the content is generated (ISO 8601). */
  now: string;
}

export interface ReportContent {
  title: string;
  text: string;
  json: Record<string, unknown>;
}

type Value = string | number | boolean | string[] | null;
interface Field {
  key: string;
  label: string;
  /** What the JSON carries; null when the fact is missing. */
  value: Value;
  /** How the text shows a present value when it differs from `value` (dates). */
  shown?: string;
  /** What to complete when `value` is null. */
  missing: string;
}
interface Section {
  key: string;
  heading: string;
  fields: Field[];
}
interface Draft {
  title: string;
  /** The provision that says what this report must contain. */
  contentBasis: string;
  sections: Section[];
}

const CRA = 'Regulation (EU) 2024/2847 (Cyber Resilience Act)';
const FDA_GUIDANCE =
  'FDA, Postmarket Management of Cybersecurity in Medical Devices (28 December 2016), section VII.B';
const PRIVACY_ROLE = /privacy|dpo|data.?protection/i;

/** Builds the paste-ready content of one report from the context. */
export function buildReportContent(kind: ReportKind, ctx: ReportContext): ReportContent {
  const draft = BUILDERS[kind](ctx);
  const dueAt = instantOf(ctx.clock.dueAt);
  const header: Field[] = [
    field('caseNumber', 'Case', ctx.caseNumber, 'case number'),
    field('regulation', 'Regulation', ctx.clock.regulation, 'regulation'),
    field('article', 'Article', ctx.clock.article, 'article'),
    field('contentBasis', 'Content required by', draft.contentBasis, 'content basis'),
    field('recipient', 'Recipient', ctx.clock.recipient, 'recipient'),
    at('dueAt', 'Due', dueAt, ctx.timeZone, 'due date'),
    at('generatedAt', 'Prepared', instantOf(ctx.now), ctx.timeZone, 'generation time'),
  ];
  const text = [
    draft.title,
    '='.repeat(draft.title.length),
    '',
    ...header.map(renderField),
    ...draft.sections.flatMap((s) => [
      '',
      s.heading,
      '-'.repeat(s.heading.length),
      ...s.fields.map(renderField),
    ]),
    '',
  ].join('\n');
  const json: Record<string, unknown> = { kind, timeZone: ctx.timeZone };
  for (const f of header) json[f.key] = f.value;
  for (const s of draft.sections) json[s.key] = Object.fromEntries(s.fields.map((f) => [f.key, f.value]));
  return { title: draft.title, text, json };
}

// ---- the reports ------------------------------------------------------------------------------

const BUILDERS: Record<ReportKind, (ctx: ReportContext) => Draft> = {
  'cra-vulnerability-early-warning': (ctx) => ({
    title: titled('CRA early warning: actively exploited vulnerability', ctx),
    contentBasis: `${CRA}, Art. 14(2)(a)`,
    sections: [
      manufacturer(ctx),
      productSection(ctx),
      section('vulnerability', 'Actively exploited vulnerability', [
        ...identifiers(ctx),
        at(
          'awareAt',
          'Manufacturer became aware',
          ctx.trigger.awareAt,
          ctx.timeZone,
          'when you became aware',
        ),
      ]),
      section('availability', 'Where the product is made available (Art. 14(2)(a))', [memberStates()]),
    ],
  }),
  'cra-vulnerability-notification': (ctx) => ({
    title: titled('CRA vulnerability notification', ctx),
    contentBasis: `${CRA}, Art. 14(2)(b)`,
    sections: [
      manufacturer(ctx),
      productSection(ctx),
      section('vulnerability', 'General nature of the exploit and of the vulnerability', [
        ...identifiers(ctx),
        ...nature(ctx),
        field('exploit', 'Nature of the exploit', null, 'general nature of the exploit observed'),
      ]),
      measures(ctx),
      section('handling', 'Sensitivity', [sensitivity()]),
    ],
  }),
  'cra-vulnerability-final': (ctx) => ({
    title: titled('CRA final report: actively exploited vulnerability', ctx),
    contentBasis: `${CRA}, Art. 14(2)(c)`,
    sections: [
      manufacturer(ctx),
      productSection(ctx),
      section('vulnerability', '(i) Description, severity and impact', [
        ...identifiers(ctx),
        ...nature(ctx),
        field('impact', 'Impact', null, 'impact of the vulnerability'),
      ]),
      section('maliciousActor', '(ii) Malicious actor', [
        field(
          'information',
          'Information, where available',
          null,
          'any malicious actor that exploited or is exploiting it',
        ),
      ]),
      section('correctiveMeasures', '(iii) Security update or other corrective measures', [
        field(
          'details',
          'Details',
          ctx.advisory?.remediation,
          'the security update or other corrective measure',
        ),
        at(
          'availableAt',
          'Available since',
          ctx.trigger.measureAvailableAt,
          ctx.timeZone,
          'when the measure became available',
        ),
        field('advisory', 'Advisory', advisoryRef(ctx), 'advisory reference'),
      ]),
    ],
  }),
  'cra-incident-early-warning': (ctx) => ({
    title: titled('CRA early warning: severe incident', ctx),
    contentBasis: `${CRA}, Art. 14(4)(a)`,
    sections: [
      manufacturer(ctx),
      productSection(ctx),
      section('incident', 'Severe incident', [
        at(
          'awareAt',
          'Manufacturer became aware',
          ctx.trigger.awareAt,
          ctx.timeZone,
          'when you became aware',
        ),
        field(
          'suspectedMalicious',
          'Suspected of being caused by unlawful or malicious acts',
          null,
          'yes / no / unknown',
        ),
      ]),
      section('availability', 'Where the product is made available (Art. 14(4)(a))', [memberStates()]),
    ],
  }),
  'cra-incident-notification': (ctx) => ({
    title: titled('CRA incident notification', ctx),
    contentBasis: `${CRA}, Art. 14(4)(b)`,
    sections: [
      manufacturer(ctx),
      productSection(ctx),
      section('incident', 'The incident', [
        at(
          'awareAt',
          'Manufacturer became aware',
          ctx.trigger.awareAt,
          ctx.timeZone,
          'when you became aware',
        ),
        field('nature', 'Nature of the incident', null, 'general information on the nature of the incident'),
        field(
          'initialAssessment',
          'Initial assessment',
          assessmentLine(ctx),
          'initial assessment of the incident',
        ),
      ]),
      measures(ctx),
      section('handling', 'Sensitivity', [sensitivity()]),
    ],
  }),
  'cra-incident-final': (ctx) => ({
    title: titled('CRA final report: severe incident', ctx),
    contentBasis: `${CRA}, Art. 14(4)(c)`,
    sections: [
      manufacturer(ctx),
      productSection(ctx),
      section('incident', '(i) Detailed description, severity and impact', [
        field('description', 'Description', null, 'detailed description of the incident'),
        field('severity', 'Severity', assessmentLine(ctx), 'severity of the incident'),
        field('impact', 'Impact', null, 'impact of the incident'),
      ]),
      section('cause', '(ii) Type of threat or root cause', [
        field(
          'rootCause',
          'Likely threat or root cause',
          null,
          'type of threat or root cause that likely triggered it',
        ),
        list('weaknesses', 'Weaknesses identified in the assessment', cweLines(ctx), 'CWE, if known'),
      ]),
      section('mitigation', '(iii) Applied and ongoing mitigation measures', [
        field('applied', 'Applied', ctx.advisory?.remediation, 'mitigation measures applied'),
        field('ongoing', 'Ongoing', null, 'mitigation measures still under way'),
      ]),
    ],
  }),
  'fda-customer-communication': (ctx) => ({
    title: titled('Cybersecurity notice to customers', ctx),
    contentBasis: `${FDA_GUIDANCE}, condition 2 (a)-(d)`,
    sections: customerCommunication(ctx),
  }),
  'fda-isao-share': (ctx) => ({
    title: titled('Vulnerability information for the ISAO', ctx),
    contentBasis: `${FDA_GUIDANCE}, condition 4`,
    sections: [
      section('share', 'Sharing with the ISAO', [
        field('isao', 'ISAO', ctx.clock.recipient, 'name of the ISAO'),
        field(
          'customersNotifiedOn',
          'Customers notified on',
          null,
          'date the customer communication went out',
        ),
        field(
          'note',
          'Why',
          'The customer communication below is shared with the ISAO upon notification of customers.',
          '',
        ),
      ]),
      ...customerCommunication(ctx),
    ],
  }),
  'fda-remediation': (ctx) => ({
    title: titled('Remediation record: uncontrolled risk', ctx),
    contentBasis: `${FDA_GUIDANCE}, condition 3`,
    sections: [
      manufacturer(ctx),
      productSection(ctx),
      section('vulnerability', 'Vulnerability', [...identifiers(ctx), ...patientSafety(ctx)]),
      section('timeline', 'Timeline', [
        at(
          'learnedAt',
          'Learned of the vulnerability',
          ctx.trigger.awareAt,
          ctx.timeZone,
          'when you learned of it',
        ),
        at(
          'fixAvailableAt',
          'Deployable fix available',
          ctx.trigger.measureAvailableAt,
          ctx.timeZone,
          'fix date',
        ),
      ]),
      section('fix', 'Fix', [
        field(
          'description',
          'Change made',
          ctx.advisory?.remediation,
          'the fix or long-term compensating control',
        ),
        field('validation', 'Validation of the change', null, 'how the change was validated'),
        field(
          'distribution',
          'Distribution to customers',
          null,
          'how and when the deployable fix was distributed',
        ),
        field('residualRisk', 'Residual risk after the fix', null, 'residual risk and why it is acceptable'),
      ]),
    ],
  }),
  'hipaa-individuals': (ctx) => ({
    title: titled('Notice of a breach of health information', ctx),
    contentBasis: '45 CFR 164.404(c)(1)(A)-(E), in plain language (164.404(c)(2))',
    sections: breachNotice(ctx, 'the covered entity'),
  }),
  'hipaa-hhs': (ctx) => ({
    title: titled('Breach report to the Secretary of HHS', ctx),
    contentBasis: '45 CFR 164.408',
    sections: [
      entity(ctx, 'coveredEntity', 'Covered entity', PRIVACY_ROLE),
      section('scope', 'Size of the breach', [
        count(
          'individualsAffected',
          'Individuals affected',
          ctx.trigger.individualsAffected,
          'number of individuals',
        ),
        field(
          'submission',
          'When HHS is told',
          hhsPath(ctx.trigger.individualsAffected),
          'number of individuals',
        ),
      ]),
      ...breachNotice(ctx, 'the covered entity').slice(1),
    ],
  }),
  'hipaa-media': (ctx) => ({
    title: titled('Media notice of a breach of health information', ctx),
    contentBasis: '45 CFR 164.406(c), which requires the content of 164.404(c)',
    sections: [
      section('scope', 'Residents affected', [
        count(
          'residentsOfOneState',
          'Residents of the State',
          ctx.trigger.residentsOfOneState,
          'residents affected',
        ),
        field('state', 'State or jurisdiction', null, 'State or jurisdiction'),
        field('outlets', 'Prominent media outlets serving it', null, 'media outlets'),
      ]),
      ...breachNotice(ctx, 'the covered entity'),
    ],
  }),
  'hipaa-covered-entity': (ctx) => ({
    title: titled('Business associate breach notice to the covered entity', ctx),
    contentBasis: '45 CFR 164.410(c)',
    sections: [
      entity(ctx, 'businessAssociate', 'Business associate', PRIVACY_ROLE),
      section('individuals', '(c)(1) Individuals affected', [
        count(
          'individualsAffected',
          'Number of individuals',
          ctx.trigger.individualsAffected,
          'number of individuals',
        ),
        field(
          'identification',
          'Identification of each individual',
          null,
          'list each individual, sent through a channel fit for PHI; not kept in Vigil',
        ),
      ]),
      ...breachNotice(ctx, 'the business associate').slice(1),
    ],
  }),
  'gdpr-authority': (ctx) => ({
    title: titled('Personal data breach notification to the supervisory authority', ctx),
    contentBasis: 'Regulation (EU) 2016/679 (GDPR), Art. 33(3)(a)-(d)',
    sections: [entity(ctx, 'controller', 'Controller', PRIVACY_ROLE), ...gdprContent(ctx, true)],
  }),
  'gdpr-controller': (ctx) => ({
    title: titled('Personal data breach notice to the controller', ctx),
    contentBasis: 'Regulation (EU) 2016/679 (GDPR), Art. 33(2); fields of Art. 33(3) for the controller',
    sections: [entity(ctx, 'processor', 'Processor', PRIVACY_ROLE), ...gdprContent(ctx, false)],
  }),
  vigilance: (ctx) => ({
    title: titled('Vigilance report summary', ctx),
    contentBasis: `${ctx.clock.regulation}, ${ctx.clock.article}`,
    sections: [
      manufacturer(ctx),
      section('device', 'Device', [
        field('name', 'Device', ctx.product.name, 'device name'),
        field('id', 'Product id', ctx.product.id, 'product id'),
        list('versions', 'Versions', affectedVersions(ctx), 'affected versions'),
        list('regulatoryProfile', 'Regulatory profile', ctx.product.profileSummary, 'device class'),
      ]),
      section('event', 'Event', [
        field(
          'outcome',
          'Outcome',
          outcomeLabel(ctx.trigger.outcome),
          'death, serious injury or public health threat',
        ),
        field('description', 'What happened', null, 'event description (no patient identifiers)'),
        field('eventDate', 'Date of the event', null, 'date of the event'),
        field('patient', 'Patient information', null, 'as the form asks, entered in the form itself'),
      ]),
      section('cybersecurity', 'Related vulnerability', [...identifiers(ctx), ...nature(ctx)]),
      section('remedialAction', 'Remedial action', [
        field(
          'needed',
          'Needed to prevent unreasonable risk of substantial harm',
          ctx.trigger.remedialAction,
          'yes / no',
        ),
        field('action', 'Action taken or planned', ctx.advisory?.remediation, 'remedial action'),
      ]),
      section('timeline', 'Timeline', [
        at(
          'awareAt',
          'Manufacturer became aware',
          ctx.trigger.awareAt,
          ctx.timeZone,
          'when you became aware',
        ),
        at('dueAt', 'Report due', ctx.clock.dueAt, ctx.timeZone, 'due date'),
      ]),
    ],
  }),
};

// ---- shared sections --------------------------------------------------------------------------

function manufacturer(ctx: ReportContext): Section {
  return entity(ctx, 'manufacturer', 'Manufacturer');
}

function entity(ctx: ReportContext, key: string, heading: string, preferRole?: RegExp): Section {
  return section(key, heading, [
    field('name', 'Name', ctx.vendor.name, 'name'),
    list('contactPoint', 'Contact point', contactLines(ctx, preferRole), 'contact e-mail'),
  ]);
}

function productSection(ctx: ReportContext): Section {
  return section('product', 'Product', [
    field('name', 'Product', ctx.product.name, 'product name'),
    field('id', 'Product id', ctx.product.id, 'product id'),
    field('type', 'Type', ctx.product.kind, 'product type'),
    list('affectedVersions', 'Affected versions', affectedVersions(ctx), 'affected versions'),
    list(
      'versionsNotAffected',
      'Versions not affected',
      ctx.product.outOfScopeVersions,
      'versions not affected',
    ),
  ]);
}

function identifiers(ctx: ReportContext): Field[] {
  return [
    list('cves', 'CVE', ctx.advisory?.cves, 'CVE ID, once assigned'),
    field('title', 'Title', ctx.advisory?.title, 'short title of the vulnerability'),
  ];
}

/** What the assessment and the advisory say about the vulnerability. */
function nature(ctx: ReportContext): Field[] {
  return [
    field('description', 'Description', ctx.advisory?.summary, 'description of the vulnerability'),
    list('weaknesses', 'Weakness', cweLines(ctx), 'CWE'),
    field('severity', 'Severity', assessmentLine(ctx), 'severity (e.g. CVSS)'),
  ];
}

function patientSafety(ctx: ReportContext): Field[] {
  const p = ctx.assessment?.patientSafety;
  return [
    field(
      'patientRisk',
      'Risk of patient harm',
      p && `${p.risk} (severity of harm: ${p.severity}; exploitability: ${p.exploitability})`,
      'patient-safety assessment',
    ),
  ];
}

function measures(ctx: ReportContext): Section {
  return section('measures', 'Corrective or mitigating measures', [
    field('taken', 'Taken by the manufacturer', ctx.advisory?.remediation, 'measures taken'),
    field('forUsers', 'Users can take', ctx.advisory?.workarounds, 'measures users can take'),
  ]);
}

function memberStates(): Field {
  return field(
    'memberStates',
    'Member States',
    null,
    'Member States where you know the product is made available',
  );
}

function sensitivity(): Field {
  return field(
    'sensitivity',
    'How sensitive the information is',
    null,
    'how sensitive you consider it (e.g. TLP)',
  );
}

/** FDA section VII.B condition 2: what the customer communication should at minimum say. */
function customerCommunication(ctx: ReportContext): Section[] {
  return [
    productSection(ctx),
    section('vulnerability', '(a) The vulnerability and its impact', [
      ...identifiers(ctx),
      ...nature(ctx),
      ...patientSafety(ctx),
    ]),
    section('response', '(b) What we are doing', [
      field(
        'statement',
        'Statement',
        `${ctx.vendor.name} is working to address the risk of patient harm as expeditiously as possible.`,
        '',
      ),
    ]),
    section('compensatingControls', '(c) Compensating controls', [
      field(
        'controls',
        'What customers can do now',
        ctx.advisory?.workarounds,
        'compensating controls, if any',
      ),
    ]),
    section('fix', '(d) The fix', [
      field(
        'status',
        'Fix',
        ctx.advisory?.remediation,
        'that a fix is being worked on (or the defence-in-depth strategy) and that its availability will be announced',
      ),
      field('advisory', 'Advisory', advisoryRef(ctx), 'where updates will be published'),
    ]),
    entity(ctx, 'contact', 'Contact'),
  ];
}

/** 45 CFR 164.404(c)(1)(A)-(E); the first section is the sender. */
function breachNotice(ctx: ReportContext, who: string): Section[] {
  return [
    entity(ctx, 'sender', 'From', PRIVACY_ROLE),
    section('whatHappened', '(A) What happened', [
      field('description', 'Description', null, 'brief description of what happened'),
      field('breachDate', 'Date of the breach', null, 'date of the breach, if known'),
      at('discoveredAt', 'Date of discovery', ctx.trigger.awareAt, ctx.timeZone, 'date of discovery'),
    ]),
    section('information', '(B) Information involved', [
      field('types', 'Types of unsecured PHI', null, 'e.g. name, date of birth, diagnosis, account number'),
    ]),
    section('individualSteps', '(C) What individuals should do', [
      field('steps', 'Steps to protect themselves', null, 'steps individuals should take'),
    ]),
    section('response', `(D) What ${who} is doing`, [
      field('investigation', 'Investigating the breach', null, 'investigation'),
      field('mitigation', 'Mitigating harm', null, 'mitigation of harm to individuals'),
      field(
        'prevention',
        'Protecting against further breaches',
        ctx.advisory?.remediation,
        'protection measures',
      ),
    ]),
    section('contact', '(E) Contact procedures', [
      field('tollFreeNumber', 'Toll-free telephone number', null, 'toll-free number'),
      list('email', 'E-mail', contactEmails(ctx, PRIVACY_ROLE), 'e-mail address'),
      field('websiteOrPostal', 'Web site or postal address', null, 'web site or postal address'),
    ]),
  ];
}

/** GDPR Art. 33(3)(a)-(d); for the authority also the reasons when 72 hours have passed (33(1)). */
function gdprContent(ctx: ReportContext, toAuthority: boolean): Section[] {
  const aware = instantOf(ctx.trigger.awareAt);
  const now = instantOf(ctx.now);
  const late = aware && now && Date.parse(now) - Date.parse(aware) > 72 * 3600_000;
  return [
    section('nature', '(a) Nature of the breach', [
      at('awareAt', 'Became aware', aware, ctx.timeZone, 'when you became aware'),
      field('description', 'Nature of the breach', null, 'what happened'),
      field('dataSubjectCategories', 'Categories of data subjects', null, 'e.g. patients, clinicians'),
      count(
        'dataSubjects',
        'Approximate number of data subjects',
        ctx.trigger.individualsAffected,
        'approximate number',
      ),
      field('recordCategories', 'Categories of personal data records', null, 'e.g. health data, identifiers'),
      field('records', 'Approximate number of records', null, 'approximate number of records'),
    ]),
    section('contactPoint', '(b) Data protection officer or other contact point', [
      list('contacts', 'Contact', contactLines(ctx, PRIVACY_ROLE), 'name and contact details of the DPO'),
    ]),
    section('consequences', '(c) Likely consequences', [
      field('likely', 'Likely consequences', null, 'likely consequences for the data subjects'),
    ]),
    section('measures', '(d) Measures taken or proposed', [
      field(
        'taken',
        'Measures',
        ctx.advisory?.remediation,
        'measures taken or proposed to address the breach',
      ),
      field(
        'mitigation',
        'To mitigate adverse effects',
        ctx.advisory?.workarounds,
        'mitigation, where appropriate',
      ),
    ]),
    ...(toAuthority && late
      ? [
          section('delay', 'Reasons for the delay (Art. 33(1))', [
            field('reasons', 'Reasons', null, 'why 72 hours passed'),
          ]),
        ]
      : []),
  ];
}

// ---- facts ------------------------------------------------------------------------------------

function titled(what: string, ctx: ReportContext): string {
  return `${what}: ${ctx.product.name} (${ctx.caseNumber})`;
}

function affectedVersions(ctx: ReportContext): string[] {
  return ctx.advisory?.affected?.length ? ctx.advisory.affected : ctx.product.inScopeVersions;
}

function cweLines(ctx: ReportContext): string[] {
  return (ctx.assessment?.cwes ?? []).map((c) => `${c.id} ${c.name}`);
}

function assessmentLine(ctx: ReportContext): string | null {
  const a = ctx.assessment;
  if (a?.cvss) return `${a.cvss.score} ${a.cvss.severity} (CVSS ${a.cvss.version} ${a.cvss.vector})`;
  return a?.severity ?? null;
}

function advisoryRef(ctx: ReportContext): string | null {
  const a = ctx.advisory;
  if (!a || !(a.id || a.publicUrl)) return null;
  return [a.id, a.publicUrl].filter(Boolean).join(' ');
}

function contactLines(ctx: ReportContext, preferRole?: RegExp): string[] {
  return pickContacts(ctx, preferRole).map((c) => `${c.email} (${c.role})`);
}

function contactEmails(ctx: ReportContext, preferRole?: RegExp): string[] {
  return pickContacts(ctx, preferRole).map((c) => c.email);
}

/** The vendor's contacts with an address, those of a preferred role first-and-only when any. */
function pickContacts(ctx: ReportContext, preferRole?: RegExp): { role: string; email: string }[] {
  const withEmail = ctx.vendor.contacts.flatMap((c) => (c.email ? [{ role: c.role, email: c.email }] : []));
  const preferred = preferRole ? withEmail.filter((c) => preferRole.test(c.role)) : [];
  return preferred.length ? preferred : withEmail;
}

function hhsPath(individuals: number | null | undefined): string | null {
  if (individuals == null) return null;
  return individuals >= 500
    ? '500 or more individuals: contemporaneously with the notice to individuals (45 CFR 164.408(b))'
    : 'Fewer than 500 individuals: in the log submitted within 60 days after the end of the calendar year (45 CFR 164.408(c))';
}

function outcomeLabel(outcome: DeviceOutcome | null | undefined): string | null {
  if (outcome === 'death') return 'Death';
  if (outcome === 'serious-injury') return 'Serious injury (serious deterioration in state of health)';
  if (outcome === 'public-health-threat') return 'Serious public health threat';
  return null;
}

// ---- fields and rendering ---------------------------------------------------------------------

function section(key: string, heading: string, fields: Field[]): Section {
  return { key, heading, fields };
}

function field(
  key: string,
  label: string,
  value: string | boolean | null | undefined,
  missing: string,
): Field {
  const v = typeof value === 'string' ? value.trim() : value;
  return { key, label, value: v === '' || v === undefined ? null : v, missing };
}

function list(key: string, label: string, values: readonly string[] | undefined, missing: string): Field {
  const v = (values ?? []).map((s) => s.trim()).filter(Boolean);
  return { key, label, value: v.length ? v : null, missing };
}

function count(key: string, label: string, value: number | null | undefined, missing: string): Field {
  return { key, label, value: typeof value === 'number' && Number.isFinite(value) ? value : null, missing };
}

/** An instant: ISO in the JSON, the program's local time with its zone named in the text. */
function at(
  key: string,
  label: string,
  iso: string | null | undefined,
  timeZone: string,
  missing: string,
): Field {
  const v = instantOf(iso);
  return v
    ? { key, label, value: v, shown: formatInstant(v, timeZone), missing }
    : { key, label, value: null, missing };
}

function instantOf(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const dt = DateTime.fromISO(iso, { setZone: true });
  return dt.isValid ? iso : null;
}

function renderField(f: Field): string {
  if (f.value === null) return `${f.label}: [to complete: ${f.missing}]`;
  if (Array.isArray(f.value)) return [`${f.label}:`, ...f.value.map((v) => `  - ${v}`)].join('\n');
  const shown = f.shown ?? (typeof f.value === 'boolean' ? (f.value ? 'yes' : 'no') : String(f.value));
  if (!shown.includes('\n') && f.label.length + shown.length <= 100) return `${f.label}: ${shown}`;
  return [`${f.label}:`, ...shown.split('\n').map((l) => (l ? `  ${l}` : ''))].join('\n');
}
