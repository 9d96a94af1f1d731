import type { Kysely } from 'kysely';
import { auditor } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import { ConflictError, type FieldProblem, NotFoundError, newId, ValidationError } from '../core/index.js';
import { hashToken, newCapabilityToken, type Sealer } from '../crypto/index.js';
import type { Database, Db } from '../db/index.js';
import { emailTaken, insertUser, storedRoleOf, userByEmail } from './account-store.js';
import {
  countUsers,
  deleteSessionsOf,
  insertLink,
  linkByTokenHash,
  replaceRecoveryCodes,
  setCredentials,
  useLink,
  voidLinksOf,
} from './auth-store.js';
import { hashPassword, passwordProblems } from './passwords.js';
import { newRecoveryCodes } from './recovery-codes.js';
import type { SessionService } from './sessions.js';
import { checkTotp, newTotpSecret, otpauthUrl } from './totp.js';

/**
 * Setup and enrolment links. An instance without users offers a one-time **setup link** (24 h)
 * whose holder becomes the first instance administrator; `vigil user create` and
 * `vigil user enrol-link` give a user an **enrolment link** (7 days, a new one voids the old)
 * where they choose a password and set up TOTP. The link carries the TOTP secret it offers,
 * sealed, so every visit shows the same one until it is used. The token is in the URL fragment
 * (`/console/setup#<token>`), so it never reaches a server log; only its SHA-256 is stored.
 */

export const SETUP_LINK_HOURS = 24;
export const ENROLMENT_LINK_DAYS = 7;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const LINK_GONE = 'This setup link is unknown, already used or expired; ask an administrator for a new one.';

export function createEnrolmentService(deps: {
  db: Db;
  clock: Clock;
  sealer: Sealer;
  sessions: SessionService;
  publicUrl: string;
}) {
  const k: Kysely<Database> = deps.db.kysely;
  const { clock, sealer } = deps;
  const audit = auditor(clock);
  const host = new URL(deps.publicUrl).host;
  const linkUrl = (token: string) => `${deps.publicUrl}/console/setup#${token}`;

  async function newLink(trx: Kysely<Database>, userId: string | null, validMs: number) {
    const now = clock.now();
    const token = newCapabilityToken();
    const id = newId();
    const expiresAt = new Date(now.getTime() + validMs).toISOString();
    await insertLink(trx, {
      id,
      tokenHash: hashToken(token),
      userId,
      totpSealed: sealer.seal(newTotpSecret(), `enrolment:${id}:totp`),
      now: now.toISOString(),
      expiresAt,
    });
    return { url: linkUrl(token), token, expiresAt };
  }

  /** A live link by its token, or 404 for anything unknown, used or expired. */
  async function liveLink(token: string) {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new NotFoundError(LINK_GONE);
    const link = await linkByTokenHash(k, hashToken(token));
    if (!link || link.used_at !== null || clock.now().getTime() >= Date.parse(link.expires_at))
      throw new NotFoundError(LINK_GONE);
    if (link.user_id !== null && (link.email === null || Number(link.disabled) !== 0))
      throw new NotFoundError(LINK_GONE);
    if (link.user_id === null && (await countUsers(k)) > 0) throw new NotFoundError(LINK_GONE);
    const totpSecret = sealer
      .open(Buffer.from(link.totp_sealed), `enrolment:${link.id}:totp`)
      .toString('utf8');
    return { ...link, totpSecret };
  }

  return {
    /** Whether the instance still waits for its first administrator. */
    needsFirstAdmin: async () => (await countUsers(k)) === 0,

    /** A fresh first-admin setup link (24 h); refused once any user exists. */
    async setupLink(): Promise<{ url: string; expiresAt: string }> {
      return k.transaction().execute(async (trx) => {
        if ((await countUsers(trx)) > 0)
          throw new ConflictError(
            'This instance already has users, so there is no setup link; an administrator can give you an enrolment link (vigil user enrol-link --email …).',
          );
        const { url, expiresAt } = await newLink(trx, null, SETUP_LINK_HOURS * 3_600_000);
        return { url, expiresAt };
      });
    },

    /** A new enrolment link for an existing user (7 days); earlier unused links of the user stop working. */
    async enrolmentLink(
      email: string,
      actor: string,
    ): Promise<{ url: string; expiresAt: string; userId: string }> {
      const normal = email.trim().toLowerCase();
      return k.transaction().execute(async (trx) => {
        const user = await userByEmail(trx, normal);
        if (!user) throw new NotFoundError(`There is no user with the email ${email}.`);
        await voidLinksOf(trx, user.id, clock.now().toISOString());
        const { url, expiresAt } = await newLink(trx, user.id, ENROLMENT_LINK_DAYS * 86_400_000);
        await audit(trx, {
          actor,
          action: 'auth.enrol-link.created',
          detail: { userId: user.id, expiresAt },
        });
        return { url, expiresAt, userId: user.id };
      });
    },

    /** What a link offers: its kind, the user's email (enrolment) and the TOTP secret to set up. */
    async describe(token: string) {
      const link = await liveLink(token);
      const label = link.email ?? `admin@${host}`;
      return {
        kind: link.user_id === null ? ('first-admin' as const) : ('enrolment' as const),
        email: link.email,
        totpSecret: link.totpSecret,
        otpauthUrl: otpauthUrl(link.totpSecret, label),
      };
    },

    /**
     * Use a link: set the password and TOTP (and, for the first admin, create the user), issue
     * ten recovery codes and open a session — all in one transaction, or nothing. Every bad field
     * is reported at once.
     */
    async complete(
      token: string,
      input: { email?: string; name?: string; password: string; totpCode: string },
      ip: string | null,
    ) {
      const link = await liveLink(token);
      const firstAdmin = link.user_id === null;
      const problems: FieldProblem[] = [];
      const email = firstAdmin ? (input.email ?? '').trim().toLowerCase() : (link.email as string);
      if (firstAdmin && !EMAIL.test(email))
        problems.push({ path: 'email', message: 'expected an email address' });
      const name = (input.name ?? '').trim() || link.name || email;
      if (name.length > 200) problems.push({ path: 'name', message: 'must be at most 200 characters long' });
      problems.push(...passwordProblems(input.password));
      const step = await checkTotp(link.totpSecret, input.totpCode.replace(/\s+/g, ''), clock.now(), null);
      if (step === null)
        problems.push({
          path: 'totpCode',
          message:
            'is not the current code of the secret offered by this link; check the clock of your device',
        });
      if (problems.length) throw new ValidationError(problems);

      const passwordHash = await hashPassword(input.password);
      const now = clock.now().toISOString();
      return k.transaction().execute(async (trx) => {
        if (!(await useLink(trx, link.id, now))) throw new NotFoundError(LINK_GONE);
        let userId: string;
        if (firstAdmin) {
          if ((await countUsers(trx)) > 0) throw new NotFoundError(LINK_GONE);
          if (await emailTaken(trx, email))
            throw new ConflictError(`A user with the email ${email} already exists.`);
          userId = newId();
          await insertUser(trx, { id: userId, email, name, role: 'admin', now });
          await voidLinksOf(trx, null, now);
          await audit(trx, {
            actor: `user:${userId}`,
            action: 'user.created',
            detail: { userId, role: 'admin' },
          });
        } else {
          userId = link.user_id as string;
          // A new enrolment replaces the credentials: sessions opened with the old ones end.
          await deleteSessionsOf(trx, userId);
        }
        const sealedTotp = sealer.seal(link.totpSecret, `user:${userId}:totp`);
        await setCredentials(trx, userId, {
          name,
          passwordHash,
          totpSealed: sealedTotp,
          totpLastStep: step as number,
        });
        const { codes, rows } = newRecoveryCodes(userId);
        await replaceRecoveryCodes(trx, userId, rows, now);
        const session = await deps.sessions.open(trx, userId);
        await audit(trx, {
          actor: `user:${userId}/session:${session.id}`,
          action: firstAdmin ? 'auth.setup' : 'auth.enrolled',
          detail: { userId, linkId: link.id, sessionId: session.id, ip },
        });
        const role = await storedRoleOf(trx, userId);
        return {
          user: {
            id: userId,
            email,
            name,
            role: role === 'admin' ? ('admin' as const) : ('member' as const),
          },
          recoveryCodes: codes,
          sessionSecret: session.secret,
        };
      });
    },
  };
}

export type EnrolmentService = ReturnType<typeof createEnrolmentService>;
