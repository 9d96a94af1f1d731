import { describe, expect, it } from 'vitest';
import { hashToken, newCapabilityToken, safeEqualHex } from './tokens.js';

describe('tokens', () => {
  it('generates distinct 256-bit base64url tokens', () => {
    const token = newCapabilityToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(newCapabilityToken()).not.toBe(token);
  });

  it('hashes to SHA-256 hex', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('compares hex digests safely', () => {
    const digest = hashToken(newCapabilityToken());
    expect(safeEqualHex(digest, digest)).toBe(true);
    expect(safeEqualHex(digest, digest.toUpperCase())).toBe(true);
    expect(safeEqualHex(digest, hashToken('other'))).toBe(false);
    expect(safeEqualHex(digest, digest.slice(0, 62))).toBe(false);
    // Invalid hex must not decode to equal (truncated) buffers.
    expect(safeEqualHex('zz', 'yy')).toBe(false);
    expect(safeEqualHex('abz', 'abz')).toBe(false);
    expect(safeEqualHex('', '')).toBe(false);
  });
});
