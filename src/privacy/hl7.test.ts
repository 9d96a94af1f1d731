import { describe, expect, it } from 'vitest';
import { findHl7Segments } from './hl7.js';
import type { RawFinding } from './types.js';

const MSH = 'MSH|^~\\&|EPIC|HOSP|LAB|HOSP|20240101120000||ADT^A01|MSG001|P|2.5';
const PID = 'PID|1||4471203^^^HOSP^MR||QUILLFEATHER^JUNIA^Q||19571104|F';

function found(text: string, work?: { steps: number }): { segment: string; fields: string[] }[] {
  const out: RawFinding[] = [];
  findHl7Segments(text, out, work);
  return out.map((f) => ({ segment: text.slice(f.start, f.start + 4), fields: f.fields ?? [] }));
}

/** A dump in the style of `xxd` (offset:, 2-byte groups, ASCII) or `tcpdump -X` (0x offset, tab). */
function hexDump(payload: string, style: 'xxd' | 'tcpdump' | 'hexdump'): string {
  const bytes = Buffer.from(payload, 'latin1');
  let out = style === 'tcpdump' ? '14:22:01.123 IP 10.0.0.5.51234 > 10.0.0.9.2575: Flags [P.]\n' : '';
  for (let i = 0; i < bytes.length; i += 16) {
    const chunk = [...bytes.subarray(i, i + 16)];
    const hex = chunk.map((b) => b.toString(16).padStart(2, '0'));
    const ascii = chunk.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    const pairs = hex.flatMap((h, j) => (j % 2 === 0 ? [h + (hex[j + 1] ?? '')] : [])).join(' ');
    const offset = i.toString(16);
    if (style === 'xxd') out += `${offset.padStart(8, '0')}: ${pairs.padEnd(40)}  ${ascii}\n`;
    else if (style === 'tcpdump') out += `\t0x${offset.padStart(4, '0')}:  ${pairs.padEnd(40)}  ${ascii}\n`;
    else
      out += `${`${offset.padStart(8, '0')}  ${hex.slice(0, 8).join(' ')}  ${hex.slice(8).join(' ')}`.padEnd(58)}  |${ascii}|\n`;
  }
  return out;
}

describe('HL7 v2 segments in any framing', () => {
  const all = ['patient identifier (PID-3)', 'name (PID-5)', 'birth date (PID-7)'];

  it.each([
    ['CR', `${MSH}\r${PID}\rPV1|1|I`],
    ['LF', `${MSH}\n${PID}\n`],
    ['lost separators', `${MSH}${PID}PV1|1|I`],
    ['tcpdump -A dots', `10:01:02.123 IP a > b: length 240: .${MSH}.${PID}.PV1|1|I`],
    ['MLLP framing', `\x0b${MSH}\r${PID}\x1c\r`],
    ['literal \\r in a log line', `INFO recv "${MSH}\\r${PID}\\rPV1|1|I"`],
  ])('%s', (_shape, text) => {
    expect(found(text)).toEqual([{ segment: 'PID|', fields: all }]);
  });

  it('reads the field separator from MSH-1', () => {
    expect(found('MSH!^~\\&!A!B\rPID!1!!12345^^^H^MR!!DOE^JANE!!19570101')[0]?.fields).toEqual(all);
  });

  it('reports NK1 with a name and PV1 with a named doctor and a visit number', () => {
    const pv1 = `PV1|1|I|W^101^1||||1234^HOUSE^GREGORY||||||||||||V889911`;
    expect(found(`${MSH}\rNK1|1|QUILLFEATHER^ARDEN|SPO\r${pv1}`)).toEqual([
      { segment: 'NK1|', fields: ['next-of-kin name (NK1-2)'] },
      { segment: 'PV1|', fields: ['visit number with doctor (PV1-19)'] },
    ]);
  });

  it.each(['xxd', 'tcpdump', 'hexdump'] as const)('decodes a %s hex dump of MLLP traffic', (style) => {
    const dump = hexDump(`\x0b${MSH}\r${PID}\r\x1c\r`, style);
    const findings = found(dump);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.fields).toEqual(all);
  });

  it('ignores interface specs, prose and non-HL7 traffic', () => {
    expect(found('PID|1||<MRN>^^^<AUTH>^MR||<FAMILY>^<GIVEN>||<DOB>')).toEqual([]);
    expect(found('PID|1||""||""^""||""')).toEqual([]);
    expect(found('The PID controller in firmware 2.1.4 (build 4471) overshoots; RAPID|mode')).toEqual([]);
    const tls = hexDump(
      '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03GET /api/v1/devices HTTP/1.1\r\n',
      'tcpdump',
    );
    expect(found(tls)).toEqual([]);
    expect(found('PV1|1|I|W^101^1||||1234^HOUSE^GREGORY')).toEqual([]);
  });
});

describe('linear time', () => {
  const MiB = 1 << 20;
  it.each([
    ['PID| repeated', 'PID|'],
    ['PID|1|| without end', 'PID|1||x'],
    ['MSH| repeated', 'MSH|^~\\&|'],
    ['dots and ids', '.PID|.NK1|.PV1|'],
  ])('%s: work stays proportional to the input', (_shape, unit) => {
    const text = unit.repeat(Math.ceil(MiB / unit.length));
    const work = { steps: 0 };
    found(text, work);
    expect(work.steps).toBeLessThan(4 * text.length);
  });

  it('a 1 MiB hex dump completes', () => {
    const text = '00000000: 5049 447c 5049 447c 5049 447c 5049 447c  PID|PID|PID|PID|\n'.repeat(MiB / 64);
    const work = { steps: 0 };
    found(text, work);
    expect(work.steps).toBeLessThan(4 * text.length);
  });
});

describe('redacted and documented-example segments', () => {
  it.each([
    ['redaction marks', 'PID|1||XXXXXXX^^^KH^PI||XXXXXX^XXXXX||XXXXXXXX|F'],
    ['bracketed slots', 'PID|1||[MRN]^^^KH^PI||[NAME]||[DOB]|F'],
    ['REDACTED^REDACTED', 'PID|1||<redacted>^^^KH^PI||REDACTED^REDACTED||<redacted>|F'],
    ['a manual’s DOE^JOHN and nothing else', 'PID|1||<patient-id>^^^FAC^MR||DOE^JOHN^Q||<birth-date>|M'],
    ['a sentinel birth date', 'PID|1||||||19000101|M'],
  ])('does not flag %s', (_name, pid) => {
    expect(found(`${MSH}\r${pid}`)).toEqual([]);
  });

  it('still reports DOE^JOHN next to a real identifier or birth date', () => {
    expect(
      found(`${MSH}\rPID|1||4471203^^^HOSP^MR||DOE^JOHN||19571104|M`).map((f) => f.fields.length),
    ).toEqual([3]);
  });

  it('reads segments whose separators are shown as <CR> or lost', () => {
    expect(found(`<VT>${MSH}<CR>${PID}<CR><FS><CR>`).map((f) => f.segment)).toEqual(['PID|']);
    expect(found(`${MSH}${PID}PV1|1|O`).map((f) => f.segment)).toEqual(['PID|']);
  });
});

describe('CR written as an escape', () => {
  it('starts a segment after \\x0d or \\u000d in a log line', () => {
    expect(found(`${MSH}\\x0d${PID}\\x0dPV1|1|O`).map((f) => f.segment)).toEqual(['PID|']);
    expect(found(`${MSH}\\u000D${PID}`).map((f) => f.segment)).toEqual(['PID|']);
    expect(found('the hex digits 0x0dPID| of nothing')).toEqual([]);
  });
});
