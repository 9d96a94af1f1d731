import { randomBytes } from 'node:crypto';
import { type Algorithm, hash, verify } from '@node-rs/argon2';
import type { FieldProblem } from '../core/index.js';

/**
 * Staff passwords: argon2id (19 MiB, 2 passes, one lane — the OWASP baseline). An unknown email
 * is checked against a dummy hash of the same parameters, so it costs the same time as a wrong
 * password and the answer cannot tell which accounts exist.
 */

/** `Algorithm.Argon2id` (a const enum, which this build cannot import by name). */
const ARGON2ID = 2 as Algorithm;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let dummy: Promise<string> | undefined;

/**
 * Whether the password matches the stored hash. With no hash (unknown or not yet enrolled user)
 * the same work is done against a dummy hash and the answer is false.
 */
export async function checkPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  if (!stored) {
    dummy ??= hash(randomBytes(16).toString('hex'), OPTIONS);
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

/** What is wrong with a new password, as field problems under `path`. */
export function passwordProblems(password: string, path = 'password'): FieldProblem[] {
  const length = [...password].length;
  if (length < PASSWORD_MIN)
    return [{ path, message: `must be at least ${PASSWORD_MIN} characters long (it has ${length})` }];
  if (length > PASSWORD_MAX) return [{ path, message: `must be at most ${PASSWORD_MAX} characters long` }];
  return [];
}
