import { generateSecret, generateURI, verify } from 'otplib';

/**
 * TOTP as authenticator apps know it (RFC 6238): SHA-1, 6 digits, 30-second steps, base32
 * secrets of 20 bytes. A code is accepted within one step either side of the server's clock, and
 * only for a time step later than the last one accepted, so each code works once.
 */

export const TOTP_PERIOD = 30;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function otpauthUrl(secret: string, account: string): string {
  return generateURI({
    issuer: 'Vigil',
    label: account,
    secret,
    algorithm: 'sha1',
    digits: 6,
    period: TOTP_PERIOD,
  });
}

/**
 * The time step the code belongs to, or null when it is not valid now (±1 step) or belongs to a
 * step at or before `afterStep`.
 */
export async function checkTotp(
  secret: string,
  code: string,
  now: Date,
  afterStep: number | null,
): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const r = await verify({
      secret,
      token: code,
      algorithm: 'sha1',
      digits: 6,
      period: TOTP_PERIOD,
      epoch: Math.floor(now.getTime() / 1000),
      epochTolerance: TOTP_PERIOD,
      ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
    });
    return r.valid && 'timeStep' in r ? r.timeStep : null;
  } catch {
    return null;
  }
}

/** The current time step (what a fresh secret starts from: codes before it are never accepted). */
export const totpStep = (now: Date) => Math.floor(now.getTime() / 1000 / TOTP_PERIOD);
