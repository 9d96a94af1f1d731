import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Clock } from '../core/index.js';
import { newId, UnauthorizedError } from '../core/index.js';
import { hashToken } from '../crypto/index.js';
import type { Database, Db } from '../db/index.js';
import { listPrograms } from './account-store.js';
import type { StaffCaller } from './accounts.js';
import { CsrfError } from './auth-errors.js';
import {
  deleteExpiredSessions,
  deleteSession,
  insertSession,
  sessionBySecretHash,
  touchSession,
} from './auth-store.js';
import { listMemberships } from './membership-store.js';
import type { Duty, Role } from './roles.js';

/**
 * Console sessions. The browser holds a 256-bit secret in the `vigil_session` cookie; the row
 * holds its SHA-256. A session ends at sign-out, after `idleMinutes` without a request, after
 * `maxHours` in any case, or when its user is disabled. The CSRF token is derived from the secret
 * with its own label, so it need not be stored and does not reveal the secret.
 */

export const SESSION_COOKIE = 'vigil_session';
export const PENDING_COOKIE = 'vigil_pending';

/** Methods that change something and so need the CSRF header in a session. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A request's last-seen time is written at most this often (activity within it counts anyway). */
const TOUCH_EVERY_MS = 60_000;

export const csrfTokenFor = (secret: string) =>
  createHash('sha256').update(`vigil-csrf\0${secret}`, 'utf8').digest('base64url');

/**
 * Whether `sent` is the session's CSRF token, in constant time: a byte-by-byte `!==` would let
 * response timing reveal how much of a guess is right. The length is no secret (every token is a
 * 43-character SHA-256 in base64url), so a different length is refused at once.
 */
export function csrfTokenMatches(secret: string, sent: string | undefined): boolean {
  if (sent === undefined) return false;
  const expected = Buffer.from(csrfTokenFor(secret), 'utf8');
  const given = Buffer.from(sent, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface SessionView {
  user: { id: string; email: string; name: string; role: 'admin' | 'member' };
  csrfToken: string;
  expiresAt: string;
  idleExpiresAt: string;
  memberships: { program: string; programName: string; role: Role; duties: Duty[] }[];
}

export interface SessionSettings {
  idleMinutes: number;
  maxHours: number;
}

export function createSessionService(deps: { db: Db; clock: Clock; settings: SessionSettings }) {
  const k = deps.db.kysely;
  const { clock } = deps;
  const idleMs = deps.settings.idleMinutes * 60_000;
  const maxMs = deps.settings.maxHours * 3_600_000;

  const idleEnd = (lastSeen: string, expiresAt: string) =>
    new Date(Math.min(Date.parse(lastSeen) + idleMs, Date.parse(expiresAt))).toISOString();

  /** Find a live session by its secret (ended ones are deleted on sight). */
  async function live(secret: string | undefined) {
    if (!secret || secret.length > 200) return undefined;
    const row = await sessionBySecretHash(k, hashToken(secret));
    if (!row) return undefined;
    const now = clock.now().getTime();
    if (now >= Date.parse(row.expires_at) || now >= Date.parse(row.last_seen_at) + idleMs) {
      await deleteSession(k, row.id);
      return undefined;
    }
    if (Number(row.disabled) !== 0) return undefined;
    return row;
  }

  return {
    settings: deps.settings,

    /** Open a session for the user inside the caller's transaction; the secret goes to the cookie. */
    async open(trx: Transaction<Database>, userId: string) {
      const now = clock.now();
      const secret = randomBytes(32).toString('base64url');
      const id = newId();
      const expiresAt = new Date(now.getTime() + maxMs).toISOString();
      await deleteExpiredSessions(trx, now.toISOString());
      await insertSession(trx, {
        id,
        userId,
        secretHash: hashToken(secret),
        now: now.toISOString(),
        expiresAt,
      });
      return { id, secret, expiresAt };
    },

    /**
     * The staff caller of a session cookie: 401 when it has ended, 403 `csrf` when a
     * state-changing request lacks the session's CSRF token. Each request keeps it alive.
     */
    async authenticate(
      secret: string | undefined,
      request: { method: string; csrf?: string },
    ): Promise<StaffCaller> {
      const row = await live(secret);
      if (!row || !secret)
        throw new UnauthorizedError('Your session has ended (signed out or timed out); sign in again.');
      if (!SAFE_METHODS.has(request.method.toUpperCase())) {
        if (!csrfTokenMatches(secret, request.csrf)) throw new CsrfError();
      }
      const now = clock.now();
      if (now.getTime() - Date.parse(row.last_seen_at) >= TOUCH_EVERY_MS) {
        await touchSession(k, row.id, now.toISOString());
      }
      return {
        userId: row.user_id,
        email: row.email,
        role: row.role === 'admin' ? 'admin' : 'member',
        tokenId: row.id,
        scope: 'read-write',
        tokenPrograms: null,
        via: 'session',
      };
    },

    /** What the console knows about its session (`GET /api/v1/auth/session`). */
    async view(secret: string): Promise<SessionView> {
      const row = await live(secret);
      if (!row)
        throw new UnauthorizedError('Your session has ended (signed out or timed out); sign in again.');
      const memberships = await listMemberships(k, row.user_id);
      const programs = await listPrograms(k);
      return {
        user: {
          id: row.user_id,
          email: row.email,
          name: row.name,
          role: row.role === 'admin' ? 'admin' : 'member',
        },
        csrfToken: csrfTokenFor(secret),
        expiresAt: row.expires_at,
        idleExpiresAt: idleEnd(row.last_seen_at, row.expires_at),
        memberships: programs.flatMap((p) => {
          const m = memberships.get(p.id);
          return m ? [{ program: p.slug, programName: p.name, role: m.role, duties: m.duties }] : [];
        }),
      };
    },

    /** Delete a session (sign-out). */
    end: (sessionId: string) => deleteSession(k, sessionId),
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
