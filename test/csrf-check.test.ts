import { describe, expect, it } from 'vitest';
import { csrfTokenFor, csrfTokenMatches } from '../src/accounts/sessions.js';

/**
 * The CSRF check of console sessions compares in constant time (`timingSafeEqual` on buffers of
 * equal length), and so must still refuse every near miss — and never throw on a token of another
 * length, in characters or in bytes. The whole-app refusals (403 `csrf`) are in sign-in.test.ts.
 */
describe('the CSRF token check', () => {
  it('accepts only the exact CSRF token, whatever its length or characters', () => {
    const secret = 'session-secret-for-the-csrf-check';
    const token = csrfTokenFor(secret);
    expect(csrfTokenMatches(secret, token)).toBe(true);
    expect(csrfTokenMatches(secret, undefined)).toBe(false);
    expect(csrfTokenMatches(secret, '')).toBe(false);
    expect(csrfTokenMatches(secret, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(csrfTokenMatches(secret, token.slice(0, -1))).toBe(false);
    expect(csrfTokenMatches(secret, `${token}A`)).toBe(false);
    // As many characters but more bytes: refused, not thrown.
    expect(csrfTokenMatches(secret, 'é'.repeat(token.length))).toBe(false);
    expect(csrfTokenMatches('another session', token)).toBe(false);
  });
});
