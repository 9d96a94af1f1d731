import { randomBytes } from 'node:crypto';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Kysely, Transaction } from 'kysely';
import { auditor } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import { newId } from '../core/index.js';
import { hashToken, type Sealer } from '../crypto/index.js';
import type { Database, Db } from '../db/index.js';
import { enqueueMail } from '../jobs/index.js';
import { actorOf, type StaffCaller } from './accounts.js';
import {
  InvalidCodeError,
  InvalidCredentialsError,
  SignInExpiredError,
  ThrottledError,
} from './auth-errors.js';
import {
  acceptTotpStep,
  clearPairFailures,
  deleteFailuresBefore,
  deletePending,
  deleteSession,
  failureAddressesSince,
  failuresSince,
  insertPending,
  passkeysOf,
  pendingBySecretHash,
  recordFailure,
  setPendingChallenge,
  spendRecoveryCode,
  userById,
  userForSignIn,
} from './auth-store.js';
import { accountLockedMails } from './lockout-notice.js';
import type { PasskeyService } from './passkeys.js';
import { checkPassword } from './passwords.js';
import { enabledInstanceAdminEmails } from './recipients-store.js';
import { recoveryCodeHash } from './recovery-codes.js';
import type { SessionService } from './sessions.js';
import { assertNotThrottled, countedSince, engagesAccountLock, WINDOW_MS } from './throttle.js';
import { checkTotp } from './totp.js';

/**
 * Interactive sign-in: email and password first (answered with a 5-minute pending sign-in held in
 * the `vigil_pending` cookie), then one second factor — a TOTP code, a passkey or a recovery
 * code — which opens a session. Every failure counts towards the throttles (`throttle.ts`): of
 * the account from the address, of the account, and of the address; every sign-in, failure,
 * throttle and sign-out is audited, never with the password or a code. The failure that locks an
 * account for everyone is audited as such and mailed to its owner and the instance admins.
 */

export const PENDING_MINUTES = 5;

export type SecondFactorMethod = 'totp' | 'recovery-code' | 'passkey';

export function createSignInService(deps: {
  db: Db;
  clock: Clock;
  sealer: Sealer;
  sessions: SessionService;
  passkeys: PasskeyService;
  publicUrl: string;
}) {
  const k: Kysely<Database> = deps.db.kysely;
  const { clock, sealer, sessions } = deps;
  const audit = auditor(clock);
  const normalEmail = (email: string) => email.trim().toLowerCase();

  /**
   * Count a failure and audit it; the caller then throws its refusal. When this failure locks
   * the account for everyone, the lock is audited and the owner and admins are mailed, in the
   * same transaction as the failure that caused it.
   */
  async function fail(who: {
    account: string | null;
    ip: string | null;
    userId: string | null;
    step: string;
  }) {
    const now = clock.now();
    await k.transaction().execute(async (trx) => {
      await recordFailure(trx, { id: newId(), account: who.account, ip: who.ip, at: now.toISOString() });
      await audit(trx, {
        actor: who.userId ? `user:${who.userId}` : 'anonymous',
        action: 'auth.failure',
        detail: { userId: who.userId, step: who.step, ip: who.ip },
      });
      if (who.account === null) return;
      const since = countedSince(now);
      if (!engagesAccountLock(await failuresSince(trx, { account: who.account }, since))) return;
      await announceAccountLock(trx, who.account, since, now);
    });
  }

  async function announceAccountLock(trx: Transaction<Database>, account: string, since: string, now: Date) {
    const user = await userForSignIn(trx, account);
    const owner = user && Number(user.disabled) === 0 ? user.email : null;
    const addresses = await failureAddressesSince(trx, account, since, 200);
    const until = new Date(now.getTime() + WINDOW_MS);
    // Only a real user's lock is mailed: guesses at made-up emails must not fill the admins' inbox.
    const mails =
      user === undefined
        ? []
        : accountLockedMails({
            owner,
            account,
            admins: await enabledInstanceAdminEmails(trx),
            addresses,
            until,
            publicUrl: deps.publicUrl,
          });
    for (const mail of mails) await enqueueMail(trx, sealer, mail, { now });
    await audit(trx, {
      actor: 'system:throttle',
      action: 'auth.account-locked',
      detail: {
        userId: user?.id ?? null,
        until: until.toISOString(),
        addresses: addresses.length,
        notified: mails.length,
      },
    });
  }

  /** Refuse a locked account or address, auditing the refusal. */
  async function guard(who: {
    account: string | null;
    ip: string | null;
    userId: string | null;
    step: string;
  }) {
    try {
      await assertNotThrottled(k, clock, who);
    } catch (err) {
      if (err instanceof ThrottledError) {
        await k.transaction().execute((trx) =>
          audit(trx, {
            actor: who.userId ? `user:${who.userId}` : 'anonymous',
            action: 'auth.throttled',
            detail: { userId: who.userId, step: who.step, ip: who.ip, by: err.by },
          }),
        );
      }
      throw err;
    }
  }

  /** The pending sign-in of a `vigil_pending` cookie with its user, or 401. */
  async function pending(secret: string | undefined) {
    if (!secret || secret.length > 200) throw new SignInExpiredError();
    const row = await pendingBySecretHash(k, hashToken(secret));
    if (!row || clock.now().getTime() >= Date.parse(row.expires_at)) throw new SignInExpiredError();
    const user = await userById(k, row.user_id);
    if (!user || Number(user.disabled) !== 0) throw new SignInExpiredError();
    return { row, user };
  }

  /**
   * Finish a sign-in: the pending row is consumed, the account's failures cleared, a session
   * opened and the sign-in audited — in one transaction, together with `also` (spending the
   * code). Returns the session's secret for the cookie.
   */
  async function finish(
    p: { row: { id: string }; user: { id: string; email: string } },
    method: SecondFactorMethod,
    ip: string | null,
    also: (trx: Transaction<Database>) => Promise<boolean>,
  ): Promise<{ secret: string; sessionId: string }> {
    const result = await k.transaction().execute(async (trx) => {
      if (!(await deletePending(trx, p.row.id))) throw new SignInExpiredError();
      if (!(await also(trx))) return null;
      await clearPairFailures(trx, p.user.email, ip);
      const s = await sessions.open(trx, p.user.id);
      await audit(trx, {
        actor: `user:${p.user.id}/session:${s.id}`,
        action: 'auth.sign-in',
        detail: { userId: p.user.id, sessionId: s.id, method, ip },
      });
      return { secret: s.secret, sessionId: s.id };
    });
    if (!result) {
      await fail({ account: p.user.email, ip, userId: p.user.id, step: method });
      throw new InvalidCodeError();
    }
    return result;
  }

  return {
    /**
     * Check email and password. Unknown email, wrong password, a disabled or not yet enrolled
     * user: the same 401 after the same argon2 work.
     */
    async password(input: { email: string; password: string; ip: string | null }) {
      const account = normalEmail(input.email).slice(0, 320);
      const user = await userForSignIn(k, account);
      const who = { account, ip: input.ip, userId: user?.id ?? null, step: 'password' };
      await guard(who);
      const ok = await checkPassword(user?.password_hash, input.password);
      if (!ok || !user || Number(user.disabled) !== 0 || !user.password_hash) {
        await fail(who);
        throw new InvalidCredentialsError();
      }
      const now = clock.now();
      const secret = randomBytes(32).toString('base64url');
      await insertPending(k, {
        id: newId(),
        userId: user.id,
        secretHash: hashToken(secret),
        now: now.toISOString(),
        expiresAt: new Date(now.getTime() + PENDING_MINUTES * 60_000).toISOString(),
      });
      // Housekeeping: failures older than any window that still matters.
      await deleteFailuresBefore(k, new Date(now.getTime() - 2 * WINDOW_MS).toISOString());
      const keys = await passkeysOf(k, user.id);
      return {
        pendingSecret: secret,
        secondFactor: {
          totp: user.totp_sealed !== null,
          passkey: keys.length > 0,
          recoveryCode: true as const,
        },
      };
    },

    /** Second factor: a TOTP code, accepted once (its time step must be later than the last). */
    async totp(input: { pendingSecret: string | undefined; code: string; ip: string | null }) {
      const p = await pending(input.pendingSecret);
      const who = { account: p.user.email, ip: input.ip, userId: p.user.id, step: 'totp' };
      await guard(who);
      const secret = p.user.totp_sealed
        ? sealer.open(Buffer.from(p.user.totp_sealed), `user:${p.user.id}:totp`).toString('utf8')
        : null;
      const code = input.code.replace(/\s+/g, '');
      const step = secret ? await checkTotp(secret, code, clock.now(), p.user.totp_last_step) : null;
      if (step === null) {
        await fail(who);
        throw new InvalidCodeError();
      }
      return finish(p, 'totp', input.ip, (trx) => acceptTotpStep(trx, p.user.id, step));
    },

    /** Second factor: a recovery code, spent by this sign-in. */
    async recovery(input: { pendingSecret: string | undefined; code: string; ip: string | null }) {
      const p = await pending(input.pendingSecret);
      await guard({ account: p.user.email, ip: input.ip, userId: p.user.id, step: 'recovery-code' });
      const hash = recoveryCodeHash(p.user.id, input.code);
      return finish(p, 'recovery-code', input.ip, (trx) =>
        spendRecoveryCode(trx, p.user.id, hash, clock.now().toISOString()),
      );
    },

    /** WebAuthn request options for the pending user; the challenge is kept on the pending row. */
    async passkeyOptions(input: { pendingSecret: string | undefined }) {
      const p = await pending(input.pendingSecret);
      const options = await deps.passkeys.authenticationOptions(p.user.id);
      await setPendingChallenge(k, p.row.id, options.challenge);
      return options;
    },

    /** Second factor: a passkey assertion answering the pending challenge. */
    async passkey(input: {
      pendingSecret: string | undefined;
      response: AuthenticationResponseJSON;
      ip: string | null;
    }) {
      const p = await pending(input.pendingSecret);
      const who = { account: p.user.email, ip: input.ip, userId: p.user.id, step: 'passkey' };
      await guard(who);
      if (!p.row.challenge)
        throw new InvalidCodeError('Ask for passkey options first, then answer their challenge.');
      let verified: Awaited<ReturnType<PasskeyService['verifyAuthentication']>>;
      try {
        verified = await deps.passkeys.verifyAuthentication(p.user.id, p.row.challenge, input.response);
      } catch (err) {
        await fail(who);
        throw err;
      }
      if (!verified) {
        await fail(who);
        throw new InvalidCodeError('This passkey is not registered for your account or did not verify.');
      }
      const v = verified;
      return finish(p, 'passkey', input.ip, async (trx) => {
        await deps.passkeys.used(trx, v.passkeyId, v.counter);
        return true;
      });
    },

    /** End the caller's session (console sessions only; a token has nothing to sign out of). */
    async signOut(caller: StaffCaller) {
      await k.transaction().execute(async (trx) => {
        await deleteSession(trx, caller.tokenId);
        await audit(trx, {
          actor: actorOf(caller),
          action: 'auth.sign-out',
          detail: { userId: caller.userId, sessionId: caller.tokenId },
        });
      });
    },
  };
}

export type SignInService = ReturnType<typeof createSignInService>;
