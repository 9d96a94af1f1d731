import { describe, expect, it } from 'vitest';
import { decodedViews } from './encoded.js';
import { detectPhi } from './phi-detect.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');

describe('encoded text', () => {
  it('reads JSON escaped inside a string, reporting over the escaped characters', () => {
    const text =
      'GET patient:7e29 -> "{\\"patient\\":{\\"fullName\\":\\"Park Seo-yeon\\",\\"birth\\":\\"1971-03-02\\"},\\"token\\":\\"ff3d\\"}"';
    const findings = detectPhi({ text }).findings;
    expect(findings.map((f) => f.kind)).toContain('patient-record');
    const record = findings.find((f) => f.kind === 'patient-record');
    expect(text.slice(record?.start, record?.end)).toContain('Park Seo-yeon');
  });

  it("reads a JWT's payload and a base64 QR content, reporting over the token", () => {
    const payload = b64url(
      JSON.stringify({
        sub: 'patient:596286703',
        name: 'Nguyen Thi Hoa',
        birthdate: '1939-04-27',
        iat: 1795847910,
      }),
    );
    const jwt = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${payload}.ZjdlYTc5NGJlMmQ4YmMyZWI1OWIxOGExMzRiMzhjMTk`;
    const text = `Authorization: Bearer ${jwt}\n\nwristband QR: ${b64('PID|1||00451234||Varga^Ilona||19620530|F')}`;
    const findings = detectPhi({ text }).findings;
    expect(findings.some((f) => text.slice(f.start, f.end) === payload)).toBe(true);
    expect(findings.map((f) => f.kind)).toContain('hl7-pid');
    for (const f of findings) expect(f.excerpt).toContain('(encoded)');
  });

  it('leaves tokens that decode to binary, hashes and a signed-in user without a birth date alone', () => {
    const user = b64url(
      JSON.stringify({
        iss: 'https://idp.example',
        sub: '42',
        exp: 1795847910,
        name: 'Kit Marlowe',
        email: 'kit@lab.example',
      }),
    );
    const text = [
      `sha256: ${'9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'}`,
      `nonce: ${Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 37) % 256)).toString('base64')}`,
      `id_token: eyJhbGciOiJSUzI1NiJ9.${user}.c2lnbmF0dXJl`,
    ].join('\n');
    expect(detectPhi({ text }).findings).toEqual([]);
  });

  it('keeps every view within its budget and maps the end of an escaped view to the end of the text', () => {
    const text = `${'{\\"a\\":1}'.repeat(200_000)}`;
    const views = decodedViews(text);
    const total = views.reduce((n, v) => n + v.text.length, 0);
    expect(total).toBeLessThanOrEqual(1024 * 1024);
    const escaped = views[0];
    expect(escaped?.at(escaped.text.length)).toBeLessThanOrEqual(text.length);
  });
});

describe('hex dumps', () => {
  it('decodes a hexdump -C capture whose record the ASCII column splits', () => {
    const text = [
      'USB-serial capture while the meter syncs:',
      '00000030  02 50 7c 31 7c 45 6d 69  6b 6f 20 76 61 6e 20 64  |.P|1|Emiko van d|',
      '00000040  65 72 20 4b 6f 6c 77 69  6a 6b 7c 31 33 2f 30 39  |er Kolwijk|13/09|',
      '00000050  2f 31 39 38 33 7c 46 7c  49 44 39 31 39 36 36 31  |/1983|F|ID919661|',
    ].join('\n');
    const views = decodedViews(text);
    expect(views.map((v) => v.text).join('')).toContain('Emiko van der Kolwijk|13/09/1983');
    const found = detectPhi({ text }).findings;
    expect(found.map((f) => f.kind)).toContain('patient-table');
    expect(found[0]?.start).toBe(text.indexOf('00000030'));
  });

  it('reads xxd groups of four and ignores the offset digits', () => {
    const text = '00000020: 4c4f 4e41 7c32 3030 3530 3531 397c 467c  LONA|20050519|F|';
    expect(decodedViews(text)[0]?.text).toBe('LONA|20050519|F|');
  });

  it('reports nothing for a firmware dump without a person', () => {
    const text = [
      '00000000  7f 45 4c 46 02 01 01 00  00 00 00 00 00 00 00 00  |.ELF............|',
      '00000010  03 00 3e 00 01 00 00 00  40 10 00 00 00 00 00 00  |..>.....@.......|',
    ].join('\n');
    expect(detectPhi({ text }).findings).toEqual([]);
  });
});

describe("the reporter's own details in encoded text", () => {
  it("does not report the reporter's own token, even with a birth date in it", () => {
    const claims = b64url(
      JSON.stringify({ sub: 'u-42', iat: 1795847910, name: 'Kit Marlowe', birthdate: '1984-02-11' }),
    );
    const text = `my own session: eyJhbGciOiJIUzI1NiJ9.${claims}.c2ln`;
    const reporter = { names: ['Kit Marlowe'], emails: ['kit@lab.example'] };
    expect(detectPhi({ text }, { reporter }).findings).toEqual([]);
    expect(detectPhi({ text }).findings.map((f) => f.kind)).toContain('patient-record');
  });
});
