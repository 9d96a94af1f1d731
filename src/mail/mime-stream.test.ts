import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEntity, splitMultipart } from './mime.js';
import { createSkeletonBuilder, type LeafInfo, UnstreamableMimeError } from './mime-stream.js';

const b64 = (data: Buffer, eol: string) => (data.toString('base64').match(/.{1,76}/g) ?? []).join(eol);

function mail(eol: string, big: Buffer): Buffer {
  const lines = [
    'From: a@example.org',
    'Subject: streamed',
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    'preamble',
    '--outer',
    'Content-Type: multipart/alternative; boundary=inner',
    '',
    '--inner',
    'Content-Type: text/plain',
    '',
    'Hello',
    '--outer-but-not-a-delimiter',
    '--inner',
    'Content-Type: text/html',
    '',
    '<p>Hello</p>',
    '--inner--',
    'inner epilogue',
    '--inner',
    '--outer',
    'Content-Type: application/octet-stream; name="big.bin"',
    'Content-Transfer-Encoding: base64',
    '',
    b64(big, eol),
    '--outer',
    'Content-Type: application/octet-stream; name="raw.bin"',
    '',
    `-- not a delimiter${eol}${big.subarray(0, 5000).toString('latin1')}`,
    '--outer--  ',
    'epilogue',
  ];
  return Buffer.from(lines.join(eol), 'latin1');
}

async function skeletonize(raw: Buffer, chunk: number, spillFrom: number) {
  const spilled = new Map<string, { info: LeafInfo; data: Buffer[] }>();
  const builder = createSkeletonBuilder({
    spillFrom,
    async spill(info) {
      if (info.contentType.type !== 'application/octet-stream') return undefined;
      const token = `TOKEN-${spilled.size}`;
      const entry = { info, data: [] as Buffer[] };
      spilled.set(token, entry);
      return {
        token,
        sink: {
          write: (b: Buffer) => {
            entry.data.push(Buffer.from(b));
          },
          end: async () => {},
        },
      };
    },
  });
  for (let at = 0; at < raw.length; at += chunk) await builder.write(raw.subarray(at, at + chunk));
  return { skeleton: await builder.end(), spilled };
}

describe('streamed MIME skeleton', () => {
  for (const eol of ['\r\n', '\n']) {
    for (const chunk of [1, 7, 100, 4096, 1 << 20]) {
      it(`gives large leaves' bodies to the sink exactly as splitMultipart cuts them (${JSON.stringify(eol)}, chunks of ${chunk})`, async () => {
        const big = randomBytes(chunk === 1 ? 3000 : 60_000);
        const raw = mail(eol, big);
        const { skeleton, spilled } = await skeletonize(raw, chunk, 1000);
        expect([...spilled.keys()]).toEqual(['TOKEN-0', 'TOKEN-1']);
        let rebuilt = skeleton.toString('latin1');
        for (const [token, { data }] of spilled)
          rebuilt = rebuilt.replace(token, () => Buffer.concat(data).toString('latin1'));
        expect(rebuilt).toBe(raw.toString('latin1'));
        const parts = splitMultipart(parseEntity(raw).body, 'outer') ?? [];
        expect(parts).toHaveLength(3);
        expect(
          Buffer.concat(spilled.get('TOKEN-0')?.data ?? []).equals(parseEntity(parts[1] as Buffer).body),
        ).toBe(true);
        expect(
          Buffer.concat(spilled.get('TOKEN-1')?.data ?? []).equals(parseEntity(parts[2] as Buffer).body),
        ).toBe(true);
        expect(spilled.get('TOKEN-0')?.info).toMatchObject({ encoding: 'base64', index: 1 });
        expect(spilled.get('TOKEN-0')?.info.ancestors.map((a) => a.type)).toEqual(['multipart/mixed']);
        // The skeleton splits as the mail does.
        expect(splitMultipart(parseEntity(skeleton).body, 'outer')).toHaveLength(3);
      });
    }
  }

  it('keeps small leaves and a leaf the caller declines in the skeleton', async () => {
    const raw = mail('\r\n', randomBytes(2000));
    const { skeleton, spilled } = await skeletonize(raw, 333, 1 << 20);
    expect(spilled.size).toBe(0);
    expect(skeleton.equals(raw)).toBe(true);
  });

  it('refuses to stream a crafted stack of nested multiparts (read whole, where nesting is bounded)', async () => {
    const parts: string[] = [];
    for (let i = 0; i < 40; i++) parts.push(`Content-Type: multipart/mixed; boundary="b${i}"`, '', `--b${i}`);
    const builder = createSkeletonBuilder({ spillFrom: 10, spill: async () => undefined });
    await expect(builder.write(Buffer.from(parts.join('\r\n')))).rejects.toBeInstanceOf(
      UnstreamableMimeError,
    );
  });
});
