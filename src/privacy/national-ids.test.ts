import { describe, expect, it } from 'vitest';
import { findNationalIds } from './national-ids.js';
import type { RawFinding } from './types.js';

function ids(text: string): RawFinding[] {
  const out: RawFinding[] = [];
  findNationalIds(text, out);
  return out;
}

describe('national identifiers outside the US and the UK', () => {
  it.each([
    ['a BSN after its cue', 'De patiënt met BSN 111.222.333 werd opgenomen', 'BSN'],
    ['a Belgian INSZ', 'INSZ: 85.07.30-033.28', 'INSZ'],
    ['a Belgian INSZ of someone born after 2000', 'Rijksregisternummer 05073003326', 'INSZ'],
    ['a Norwegian fødselsnummer', 'Fødselsnummer: 01010750160', 'fødselsnummer'],
    ['a Finnish HETU', 'HETU 131052-308T', 'henkilötunnus'],
    ['a Danish CPR number', 'CPR-nummer: 010180-1234', 'CPR'],
    ['a BSN whose 11-proof fails, after its cue', 'burgerservicenummer: 212345671', 'BSN'],
    ['a NIR with spaces', 'numéro de sécurité sociale : 1 84 12 76 451 089 46', 'NIR'],
    ['a Corsican NIR after NSS (checked)', 'NSS 2 55 08 2A 004 001 24', 'NIR'],
    ['a DNI', 'DNI: 48213576-T', 'DNI'],
    ['a NIE', 'NIE Y-3417592-L', 'DNI'],
    ['a PESEL', 'PESEL: 44051401359', 'PESEL'],
    ['a KVNR', 'Versichertennummer: K 200413689', 'KVNR'],
    ['a personnummer', 'personnummer 19811218-9876', 'Swedish'],
    ['a CPF', 'CPF 111.444.777-35', 'CPF'],
    ['an OHIP number', 'OHIP #: 1234-567-897', 'health card'],
    ['an Australian Medicare number', 'Medicare card number 2123 45670 1', 'Medicare'],
    ['a codice fiscale without cue (valid check letter)', 'intestatario RSSMRA85T10A562S', 'codice fiscale'],
    ['a codice fiscale after its cue', 'C.F.: BNCGLI84P61H501Z', 'codice fiscale'],
    ['an AHV number after its cue', 'AHV-Nr. 756.9217.0769.85', 'AHV'],
  ])('finds %s', (_name, text, label) => {
    const found = ids(text);
    expect(found.map((f) => f.kind)).toEqual(['national-health-id']);
    expect(found[0]?.label).toContain(label);
    expect(found[0]?.excerpt).not.toContain(found[0]?.value ?? '');
  });

  it.each([
    ['a codice fiscale layout with a wrong check letter and no cue', 'build RSSMRA85T10A562X shipped'],
    ['a 756 number that fails EAN-13', 'AHV 756.9217.0769.86'],
    ['a 756 number without a cue', 'part numbers 756.9217.0769.85, 756.1234.5678.97'],
    ['an OHIP-shaped number failing Luhn', 'health card 1234-567-890'],
    ['a count-up after a cue', 'BSN: 123456789'],
    ['a run of one digit', 'PESEL 00000000000'],
    ['the same digits without any cue', 'ticket 111222333 and build 44051401359'],
    ['a DNI layout without a cue', 'part 48213576-T'],
    ['an INSZ with a wrong check', 'INSZ: 85073003300'],
    ['a fødselsnummer with a wrong check digit', 'fødselsnummer 01010750161'],
    ['a HETU with a wrong check character', 'HETU 131052-308A'],
    ['a CPR with no such day', 'CPR: 450180-1234'],
  ])('does not report %s', (_name, text) => {
    expect(ids(text)).toEqual([]);
  });
});
