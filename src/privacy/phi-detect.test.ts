import { describe, expect, it } from 'vitest';
import { buildDicom, secondaryCapture } from '../../test/fixtures/phi/dicom-builder.js';
import type { PhiDetectOptions, PhiKind } from './index.js';
import { detectPhi } from './index.js';

const kinds = (text: string, options?: PhiDetectOptions): PhiKind[] => [
  ...new Set(detectPhi({ text }, options).findings.map((f) => f.kind)),
];

describe('social security numbers', () => {
  it('finds a dashed SSN in a valid range and masks all but the last four digits', () => {
    const { findings } = detectPhi({ text: 'The export row held 512-44-7781 in clear text.' });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'ssn', start: 20, end: 31, excerpt: '•••-••-7781' });
    expect(JSON.stringify(findings)).not.toContain('512-44');
  });

  it('finds an undashed SSN after its cue word', () => {
    expect(kinds('SSN: 512447781')).toEqual(['ssn']);
    expect(kinds('social security number 512 44 7781')).toEqual(['ssn']);
  });

  it('ignores invalid ranges, serial numbers and undashed digits without a cue', () => {
    expect(
      kinds('value 000-12-3456 and 666-12-3456 and 912-12-3456 and 123-00-4567 and 123-45-0000'),
    ).toEqual([]);
    expect(kinds('Serial number: 512-44-7781 (pump controller)')).toEqual([]);
    expect(kinds('order id 512447781 shipped')).toEqual([]);
    expect(kinds('uuid 3f2a1c9e-512-44-7781-aa')).toEqual([]);
  });
});

describe('record and plan numbers', () => {
  it('finds MRNs after their cue words', () => {
    expect(kinds('MRN: A0048213')).toEqual(['medical-record-number']);
    expect(kinds('medical record number 77120934 was returned')).toEqual(['medical-record-number']);
    expect(kinds('Patient ID: PX-448120')).toEqual(['medical-record-number']);
  });

  it('finds member and policy numbers', () => {
    expect(kinds('Member ID: ZQH889100231')).toEqual(['health-plan-number']);
    expect(kinds('policy number W-4410-99812')).toEqual(['health-plan-number']);
  });

  it('does not treat record-ish words without an identifier, or IDOR prose, as record numbers', () => {
    expect(kinds('MRN: unknown, member ID: see attached')).toEqual([]);
    expect(kinds('changing patient id 1042 to 1043 in /api/patients returns another record')).toEqual([]);
    expect(kinds('GET /api/v2/records?patient_id=88123 HTTP/1.1')).toEqual([]);
  });
});

describe('names with dates of birth', () => {
  it('pairs a name with a cued date of birth', () => {
    const { findings } = detectPhi({ text: 'Patient: Orla Fennimore-Quist, DOB: 03/14/1958, ward 4' });
    expect(findings.map((f) => f.kind)).toEqual(['name-with-birth-date']);
    expect(findings[0]?.excerpt).not.toContain('Fennimore');
    expect(findings[0]?.excerpt).not.toContain('1958');
  });

  it('accepts "Last, First" and written-out dates', () => {
    expect(kinds('QUIBBLEWORTH, Tamsin (born 2 April 1961)')).toEqual(['name-with-birth-date']);
    expect(kinds('Zephyrine Ollander, date of birth March 9, 1977')).toEqual(['name-with-birth-date']);
  });

  it('needs both a name and a cued date', () => {
    expect(kinds('DOB: 03/14/1958')).toEqual([]);
    expect(kinds('Build date 2024-03-14, released by Dana Whitlock')).toEqual([]);
    expect(kinds('Date Of Birth field: 1970-01-01 is the default')).toEqual([]);
  });

  it('honours the reporter’s own name', () => {
    const text = 'Researcher Kit Marlowe (born 1990-05-05) reporting.';
    expect(kinds(text)).toEqual(['name-with-birth-date']);
    expect(kinds(text, { reporter: { names: ['kit marlowe'] } })).toEqual([]);
  });
});

describe('phone, fax and e-mail', () => {
  it('finds a patient phone number after a personal cue', () => {
    const { findings } = detectPhi({ text: 'patient phone: (617) 555-0142' });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'phone', excerpt: 'patient phone: (•••) •••-••42' });
  });

  it('does not take digits glued to letters for a phone number, even after a personal cue', () => {
    const fhir = (id: string) =>
      JSON.stringify({
        resourceType: 'Patient',
        id,
        name: [{ family: 'Roe', given: ['Jane'] }],
        birthDate: '1961-03-14',
      });
    expect(kinds(fhir('QFILEbe3777927402'))).toEqual(['fhir-patient']);
    expect(kinds('patient contact: Jane Roe, device FW3777927402b7')).not.toContain('phone');
    expect(kinds('patient contact: Jane Roe, 617-555-0142')).toContain('phone');
  });

  it('finds fax numbers and generic phone labels only in patient context', () => {
    expect(kinds('Name: Brom Tillery\nMRN: 55102938\nFax: 617-555-0199')).toContain('fax');
    expect(kinds('PSIRT hotline\nPhone: +1 617 555 0100\nFax: 617-555-0199')).toEqual([]);
  });

  it('ignores the reporter’s own contact details even next to patient words', () => {
    const text = 'The page shows patient name, DOB and MRN.\n-- \nReporter phone: +1 415 555 0177';
    expect(kinds(text)).toEqual(['phone']);
    expect(kinds(text, { reporter: { phones: ['(415) 555-0177'] } })).toEqual([]);
  });

  it('does not let prose about "name, DOB and MRN" vouch for a contact block in another paragraph', () => {
    const prose = 'The endpoint returns the patient name, DOB and MRN of any record.';
    const contact = 'Phone: +1 617 555 0101\nE-mail: otto@appsec.example';
    expect(kinds(`${prose}\n\nForwarded for my colleague:\n${contact}`)).toEqual([]);
    expect(kinds(`${prose}\n${contact}`)).toEqual(['phone', 'patient-email']);
  });

  it('rejects IP addresses and versions after a phone label', () => {
    expect(kinds('MRN field present. tel: 10.20.30.40, contact: 4.2.1')).toEqual([]);
  });

  it('finds a patient’s partly masked address while it still names someone, not one masked past that', () => {
    expect(kinds('Patient e-mail (partly redacted): ignatius81@c***-sol.test')).toEqual(['patient-email']);
    expect(kinds("patient's email: r.delacroix***@***.example")).toEqual(['patient-email']);
    expect(kinds("patient's email: r***@***.example")).toEqual([]);
    expect(kinds("patient's email: ***@hospital.example")).toEqual([]);
  });

  it('finds patient e-mail addresses and ignores the reporter’s', () => {
    expect(kinds("patient's email: p.grumbleton@example.net")).toEqual(['patient-email']);
    expect(kinds('Email: security@vendor.example for questions')).toEqual([]);
    expect(
      kinds('DOB and MRN leak; email: me@researcher.example', {
        reporter: { emails: ['ME@researcher.example'] },
      }),
    ).toEqual([]);
  });
});

describe('street addresses', () => {
  it('finds a cued home address', () => {
    expect(kinds('home address: 4410 North Larkspur Ave Apt 3, Millbrook, VT 05491')).toEqual([
      'street-address',
    ]);
  });

  it('finds an address with city and ZIP in patient context', () => {
    expect(kinds('MRN 66120045\n12 Quenby Lane, Ashgrove, OR 97201')).toEqual([
      'medical-record-number',
      'street-address',
    ]);
  });

  it('ignores vendor addresses', () => {
    expect(kinds('Acme Infusion Inc., 200 Harbor Way, Suite 400, Boston, MA 02110')).toEqual([]);
    expect(kinds('Vendor address: 200 Harbor Way, Boston, MA 02110')).toEqual([]);
  });
});

describe('FHIR', () => {
  it('finds a Patient resource in JSON with a name or birth date', () => {
    const text = JSON.stringify(
      {
        resourceType: 'Patient',
        id: 'p1',
        name: [{ family: 'Vantreece', given: ['Mirelle'] }],
        birthDate: '1949-11-02',
      },
      null,
      2,
    );
    const { findings } = detectPhi({ text });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      kind: 'fhir-patient',
      fields: ['name', 'birthDate'],
      start: 0,
      end: text.length,
    });
  });

  it('finds RelatedPerson and XML Patient resources', () => {
    expect(
      kinds('{"resourceType":"RelatedPerson","identifier":[{"system":"urn:x","value":"RP-7781"}]}'),
    ).toEqual(['fhir-patient']);
    expect(
      kinds('<Patient xmlns="http://hl7.org/fhir"><id value="1"/><birthDate value="1950-01-02"/></Patient>'),
    ).toEqual(['fhir-patient']);
  });

  it('ignores bare references, other resource types and Patient resources with no personal fields', () => {
    expect(kinds('{"resourceType":"Patient","id":"123","meta":{"versionId":"2"}}')).toEqual([]);
    expect(
      kinds(
        '{"resourceType":"Observation","status":"final","subject":{"reference":"Patient/123"},"code":{"text":"Heart rate"}}',
      ),
    ).toEqual([]);
    expect(
      kinds('{"resourceType":"Device","identifier":[{"value":"SN-9981"}],"deviceName":[{"name":"Pump"}]}'),
    ).toEqual([]);
  });
});

describe('FHIR address lines and streets named like people', () => {
  const patient = (extra: Record<string, unknown>, indent?: number) =>
    JSON.stringify({ resourceType: 'Patient', id: 'p9', birthDate: '1961-04-02', ...extra }, null, indent);

  it('covers the address in the FHIR finding and labels no street as a name with birth date', () => {
    for (const indent of [undefined, 2]) {
      const text = patient(
        { address: [{ line: ['4410 Amelia Earhart Drive'], city: 'Pemberton Falls', postalCode: '55401' }] },
        indent,
      );
      const { findings } = detectPhi({ text });
      expect(findings.map((f) => f.kind)).not.toContain('name-with-birth-date');
      const fhir = findings.find((f) => f.kind === 'fhir-patient');
      expect(fhir).toMatchObject({ fields: ['birthDate', 'address'], start: 0, end: text.length });
      const street = text.indexOf('4410 Amelia');
      expect(fhir?.start).toBeLessThanOrEqual(street);
    }
  });

  it('reads the address of an XML Patient too', () => {
    const text =
      '<Patient xmlns="http://hl7.org/fhir"><birthDate value="1961-04-02"/><address><line value="12 Clara Barton Avenue"/><city value="Larkfield"/></address></Patient>';
    const { findings } = detectPhi({ text });
    expect(findings.find((f) => f.kind === 'fhir-patient')?.fields).toEqual(['birthDate', 'address']);
    expect(findings.map((f) => f.kind)).not.toContain('name-with-birth-date');
  });

  it('still pairs the real name of a Patient written in prose, not the street', () => {
    const text = 'Patient Tamsin Quillfeather, DOB: 04/02/1961, lives at 4410 Amelia Earhart Drive.';
    const named = detectPhi({ text }).findings.find((f) => f.kind === 'name-with-birth-date');
    expect(named?.excerpt).toMatch(/^T••• Q•••/);
    expect(kinds(text)).toContain('street-address');
  });

  it('does not take a street or a town after a date of birth for the person', () => {
    expect(kinds('DOB: 04/02/1961, home address 4410 Amelia Earhart Drive')).toEqual(['street-address']);
    expect(kinds('{"dob": "1961-04-02", "city": "Pemberton Falls"}')).toEqual([]);
  });

  it('counts an address alone as a personal field of a Patient', () => {
    expect(kinds('{"resourceType":"Patient","address":[{"city":"Larkfield"}]}')).toEqual(['fhir-patient']);
    expect(kinds('{"resourceType":"Patient","address":[{"use":"home"}]}')).toEqual([]);
  });
});

describe('HL7 v2', () => {
  const msh = 'MSH|^~\\&|LAB|HOSP|EHR|HOSP|20240311083000||ADT^A01|MSG00001|P|2.5';
  it('finds a filled PID segment', () => {
    const text = `${msh}\rPID|1||448812^^^HOSP^MR||Fenwhistle^Ada^Q||19620708|F\rPV1|1|I`;
    const { findings } = detectPhi({ text });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.kind).toBe('hl7-pid');
    expect(findings[0]?.fields).toHaveLength(3);
  });

  it('ignores messages without PID, empty PID segments and "PID" in process listings', () => {
    expect(kinds(`${msh}\rEVN|A01|20240311\rOBX|1|NM|HR||72|bpm`)).toEqual([]);
    expect(kinds(`${msh}\rPID|1||||||\r`)).toEqual([]);
    expect(kinds('  PID TTY          TIME CMD\n 1422 ?        00:00:01 pumpd')).toEqual([]);
  });
});

describe('CSV exports', () => {
  it('finds a header with name and birth-date columns and filled rows', () => {
    expect(kinds('id,first_name,last_name,dob,ward\n1,Perrin,Odgeworth,1971-02-03,4B\n')).toEqual([
      'csv-patient-columns',
    ]);
  });

  it('ignores header-only exports and device tables', () => {
    expect(kinds('first_name,last_name,dob\n')).toEqual([]);
    expect(kinds('device_name,serial,firmware,manufacture_date\nPump A,SN-1,4.2.1,2021-03-04\n')).toEqual([]);
  });
});

describe('DICOM', () => {
  const patient = { name: 'Hollowmere^Idris', id: 'IMG-55012', birthDate: '19580314' };

  it.each([false, true])('finds filled patient tags (implicit VR: %s)', (implicit) => {
    const bytes = buildDicom(secondaryCapture(patient), { implicit });
    const result = detectPhi({ bytes, fileName: 'scan.dcm' });
    expect(result.scanned).toBe('dicom');
    expect(result.findings.map((f) => f.tag)).toEqual(['(0010,0010)', '(0010,0020)', '(0010,0030)']);
    expect(result.findings.every((f) => f.unit === 'byte' && f.end > f.start)).toBe(true);
    expect(JSON.stringify(result)).not.toContain('Hollowmere');
  });

  it('reports nothing when the patient tags are empty', () => {
    const bytes = buildDicom(secondaryCapture({ name: '', id: '', birthDate: '' }));
    expect(detectPhi({ bytes }).findings).toEqual([]);
  });

  it('scans text attachments as text and skips other binaries', () => {
    const text = new TextEncoder().encode('SSN 512-44-7781');
    expect(detectPhi({ bytes: text }).findings.map((f) => f.kind)).toEqual(['ssn']);
    expect(detectPhi({ bytes: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]) }).scanned).toBe('skipped');
  });
});

describe('vulnerability-report material', () => {
  it('does not flag hosts, IPs, URLs, hashes, tokens, UUIDs, timestamps, CVEs and stack traces', () => {
    const text = [
      'GET https://portal.vendor.example:8443/api/v1/devices/7f3c2a10-9b1e-4c55-8d2e-0a1b2c3d4e5f HTTP/1.1',
      'Host: 10.12.0.44:8443',
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      '2024-03-11T08:30:00.123Z ERROR [pump-gw] request 4411-22-9999 failed',
      'sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      'CVE-2024-21762 CWE-787, CVSS 9.8, firmware 4.2.1-rc3 build 20240311',
      '    at Object.<anonymous> (/srv/app/node_modules/express/lib/router/index.js:284:7)',
      'Serial: 512-44-7781, port 443/tcp open https',
    ].join('\n');
    expect(kinds(text)).toEqual([]);
  });
});

describe('harder phrasings', () => {
  it('finds lower-case names after a name key, MR#, and contact details "of the patient at"', () => {
    expect(kinds('pt: grumbleton, tamsin dob 08/02/1955')).toEqual(['name-with-birth-date']);
    expect(kinds('MR#: 58833332')).toEqual(['medical-record-number']);
    expect(kinds('the reminder was emailed to the patient at t.w6@example.net')).toEqual(['patient-email']);
    expect(kinds('Contact the patient at (617) 555-0142 to confirm.')).toEqual(['phone']);
  });

  it('ignores HL7 layouts quoted with placeholders and PID-3 holding only a type code', () => {
    expect(kinds('PID|1||<MRN>^^^<AUTHORITY>^MR||<FAMILY>^<GIVEN>||<YYYYMMDD>|<SEX>')).toEqual([]);
    expect(kinds('PID|1||^^^HOSP^MR||""||""')).toEqual([]);
  });
});

describe('browser safety', () => {
  it('imports nothing from Node in the detection module', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('./', import.meta.url);
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(3);
    for (const file of sources) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      expect(source, file).not.toMatch(/from ['"]node:|require\(|\bBuffer\b|\bprocess\./);
    }
  });
});

describe('patient contacts and identifiers in more wordings', () => {
  const kinds = (text: string) => detectPhi({ text }).findings.map((f) => f.kind);

  it.each([
    [
      'a reset link sent for a named patient’s portal account',
      'The reset link for the patient portal account of Ottilie Brandauer was sent to o.brandauer64@webmail.example.',
      'patient-email',
    ],
    [
      'a mail log line about a patient',
      'to=<lena.fischer@t-online.example> subject="Befund" patient=44781',
      'patient-email',
    ],
    [
      'a German genitive cue',
      'Die E-Mail-Adresse der Patientin (k.huber@gmx.example) wird übertragen.',
      'patient-email',
    ],
    [
      'a compact day-first birth date in a query',
      'GET /search?lastName=Brennan&firstName=Siobhan&dob=14021966 HTTP/1.1',
      'patient-record',
    ],
    ['a hyphenated German patient id', 'Patient-ID 4471203 war sichtbar', 'medical-record-number'],
    ['a case number abbreviated', 'Fall-Nr. 2026001234 war sichtbar', 'medical-record-number'],
  ])('finds %s', (_name, text, kind) => {
    expect(kinds(text)).toContain(kind);
  });

  it.each([
    [
      'a report sent to the vendor',
      'The report was sent to psirt@vendor.example on 2026-03-02; the patient portal was down.',
    ],
    [
      'the reporter copying a colleague',
      'cc: dana.whitlock@lab.example — tested against the patient app build 4.2',
    ],
    [
      'a mail relay log without a patient',
      'to=<ops.oncall@hospital.example> subject="disk full" relay=smtp1',
    ],
  ])('does not report %s', (_name, text) => {
    expect(kinds(text)).toEqual([]);
  });
});

describe('mail to a patient about their care', () => {
  const mail = (to: string, subject: string) =>
    `Return-Path: <noreply@clinic.example>\nFrom: "Clinic" <noreply@clinic.example>\nTo: ${to}\nSubject: ${subject}\n\nDear recipient,\nsee you soon.`;

  it.each([
    ['a bare recipient', '<hidetaka.ocallaghan50@posteo.example>', 'Your appointment reminder'],
    [
      'a recipient with a display name',
      '"Siobhán Le Gouézec" <siobhan.legouezec7@ziggo.example>',
      'Terminerinnerung',
    ],
    ['a French reminder', '<oriane.szkefalvi46@telenet.example>', 'Rappel de rendez-vous'],
  ])('finds %s', (_name, to, subject) => {
    expect(detectPhi({ text: mail(to, subject) }).findings.map((f) => f.kind)).toContain('patient-email');
  });

  it('does not report the recipient of a mail about something else', () => {
    const text = mail('<dana.whitlock@lab.example>', 'Your vulnerability report VIG-2026-0042');
    expect(detectPhi({ text }).findings).toEqual([]);
  });
});

describe('patient e-mails in the sentence that owns them', () => {
  const emails = (text: string) => detectPhi({ text }).findings.filter((f) => f.kind === 'patient-email');

  it.each([
    'The password reset page discloses the e-mail of any patient: for MRN 0044871 it showed r.delacroix77@free.example.',
    'I was able to log in as patient anouk.devries@ziggo.example using the default password.',
    "Patient Ingrid Halvorsen's email, ingrid.h@online.example, is returned unauthenticated.",
    'Enumerating /api/users returned patient accounts such as marco.bianchi1984@libero.example.',
    'mychart login ana.souza@uol.example belongs to a real patient',
    'The exported list pairs each patient with an email, e.g. "Dupont, Marie" <marie.dupont@laposte.example>.',
    'Patient: Ilona Varga, ilona.varga@citromail.example, +36 30 123 4567',
  ])('finds the address in: %s', (text) => {
    expect(emails(text)).toHaveLength(1);
  });

  it.each([
    'Dana (dana.whitlock@lab.example) tested the patient lookup with synthetic data.',
    'Questions about the patient search bypass: kit.marlowe@researcher.example.',
    'The admin account j.wong@hospital.example can read every patient record.',
    'Patient data was not accessed; logs were sent by m.kessler@vendor.example.',
    'Our test patient account testpatient01@example.org was used for all requests.',
    'The audit log showed that user s.okafor@hospital.example viewed 12 patients.',
  ])('does not report the address in: %s', (text) => {
    expect(emails(text)).toEqual([]);
  });
});

describe('a patient named right after the address', () => {
  const emails = (text: string) => detectPhi({ text }).findings.filter((f) => f.kind === 'patient-email');

  it('finds "… — a patient registered since 2019"', () => {
    expect(emails('Account: anna.k@web.example — a patient registered since 2019.')).toHaveLength(1);
  });

  it('finds "each patient’s email address, for example …"', () => {
    expect(
      emails("The portal leaks each patient's email address, for example anna.k@web.example."),
    ).toHaveLength(1);
  });

  it('does not take "a patient safety engineer" for a patient', () => {
    expect(emails('Logs went to m.kessler@hospital.example, a patient safety engineer.')).toEqual([]);
  });
});

describe('patient e-mails in other languages', () => {
  it.each([
    'Die Patientin ist unter k.huber@gmx.example erreichbar.',
    "Le patient peut être contacté à l'adresse m.leclerc@orange.example.",
    "L'adresse du patient est m.leclerc@orange.example",
    'El correo del paciente es lucia.romero@telefonica.example',
    'Het e-mailadres van de patiënt is p.jansen@kpn.example',
    "L'indirizzo email del paziente è m.bianchi@libero.example",
  ])('finds the address in: %s', (text) => {
    expect(detectPhi({ text }).findings.map((f) => f.kind)).toContain('patient-email');
  });

  it('does not take the reporter inviting contact about a patient feature', () => {
    const text = 'Please contact dana.whitlock@lab.example about the patient lookup issue.';
    expect(detectPhi({ text }).findings).toEqual([]);
  });
});

describe('patient e-mails in narrative and chat', () => {
  const emails = (text: string) => detectPhi({ text }).findings.filter((f) => f.kind === 'patient-email');

  it.each([
    'One entry belonged to the patient Gwendolen Feuerstack whose address is gfeuerstack@mailnest.test, the reminder text was "your INR check is due".',
    'Zum Beispiel wurde an die Patientin mit der Mailadresse thaverkamp@freenet-mail.example ein Befund geschickt.',
    'Con la vulnerabilidad se puede leer el correo electrónico de cualquier paciente, por ejemplo tibor.feuerstack@correo-sol.test.',
    'the cardiology patient whose mail showed up is bbrackenridge@correo-sol.test',
  ])('finds the address in: %s', (text) => {
    expect(emails(text)).toHaveLength(1);
  });

  it('does not read a config section about the reporter as a patient row', () => {
    const text =
      '[reporter]\nname=Rufus Lindqvist-Oyelaran\nmail=rufus@redteam-labs.example\nagreed_to_embargo=2026-12-31';
    expect(detectPhi({ text }).findings).toEqual([]);
  });
});

describe('shapes where the cue is typed, compounded, lower case or report-wide', () => {
  it('reads a birth date inside a typed wrapper, and keeps the date out of the excerpt', () => {
    const text =
      '{"_id":{"$oid":"5f1d7a2b9c1e4a0012345678"},"profile":{"firstName":"Ottilie","lastName":"Brandauer","birthday":{"$date":"1961-04-02T00:00:00Z"}},"role":"patient"}';
    const { findings } = detectPhi({ text });
    expect(findings.map((f) => f.kind)).toContain('name-with-birth-date');
    for (const f of findings) expect(f.excerpt).not.toMatch(/1961|04-02|Ottilie|Brandauer/);
    expect(kinds('Name: Ottilie Brandauer, DOB: ISODate("1961-04-02T00:00:00Z")')).toEqual([
      'name-with-birth-date',
    ]);
  });

  it('finds a titled person written in lower case after an article, next to a clinical fact', () => {
    expect(kinds('Nel log: il sig. Wróblewski è in terapia con metformina 500 mg per diabete.')).toEqual([
      'person-clinical',
    ]);
    expect(kinds('Visible in the queue: la sra. Ortega fue ingresada por neumonía.')).toEqual([
      'person-clinical',
    ]);
    expect(kinds('The sig. field of the prescription form holds diabetes codes.')).toEqual([]);
  });

  it('reads a care word inside a German compound in the subject of a mail to a patient', () => {
    const mail =
      'To: "Hedwig Brandauer" <hedwig.brandauer7@posteo.example>\nSubject: Ihre neuen Laborbefunde sind verfügbar';
    expect(kinds(mail)).toEqual(['patient-email']);
    expect(
      kinds('To: "Hedwig Brandauer" <hedwig.brandauer7@posteo.example>\nSubject: Terminal session logs'),
    ).toEqual([]);
  });

  it('takes an address a patient-facing product echoed to its user, not the writer’s own', () => {
    const echo =
      'The reset form echoes the address: "We have sent a reset link to marta.quiroga84@correo.example".';
    expect(kinds(`Hola, el portal del paciente permite enumerar cuentas.\n\n${echo}`)).toEqual([
      'patient-email',
    ]);
    expect(kinds(`The device console's reset flow.\n\n${echo}`)).toEqual([]);
    expect(
      kinds(
        'Patient portal: I reset my own account and it said "We have sent a reset link to kit.marlowe@mail.example".',
      ),
    ).toEqual([]);
  });
});

describe('cues on the line before, in a field description, or in a greeting', () => {
  it('takes a cue that ends the chat message before an address standing alone', () => {
    const chat =
      '[14:57] kasimir: found another one, the GET returns the pt email\n[14:57] kasimir: ysolde_sturmfels@kabelpost.example';
    expect(kinds(chat)).toEqual(['patient-email']);
    expect(
      kinds('[14:57] kasimir: ping the support team email\n[14:57] kasimir: desk.lead@vendor.example'),
    ).toEqual([]);
  });

  it('reads a screenshot description of a field holding the address', () => {
    const shot =
      '[image: URL /patients/4182/edit, the field "Email" contains pettifer.p@kabelpost.example, "Condition" contains "HIV follow-up"]';
    expect(kinds(shot)).toContain('patient-email');
  });

  it('pairs a birth date with the user a signed-in screen greets, not a letter’s reader', () => {
    expect(kinds('Text extracted: "Welcome back, Yiling!  Date of birth: 13 October 1957"')).toEqual([
      'name-with-birth-date',
    ]);
    expect(kinds('Hello Maria, the export shows Date of birth: 13 October 1957 for every row.')).toEqual([]);
  });
});

describe('Nordic, Polish and Portuguese fields and birth cues; staff, schemas and demo people', () => {
  it.each([
    'Felsidan visade nästa patient i kön: Linnea Nyqvist, född 14 maj 1960.',
    'Po zmianie parametru id pojawiły się dane: Witold Wielgosz, ur. 28 marca 1990.',
    'O PDF contém dados de um utente real: Fagundes Assunção, nascido em 14 de novembro de 1956.',
    'SANDHAUS Rosemarie\nGeb.-Dat. 23.9.1937  w',
    '{"fornamn":"Sigrun","efternamn":"Sundqvist","fodelsedatum":"1962-01-07"}',
    '{"imie":"Ryszard","nazwisko":"Pietrzak","data_urodzenia":"1972-12-05"}',
    '{"utente":"Aurélio Figueiró","nascimento":"1935-10-27"}',
  ])('finds %s', (text) => {
    expect(kinds(text).length).toBeGreaterThan(0);
  });

  it.each([
    '{"username":"g.sandhaus","displayName":"Gesine Sandhaus","role":"charge_nurse","email":"g.sandhaus@klinikum-nord.example"}',
    'type Patient {\n  id: ID!\n  name: HumanName\n  birthDate: Date\n  conditions: [Condition!]!\n}',
    'The demo mode ships with a test record only:\n{"name":"John Doe","birthDate":"1970-01-01","note":"TEST PATIENT"}',
    'Im Handbuch steht ausschließlich der Musterdatensatz: Max Mustermann, geb. 01.01.1970, Testpatient.',
    'Agent;Fonction;Entrée en poste\nVauquelin Thibaut;IDE;22/04/2009\nLecoutre Maïwenn;Cadre de santé;07/03/2003',
    'Dank aan longarts Gerrit-Jan Dijkgraaf voor de uitleg over COPD-thuisbeademing.',
  ])('leaves alone %s', (text) => {
    expect(kinds(text)).toEqual([]);
  });

  it('still finds a John Doe whose record has an identifier', () => {
    expect(kinds('{"name":"John Doe","birthDate":"1957-11-04","mrn":"00451234"}').length).toBeGreaterThan(0);
  });
});

describe('patient e-mail addresses in mail logs, key/value blocks and patients’ own mails', () => {
  it.each([
    'postfix/smtp[7990]: 09379B461A: to=<rosemarie_hollw@buzonsur.example>, status=sent (Terminerinnerung Kardiologie)',
    'id=50311  ontvanger=soosterwijk@caixapost.example  soort=afspraak_poli  verstuurd=1',
    "[INFO] Promemoria visita inviato al paziente L. Pellizzari all'indirizzo loredana_pelli@skrzynka24.example",
    '2026-04-26 påminnelse skickad till patientens e-post linnealindelof86@caixapost.example',
    'Custom keys:\n  user_email: fenna_vanto@caixapost.example\n  account_type: patient\n  app_version: 4.1.7',
    '{"message":"Zalogowano pacjenta witoldmazur89@quillbox.example","level":"info"}',
    "> From: Lorna Haverford <lhaverford@kolibrimail.example>\n> To: support@vendor.example\n>\n> I'm a patient using your app since last year...",
  ])('finds %s', (text) => {
    expect(kinds(text)).toContain('patient-email');
  });

  it.each([
    'Custom keys:\n  user_email: qa.runner@vendor.example\n  account_type: staff',
    'From: Kit Marlowe <kit.marlowe@redteam.example>\nTo: psirt@vendor.example\n\nI am a security researcher; the pump app leaks data.',
    'postfix/smtp[7990]: to=<ops.lead@vendor.example>, status=sent (nightly build report)',
    'Name: Kit Marlowe\nE-mail: kmarlowe61@gmail.example\nImpact: all patients of the clinic are exposed',
  ])('leaves alone %s', (text) => {
    expect(kinds(text)).toEqual([]);
  });
});

describe('addresses spelled in words, telemetry attributes and custom headers', () => {
  it('reads an address spelled with plain at and dot after a patient cue, not a phrase', () => {
    expect(kinds("The patient's e-mail is marta.quiroga84 at correo dot example, visible to all.")).toEqual([
      'patient-email',
    ]);
    expect(kinds('the patient portal at portal dot example dot com')).toEqual([]);
  });

  it('reads OpenTelemetry attributes and X- headers as the fields they name', () => {
    const span =
      '{"attributes":[{"key":"patient.name","value":{"stringValue":"Ottilie Brandauer"}},{"key":"patient.birth_date","value":{"stringValue":"1961-04-02"}}]}';
    expect(kinds(span)).toEqual(['patient-record']);
    expect(
      kinds('GET /api/chart HTTP/1.1\nX-Patient-Name: Ottilie Brandauer\nX-Patient-DOB: 1961-04-02').length,
    ).toBe(1);
  });
});

describe('staff, literature, placeholders and quotations', () => {
  it.each([
    '[1] Brückner H, Lindemeyer L. Insulinpumpentherapie bei Typ-1-Diabetes. Dtsch Med Wochenschr. 2021;144(3):201-8.',
    'Prior work: Lachlan Trevannion and Marguerite Hollister, "Attacking closed-loop insulin delivery", USENIX Security 2018.',
    '- Avonddienst: Femke van Wijngaarden, verpleegkundig specialist diabetes',
    'Equipo: Amparo Villaplana, 50 años, ingeniera biomédica, responsable del firmware.',
    'Arzneimittelliste Station (Auszug): Ramipril 5 mg 1-0-0; Apixaban 5 mg 1-0-1 bei Vorhofflimmern.',
    '{"resourceType":"Patient","id":"example","name":[{"family":"<family>","given":["<given>"]}],"birthDate":"YYYY-MM-DD"}',
    '{"resourceType":"Patient","id":"17847","name":[{"family":"***","given":["***"]}]}',
    'PID|1||QA0001^^^CONFKIT||TEST^PATIENT^QA||||||||||||',
    'Studiedeelnemer DEEL-1686 (gepseudonimiseerd), diabetes type 1, sensor f8cc1a.',
  ])('leaves alone %s', (text) => {
    expect(kinds(text)).toEqual([]);
  });

  it.each([
    'In the crash log the app wrote the caregiver\'s note: "Everett Hollister – COPD exacerbation, increase salbutamol nebs".',
    'A cached PDF is a discharge summary for Everett Pellingham; diagnosis heart failure, discharged on bisoprolol.',
    'We found it had synced real history: Delphine Blakemore is listed as on insulin lispro for type 1 diabetes.',
    'Die Pager-Nachricht: "ALARM Bett 16: Almut Wölkenbach – Hypoglykämie 48 mg/dl"',
    'Claims export line: subscriber_id=W785416762 plan=GOLD PPO',
  ])('finds %s', (text) => {
    expect(kinds(text).length).toBeGreaterThan(0);
  });
});

describe('patients’ phone numbers in European languages and national forms', () => {
  it.each([
    'Téléphone du patient : 06 12 34 56 78',
    'Telefon des Patienten: 0151 23456789',
    'telefono del paziente 333 1234567',
    'Patient: Anouk Berg, DOB 1961-04-02, telefoon 06-12345678',
  ])('finds %s', (text) => {
    expect(kinds(text)).toContain('phone');
  });

  it('leaves a support line alone', () => {
    expect(kinds('Support hotline tel: 0800 123 4567')).toEqual([]);
  });
});

describe('Medicare keys in camelCase and Czech clinical sentences', () => {
  it('finds an MBI under a camelCase key and the beneficiary it belongs to', () => {
    const body =
      '{"beneficiary": "Hedda Dufrenoy", "medicareBeneficiaryIdentifier": "7DD2KP8TJ15", "planType": "HMO"}';
    expect(kinds(body)).toContain('national-health-id');
  });

  it('finds a Czech sentence about a titled patient', () => {
    expect(kinds('Dobrý den, pan Delphine Castelmare byl přijat s infarktem myokardu.')).toEqual([
      'person-clinical',
    ]);
  });
});
