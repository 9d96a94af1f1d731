import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHmac32 } from './hmac32.js';

const reference = (key: Buffer, domain: string, value: string) =>
  createHmac('sha256', key).update(domain).update('\0').update(value).digest().readUInt32BE(0);

describe('createHmac32', () => {
  it('gives the first 32 bits of node:crypto HMAC-SHA256, at every padding boundary and for any text', () => {
    const values = [''];
    // Message lengths around the block edges: domain + NUL + value = 55, 56, 63, 64, 119, 120 … bytes.
    for (let n = 1; n < 300; n++) values.push('x'.repeat(n));
    values.push(
      'Überlauf im Parser',
      'ヒープ',
      '😀 emoji',
      'a\u0000b',
      '/api/v1/patients?id=1',
      'é'.repeat(70),
    );
    for (let i = 0; i < 200; i++) values.push(randomBytes(1 + (i % 90)).toString('latin1'));
    for (const key of [
      randomBytes(32),
      randomBytes(16),
      randomBytes(64),
      randomBytes(100),
      Buffer.alloc(0),
    ]) {
      const h = createHmac32(key);
      for (const domain of ['t', 'b', 'id', 'e'])
        for (const v of values)
          expect(h(domain, v), `${domain} ${JSON.stringify(v)}`).toBe(reference(key, domain, v));
    }
  });

  it('does not depend on what it hashed before (its buffers are reused)', () => {
    const key = randomBytes(32);
    const h = createHmac32(key);
    const long = 'y'.repeat(5000);
    expect(h('t', long)).toBe(reference(key, 't', long));
    expect(h('t', 'short')).toBe(reference(key, 't', 'short'));
  });
});
