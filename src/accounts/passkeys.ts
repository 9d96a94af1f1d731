import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { auditor } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import { NotFoundError, newId, ValidationError } from '../core/index.js';
import type { Db } from '../db/index.js';
import { actorOf, type StaffCaller } from './accounts.js';
import {
  deletePasskey,
  insertPasskey,
  passkeyByCredential,
  passkeysOf,
  passkeyUsed,
  recoveryCodesLeft,
  replaceRecoveryCodes,
  setSessionChallenge,
  takeSessionChallenge,
  userById,
} from './auth-store.js';
import { newRecoveryCodes } from './recovery-codes.js';

/**
 * @simplewebauthn/server is loaded with the first passkey ceremony: it holds about 20 MiB of RSS,
 * and an instance serves reports long before anyone enrols or signs in with a passkey.
 */
let simpleWebAuthn: Promise<typeof import('@simplewebauthn/server')> | undefined;
const webauthn = () => {
  simpleWebAuthn ??= import('@simplewebauthn/server');
  return simpleWebAuthn;
};

/**
 * Passkeys (WebAuthn) and the other second factors of a signed-in user. The relying party is the
 * host of the public URL (`rpID`; WebAuthn refuses IP addresses, so local tests use `localhost`)
 * and responses must come from its origin. A challenge is kept on the session (registration) or
 * on the pending sign-in (authentication) and can be answered once.
 */

const TRANSPORTS: readonly AuthenticatorTransportFuture[] = [
  'ble',
  'cable',
  'hybrid',
  'internal',
  'nfc',
  'smart-card',
  'usb',
];

function parseTransports(text: string): AuthenticatorTransportFuture[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? TRANSPORTS.filter((t) => v.includes(t)) : [];
  } catch {
    return [];
  }
}

export function createPasskeyService(deps: { db: Db; clock: Clock; publicUrl: string }) {
  const k = deps.db.kysely;
  const { clock } = deps;
  const url = new URL(deps.publicUrl);
  const rpID = url.hostname;
  const origin = url.origin;
  const audit = auditor(clock);

  return {
    rpID,
    origin,

    /** The user's second factors as the console shows them. */
    async factors(caller: StaffCaller) {
      const user = await userById(k, caller.userId);
      const keys = await passkeysOf(k, caller.userId);
      return {
        totp: Boolean(user?.totp_sealed),
        passkeys: keys.map((p) => ({
          id: p.id,
          name: p.name,
          createdAt: p.created_at,
          lastUsedAt: p.last_used_at,
        })),
        recoveryCodesLeft: await recoveryCodesLeft(k, caller.userId),
      };
    },

    /** Options for `navigator.credentials.create()`; the challenge is kept on the session. */
    async registrationOptions(caller: StaffCaller) {
      const user = await userById(k, caller.userId);
      if (!user) throw new NotFoundError('There is no such user.');
      const existing = await passkeysOf(k, caller.userId);
      const { generateRegistrationOptions } = await webauthn();
      const options = await generateRegistrationOptions({
        rpName: 'Vigil',
        rpID,
        userName: user.email,
        userDisplayName: user.name,
        userID: new TextEncoder().encode(user.id),
        attestationType: 'none',
        excludeCredentials: existing.map((p) => ({
          id: p.credential_id,
          transports: parseTransports(p.transports),
        })),
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      });
      await setSessionChallenge(k, caller.tokenId, options.challenge);
      return options;
    },

    /** Verify the authenticator's answer to the session's challenge and keep the passkey. */
    async register(caller: StaffCaller, input: { name: string; response: RegistrationResponseJSON }) {
      const name = input.name.trim();
      if (!name) throw new ValidationError([{ path: 'name', message: 'must not be empty' }]);
      return k.transaction().execute(async (trx) => {
        const challenge = await takeSessionChallenge(trx, caller.tokenId);
        if (!challenge)
          throw new ValidationError([
            { path: 'response', message: 'no passkey registration is in progress; ask for options first' },
          ]);
        let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
        try {
          const { verifyRegistrationResponse } = await webauthn();
          verified = await verifyRegistrationResponse({
            response: input.response,
            expectedChallenge: challenge,
            expectedOrigin: origin,
            expectedRPID: rpID,
            requireUserVerification: false,
          });
        } catch (err) {
          throw new ValidationError([
            { path: 'response', message: `is not a valid passkey registration: ${(err as Error).message}` },
          ]);
        }
        if (!verified.verified)
          throw new ValidationError([
            { path: 'response', message: 'the passkey registration did not verify' },
          ]);
        const cred = verified.registrationInfo.credential;
        const id = newId();
        await insertPasskey(trx, {
          id,
          userId: caller.userId,
          credentialId: cred.id,
          publicKey: Buffer.from(cred.publicKey),
          counter: cred.counter,
          transports: cred.transports ?? input.response.response.transports ?? [],
          name: name.slice(0, 100),
          now: clock.now().toISOString(),
        });
        await audit(trx, {
          actor: actorOf(caller),
          action: 'auth.passkey.added',
          detail: { userId: caller.userId, passkeyId: id },
        });
        return { id, name: name.slice(0, 100) };
      });
    },

    async remove(caller: StaffCaller, passkeyId: string) {
      await k.transaction().execute(async (trx) => {
        if (!(await deletePasskey(trx, caller.userId, passkeyId)))
          throw new NotFoundError(`You have no passkey ${passkeyId}.`);
        await audit(trx, {
          actor: actorOf(caller),
          action: 'auth.passkey.removed',
          detail: { userId: caller.userId, passkeyId },
        });
      });
    },

    /** A new set of ten recovery codes, replacing the old set (shown once). */
    async replaceRecoveryCodes(caller: StaffCaller) {
      const { codes, rows } = newRecoveryCodes(caller.userId);
      await k.transaction().execute(async (trx) => {
        await replaceRecoveryCodes(trx, caller.userId, rows, clock.now().toISOString());
        await audit(trx, {
          actor: actorOf(caller),
          action: 'auth.recovery-codes.replaced',
          detail: { userId: caller.userId, count: codes.length },
        });
      });
      return codes;
    },

    /** Options for `navigator.credentials.get()` naming the user's passkeys. */
    async authenticationOptions(userId: string) {
      const keys = await passkeysOf(k, userId);
      const { generateAuthenticationOptions } = await webauthn();
      return generateAuthenticationOptions({
        rpID,
        allowCredentials: keys.map((p) => ({
          id: p.credential_id,
          transports: parseTransports(p.transports),
        })),
        userVerification: 'preferred',
      });
    },

    /**
     * Check a sign-in assertion against the challenge: the passkey id when it verifies, null when
     * it does not; a response that cannot be read at all is a 400 naming `response`.
     */
    async verifyAuthentication(
      userId: string,
      challenge: string,
      response: AuthenticationResponseJSON,
    ): Promise<{ passkeyId: string; counter: number } | null> {
      const key = await passkeyByCredential(k, userId, response.id);
      if (!key) return null;
      let result: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
      try {
        const { verifyAuthenticationResponse } = await webauthn();
        result = await verifyAuthenticationResponse({
          response,
          expectedChallenge: challenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          credential: {
            id: key.credential_id,
            publicKey: new Uint8Array(key.public_key),
            counter: Number(key.counter),
            transports: parseTransports(key.transports),
          },
          requireUserVerification: false,
        });
      } catch (err) {
        throw new ValidationError([
          { path: 'response', message: `is not a valid passkey assertion: ${(err as Error).message}` },
        ]);
      }
      return result.verified ? { passkeyId: key.id, counter: result.authenticationInfo.newCounter } : null;
    },

    /** Record a passkey's use (inside the sign-in's transaction). */
    used: (trx: typeof k, passkeyId: string, counter: number) =>
      passkeyUsed(trx, passkeyId, counter, clock.now().toISOString()),
  };
}

export type PasskeyService = ReturnType<typeof createPasskeyService>;
