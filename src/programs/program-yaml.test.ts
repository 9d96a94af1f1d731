import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { type FieldProblem, ValidationError } from '../core/errors.js';
import { computeDeadlines, createBusinessCalendar } from '../deadlines/index.js';
import type { FormField, ProgramDefinition } from './program-schema.js';
import { parseProgramYaml, programToYaml, validateProgramDefinition } from './program-yaml.js';

const examplesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/programs');
const readExample = (name: string) => readFileSync(path.join(examplesDir, `${name}.yaml`), 'utf8');

const deviceMakerYaml = readExample('medical-device-maker');
const dataPlatformYaml = readExample('clinical-data-platform');

/** The example as a plain object, to be broken in a test before validation. */
function rawExample(text: string): Record<string, unknown> {
  return YAML.parse(text) as Record<string, unknown>;
}

/** The problems of a refused definition; fails the test when nothing is refused. */
function problemsOf(run: () => unknown): FieldProblem[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fields;
  }
  expect.fail('expected a ValidationError');
}

function fieldWith(def: ProgramDefinition, purpose: FormField['purpose']): FormField {
  const field = def.form.fields.find((f) => f.purpose === purpose);
  if (!field) expect.fail(`no form field has purpose ${purpose}`);
  return field;
}

function fieldById(def: ProgramDefinition, id: string): FormField {
  const field = def.form.fields.find((f) => f.id === id);
  if (!field) expect.fail(`no form field has id ${id}`);
  return field;
}

describe('reference program A: medical-device maker', () => {
  const def = parseProgramYaml(deviceMakerYaml);

  it('parses with its identity', () => {
    expect(def.slug).toBe('northwind-medical');
    expect(def.casePrefix).toBe('NWM');
    expect(def.vendor.name).toBe('Northwind Medical Systems');
  });

  it('promises exactly 5 business days for acknowledgement and no other clock', () => {
    expect(def.deadlines).toEqual({ acknowledge: { businessDays: 5 } });
  });

  it('counts those business days on its own calendar', () => {
    const calendar = createBusinessCalendar(def.calendar);
    // Wednesday before Thanksgiving 2026 (Thursday 26 November, a Minnesota public holiday).
    const due = computeDeadlines(new Date('2026-11-25T15:00:00Z'), def.deadlines, calendar);
    // Fri 27, Mon 30, Tue 1, Wed 2, Thu 3 December; end of day in Chicago (CST, UTC-6).
    expect(due.acknowledge?.toISOString()).toBe('2026-12-04T05:59:59.999Z');
  });

  it('takes reports by OpenPGP-encrypted email, English preferred, and by web form', () => {
    expect(def.intake.emailAddresses).toEqual(['psirt@northwind-medical.example']);
    expect(def.intake.web).toBe(true);
    expect(def.intake.preferredLanguage).toBe('en');
    expect(def.languages).toEqual(['en']);
    expect(def.openpgp?.required).toBe(true);
    // The key itself is generated and published by Vigil (download, WKD, security.txt), not linked from elsewhere.
    expect(def.openpgp?.keyUrl).toBeUndefined();
  });

  it('asks for every item the program requests', () => {
    for (const purpose of [
      'contact.name',
      'contact.organization',
      'contact.email',
      'contact.phone',
    ] as const) {
      expect(fieldWith(def, purpose).contact).toBe(true);
    }
    expect(fieldWith(def, 'contact.email').kind).toBe('email');
    expect(fieldWith(def, 'contact.phone').kind).toBe('phone');
    expect(fieldWith(def, 'details').label).toMatch(/technical description/i);
    expect(fieldById(def, 'discovery').label).toMatch(/when, where and how/i);
    expect(fieldWith(def, 'product').kind).toBe('product');
    expect(fieldById(def, 'devicesAndSystems').label).toMatch(/devices and systems/i);
    expect(fieldWith(def, 'phiAccessed').kind).toBe('yesno');
    expect(fieldWith(def, 'disclosedTo').help).toMatch(/regulators.*other vendors.*coordination bodies/i);
    expect(def.form.attachments.allowed).toBe(true);
    expect(def.form.attachments.help).toMatch(/tools/i);
    expect(def.form.attachments.help).toMatch(/proof-of-concept/i);
    expect(def.form.attachments.help).toMatch(/network traces/i);
  });

  it('tells the reporter not to include PHI or personal data of others', () => {
    expect(def.form.notice).toMatch(
      /do not include protected health information \(PHI\) or personal data of others/i,
    );
  });

  it('states its rules, commitments, credit and data handling', () => {
    expect(def.policy.rulesOfEngagement).toHaveLength(4);
    expect(def.policy.rulesOfEngagement.join('\n')).toMatch(/brute-force/);
    expect(def.policy.rulesOfEngagement.join('\n')).toMatch(/clinical use or on production systems/);
    expect(def.policy.rulesOfEngagement.join('\n')).toMatch(/beyond what is needed to prove/);
    expect(def.policy.rulesOfEngagement.join('\n')).toMatch(/no changes behind/);
    const commitments = def.policy.whatWeDo.join('\n');
    expect(commitments).toMatch(/documented risk assessment/);
    expect(commitments).toMatch(/more details/);
    expect(commitments).toMatch(/summary of our findings/);
    expect(commitments).toMatch(/security bulletin/);
    expect(def.policy.dataHandling).toMatch(/never shared outside .* without your permission/s);
    expect(def.policy.summary).toMatch(/versioned/);
    expect(def.credits).toEqual({ publicAcknowledgements: true, cve: false, requireConsent: true });
    expect(def.rewards.kind).toBe('none');
  });

  it('publishes bulletins to its site, its customers and Health-ISAC', () => {
    expect(def.disclosure.bulletins).toBe(true);
    expect(def.disclosure.notifyCustomers).toBe(true);
    expect(def.disclosure.coordinators).toEqual(['Health-ISAC']);
    expect(def.disclosure.cna.enabled).toBe(false);
  });

  it('lists devices and software with versions in and out of scope', () => {
    expect(def.scope.products.map((p) => p.kind)).toEqual(['device', 'device', 'software']);
    for (const product of def.scope.products) {
      expect(product.versions.map((v) => v.inScope)).toEqual([true, false]);
    }
  });
});

describe('reference program B: clinical-data platform', () => {
  const def = parseProgramYaml(dataPlatformYaml);

  it('parses with its identity', () => {
    expect(def.slug).toBe('lakeside-health');
    expect(def.casePrefix).toBe('LHD');
    expect(def.vendor.name).toBe('Lakeside Health Data');
    expect(def.policy.visibility).toBe('public');
  });

  it('promises exactly 2 business days for acknowledgement and 7 days for verification', () => {
    expect(def.deadlines).toEqual({ acknowledge: { businessDays: 2 }, verify: { calendarDays: 7 } });
  });

  it('counts those days on the Ontario calendar', () => {
    const calendar = createBusinessCalendar(def.calendar);
    // Wednesday 24 December 2025: Christmas, Boxing Day and the weekend are skipped.
    const due = computeDeadlines(new Date('2025-12-24T15:00:00Z'), def.deadlines, calendar);
    expect(due.acknowledge?.toISOString()).toBe('2025-12-31T04:59:59.999Z');
    expect(due.verify?.toISOString()).toBe('2026-01-01T04:59:59.999Z');
  });

  it('works Easter Monday, which the holiday data lists for Ontario but is no statutory holiday there', () => {
    expect(def.calendar.holidays?.remove).toEqual(['Easter Monday']);
    const calendar = createBusinessCalendar(def.calendar);
    // Thursday 25 March 2027, 11:00 EDT: Good Friday (26) and the weekend are skipped, Monday 29
    // and Tuesday 30 March count. End of Tuesday in Toronto (EDT, UTC-4).
    const due = computeDeadlines(new Date('2027-03-25T15:00:00Z'), def.deadlines, calendar);
    expect(due.acknowledge?.toISOString()).toBe('2027-03-31T03:59:59.999Z');
  });

  it('asks for exactly the items the program requests', () => {
    for (const purpose of [
      'contact.name',
      'contact.email',
      'contact.organization',
      'contact.title',
    ] as const) {
      expect(fieldWith(def, purpose).contact).toBe(true);
    }
    expect(fieldWith(def, 'contact.organization').label).toBe('Group or company');
    expect(fieldWith(def, 'contact.title').label).toBe('Title');
    expect(['yesno', 'select']).toContain(fieldWith(def, 'credit').kind);
    expect(fieldWith(def, 'creditText').kind).toBe('text');
    expect(fieldWith(def, 'summary').required).toBe(true);
    expect(fieldWith(def, 'details').label).toBe('Details and tools used');
    expect(fieldWith(def, 'cwe').required).toBe(false);
    expect(fieldById(def, 'stepsToReproduce').kind).toBe('textarea');
    expect(fieldById(def, 'relatedUrls').kind).toBe('urls');
    expect(fieldWith(def, 'product').kind).toBe('product');
    expect(fieldWith(def, 'version').kind).toBe('text');
    expect(def.form.fields.map((f) => f.id)).toEqual([
      'name',
      'email',
      'organization',
      'jobTitle',
      'publicKey',
      'cveCredit',
      'cveCreditText',
      'summary',
      'details',
      'cwe',
      'stepsToReproduce',
      'relatedUrls',
      'product',
      'version',
      // Issue 18: the reporter's declared AI use, optional, a quality signal for triage.
      'aiUse',
      'personalData',
    ]);
    // The policy's "stop and tell us at once" about personal data, as a question whose yes is urgent.
    expect(fieldById(def, 'personalData')).toMatchObject({
      kind: 'yesno',
      required: true,
      purpose: 'phiAccessed',
    });
    expect(def.privacy?.urgentAcknowledge).toEqual({ businessDays: 1 });
  });

  it('offers safe harbor, no bounty, no hall of fame and CVE credit on request', () => {
    expect(def.policy.safeHarbor).toMatch(/good faith/);
    expect(def.rewards.kind).toBe('none');
    expect(def.rewards.note).toMatch(/no bounty and no compensation/i);
    expect(def.credits).toEqual({ publicAcknowledgements: false, cve: true, requireConsent: true });
  });

  it('is the CNA for its products and says so', () => {
    expect(def.disclosure.cna.enabled).toBe(true);
    const commitments = def.policy.whatWeDo.join('\n');
    expect(commitments).toMatch(/we alone initiate CVE records/);
    expect(commitments).toMatch(/decide the timing of public disclosure/);
    expect(commitments).toMatch(/once remediation allows/);
  });

  it('recognises and answers the out-of-scope categories', () => {
    expect(def.scope.outOfScope.map((c) => c.id)).toEqual([
      'denial-of-service',
      'physical-testing',
      'social-engineering',
    ]);
    for (const category of def.scope.outOfScope) {
      expect(category.response).toMatch(/out of scope/);
    }
  });

  it('states its rules of engagement', () => {
    const rules = def.policy.rulesOfEngagement.join('\n');
    expect(rules).toMatch(/not access or modify data/);
    expect(rules).toMatch(/personal or financial data, stop at once and report/);
    expect(rules).toMatch(/all relevant findings/);
  });

  it('covers the hosted platform and the open-source server', () => {
    expect(def.scope.products.map((p) => [p.id, p.kind])).toEqual([
      ['lakeside-platform', 'service'],
      ['lakeside-health-server', 'software'],
    ]);
  });
});

describe('YAML round trip', () => {
  it('keeps every holiday correction', () => {
    const raw = rawExample(dataPlatformYaml);
    const calendar = raw.calendar as { holidays: Record<string, unknown>; closures?: string[] };
    calendar.holidays.removeDates = ['2027-12-26'];
    calendar.closures = ['2027-12-27', '2027-12-28'];
    const def = validateProgramDefinition(raw);
    const exported = programToYaml(def);
    expect(exported).toContain('remove:\n      - Easter Monday\n    removeDates:\n      - 2027-12-26\n');
    const again = parseProgramYaml(exported);
    expect(again.calendar).toEqual({
      timeZone: 'America/Toronto',
      holidays: { country: 'CA', region: 'ON', remove: ['Easter Monday'], removeDates: ['2027-12-26'] },
      closures: ['2027-12-27', '2027-12-28'],
    });
    expect(again).toEqual(def);
  });

  it.each([
    ['medical-device-maker', deviceMakerYaml],
    ['clinical-data-platform', dataPlatformYaml],
  ])('exports %s losslessly and stably', (_name, text) => {
    const def = parseProgramYaml(text);
    const exported = programToYaml(def);
    expect(parseProgramYaml(exported)).toEqual(def);
    expect(programToYaml(parseProgramYaml(exported))).toBe(exported);
  });
});

describe('invalid definitions', () => {
  /** Program A broken in five ways at once. */
  function brokenInFiveWays(): Record<string, unknown> {
    const raw = rawExample(deviceMakerYaml);
    delete raw.name;
    (raw.deadlines as { acknowledge: { businessDays: number } }).acknowledge.businessDays = 0;
    (raw.policy as Record<string, unknown>).safeHarbour = 'misspelt';
    const calendar = raw.calendar as { timeZone: string; holidays: { region: string } };
    calendar.timeZone = 'America/Atlantis';
    calendar.holidays.region = 'ZZ';
    return raw;
  }

  it('lists every schema problem by path', () => {
    const problems = problemsOf(() => validateProgramDefinition(brokenInFiveWays()));
    expect(problems).toContainEqual({
      path: 'deadlines.acknowledge.businessDays',
      message: 'expected a positive integer',
    });
    expect(problems).toContainEqual({ path: 'name', message: 'expected a program name' });
    expect(problems).toContainEqual({ path: 'policy.safeHarbour', message: 'is not a known setting' });
  });

  it('lists calendar problems together with schema problems', () => {
    const problems = problemsOf(() => validateProgramDefinition(brokenInFiveWays()));
    expect(problems).toContainEqual({
      path: expect.stringMatching(/^calendar/),
      message: expect.stringContaining('America/Atlantis'),
    });
    expect(problems).toContainEqual({
      path: expect.stringMatching(/^calendar/),
      message: expect.stringContaining('"ZZ"'),
    });
  });

  it('lists every calendar problem of an otherwise valid definition', () => {
    const raw = rawExample(dataPlatformYaml);
    raw.calendar = { timeZone: 'Canada/Nowhere', holidays: { country: 'CA', region: 'XX' } };
    const problems = problemsOf(() => validateProgramDefinition(raw));
    expect(problems).toHaveLength(2);
    expect(problems.map((p) => p.message).join('\n')).toMatch(/Canada\/Nowhere[\s\S]*"XX"/);
  });

  it('names the path of each bad holiday correction, listing the names the holiday data gives', () => {
    const raw = rawExample(dataPlatformYaml);
    const calendar = raw.calendar as { holidays: Record<string, unknown>; closures?: string[] };
    calendar.holidays.remove = ['Easter Monday', 'Easter Munday'];
    calendar.holidays.removeDates = ['2027-3-29', '2027-03-26', '2027-03-30'];
    calendar.closures = ['2027-03-26'];
    const problems = problemsOf(() =>
      validateProgramDefinition(raw, { now: new Date('2027-01-10T12:00:00Z') }),
    );
    expect(problems).toEqual([
      { path: 'calendar.holidays.removeDates.0', message: 'expected a date as YYYY-MM-DD' },
    ]);
    calendar.holidays.removeDates = ['2027-03-26', '2027-03-30'];
    expect(
      problemsOf(() => validateProgramDefinition(raw, { now: new Date('2027-01-10T12:00:00Z') })),
    ).toEqual([
      {
        path: 'calendar.holidays.removeDates.0',
        message:
          '2027-03-26 is also listed in closures: a date cannot be both added as a closure and removed as a holiday',
      },
      {
        path: 'calendar.holidays.remove.1',
        message: expect.stringMatching(
          /^date-holidays gives CA-ON no holiday named "Easter Munday" between 2022 and 2032; the public holidays it names are: "Boxing Day", .*"Easter Monday", .*"Victoria Day"$/,
        ),
      },
      {
        path: 'calendar.holidays.removeDates.1',
        message:
          'date-holidays lists no public holiday in CA-ON on 2027-03-30, so there is nothing to remove',
      },
    ]);
  });

  it('refuses the same definition written as YAML', () => {
    const problems = problemsOf(() => parseProgramYaml(YAML.stringify(brokenInFiveWays())));
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['deadlines.acknowledge.businessDays', 'name', 'policy.safeHarbour']),
    );
  });

  it('names the line of a YAML syntax error', () => {
    const lines = deviceMakerYaml.split('\n');
    const at = lines.findIndex((l) => l.startsWith('casePrefix:'));
    lines[at] = 'casePrefix: [NWM';
    const problems = problemsOf(() => parseProgramYaml(lines.join('\n')));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.message).toMatch(/^YAML syntax error at line \d+/);
  });

  it('names the line of a duplicate key', () => {
    const text = deviceMakerYaml.replace(/^casePrefix: NWM$/m, 'casePrefix: NWM\nslug: another-slug');
    const line = text.split('\n').indexOf('slug: another-slug') + 1;
    const problems = problemsOf(() => parseProgramYaml(text));
    expect(problems[0]?.message).toContain(`at line ${line}`);
  });

  it('refuses a document that is not a mapping', () => {
    expect(problemsOf(() => parseProgramYaml('- just\n- a list\n'))).toEqual([
      { path: '', message: 'expected a YAML mapping with the program definition' },
    ]);
  });

  it('refuses duplicate field ids', () => {
    const raw = rawExample(dataPlatformYaml);
    const fields = (raw.form as { fields: unknown[] }).fields;
    fields.push({ id: 'email', kind: 'text', label: 'Another email' });
    const problems = problemsOf(() => validateProgramDefinition(raw));
    expect(problems).toEqual([
      { path: `form.fields.${fields.length - 1}.id`, message: 'duplicate field id "email"' },
    ]);
  });

  it('refuses duplicate purposes', () => {
    const raw = rawExample(dataPlatformYaml);
    const fields = (raw.form as { fields: unknown[] }).fields;
    fields.push({ id: 'moreDetails', kind: 'textarea', label: 'More details', purpose: 'details' });
    const problems = problemsOf(() => validateProgramDefinition(raw));
    expect(problems).toEqual([
      {
        path: `form.fields.${fields.length - 1}.purpose`,
        message: 'purpose "details" is already used by field "details"',
      },
    ]);
  });

  it('lists duplicate field ids and purposes together with other problems', () => {
    const raw = brokenInFiveWays();
    const fields = (raw.form as { fields: unknown[] }).fields;
    fields.push({ id: 'email', kind: 'textarea', label: 'More details', purpose: 'details' });
    const problems = problemsOf(() => validateProgramDefinition(raw));
    expect(problems).toContainEqual({ path: 'name', message: 'expected a program name' });
    expect(problems).toContainEqual({
      path: `form.fields.${fields.length - 1}.id`,
      message: 'duplicate field id "email"',
    });
    expect(problems).toContainEqual({
      path: `form.fields.${fields.length - 1}.purpose`,
      message: 'purpose "details" is already used by field "description"',
    });
  });

  it('refuses a contact purpose on a field not marked as contact', () => {
    const raw = rawExample(dataPlatformYaml);
    const fields = (raw.form as { fields: Record<string, unknown>[] }).fields;
    const index = fields.findIndex((f) => f.purpose === 'contact.email');
    delete fields[index]?.contact;
    expect(problemsOf(() => validateProgramDefinition(raw))).toEqual([
      {
        path: `form.fields.${index}.contact`,
        message: 'a field with purpose contact.email must be marked contact: true',
      },
    ]);
  });
});
