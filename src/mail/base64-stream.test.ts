import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createArmorDecoder, createBase64Decoder } from './base64-stream.js';

async function decode(text: Buffer, chunk: number): Promise<Buffer> {
  const out: Buffer[] = [];
  const d = createBase64Decoder((b) => {
    out.push(Buffer.from(b));
  });
  for (let at = 0; at < text.length; at += chunk) await d.write(text.subarray(at, at + chunk));
  await d.end();
  return Buffer.concat(out);
}

describe('streamed base64', () => {
  const data = randomBytes(200_003);
  const lines = (width: number, eol: string) =>
    Buffer.from((data.toString('base64').match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join(eol), 'latin1');

  for (const [width, eol] of [
    [76, '\r\n'],
    [64, '\n'],
    [73, '\r\n'],
  ] as const) {
    for (const chunk of [1, 5, 4096, 65_536, 1 << 20]) {
      it(`decodes lines of ${width} ending ${JSON.stringify(eol)} in chunks of ${chunk}`, async () => {
        expect((await decode(lines(width, eol), chunk)).equals(data)).toBe(true);
      });
    }
  }

  it('skips what is not base64, as mail readers do', async () => {
    const text = Buffer.from(
      `${data.toString('base64').slice(0, 400)} \t\r\n!!${data.toString('base64').slice(400)}`,
    );
    expect((await decode(text, 33)).equals(data)).toBe(true);
  });

  it('reads the binary message out of an armour, without its checksum', async () => {
    const armored = Buffer.from(
      `\r\n-----BEGIN PGP MESSAGE-----\r\nComment: test\r\n\r\n${lines(64, '\r\n').toString('latin1')}\r\n=abcd\r\n-----END PGP MESSAGE-----\r\n`,
    );
    for (const chunk of [7, 1000, 1 << 20]) {
      const out: Buffer[] = [];
      const d = createArmorDecoder((b) => {
        out.push(Buffer.from(b));
      });
      for (let at = 0; at < armored.length; at += chunk) await d.write(armored.subarray(at, at + chunk));
      await d.end();
      expect(d.refused).toBe(false);
      expect(Buffer.concat(out).equals(data)).toBe(true);
    }
    const other = createArmorDecoder(() => {});
    await other.write(Buffer.from('Hello, this is no armour\r\n'));
    await other.end();
    expect(other.refused).toBe(true);
  });
});
