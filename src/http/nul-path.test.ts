import { describe, expect, it } from 'vitest';
import { nulPath } from './app.js';

describe('nulPath', () => {
  it('names the first field holding a NUL, at any depth', () => {
    expect(nulPath({ email: 'a\0@b.example', password: 'x' })).toBe('email');
    expect(nulPath({ fields: { description: ['ok', 'bad\0'] } })).toBe('fields.description.1');
    expect(nulPath({ 'key\0': 'value' })).toBe('body');
    expect(nulPath('\0')).toBe('');
  });

  it('passes bodies without one, and what is not JSON text', () => {
    expect(nulPath({ fields: { a: 'text', b: 1, c: null, d: [true] } })).toBeUndefined();
    expect(nulPath(null)).toBeUndefined();
    expect(nulPath(Buffer.from([0, 0, 0]))).toBeUndefined();
  });

  it('walks a body nested 100 000 deep without running out of stack', () => {
    let deep: unknown = 'bottom\0';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(nulPath(deep)).toMatch(/^0(\.0)+$/);
  });
});
