import { describe, expect, it } from 'vitest';
import { findNationalHealthIds, findRecordNumbers, findSsns, validNhsNumber } from './identifiers.js';
import type { RawFinding } from './types.js';

function found(text: string): string[] {
  const out: RawFinding[] = [];
  findSsns(text, out);
  findRecordNumbers(text, out);
  findNationalHealthIds(text, out);
  return out.map((f) => `${f.kind}:${text.slice(f.start, f.end)}`);
}

describe('SSNs and ITINs', () => {
  it('reports a 9xx number after an explicit cue', () => {
    expect(found('SSN: 912-70-1234')).toEqual(['ssn:912-70-1234']);
    expect(found('Social Security No. 987 65 4321')).toEqual(['ssn:987 65 4321']);
    expect(found('ITIN 912-78-3456 on the W-7')).toEqual(['ssn:912-78-3456']);
  });

  it('never reports a bare 9-digit or 9xx number without a cue', () => {
    expect(found('request id 912701234 returned 200')).toEqual([]);
    expect(found('order 912-70-1234 shipped')).toEqual([]);
    expect(found('build 987654321, firmware 9.1.2')).toEqual([]);
  });
});

describe('record and member numbers', () => {
  it('reads the MRN wording variants', () => {
    expect(found('record no. 4471203')).toEqual(['medical-record-number:4471203']);
    expect(found('Patient record: PR-0044127')).toEqual(['medical-record-number:PR-0044127']);
    expect(found('Patientennummer: 12345678')).toEqual(['medical-record-number:12345678']);
    expect(found('número de historia clínica 7781234')).toEqual(['medical-record-number:7781234']);
    expect(found('numéro de dossier : 55012345')).toEqual(['medical-record-number:55012345']);
  });

  it('reads member and subscriber numbers', () => {
    expect(found('subscriber: XYZ123456789')).toEqual(['health-plan-number:XYZ123456789']);
    expect(found('Membership no. 88120034')).toEqual(['health-plan-number:88120034']);
    expect(found('Versichertennummer A123456789')).toEqual(['health-plan-number:A123456789']);
  });

  it('leaves serials, versions and words after cue-like text alone', () => {
    expect(found('MQTT subscriber 1234 connected; serial no. 4471203')).toEqual([]);
    expect(found('record no. 1.2.3 in the changelog')).toEqual([]);
  });
});

describe('national health identifiers', () => {
  it('checks the NHS number’s mod-11 digit', () => {
    expect(validNhsNumber('943 476 5919')).toBe(true);
    expect(validNhsNumber('9434765918')).toBe(false);
    expect(found('NHS number 943 476 5919')).toEqual(['national-health-id:943 476 5919']);
    expect(found('NHS number 943 476 5918')).toEqual([]);
  });

  it('reads a Medicare MBI by its layout, also as a plan number', () => {
    expect(found('MBI: 1EG4-TE5-MK73')).toEqual([
      'health-plan-number:1EG4-TE5-MK73',
      'national-health-id:1EG4-TE5-MK73',
    ]);
    // S, L, O, I, B and Z never appear in an MBI.
    expect(found('MBI: 1SG4-TE5-MK73').filter((f) => f.startsWith('national'))).toEqual([]);
  });
});

describe('linear time', () => {
  it('finishes 1 MiB of cue words without values', () => {
    for (const cue of ['SSN ', 'record no. ', 'NHS number ', 'member id ', 'MBI ']) {
      const text = cue.repeat(Math.ceil((1 << 20) / cue.length));
      expect(found(text)).toEqual([]);
    }
  });
});

describe('SSN and ITIN cue wordings', () => {
  it.each([
    ['SSN# 123-44-5678', '123-44-5678'],
    ['Social Security No. 231 55 7788', '231 55 7788'],
    ['soc. sec. # 231-55-7788', '231-55-7788'],
    ['social-security number: 231557788', '231557788'],
    ['ITIN no. 965840016', '965840016'],
    ['applicant ITIN no=958903544 accepted', '958903544'],
    ['"taxpayerid": "912-92-1234"', '912-92-1234'],
    ['SS No 231-55-7788', '231-55-7788'],
  ])('%s', (text, value) => {
    expect(found(text)).toEqual([`ssn:${value}`]);
  });

  it('leaves invalid and example numbers alone', () => {
    for (const text of [
      'SSN 000-12-3456',
      'SSN 666-12-3456',
      'SSN: 231-00-7788',
      'the example SSN 123-45-6789 in the docs',
      'e.g. "078-05-1120" in the sample payload',
      'ITIN 907-49-1636 (invalid middle digits)',
      'ITIN 905-93-1636',
    ]) {
      expect(found(text), text).toEqual([]);
    }
  });
});

describe('cues with a few words, an abbreviation or a key between', () => {
  it.each([
    ['Social Security Number (SSN): 912-70-1234', 'ssn:912-70-1234'],
    ['SSN on file: 231-55-7788', 'ssn:231-55-7788'],
    ['social security number of the guarantor is 231 55 7788', 'ssn:231 55 7788'],
    ['"nhs_number": "943 476 5919"', 'national-health-id:943 476 5919'],
    ['N.H.S. No. 9434765919', 'national-health-id:9434765919'],
    ['"medicare_beneficiary_id": "1EG4TE5MK73"', 'national-health-id:1EG4TE5MK73'],
  ])('%s', (text, expected) => {
    expect(found(text)).toContain(expected);
  });

  it('needs the number itself after the words', () => {
    expect(found('SSN field accepts 123 values')).toEqual([]);
    expect(found('The SSN we saw was masked: ***-**-1234')).toEqual([]);
    expect(found('"nhs_number": "943 476 5918"')).toEqual([]);
  });
});

describe('SSN cues written as keys', () => {
  it.each([
    ['a JSON key "social"', '{"name": "R. Ferreira", "social": "912-71-4403"}'],
    ['a prefixed snake_case key', 'guarantor_ssn=532-18-4471'],
    ['a camelCase key', '"subscriberSsn": "532184471"'],
    ['social_security as a key', 'social_security: 532 18 4471'],
  ])('finds the number after %s', (_name, text) => {
    const out: RawFinding[] = [];
    findSsns(text, out);
    expect(out.map((f) => f.kind)).toEqual(['ssn']);
  });

  it('does not take a social handle or a bare number after "social"', () => {
    const out: RawFinding[] = [];
    findSsns('{"social": "@rferreira", "build": "912714403"}', out);
    expect(out).toEqual([]);
  });
});

describe('SSN cues followed by a verb', () => {
  it('finds the number after "the ssn field contained"', () => {
    const out: RawFinding[] = [];
    findSsns('the ssn field contained 943-72-1188 for the guarantor', out);
    expect(out.map((f) => f.kind)).toEqual(['ssn']);
  });

  it('does not take a 9xx number outside the ITIN ranges after the same words', () => {
    const out: RawFinding[] = [];
    findSsns('the ssn field contained 943-12-1188', out);
    expect(out).toEqual([]);
  });
});

describe('more record-number wordings', () => {
  it.each([
    'Patient-Nr. 4471203',
    'N° de dossier : 2026-004512',
    'Krankenblattnummer 4471203',
    'EMR ID: 4471203',
    'cartella n. 2026/004512',
    "the patient's MRN, 00451234, was in the URL",
    'Journalnummer: 20231145 i den delade vyn',
    'Numer historii choroby: 2024/11873',
    'Número de processo: 88123456',
  ])('finds %s', (text) => {
    const out: RawFinding[] = [];
    findRecordNumbers(text, out);
    expect(out.map((f) => f.kind)).toEqual(['medical-record-number']);
  });

  it('does not take a list of field names for a number', () => {
    const out: RawFinding[] = [];
    findRecordNumbers('MRN, DOB and name are required; EMR ID format: 7 digits', out);
    expect(out).toEqual([]);
  });
});
