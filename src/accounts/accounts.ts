import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { auditor } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import {
  ConflictError,
  type FieldProblem,
  NotFoundError,
  newId,
  UnauthorizedError,
  ValidationError,
} from '../core/index.js';
import { hashToken } from '../crypto/index.js';
import type { Database, Db } from '../db/index.js';
import {
  apiTokenOwner,
  emailTaken,
  userByEmail as findUserByEmail,
  insertApiToken,
  insertUser,
  listApiTokens,
  listPrograms,
  listUsers,
  programIdsBySlug,
  revokeActiveToken,
  setUserDisabled,
  tokenByHash,
  touchApiToken,
} from './account-store.js';
import { deleteSessionsOf } from './auth-store.js';
import { deleteMembership, findMembership, listMemberships, upsertMembership } from './membership-store.js';
import {
  DUTIES,
  type Duty,
  type InstanceRole,
  isOneOf,
  ROLES,
  type Role,
  TOKEN_SCOPES,
  type TokenScope,
} from './roles.js';
import { createSessionService, type SessionSettings } from './sessions.js';

/**
 * Staff users, their program memberships and their API tokens, and the resolution of a request's
 * credential (bearer token or console session) to a caller. Who may do what is in
 * `permissions.ts`; interactive sign-in is in `sign-in.ts`, `enrolment.ts` and `passkeys.ts`.
 */

/** Who is calling: the identity every staff service takes as its first argument. */
export interface StaffCaller {
  userId: string;
  email: string;
  /** `admin`: every program; `member`: only the programs of its memberships (see permissions.ts). */
  role: InstanceRole;
  /** The API token's id, or the session's id for a console session. */
  tokenId: string;
  scope: TokenScope;
  /** Program ids the token is limited to; null = every program the user may see. */
  tokenPrograms: readonly string[] | null;
  /** How the caller proved who it is: an API token or a console session cookie. */
  via: 'token' | 'session';
}

/** Staff tokens carry a recognisable prefix so secret scanners can spot a leaked one. */
const TOKEN_PREFIX = 'vgl_';
/** How stale a token's "last used" may get before a request writes it again. */
const TOKEN_TOUCH_EVERY_MS = 60_000;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const normalEmail = (email: string) => email.trim().toLowerCase();

/**
 * The program ids a token is limited to. Anything but an array of strings fails closed (no
 * program) rather than open (every program).
 */
function parseTokenPrograms(text: string | null): string[] | null {
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  } catch {
    /* fall through */
  }
  return [];
}

/**
 * The account service: users, memberships (role and duties per program) and tokens. Every
 * change is audited in the transaction that makes it.
 */
export function createAccountService(deps: { db: Db; clock: Clock; session?: SessionSettings }) {
  const k: Kysely<Database> = deps.db.kysely;
  const { clock } = deps;
  const sessions = createSessionService({
    db: deps.db,
    clock,
    settings: deps.session ?? { idleMinutes: 30, maxHours: 12 },
  });
  const audit = auditor(clock);

  async function userByEmail(q: Kysely<Database>, email: string) {
    const user = await findUserByEmail(q, normalEmail(email));
    if (!user) throw new NotFoundError(`There is no user with the email ${email}.`);
    return user;
  }

  /** Problems with a role and duties given for a program, by field. */
  function grantProblems(role: string | undefined, duties: readonly string[]): FieldProblem[] {
    const problems: FieldProblem[] = [];
    if (role === undefined || !isOneOf(ROLES, role))
      problems.push({ path: 'role', message: `expected one of: ${ROLES.join(', ')}` });
    const unknown = duties.filter((d) => !isOneOf(DUTIES, d));
    if (unknown.length)
      problems.push({
        path: 'duties',
        message: `expected any of: ${DUTIES.join(', ')} (not ${unknown.join(', ')})`,
      });
    return problems;
  }

  async function grantInTrx(
    trx: Transaction<Database>,
    g: { userId: string; programId: string; role: Role; duties: Duty[] },
    actor: string,
  ) {
    const before = await findMembership(trx, g.userId, g.programId);
    await upsertMembership(trx, { ...g, now: clock.now().toISOString() });
    await audit(trx, {
      actor,
      action: 'member.granted',
      programId: g.programId,
      detail: {
        userId: g.userId,
        role: g.role,
        duties: g.duties,
        ...(before ? { previous: { role: before.role, duties: before.duties } } : {}),
      },
    });
  }

  async function revokeToken(tokenId: string, actor: string) {
    await k.transaction().execute(async (trx) => {
      if (!(await revokeActiveToken(trx, tokenId, clock.now().toISOString())))
        throw new NotFoundError(`There is no active token ${tokenId}.`);
      await audit(trx, { actor, action: 'token.revoked', detail: { tokenId } });
    });
  }

  return {
    /**
     * Create a staff user. `role: 'admin'` without a program makes an instance administrator;
     * any other role needs `program` (the user is created and granted that role there in one
     * go); without a role the user exists but sees nothing until granted.
     */
    async createUser(
      input: { email: string; name?: string; role?: string; program?: string; duties?: string[] },
      actor: string,
    ) {
      const email = normalEmail(input.email);
      const duties = input.duties ?? [];
      const problems: FieldProblem[] = [];
      if (!EMAIL.test(email)) problems.push({ path: 'email', message: 'expected an email address' });
      const programId = input.program
        ? (await programIdsBySlug(k, [input.program])).get(input.program)
        : undefined;
      if (input.program !== undefined) {
        problems.push(...grantProblems(input.role, duties));
        if (!programId) problems.push({ path: 'program', message: `there is no program "${input.program}"` });
      } else if (input.role !== undefined) {
        if (!isOneOf(ROLES, input.role))
          problems.push({ path: 'role', message: `expected one of: ${ROLES.join(', ')}` });
        else if (input.role !== 'admin')
          problems.push({
            path: 'program',
            message: `is required for the role ${input.role}: only admin is instance-wide`,
          });
        if (duties.length)
          problems.push({ path: 'duties', message: 'are held in a program: give --program' });
      }
      if (problems.length) throw new ValidationError(problems);

      const instanceRole: InstanceRole = input.role === 'admin' && !programId ? 'admin' : 'member';
      const id = newId();
      return k.transaction().execute(async (trx) => {
        if (await emailTaken(trx, email)) {
          throw new ConflictError(`A user with the email ${email} already exists.`);
        }
        await insertUser(trx, {
          id,
          email,
          name: input.name?.trim() || email,
          role: instanceRole,
          now: clock.now().toISOString(),
        });
        await audit(trx, { actor, action: 'user.created', detail: { userId: id, role: instanceRole } });
        if (programId) {
          await grantInTrx(
            trx,
            { userId: id, programId, role: input.role as Role, duties: duties as Duty[] },
            actor,
          );
        }
        return {
          id,
          email,
          role: instanceRole,
          membership: programId
            ? { program: input.program as string, role: input.role as Role, duties: duties as Duty[] }
            : null,
        };
      });
    },

    /**
     * Disable a user (every session ends now, every token stops answering, sign-in is refused as
     * for a wrong password) or enable it again. Memberships and tokens are kept, so enabling
     * restores exactly what the user had.
     */
    async setDisabled(userEmail: string, disabled: boolean, actor: string): Promise<{ changed: boolean }> {
      const user = await userByEmail(k, userEmail);
      return k.transaction().execute(async (trx) => {
        const changed = await setUserDisabled(trx, user.id, disabled);
        if (disabled) await deleteSessionsOf(trx, user.id);
        if (changed)
          await audit(trx, {
            actor,
            action: disabled ? 'user.disabled' : 'user.enabled',
            detail: { userId: user.id },
          });
        return { changed };
      });
    },

    listUsers: () => listUsers(k),

    /** Give a user a role (and duties) in a program, replacing any role it had there. */
    async grantRole(
      input: { userEmail: string; program: string; role: string; duties?: string[] },
      actor: string,
    ): Promise<{ userId: string; email: string; program: string; role: Role; duties: Duty[] }> {
      const duties = input.duties ?? [];
      const problems = grantProblems(input.role, duties);
      const programId = (await programIdsBySlug(k, [input.program])).get(input.program);
      if (!programId) problems.push({ path: 'program', message: `there is no program "${input.program}"` });
      if (problems.length) throw new ValidationError(problems);
      const user = await userByEmail(k, input.userEmail);
      const role = input.role as Role;
      const kept = DUTIES.filter((d) => duties.includes(d));
      await k
        .transaction()
        .execute((trx) =>
          grantInTrx(trx, { userId: user.id, programId: programId as string, role, duties: kept }, actor),
        );
      return { userId: user.id, email: user.email, program: input.program, role, duties: kept };
    },

    /** Take a user's membership of a program away; its next request sees nothing of the program. */
    async revokeRole(input: { userEmail: string; program: string }, actor: string): Promise<void> {
      const programId = (await programIdsBySlug(k, [input.program])).get(input.program);
      if (!programId)
        throw new ValidationError([{ path: 'program', message: `there is no program "${input.program}"` }]);
      const user = await userByEmail(k, input.userEmail);
      await k.transaction().execute(async (trx) => {
        const before = await findMembership(trx, user.id, programId);
        if (!before || !(await deleteMembership(trx, user.id, programId))) {
          throw new NotFoundError(`${user.email} is not a member of ${input.program}.`);
        }
        await audit(trx, {
          actor,
          action: 'member.revoked',
          programId,
          detail: { userId: user.id, role: before.role },
        });
      });
    },

    /** The user's memberships, by program slug. */
    async membershipsOf(userEmail: string): Promise<{ program: string; role: Role; duties: Duty[] }[]> {
      const user = await userByEmail(k, userEmail);
      const memberships = await listMemberships(k, user.id);
      const programs = await listPrograms(k);
      return programs.flatMap((p) => {
        const m = memberships.get(p.id);
        return m ? [{ program: p.slug, ...m }] : [];
      });
    },

    /**
     * Create an API token; the secret is returned once and stored only as a hash. `programs`
     * (slugs) limits it to those programs; the user must be an instance admin or a member of each.
     */
    async createToken(
      input: { userEmail: string; name?: string; scope: string; programs?: readonly string[] },
      actor: string,
    ) {
      const problems: FieldProblem[] = [];
      if (!isOneOf(TOKEN_SCOPES, input.scope))
        problems.push({ path: 'scope', message: `expected one of: ${TOKEN_SCOPES.join(', ')}` });
      const slugs = input.programs ? [...new Set(input.programs)] : undefined;
      if (slugs?.length === 0) problems.push({ path: 'programs', message: 'expected at least one program' });
      const ids = await programIdsBySlug(k, slugs ?? []);
      const unknown = (slugs ?? []).filter((s) => !ids.has(s));
      if (unknown.length)
        problems.push({
          path: 'programs',
          message: `there is no program ${unknown.map((s) => `"${s}"`).join(', ')}`,
        });
      if (problems.length) throw new ValidationError(problems);
      const user = await userByEmail(k, input.userEmail);
      if (slugs && user.role !== 'admin') {
        const memberships = await listMemberships(k, user.id);
        const outside = slugs.filter((s) => !memberships.has(ids.get(s) as string));
        // A token reaching further than its user would be silently useless there; say so now.
        if (outside.length)
          throw new ValidationError([
            { path: 'programs', message: `${user.email} is not a member of ${outside.join(', ')}` },
          ]);
      }
      const programIds = slugs ? slugs.map((s) => ids.get(s) as string) : null;
      const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const id = newId();
      await k.transaction().execute(async (trx) => {
        await insertApiToken(trx, {
          id,
          userId: user.id,
          name: input.name?.trim() || 'api token',
          tokenHash: hashToken(secret),
          scope: input.scope,
          programIds,
          now: clock.now().toISOString(),
        });
        await audit(trx, {
          actor,
          action: 'token.created',
          detail: { tokenId: id, userId: user.id, scope: input.scope, programIds },
        });
      });
      return { id, token: secret, scope: input.scope as TokenScope, programs: slugs ?? null };
    },

    revokeToken,

    /** Resolve a bearer token to its caller; anything else is the same 401. */
    async authenticate(secret: string | undefined): Promise<StaffCaller> {
      if (!secret?.startsWith(TOKEN_PREFIX) || secret.length > 200) throw new UnauthorizedError();
      const row = await tokenByHash(k, hashToken(secret));
      if (!row || row.revoked_at !== null || Number(row.disabled) !== 0) throw new UnauthorizedError();
      // "Last used" is kept to the minute, as a session's is: a write (and on SQLite an fsync) on
      // every API request was the largest pause an integrator's requests paid.
      const now = clock.now();
      const last = row.last_used_at ? Date.parse(String(row.last_used_at)) : Number.NaN;
      if (!(now.getTime() - last < TOKEN_TOUCH_EVERY_MS))
        await touchApiToken(k, row.tokenId, now.toISOString());
      return {
        userId: row.userId,
        email: row.email,
        // Roles stored before per-program membership (lead, handler, viewer) grant nothing now.
        role: row.role === 'admin' ? 'admin' : 'member',
        tokenId: row.tokenId,
        // An unknown scope is treated as the narrower one.
        scope: row.scope === 'read-write' ? 'read-write' : 'read',
        tokenPrograms: parseTokenPrograms(row.program_ids),
        via: 'token',
      };
    },

    /** Resolve a console session cookie to its caller (401 ended, 403 `csrf` without the token). */
    authenticateSession: sessions.authenticate,

    /** The console sessions: opened by sign-in and enrolment, described and ended by the auth routes. */
    sessions,

    /** API tokens of one user, or of everyone (`userId` null), newest first; never the secret. */
    async listTokens(userId: string | null) {
      const rows = await listApiTokens(k, userId);
      const slugs = new Map((await listPrograms(k)).map((p) => [p.id, p.slug]));
      return rows.map((r) => {
        const ids = parseTokenPrograms(r.program_ids);
        return {
          id: r.id,
          name: r.name,
          scope: (r.scope === 'read-write' ? 'read-write' : 'read') as TokenScope,
          programs: ids === null ? null : ids.map((id) => slugs.get(id) ?? id),
          createdAt: r.created_at,
          lastUsedAt: r.last_used_at,
          revokedAt: r.revoked_at,
          user: { id: r.userId, email: r.email },
        };
      });
    },

    /** Revoke a token as a caller: its own, or any for an instance admin; others' are 404. */
    async revokeTokenAs(caller: StaffCaller, tokenId: string) {
      const owner = await apiTokenOwner(k, tokenId);
      if (owner === undefined || (owner !== caller.userId && caller.role !== 'admin'))
        throw new NotFoundError(`There is no active token ${tokenId}.`);
      await revokeToken(tokenId, actorOf(caller));
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;

/** The audit actor string for a staff caller. */
export const actorOf = (c: StaffCaller) =>
  `user:${c.userId}/${c.via === 'session' ? 'session' : 'token'}:${c.tokenId}`;
