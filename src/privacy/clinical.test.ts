import { describe, expect, it } from 'vitest';
import { findPeopleWithClinicalFacts } from './clinical.js';
import type { RawFinding } from './types.js';

function clinical(text: string): RawFinding[] {
  const out: RawFinding[] = [];
  findPeopleWithClinicalFacts(text, out, new Set());
  return out;
}

describe('named people next to a condition or medicine', () => {
  it.each([
    [
      'a condition after a dash',
      'The notes endpoint returned "Amara Okonkwo - HIV positive, on Biktarvy since 2019".',
    ],
    ['a possessive', "The result page listed Chen Wei's HbA1c of 9.1%."],
    ['a list entry', 'One of the records: "Sofia Rossi, 34, schizophrenia, clozapine 300mg".'],
    ['Spanish', 'La paciente Lucía Romero está embarazada de 20 semanas.'],
    ['Dutch', 'De heer Pieter Jansen heeft diabetes type 1.'],
    ['a worklist line', 'Visible in the worklist: BRENNAN, Siobhan — CT abdomen — suspected appendicitis.'],
  ])('finds %s', (_name, text) => {
    expect(clinical(text).map((f) => f.kind)).toEqual(['person-clinical']);
  });

  it('reports people listed one after another with their conditions as one finding', () => {
    const found = clinical('Amara Okonkwo: insulin; Pieter Jansen: warfarin; Lucía Romero: lithium');
    expect(found).toHaveLength(1);
    expect(found[0]?.excerpt).toBe('3 people with conditions or medicines');
  });

  it.each([
    [
      'staff reviewing a finding',
      'Dr. Hannah Müller, cardiologist, reviewed the finding and agreed it could affect insulin dosing.',
    ],
    [
      'a changelog',
      'Changelog 4.2: added HbA1c trend chart (Jonas Lindqvist), fixed insulin bolus rounding.',
    ],
    [
      'a product named after a condition',
      'The Pregnancy Tracker app by Nova Health stores data unencrypted.',
    ],
    [
      'a device and its maker',
      'Affected: Accu-Chek Insight insulin pump firmware 2.1; see Medtronic MiniMed advisory too.',
    ],
    [
      'a colleague asking about a calculator',
      'Mark Evans asked whether the warfarin dosing calculator rounds correctly.',
    ],
    [
      'a product whose name holds a specialty',
      'The Oncology Viewer shows chemotherapy schedules to ward staff.',
    ],
  ])('does not report %s', (_name, text) => {
    expect(clinical(text)).toEqual([]);
  });
});

describe('titles, initials and procedures', () => {
  it('reads a title with an initial and a procedure in the same sentence', () => {
    const found = clinical(
      'The ward list showed Mr. T. Yamamoto (b. 1958), room 412, post-op day 2 after CABG.',
    );
    expect(found.map((f) => f.kind)).toEqual(['person-clinical']);
  });
});

describe('words that are conditions and something else', () => {
  it.each([
    'Maria Santos replaced the lithium battery of the pump.',
    'Jonas Lindqvist wears hearing aids during the test.',
  ])('does not report %s', (text) => {
    expect(clinical(text)).toEqual([]);
  });
});
