import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/helpers/seeded-random.js';
import { base64LineSegments, decodeBase64Lines } from './base64.js';

/** What a lenient mail reader makes of base64 text: everything outside the alphabet skipped. */
const lenient = (text: string) => Buffer.from(text.replace(/[^A-Za-z0-9+/=]+/g, ''), 'base64');
const lines = (data: Buffer, width: number, eol: string) =>
  (data.toString('base64').match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join(eol);

describe('decodeBase64Lines', () => {
  it('decodes even lines of 64 and 76 with CRLF or LF, across many segments', () => {
    const data = randomBytes(300_000);
    for (const width of [64, 76]) {
      for (const eol of ['\r\n', '\n']) {
        const text = Buffer.from(`${lines(data, width, eol)}${eol}`, 'latin1');
        expect(decodeBase64Lines(text).equals(data)).toBe(true);
        // Many segments, each decoded on its own.
        expect([...base64LineSegments(text)].length).toBeGreaterThan(3);
      }
    }
  });

  it('gives what a lenient reader gives for uneven lines, stray spaces, junk, lone CRs and missing padding', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 200; i++) {
      const data = randomBytes(Math.floor(random() * 200_000));
      const width = [64, 76, 60, 57, 3, 1000][i % 6] as number;
      let text = lines(data, width, ['\r\n', '\n', ' \r\n', '\r'][i % 4] as string);
      const at = Math.floor(random() * text.length);
      if (i % 3 === 0) text = `${text.slice(0, at)} ${text.slice(at)}`;
      if (i % 5 === 0) text = `${text.slice(0, at)}*!${text.slice(at)}`;
      if (i % 7 === 0) text = text.replace(/=+$/, '');
      const decoded = decodeBase64Lines(Buffer.from(text, 'latin1'));
      expect(decoded.equals(lenient(text)), `case ${i}`).toBe(true);
    }
  });

  it('decodes a line that changes width partway (a second body appended) like a lenient reader', () => {
    const a = lines(randomBytes(90_000), 64, '\r\n');
    const b = lines(randomBytes(90_000), 76, '\r\n');
    const text = `${a}\r\n${b}`;
    expect(decodeBase64Lines(Buffer.from(text, 'latin1')).equals(lenient(text))).toBe(true);
  });

  it('decodes nothing to nothing', () => {
    expect(decodeBase64Lines(Buffer.alloc(0)).length).toBe(0);
    expect(decodeBase64Lines(Buffer.from('\r\n\r\n')).length).toBe(0);
  });
});
