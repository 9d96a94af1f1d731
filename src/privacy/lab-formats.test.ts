import { describe, expect, it } from 'vitest';
import { findLabPatients } from './lab-formats.js';
import type { RawFinding } from './types.js';

function found(text: string): RawFinding[] {
  const out: RawFinding[] = [];
  findLabPatients(text, out);
  return out;
}

describe('laboratory and device formats', () => {
  it.each([
    [
      'an ASTM P record',
      'H|\\^&|||Analyser^1.0\r\nP|1||PAT4471203||Quillfeather^Junia^M||19610402|F\r\nO|1|S1',
    ],
    ['a framed ASTM record', '\x022P|1|88123|||VAN DER BERG^ANOUK||19570412|F\r\x03A7'],
    ['an ASTM record in a log with <STX>', 'rx <STX>1P|1||||Okafor^Kwame||19700115|M<CR><ETX>3C'],
    ['an HPRIM P record', 'H|~^\\&|||LABO|||||||P|H2.4\nP|1|0034561|||DUPRÉ^HÉLÈNE^^^^||19440623|F|||'],
    [
      'a GDT record',
      '01380006310\n014810000123\n0143000004711\n0193101Mustermeier\n0143102Halina\n017310317021948\n',
    ],
    [
      'XDS sourcePatientInfo',
      '<rim:Slot name="sourcePatientInfo"><rim:ValueList><rim:Value>PID-3|4471203^^^&amp;1.2.3&amp;ISO</rim:Value><rim:Value>PID-5|Brandauer^Ottilie^^^</rim:Value><rim:Value>PID-7|19610402</rim:Value></rim:ValueList></rim:Slot>',
    ],
    [
      'a dsrdump head',
      'Comprehensive SR Document\n\nPatient            : Quillfeather^Junia (F, 19610402, #4471203)\nManufacturer       : Acme Imaging',
    ],
  ])('finds %s', (_name, text) => {
    const out = found(text);
    expect(out).toHaveLength(1);
    expect(out[0]?.excerpt).not.toMatch(/Quillfeather|ANOUK|Okafor|DUPR|Mustermeier|Brandauer|19\d{6}/);
  });

  it.each([
    ['an ASTM P record with a placeholder name', 'P|1||PAT1||DOE^JOHN||19610402|M'],
    ['an ASTM P record with only a name', 'P|1|||||Quillfeather^Junia|||'],
    ['a de-identified ASTM P record', 'P|1||XXXXXX||^^||00000000|U'],
    ['a sentence with P|1|', 'the parser splits on P|1| and breaks'],
    ['GDT device fields only', '01380006311\n0178402ECG01\n0158410TESTNR\n'],
    [
      'XDS metadata with a masked name',
      '<rim:Value>PID-5|***^***</rim:Value><rim:Value>PID-7|19610402</rim:Value>',
    ],
    ['a dsrdump head of a phantom', 'Patient            : PHANTOM^HEAD (O, , #)'],
  ])('leaves %s alone', (_name, text) => {
    expect(found(text)).toEqual([]);
  });

  it('reads 1 MiB of record openers and GDT-like lines in one pass', () => {
    const text = `${'P|1|'.repeat(100_000)}\n${'0143101Mustermeier\n'.repeat(20_000)}${'PID-5|A^B '.repeat(50_000)}`;
    const out = found(text);
    expect(out.length).toBeLessThanOrEqual(2);
  });
});
