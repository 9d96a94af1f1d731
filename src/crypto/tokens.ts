import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN_BYTES = 32;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/** Returns a fresh 256-bit capability token (e.g. for a reporter's case link), base64url without padding. */
export function newCapabilityToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * SHA-256 (hex) of a token, for storing instead of the token itself. A fast hash is enough here:
 * tokens carry 256 bits of CSPRNG entropy, so unlike passwords they cannot be guessed from a
 * leaked hash, and a slow KDF would only cost CPU on every request.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Constant-time comparison of two hex strings (case-insensitive). Returns false for different
 * lengths, empty or non-hex input rather than throwing: Buffer.from(…, 'hex') silently drops
 * invalid characters, which would otherwise make two different garbage strings compare equal, and
 * an empty string is never a real digest (a blank column must not match a blank input).
 */
export function safeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length || !HEX.test(a) || !HEX.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
