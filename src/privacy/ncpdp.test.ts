import { describe, expect, it } from 'vitest';
import { findNcpdpPatients } from './ncpdp.js';
import type { RawFinding } from './types.js';

function ncpdp(text: string): RawFinding[] {
  const out: RawFinding[] = [];
  findNcpdpPatients(text, out);
  return out;
}

describe('NCPDP pharmacy claims', () => {
  it.each([
    [
      'fields shown as ␜',
      '123D0B1     20260717␝␞AM04␜C2ZBH0569319␜CCCIARAN␜CDPAZZAGLIA␝␞AM01␜C419580406␜C51␜CACIARAN␜CBPAZZAGLIA',
    ],
    ['fields as <FS>', 'AM04<FS>C2WMK126088893<FS>CCILARIO<FS>CDETXEBERRIA LOIDI<FS>C1GRP79418'],
    [
      'segments on lines with |',
      'AM04|C2882804826|CCWENDELIN|CDLINDQVAERT\nAM01|C419430525|C51|CAWENDELIN|CBLINDQVAERT',
    ],
  ])('finds a patient in %s', (_name, text) => {
    const found = ncpdp(text);
    expect(found).toHaveLength(1);
    expect(found[0]?.kind).toBe('patient-record');
  });

  it.each([
    ['a claim segment without a person', 'AM07|EM1|D25363692|E103|D736355230712|E752000'],
    ['a name without a birth date or id', 'AM01|C51|CAWENDELIN|CBLINDQVAERT'],
    ['masked fields', 'AM01|C4XXXXXXXX|CAXXXXX|CBXXXXX|CY********'],
  ])('does not report %s', (_name, text) => {
    expect(ncpdp(text)).toEqual([]);
  });
});
