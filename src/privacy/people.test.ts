import { describe, expect, it } from 'vitest';
import { findNamesWithAges } from './ages.js';
import { findPeopleWithClinicalFacts } from './clinical.js';
import { findPatientEmails } from './contacts.js';
import { createTextContext } from './context.js';
import { findNamesWithBirthDates, findStreetAddresses, nameRunEndingAt } from './people.js';
import type { RawFinding } from './types.js';

function named(text: string): string[] {
  const out: RawFinding[] = [];
  findNamesWithBirthDates(text, out, new Set());
  return out.map((f) => f.value ?? '');
}

function aged(text: string, reporter: string[] = []): string[] {
  const out: RawFinding[] = [];
  findNamesWithAges(text, out, new Set(reporter.map((r) => r.toLowerCase().split(' ').sort().join(' '))));
  return out.map((f) => f.value ?? '');
}

function clinical(text: string, reporter: string[] = []): string[] {
  const out: RawFinding[] = [];
  findPeopleWithClinicalFacts(
    text,
    out,
    new Set(reporter.map((r) => r.toLowerCase().split(' ').sort().join(' '))),
  );
  return out.map((f) => f.value ?? '');
}

function emails(text: string): string[] {
  const out: RawFinding[] = [];
  findPatientEmails(text, out, createTextContext(text), { emails: new Set(), phones: new Set() });
  return out.map((f) => f.value ?? '');
}

describe('names with birth dates', () => {
  it.each([
    ['QUILLFEATHER, Junia (04NOV1957)', 'QUILLFEATHER, Junia'],
    ['Quillfeather, Junia (1957-11-04)', 'Quillfeather, Junia'],
    ['Junia Quillfeather, geb. 04.11.1957', 'Junia Quillfeather'],
    ['Junia Quillfeather, Geburtsdatum: 4. November 1957', 'Junia Quillfeather'],
    ['Junia Quillfeather, DOB 4 Nov 1957', 'Junia Quillfeather'],
    ['Junia Quillfeather, DOB: 19571104', 'Junia Quillfeather'],
    ['Junia Quillfeather, born November 4th, 1957', 'Junia Quillfeather'],
    ['Junia Quillfeather née le 4 novembre 1957', 'Junia Quillfeather'],
    ['Junia Quillfeather, fecha de nacimiento: 4 de noviembre de 1957', 'Junia Quillfeather'],
    ['Junia Quillfeather, geboortedatum 4 november 1957', 'Junia Quillfeather'],
    ['Junia Quillfeather, nata il 4 novembre 1957', 'Junia Quillfeather'],
    ['Junia Quillfeather, DOB 04-NOV-1957', 'Junia Quillfeather'],
  ])('%s', (text, name) => {
    expect(named(text)).toContain(name);
  });

  it('leaves release dates, recent dates and product names alone', () => {
    expect(named('Release Notes (2009-01-02)')).toEqual([]);
    expect(named('Reported by Kit Marlowe (2024-03-11).')).toEqual([]);
    expect(named('Windows Server (2008-01-01) and Firmware 2.1 (04NOV2011)')).toEqual([]);
    expect(named('Build 20240311 of Device Manager, timestamp 2024-03-11T10:00:00Z')).toEqual([]);
  });
});

describe('people next to clinical facts', () => {
  it.each([
    ['Philippa Crumhorn is prescribed sertraline 50 mg twice daily.', 'Philippa Crumhorn'],
    ['Patient Corwin Ormsby-Krane was admitted with COPD.', 'Corwin Ormsby-Krane'],
    ['Mr. Hasselgrove was diagnosed with heart failure.', 'Mr. Hasselgrove'],
    ['The note reads: "Everard Fennimore, diagnosis: type 2 diabetes".', 'Everard Fennimore'],
    ['Frau Odgeworth wurde stationär aufgenommen.', 'Frau Odgeworth'],
    ['Mme Brindlecote a été hospitalisée le 3 mars.', 'Mme Brindlecote'],
    ['Ivo Sallowfield fue ingresado por neumonía.', 'Ivo Sallowfield'],
    ['Halvard Odgeworth is opgenomen met longontsteking.', 'Halvard Odgeworth'],
    ['Zephyrine Quillfeather è stata ricoverata ieri.', 'Zephyrine Quillfeather'],
  ])('%s', (text, name) => {
    expect(clinical(text)).toEqual([name]);
  });

  it('ignores software words, products and the reporter', () => {
    expect(clinical('The Medication Administration Record endpoint was admitted into the build.')).toEqual(
      [],
    );
    expect(
      clinical('Device Manager enters diagnostic mode; the Kubernetes admission controller is bypassed.'),
    ).toEqual([]);
    expect(clinical('Kit Marlowe was admitted to the beta program.', ['Kit Marlowe'])).toEqual([]);
    expect(clinical('Epic Systems prescribed a fix in release 2.1.')).toEqual([]);
  });
});

describe('patient e-mail addresses', () => {
  it.each([
    ['patient portal account junia.q@mailbox.example', 'junia.q@mailbox.example'],
    ["the patient's e-mail address is jq@mailbox.example", 'jq@mailbox.example'],
    ['E-Mail des Patienten: jq@mailbox.example', 'jq@mailbox.example'],
    ['correo del paciente: jq@mailbox.example', 'jq@mailbox.example'],
  ])('%s', (text, value) => {
    expect(emails(text)).toEqual([value]);
  });

  it('ignores support and reporter addresses without a patient cue', () => {
    expect(emails('Contact: psirt@vendor.example, e-mail: security@vendor.example')).toEqual([]);
  });

  it('stays linear on long runs of cue words and address characters', () => {
    const MiB = 1 << 20;
    expect(emails('email-'.repeat(MiB / 6))).toEqual([]);
    expect(emails(`${'patient e-mail '.repeat(MiB / 15)}x@`)).toEqual([]);
    expect(emails('a@'.repeat(MiB / 2))).toEqual([]);
  });
});

describe('linear time', () => {
  const MiB = 1 << 20;
  it.each([
    ['DOB '],
    ['diagnosed with '],
    ['Jane Doe ('],
    ['01/01/1950 '],
    ['Mr. Hasselgrove was admitted '],
  ])('1 MiB of %s completes', (unit) => {
    const text = unit.repeat(Math.ceil(MiB / unit.length));
    named(text);
    clinical(text);
  });
});

describe('names with unusual dates and ages', () => {
  it.each([
    ['Worklist row: Nakashima, Anouk  14.11.1994  CT THORAX', 'Nakashima, Anouk'],
    ['Label: Margaret Bellucci, né(e) le 7 juillet 1940', 'Margaret Bellucci'],
    ['Jana Kellerhals — DOB 1957-04-11T00:00:00Z', 'Jana Kellerhals'],
    ["Jana Kellerhals, DOB Nov 4 '57", 'Jana Kellerhals'],
    ['Okafor, Kwame | 04NOV1957 | CT', 'Okafor, Kwame'],
  ])('%s', (text, name) => {
    expect(named(text)).toContain(name);
  });

  it.each([
    ['Marisol Lindqvist, 45 y/o, presented with chest pain', 'Marisol Lindqvist'],
    ['The lookup returned Jana Kellerhals (age 72) for any id.', 'Jana Kellerhals'],
    ['Herr Tomasz Pichler, 81 Jahre alt', 'Herr Tomasz Pichler'],
    ['Renée Duchesne, 64 ans', 'Renée Duchesne'],
  ])('%s', (text, name) => {
    expect(aged(text)).toEqual([name]);
  });

  it('leaves products, the reporter and ages without a name alone', () => {
    expect(aged('Windows Server, 20 years old and unpatched')).toEqual([]);
    expect(aged('Kit Marlowe, 10 years in security', ['Kit Marlowe'])).toEqual([]);
    expect(aged('Kit Marlowe, 38 y/o', ['Kit Marlowe'])).toEqual([]);
    expect(aged('the pump is 12 years old')).toEqual([]);
    expect(named('Halcyon Viewer  2019-11-04  released')).toEqual([]);
  });
});

describe('patient e-mail addresses in logs and spelled out', () => {
  it.each([
    [
      '2024-03-02 INFO notify: appointment reminder sent recipient=hmulder573@post.invalid',
      'hmulder573@post.invalid',
    ],
    [
      '{"event":"portal.login","login":"mwachowia@inbox.example","patientId":39286}',
      'mwachowia@inbox.example',
    ],
    ['GET /lookup?login=harolos351%40fastpost.test&type=patient', 'harolos351@fastpost.test'],
    [
      'The registered email of the patient, jmc846 [at] webmail [dot] example [dot] net, is shown',
      'jmc846@webmail.example.net',
    ],
  ])('%s', (text, value) => {
    expect(emails(text)).toEqual([value]);
  });

  it('ignores role, test and staff mailboxes', () => {
    expect(
      emails('login=sysadmin@hospital.example and login=support@vendor.example on the patient list'),
    ).toEqual([]);
    expect(
      emails('two patient portal accounts: test.patient1@example.com and test.patient2@example.com'),
    ).toEqual([]);
    expect(emails('recipient=noreply@clinic.example template=pw_reset for the patient')).toEqual([]);
    expect(emails('login=jdoe@hospital.example on the patient portal admin page')).toEqual([]);
    expect(
      emails(
        'I signed in with login=kit.m@mailbox.test to the portal.\nThen I could open other patients’ records.',
      ),
    ).toEqual([]);
    expect(emails('2024-03-11 INFO user=kit.m@mailbox.test logged in; viewed patient list')).toEqual([]);
    expect(emails('2024-03-11 INFO user=o.b@mailbox.test role=patient logged in')).toEqual([
      'o.b@mailbox.test',
    ]);
  });

  it('stays linear on 1 MiB of spelled-out signs', () => {
    const MiB = 1 << 20;
    expect(emails('a [at] b [dot] '.repeat(MiB / 15)).length).toBeLessThan(MiB);
    expect(emails('%40'.repeat(MiB / 3))).toEqual([]);
  });
});

describe('a name right before a date or an address', () => {
  it('reads the run backwards from where it ends', () => {
    const text = "Duplicate entry 'Bellucci, Renée (1967-08-04)'";
    const end = text.indexOf(' (');
    expect(nameRunEndingAt(text, end)?.text).toBe('Bellucci, Renée');
    expect(nameRunEndingAt('Patient Name', 12)).toBeUndefined();
    expect(nameRunEndingAt('build 12Brandauer Ottilie', 25)).toBeUndefined();
  });

  it('pairs a single space in list form only, and not products or recent years', () => {
    expect(named('BRANDAUER Ottilie 04.11.1957')).toEqual(['BRANDAUER Ottilie']);
    expect(named('Brandauer, Ottilie 04.11.1957')).toEqual(['Brandauer, Ottilie']);
    expect(named('Tested by Dana Whitlock 2011-03-04 on staging')).toEqual([]);
    expect(named('Meridian Gateway 2011-05-01')).toEqual([]);
    expect(named('Ottilie Brandauer 2024-03-11')).toEqual([]);
  });

  it('lists people one after another as one finding', () => {
    const out: RawFinding[] = [];
    findNamesWithBirthDates('Okafor, Kwame (04NOV1957)\nBrandauer, Ottilie (11APR1961)\n', out, new Set());
    expect(out).toHaveLength(1);
    expect(out[0]?.excerpt).toBe('2 people listed with their dates of birth');
  });

  it('finds a patient e-mail in a key or in brackets after a named patient', () => {
    expect(emails('"patient_email": "ottilie.b@mailbox.test"')).toEqual(['ottilie.b@mailbox.test']);
    expect(emails('the lab results of another patient, Ottilie Brandauer (o.b@mailbox.test).')).toEqual([
      'o.b@mailbox.test',
    ]);
    expect(emails('Thanks, Ottilie Brandauer (o.b@vendor.example), PSIRT lead')).toEqual([]);
  });
});

describe('more birth cues', () => {
  it.each([
    ['Johanna Smithers b. 1945-03-12', 'Johanna Smithers'],
    ['Johanna Smithers (*12.03.1945)', 'Johanna Smithers'],
    ['Signora Johanna Smithers, nata a Roma il 12/03/1945', 'Signora Johanna Smithers'],
    ['Johanna Smithers, born in New Haven on 3 March 1945', 'Johanna Smithers'],
  ])('%s', (text, name) => {
    expect(named(text)).toContain(name);
  });

  it('needs the date right after the cue and its place', () => {
    expect(named('Johanna Smithers, born in New Haven, moved to Rome on 3 March 1945')).toEqual([]);
    expect(named('See section b. 2024-03-11 of the Report')).toEqual([]);
  });
});

describe('names with particles and initials', () => {
  it.each([
    ['van der Berg, Anouk (12.03.1945)', 'van der Berg, Anouk'],
    ['Dear Mrs. Anouk van der Berg, your appointment … Date of birth: 12 March 1945', 'Anouk van der Berg'],
    ['Resident: Anouk van der Berg, D.O.B. 12-Mar-1945, Room 12', 'Anouk van der Berg'],
  ])('%s', (text, name) => {
    expect(named(text).some((n) => n.includes(name.replace(/^van der /, '')))).toBe(true);
  });

  it('takes an initial with a surname next to a date, not an initial alone', () => {
    expect(named('J. Kellerhals (04.11.1957)')).toEqual(['J. Kellerhals']);
    expect(named('see Fig. 3 (04.11.1957)')).toEqual([]);
    expect(nameRunEndingAt('by J. (x)', 5)).toBeUndefined();
  });
});

describe('a dense list of names with birth dates', () => {
  it('is one finding read at the cost of its names', () => {
    const text = 'Anouk Berg, DOB 12-Mar-1945\n'.repeat(40_000);
    const out: RawFinding[] = [];
    findNamesWithBirthDates(text, out, new Set());
    expect(out).toHaveLength(1);
    expect(out[0]?.end).toBe(text.length - 1);
  });
});

describe('more ways to write a birth date next to a name', () => {
  const found = (text: string) => {
    const out: RawFinding[] = [];
    findNamesWithBirthDates(text, out, new Set());
    return out.map((f) => f.kind);
  };

  it.each([
    'The record for Ana Souza, born on the 3rd of May 1962, was returned.',
    'Patientin: Müller-Lüdenscheidt, Hildegard; geb. am 3. Mai 1941',
    'Name/DOB: Nakamura Hiroshi / 1948.03.07',
    'DOB 07-Mar-48, patient HIROSHI NAKAMURA',
  ])('finds %s', (text) => {
    expect(found(text)).toEqual(['name-with-birth-date']);
  });

  it('does not take a release and its build date for a person', () => {
    expect(found('Release Notes / 2011-03-04 and Build 07-Mar-11')).toEqual([]);
  });
});

describe('two-digit years marked as birth years', () => {
  const found = (text: string) => {
    const out: RawFinding[] = [];
    findNamesWithBirthDates(text, out, new Set());
    return out.map((f) => f.kind);
  };

  it.each([
    'page now shows "PETTIFER, Quentin – born \'78-03-05"',
    '"Bug 4175","Patient banner leaks","Ferelith Vanderhoeck * 02/03/38"',
  ])('finds %s', (text) => {
    expect(found(text)).toEqual(['name-with-birth-date']);
  });

  it('does not take a release with a two-digit date for a person', () => {
    expect(found('Release Notes 02/03/38 build')).toEqual([]);
  });
});

describe('wristband and barcode text with fields joined by ^, * or ~', () => {
  it.each([
    'wristband string: ^VAN DER BERG^ANOUK^19610203^F^',
    '*OKAFOR KWAME*04NOV1957*',
    'scan: KOWALSKI^HALINA^19480217^F',
    'QR decodes to ORTEGA LUNA^PILAR|19830104|8268036',
    'MRN~5512~SAARINEN~AINO~1939-11-30',
  ])('finds %s', (text) => {
    expect(named(text)).toHaveLength(1);
  });

  it.each([
    'build ^Release Notes^20110304',
    '*FIRMWARE*04NOV2019*',
    '^DOE^JANE^19610203^',
    'sensor^PRESSURE^19610203',
  ])('leaves %s alone', (text) => {
    expect(named(text)).toEqual([]);
  });
});

describe('dates as dictation writes them', () => {
  it.each([
    'patient Renske Ludgershall, date of birth is the fourth of November nineteen fifty-seven',
    'Tibor Haverkamp born March third, nineteen sixty one, presenting with chest pain',
    'Pilar Ortega D O B 12 May two thousand and three',
  ])('finds %s', (text) => {
    expect(named(text)).toHaveLength(1);
  });

  it('leaves a spoken date without a birth cue alone', () => {
    expect(
      named('Release Manager Dana Whitlock shipped it the fourth of November twenty twenty-four'),
    ).toEqual([]);
  });
});

describe('clinical facts in more languages and spellings', () => {
  it.each([
    'Se registró el ingreso de Teodoro Vásquez Olmedo en UCI por neumonía bilateral',
    'pacjent Grażyna Zając, rozpoznanie: rak jelita grubego',
    'journal för Torbjörn Brandvold, inskriven för lungemboli',
    'Meneer Gerrit-Jan Everaerts (colorectaal carcinoom, thuisbeademing) belde',
    'our patient Cedric Okonjo (vancomycin 1 g IV over 2 h, ward 4B)',
    'the chart open was that of Mrs Philippa Pendleton-Rusk, admitted yesterday with community-acquired pneumonia',
  ])('finds %s', (text) => {
    expect(clinical(text)).toHaveLength(1);
  });

  it('leaves a synthetic patient and a speaker alone', () => {
    expect(clinical('The synthetic record of Anouk Berg lists metformin 500 mg twice daily.')).toEqual([]);
    expect(clinical('Keynote by Anouk Berg on insulin pump security at the congress.')).toEqual([]);
  });

  it('leaves a clinician named in a sentence about reviewing alone, past the full stop of a title', () => {
    expect(
      clinical(
        'El Dr. Anselmo Saavedra Moncada, nefrólogo responsable de hemodiálisis, revisó la prueba de concepto.',
      ),
    ).toEqual([]);
  });
});

describe('label and banner shapes', () => {
  const age = (year: number) => new Date().getUTCFullYear() - year;

  it.each([
    'PENDLETON-RUSK, LIONEL\nD0B: 14SEP62   M',
    'Wristband OCR output:\n\nOKONJO/AMBROSE  17-Jul-1978  48Y M',
    `OKONJO, PHILIPPA\nFemale, ${age(1971)} y.o., 08/09/1971\nAllergies: Penicillin`,
  ])('finds %s', (text) => {
    expect(named(text)).toHaveLength(1);
  });

  it.each([
    'ZZTEST, ALPHA\nDOB: 01JAN00  U\n(service test print)',
    'Release Manager Dana Whitlock: supported for 3 years, 2019-03-04 to 2022',
    `Dana Whitlock\nFemale, ${age(1971) + 7} y.o., 08/09/1971`,
    'FIRMWARE/BUILD  17-Jul-1978',
  ])('leaves %s alone', (text) => {
    expect(named(text)).toEqual([]);
  });
});

describe('European street addresses', () => {
  const addresses = (text: string) => {
    const out: RawFinding[] = [];
    findStreetAddresses(text, out, createTextContext(text));
    return out.map((f) => f.kind);
  };

  it.each([
    'Lieferadresse der Patientin für das Zubehör: Kastanienweg 48, 37018 Göttingen.',
    'Adresse du patient pour la livraison de la pompe : 49 rue des Tanneurs, 67000 Strasbourg.',
    'Dirección del paciente en la orden de envío: Calle de los Tintoreros 11, 3.º B, 28005 Madrid.',
    'Het afleveradres van de patiënt staat in de API-respons: Vijverstraat 41, 3581 KD Utrecht.',
    'Indirizzo del paziente per la consegna dei sensori: Via dei Mille 90, 40121 Bologna.',
  ])('finds %s', (text) => {
    expect(addresses(text)).toEqual(['street-address']);
  });

  it.each([
    'Hersteller: Quorra Medical GmbH, Kastanienweg 48, 37018 Göttingen.',
    'Our office moved to Vijverstraat 41, 3581 KD Utrecht last year.',
    'Siège : 49 rue des Tanneurs, 67000 Strasbourg (Helmsted Devices SAS).',
  ])('leaves alone %s', (text) => {
    expect(addresses(text)).toEqual([]);
  });
});
