import { describe, expect, it } from 'vitest';
import type { RawFinding } from './types.js';
import { findX12Patients } from './x12.js';

function x12(text: string): RawFinding[] {
  const out: RawFinding[] = [];
  findX12Patients(text, out);
  return out;
}

describe('X12 EDI patients and subscribers', () => {
  it('finds a subscriber with a member id and a DMG birth date in an 837', () => {
    const text =
      'ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *230301*1200*^*00501*000000001*0*P*:~GS*HC*S*R*20230301*1200*1*X*005010X222A1~NM1*85*2*RIVERSIDE CLINIC*****XX*1234567893~NM1*IL*1*KOWALSKA*AGNIESZKA****MI*W123456789~N3*12 ELM STREET~DMG*D8*19570412*F~';
    const found = x12(text);
    expect(found).toHaveLength(1);
    expect(found[0]?.kind).toBe('patient-record');
    expect(found[0]?.fields).toEqual(['name', 'birthDate', 'identifier']);
    expect(text.slice(found[0]?.start, found[0]?.end)).toContain('KOWALSKA');
  });

  it('reads segments one per line and another element separator', () => {
    expect(x12('NM1|QC|1|Brennan|Siobhan\nN3|4 Quay Road\nDMG|D8|19660214|F')).toHaveLength(1);
  });

  it('joins a subscriber and the dependent patient after it into one finding', () => {
    const text =
      'NM1*IL*1*OKORO*EMEKA****MI*ZX77120045~DMG*D8*19700115*M~NM1*QC*1*OKORO*ADA~DMG*D8*20090921*F~';
    expect(x12(text)).toHaveLength(1);
  });

  it.each([
    ['a provider', 'NM1*82*1*HALVORSEN*INGRID****XX*1467589302~DMG*D8*19700115*F~'],
    ['an organisation as payer', 'NM1*IL*2*ACME HEALTH PLAN*****PI*12345~'],
    ['a subscriber with neither id nor birth date', 'NM1*IL*1*OKORO*EMEKA~N3*1 MAIN ST~'],
    ['a placeholder subscriber', 'NM1*IL*1*DOE*JOHN****MI*123456789A~DMG*D8*19000101*M~'],
    ['a redacted subscriber', 'NM1*IL*1*XXXXX*XXXX****MI*XXXXXXXX~DMG*D8*XXXXXXXX*M~'],
    ['a sentinel birth date without id', 'NM1*QC*1*OKORO*ADA~DMG*D8*19000101*F~'],
  ])('does not report %s', (_name, text) => {
    expect(x12(text)).toEqual([]);
  });
});
