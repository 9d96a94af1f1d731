import { randomInt } from 'node:crypto';
import { newId } from '../core/index.js';
import { hashToken } from '../crypto/index.js';

/**
 * Recovery codes: ten single-use codes of 12 characters from 31 letters and digits that cannot be
 * mistaken for one another (about 59 bits each), shown once as `xxxx-xxxx-xxxx` and stored as SHA-256 bound to the user. Case, spaces
 * and dashes do not matter when one is typed back.
 */

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const RECOVERY_CODE_COUNT = 10;

export const normaliseRecoveryCode = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');

export const recoveryCodeHash = (userId: string, code: string) =>
  hashToken(`recovery:${userId}:${normaliseRecoveryCode(code)}`);

export function newRecoveryCodes(userId: string): {
  codes: string[];
  rows: { id: string; codeHash: string }[];
} {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
  });
  return { codes, rows: codes.map((c) => ({ id: newId(), codeHash: recoveryCodeHash(userId, c) })) };
}
