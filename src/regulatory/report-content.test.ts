import { describe, expect, it } from 'vitest';
import { buildReportContent, REPORT_KINDS, type ReportContext, type ReportKind } from './report-content.js';

/** The provision each kind must name as what its content answers. */
const CONTENT_BASIS: Record<ReportKind, string> = {
  'cra-vulnerability-early-warning': 'Art. 14(2)(a)',
  'cra-vulnerability-notification': 'Art. 14(2)(b)',
  'cra-vulnerability-final': 'Art. 14(2)(c)',
  'cra-incident-early-warning': 'Art. 14(4)(a)',
  'cra-incident-notification': 'Art. 14(4)(b)',
  'cra-incident-final': 'Art. 14(4)(c)',
  'fda-customer-communication': 'section VII.B',
  'fda-isao-share': 'section VII.B',
  'fda-remediation': 'section VII.B',
  'hipaa-individuals': '164.404(c)',
  'hipaa-hhs': '164.408',
  'hipaa-media': '164.406',
  'hipaa-covered-entity': '164.410(c)',
  'gdpr-authority': 'Art. 33(3)',
  'gdpr-controller': 'Art. 33(2)',
  // A vigilance report answers whichever clock it is built for (21 CFR 803, MDR or IVDR).
  vigilance: 'Art. 14(2)(a)',
};

/** A context with only what every case has: no assessment, no advisory, nothing optional. */
function bare(): ReportContext {
  return {
    caseNumber: 'VIG-2026-0042',
    vendor: { name: 'Acme Medical', contacts: [] },
    program: { name: 'Acme PSIRT', slug: 'acme' },
    product: {
      id: 'infusion-pump',
      name: 'Infusion Pump X',
      kind: 'device',
      inScopeVersions: [],
      outOfScopeVersions: [],
      profileSummary: [],
    },
    trigger: { kind: 'actively-exploited', awareAt: '2026-11-30T14:00:00Z' },
    clock: {
      duty: 'cra-vuln-early-warning',
      regulation: 'Regulation (EU) 2024/2847',
      article: 'Art. 14(2)(a)',
      recipient: 'CSIRT designated as coordinator and ENISA',
      dueAt: '2026-12-01T14:00:00Z',
    },
    timeZone: 'America/New_York',
    now: '2026-11-30T15:00:00Z',
  };
}

/** A context with every fact staff can give. */
function full(): ReportContext {
  return {
    ...bare(),
    vendor: {
      name: 'Acme Medical',
      contacts: [
        { role: 'psirt', email: 'psirt@acme-medical.example' },
        { role: 'privacy', email: 'privacy@acme-medical.example' },
        { role: 'sales' },
      ],
    },
    program: { name: 'Acme PSIRT', slug: 'acme', policyUrl: 'https://acme-medical.example/security' },
    product: {
      id: 'infusion-pump',
      name: 'Infusion Pump X',
      kind: 'device',
      inScopeVersions: ['>= 3.0, < 3.4.2'],
      outOfScopeVersions: ['< 3.0'],
      profileSummary: ['EU MDR class IIb', 'FDA cyber device'],
    },
    trigger: {
      kind: 'device-malfunction',
      awareAt: '2026-11-30T14:00:00Z',
      individualsAffected: 1200,
      residentsOfOneState: 640,
      outcome: 'death',
      remedialAction: true,
      measureAvailableAt: '2026-12-10T09:30:00Z',
    },
    clock: {
      duty: 'eu-death-or-deterioration',
      regulation: 'Regulation (EU) 2017/745 (MDR)',
      article: 'Art. 87(5)',
      recipient: 'Competent authority',
      dueAt: '2026-12-11T04:59:59.999Z',
    },
    assessment: {
      cvss: {
        version: '3.1',
        vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        score: 9.8,
        severity: 'critical',
      },
      cwes: [{ id: 'CWE-798', name: 'Use of Hard-coded Credentials' }],
      severity: 'critical',
      patientSafety: { severity: 'catastrophic', exploitability: 'high', risk: 'uncontrolled' },
      ssvcDecision: 'immediate',
    },
    advisory: {
      id: 'ACME-SA-2026-0007',
      title: 'Hard-coded service password in Infusion Pump X',
      summary: 'A hard-coded service password lets anyone on the network change the dose.',
      remediation: 'Firmware 3.4.2 removes the service account.',
      workarounds: 'Block TCP port 2323 at the network segment.',
      publicUrl: 'https://acme-medical.example/advisories/ACME-SA-2026-0007',
      cves: ['CVE-2026-12345'],
      affected: ['Infusion Pump X >= 3.0, < 3.4.2'],
      publishedAt: null,
    },
  };
}

describe('buildReportContent', () => {
  it.each(REPORT_KINDS)('%s builds from a bare context and names its article', (kind) => {
    const r = buildReportContent(kind, bare());
    expect(r.title).toContain('VIG-2026-0042');
    expect(r.text.startsWith(r.title)).toBe(true);
    expect(r.text).toContain('Art. 14(2)(a)'); // the clock's own article
    expect(r.json).toMatchObject({
      kind,
      caseNumber: 'VIG-2026-0042',
      regulation: 'Regulation (EU) 2024/2847',
      article: 'Art. 14(2)(a)',
      generatedAt: '2026-11-30T15:00:00Z',
      dueAt: '2026-12-01T14:00:00Z',
    });
    expect(String(r.json.contentBasis)).toContain(CONTENT_BASIS[kind]);
    expect(r.text).toContain('Content required by:');
    expect(r.text).toContain(String(r.json.contentBasis));
  });

  it.each(REPORT_KINDS)('%s marks missing facts as placeholders in the text and null in the JSON', (kind) => {
    const r = buildReportContent(kind, bare());
    const placeholders = r.text.match(/\[to complete: [^\]]+\]/g) ?? [];
    expect(placeholders.length).toBeGreaterThan(0);
    const nulls = Object.values(r.json)
      .filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
      .flatMap((s) => Object.values(s))
      .filter((v) => v === null);
    expect(nulls.length).toBe(placeholders.length);
    // The vendor has no contact with an address: nothing is made up for it.
    expect(r.text).not.toMatch(/@/);
  });

  it.each(REPORT_KINDS)('%s carries the facts it is given', (kind) => {
    const r = buildReportContent(kind, full());
    expect(r.text).toContain('Acme Medical');
    expect(r.text).toContain('Art. 87(5)');
    expect(r.text).toMatch(/acme-medical\.example/);
    expect(r.text).not.toContain('undefined');
    expect(r.text).not.toContain('[object Object]');
    expect(JSON.parse(JSON.stringify(r.json))).toEqual(r.json);
  });

  it('shows instants in the program zone with the zone named, and keeps ISO in the JSON', () => {
    const r = buildReportContent('cra-vulnerability-early-warning', bare());
    // 14:00 UTC is 09:00 in New York in November.
    expect(r.text).toContain(
      'Manufacturer became aware: Monday 30 November 2026, 09:00 EST (America/New_York)',
    );
    expect(r.text).toContain('Due: Tuesday 1 December 2026, 09:00 EST (America/New_York)');
    expect(r.json.vulnerability).toMatchObject({ awareAt: '2026-11-30T14:00:00Z' });
  });

  it('asks for the Member States the CRA early warnings name and Vigil does not know', () => {
    for (const kind of ['cra-vulnerability-early-warning', 'cra-incident-early-warning'] as const) {
      const r = buildReportContent(kind, full());
      expect(r.text).toMatch(/Member States: \[to complete: Member States where you know the product/);
      expect(r.json.availability).toEqual({ memberStates: null });
    }
  });

  it('fills the CRA notification from the assessment and advisory, leaving the exploit and sensitivity open', () => {
    const r = buildReportContent('cra-vulnerability-notification', full());
    expect(r.text).toContain('CVE-2026-12345');
    expect(r.text).toContain('CWE-798 Use of Hard-coded Credentials');
    expect(r.text).toContain('9.8 critical (CVSS 3.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H)');
    expect(r.json.measures).toEqual({
      taken: 'Firmware 3.4.2 removes the service account.',
      forUsers: 'Block TCP port 2323 at the network segment.',
    });
    expect(r.json.handling).toEqual({ sensitivity: null });
    expect(r.json.vulnerability).toMatchObject({ exploit: null });
  });

  it('gives the CRA vulnerability final report the measure date and the advisory', () => {
    const r = buildReportContent('cra-vulnerability-final', full());
    expect(r.json.correctiveMeasures).toEqual({
      details: 'Firmware 3.4.2 removes the service account.',
      availableAt: '2026-12-10T09:30:00Z',
      advisory: 'ACME-SA-2026-0007 https://acme-medical.example/advisories/ACME-SA-2026-0007',
    });
    expect(r.json.maliciousActor).toEqual({ information: null });
  });

  it('writes the FDA customer communication with the four points of condition 2', () => {
    const r = buildReportContent('fda-customer-communication', full());
    for (const heading of [
      '(a) The vulnerability',
      '(b) What we are doing',
      '(c) Compensating controls',
      '(d) The fix',
    ])
      expect(r.text).toContain(heading);
    expect(r.text).toContain(
      'Acme Medical is working to address the risk of patient harm as expeditiously as possible.',
    );
    expect(r.text).toContain('uncontrolled (severity of harm: catastrophic; exploitability: high)');
    expect(r.text).toContain('Infusion Pump X >= 3.0, < 3.4.2');
    const isao = buildReportContent('fda-isao-share', {
      ...full(),
      clock: { ...full().clock, recipient: 'Health-ISAC' },
    });
    expect(isao.text).toContain('ISAO: Health-ISAC');
    expect(isao.text).toContain('(c) Compensating controls');
  });

  it('puts the five elements of 164.404(c)(1) in the HIPAA notices, with privacy contacts first', () => {
    for (const kind of ['hipaa-individuals', 'hipaa-media', 'hipaa-hhs', 'hipaa-covered-entity'] as const) {
      const r = buildReportContent(kind, full());
      for (const heading of [
        '(A) What happened',
        '(B) Information',
        '(C) What individuals',
        '(D) What',
        '(E) Contact',
      ])
        expect(r.text).toContain(heading);
      expect(r.json.contact).toMatchObject({ email: ['privacy@acme-medical.example'], tollFreeNumber: null });
    }
  });

  it('tells HHS which path applies by the number of individuals', () => {
    const many = buildReportContent('hipaa-hhs', full());
    expect(many.text).toContain('500 or more individuals: contemporaneously');
    const few = buildReportContent('hipaa-hhs', {
      ...full(),
      trigger: { ...full().trigger, individualsAffected: 12 },
    });
    expect(few.text).toContain('Fewer than 500 individuals');
    const unknown = buildReportContent('hipaa-hhs', bare());
    expect(unknown.json.scope).toEqual({ individualsAffected: null, submission: null });
  });

  it('keeps patient identities out of the business associate notice', () => {
    const r = buildReportContent('hipaa-covered-entity', full());
    expect(r.json.individuals).toEqual({ individualsAffected: 1200, identification: null });
    expect(r.text).toContain('not kept in Vigil');
  });

  it('asks the GDPR authority notice for reasons only once 72 hours have passed', () => {
    const onTime = buildReportContent('gdpr-authority', full());
    expect(onTime.json.delay).toBeUndefined();
    const late = buildReportContent('gdpr-authority', { ...full(), now: '2026-12-03T15:00:00Z' });
    expect(late.json.delay).toEqual({ reasons: null });
    expect(late.text).toContain('Reasons for the delay (Art. 33(1))');
    expect(
      buildReportContent('gdpr-controller', { ...full(), now: '2026-12-03T15:00:00Z' }).json.delay,
    ).toBeUndefined();
    expect(onTime.json.nature).toMatchObject({ dataSubjects: 1200, records: null });
  });

  it('summarises a vigilance report: device, outcome, remedial action and timeline', () => {
    const r = buildReportContent('vigilance', full());
    expect(r.json.device).toMatchObject({ regulatoryProfile: ['EU MDR class IIb', 'FDA cyber device'] });
    expect(r.json.event).toMatchObject({ outcome: 'Death', description: null });
    expect(r.json.remedialAction).toEqual({
      needed: true,
      action: 'Firmware 3.4.2 removes the service account.',
    });
    expect(r.text).toContain('Needed to prevent unreasonable risk of substantial harm: yes');
    expect(r.json.timeline).toEqual({ awareAt: '2026-11-30T14:00:00Z', dueAt: '2026-12-11T04:59:59.999Z' });
  });

  it('treats an unreadable date as missing rather than printing it', () => {
    const ctx = bare();
    ctx.trigger.awareAt = 'yesterday';
    const r = buildReportContent('cra-vulnerability-early-warning', ctx);
    expect(r.text).toContain('Manufacturer became aware: [to complete: when you became aware]');
    expect(r.text).not.toContain('Invalid');
  });

  it.each(REPORT_KINDS)('%s never carries what is not on the context type (reporter details)', (kind) => {
    const canaryEmail = 'canary.reporter@reporter-mail.example';
    const canaryName = 'Cassandra Canary';
    const canaryText = 'CANARY-REPORT-TEXT';
    const ctx = full();
    // An object with more than the type, as a row or a view would be: the builder must pick fields.
    const leaky = {
      ...ctx,
      reporter: { name: canaryName, email: canaryEmail },
      reporterEmail: canaryEmail,
      report: { description: canaryText },
      vendor: { ...ctx.vendor, contacts: [...ctx.vendor.contacts, { role: 'psirt', name: canaryName }] },
      product: { ...ctx.product, reporterNote: canaryText },
      trigger: { ...ctx.trigger, reason: canaryText, recordedBy: { name: canaryName, email: canaryEmail } },
      assessment: { ...ctx.assessment, notes: canaryText, reporterEmail: canaryEmail },
      advisory: { ...ctx.advisory, credits: [{ text: canaryName }], reporter: canaryEmail },
      clock: { ...ctx.clock, submittedBy: { name: canaryName, email: canaryEmail } },
    } as unknown as ReportContext;
    const r = buildReportContent(kind, leaky);
    const everything = `${r.title}\n${r.text}\n${JSON.stringify(r.json)}`;
    for (const canary of [canaryEmail, canaryName, canaryText]) expect(everything).not.toContain(canary);
    expect(everything).not.toContain('reporter');
  });
});
