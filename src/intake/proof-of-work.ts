import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IntakeGateSettings } from '../config/index.js';

/**
 * The adaptive proof-of-work's arithmetic, pure so it is tested without a server.
 *
 * A program's web form and JSON API ask a sender for work only when the program is busy or the
 * sender's address has sent much lately; in quiet times the level is 0 and nothing is asked.
 *
 * ```
 * programLevel = v < Q ? 0 : v < 2Q ? 1 : v < 4Q ? 2 : v < 8Q ? 3 : 4
 *                (v = reports to the program in the last hour, every channel;
 *                 Q = VIGIL_POW_QUIET_PER_HOUR, default 20)
 * addressLevel = n < A ? 0 : min(4, n - A + 1)
 *                (n = web/API reports accepted from the sender's address in the last hour;
 *                 A = VIGIL_POW_ADDRESS_FREE_PER_HOUR, default 3)
 * level        = min(4, max(VIGIL_POW_MIN_LEVEL, programLevel + addressLevel))
 * maxnumber    = VIGIL_POW_MAX_NUMBER / 4^(4 - level)      (ALTCHA v1, SHA-256)
 * wait         = ceil(VIGIL_POW_WAIT_SECONDS × level / 4)   (the form without JavaScript)
 * ```
 *
 * With the defaults. The solve time is the expected one (maxnumber / 2 hashes) at the rate the
 * portal's script reached in headless Chromium on this project's 2-core build machine, about
 * 49 000 SHA-256 per second (batches of 2 000 Web Crypto digests). The phone column assumes a
 * mid-range phone 3-5 times slower: an estimate, not a measurement.
 *
 * | reports to the program in the last hour | level | maxnumber | desktop | phone    | wait without JS |
 * | --------------------------------------- | ----- | --------- | ------- | -------- | --------------- |
 * | under 20 (quiet)                        | 0     | none      | 0       | 0        | none            |
 * | 20-39                                   | 1     | 15 625    | 0.2 s   | ~0.5-1 s | 15 s            |
 * | 40-79                                   | 2     | 62 500    | 0.6 s   | ~2-3 s   | 30 s            |
 * | 80-159                                  | 3     | 250 000   | 2.6 s   | ~8-13 s  | 45 s            |
 * | 160 or more                             | 4     | 1 000 000 | 10 s    | ~30-50 s | 60 s            |
 *
 * An address past its free allowance adds a level per extra report, whatever the program's volume.
 * A reporter writing a genuine report spends minutes on it, so the form's wait (counted from when
 * the form was served) has usually passed before they press Send.
 */

export const MAX_LEVEL = 4;

/** The level of work to ask for, from the two counts (see the table above). */
export function gateLevel(
  s: Pick<IntakeGateSettings, 'quietPerHour' | 'addressFreePerHour' | 'minLevel'>,
  programLastHour: number,
  addressLastHour: number,
): number {
  const q = s.quietPerHour;
  const v = programLastHour;
  const programLevel = v < q ? 0 : v < 2 * q ? 1 : v < 4 * q ? 2 : v < 8 * q ? 3 : 4;
  const a = s.addressFreePerHour;
  const addressLevel = addressLastHour < a ? 0 : Math.min(MAX_LEVEL, addressLastHour - a + 1);
  return Math.min(MAX_LEVEL, Math.max(s.minLevel, programLevel + addressLevel));
}

/** The challenge's `maxnumber` at a level (0: no challenge). */
export function maxNumberFor(s: Pick<IntakeGateSettings, 'maxNumber'>, level: number): number {
  if (level <= 0) return 0;
  return Math.max(16, Math.floor(s.maxNumber / 4 ** (MAX_LEVEL - Math.min(level, MAX_LEVEL))));
}

/** Seconds the form without JavaScript must have been open at a level (0: none). */
export function waitSecondsFor(s: Pick<IntakeGateSettings, 'waitSeconds'>, level: number): number {
  if (level <= 0) return 0;
  return Math.ceil((s.waitSeconds * Math.min(level, MAX_LEVEL)) / MAX_LEVEL);
}

/**
 * The form token of the slower path (no JavaScript): the server's signed note of when it served
 * the form to whom (which program). It is spent once, like a solved challenge; it keeps for a day.
 */
export interface WaitToken {
  programId: string;
  /** Seconds since the epoch when the form was served. */
  issuedAt: number;
  nonce: string;
}

export const WAIT_TOKEN_SECONDS = 24 * 3600;

const b64 = (s: string) => Buffer.from(s).toString('base64url');

/** `<payload>.<hmac>`, both base64url; the payload is `programId.issuedAt.nonce`. */
export function signWaitToken(key: Buffer, token: Omit<WaitToken, 'nonce'> & { nonce?: string }): string {
  const nonce = token.nonce ?? randomBytes(12).toString('base64url');
  const payload = b64(`${token.programId}.${token.issuedAt}.${nonce}`);
  const mac = createHmac('sha256', key).update(`wait:${payload}`).digest('base64url');
  return `${payload}.${mac}`;
}

/** The token's content when its signature is this instance's; undefined for anything else. */
export function readWaitToken(key: Buffer, token: string): WaitToken | undefined {
  if (token.length > 512) return undefined;
  const [payload, mac, extra] = token.split('.');
  if (!payload || !mac || extra !== undefined) return undefined;
  const expected = createHmac('sha256', key).update(`wait:${payload}`).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const [programId, issued, nonce, more] = Buffer.from(payload, 'base64url').toString().split('.');
  const issuedAt = Number(issued);
  if (!programId || !nonce || more !== undefined || !Number.isSafeInteger(issuedAt)) return undefined;
  return { programId, issuedAt, nonce };
}

/** A keyed hash of a client address: enough to count its submissions, useless to find it. */
export function addressTag(key: Buffer, address: string): string {
  return createHmac('sha256', key).update(`address:${address}`).digest('base64url').slice(0, 24);
}
