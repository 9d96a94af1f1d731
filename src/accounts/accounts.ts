import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/index.js';
import type { Clock } from '../core/clock.js';
import { ConflictError, NotFoundError, UnauthorizedError, ValidationError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { hashToken } from '../crypto/index.js';
import type { Database, Db } from '../db/index.js';

/**
 * Staff users and their API tokens. Per-program roles and interactive sign-in come with the
 * staff console; for now a user's role applies to every program of the instance.
 */

export const ROLES = ['admin', 'lead', 'handler', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const TOKEN_SCOPES = ['read', 'read-write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Who is calling: the identity every staff service takes as its first argument. */
export interface StaffCaller {
  userId: string;
  email: string;
  role: Role;
  tokenId: string;
  scope: TokenScope;
}

/** Staff tokens carry a recognisable prefix so secret scanners can spot a leaked one. */
const TOKEN_PREFIX = 'vgl_';

export function createAccountService(deps: { db: Db; clock: Clock }) {
  const k: Kysely<Database> = deps.db.kysely;
  const { clock } = deps;

  return {
    async createUser(input: { email: string; name?: string; role: string }, actor: string) {
      const problems = [];
      const email = input.email.trim().toLowerCase();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
        problems.push({ path: 'email', message: 'expected an email address' });
      if (!(ROLES as readonly string[]).includes(input.role)) {
        problems.push({ path: 'role', message: `expected one of: ${ROLES.join(', ')}` });
      }
      if (problems.length) throw new ValidationError(problems);
      const id = newId();
      return k.transaction().execute(async (trx) => {
        if (await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) {
          throw new ConflictError(`A user with the email ${email} already exists.`);
        }
        await trx
          .insertInto('users')
          .values({
            id,
            email,
            name: input.name?.trim() || email,
            role: input.role,
            disabled: 0,
            created_at: clock.now().toISOString(),
          })
          .execute();
        await appendAudit(
          trx,
          { actor, action: 'user.created', detail: { userId: id, role: input.role } },
          clock.now(),
          deps.db.dialect,
        );
        return { id, email, role: input.role as Role };
      });
    },

    async listUsers() {
      return k
        .selectFrom('users')
        .select(['id', 'email', 'name', 'role', 'disabled', 'created_at'])
        .orderBy('email')
        .execute();
    },

    /** Create an API token; the secret is returned once and stored only as a hash. */
    async createToken(input: { userEmail: string; name?: string; scope: string }, actor: string) {
      if (!(TOKEN_SCOPES as readonly string[]).includes(input.scope)) {
        throw new ValidationError([
          { path: 'scope', message: `expected one of: ${TOKEN_SCOPES.join(', ')}` },
        ]);
      }
      const user = await k
        .selectFrom('users')
        .selectAll()
        .where('email', '=', input.userEmail.trim().toLowerCase())
        .executeTakeFirst();
      if (!user) throw new NotFoundError(`There is no user with the email ${input.userEmail}.`);
      const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const id = newId();
      await k.transaction().execute(async (trx) => {
        await trx
          .insertInto('api_tokens')
          .values({
            id,
            user_id: user.id,
            name: input.name?.trim() || 'api token',
            token_hash: hashToken(secret),
            scope: input.scope,
            created_at: clock.now().toISOString(),
            last_used_at: null,
            revoked_at: null,
          })
          .execute();
        await appendAudit(
          trx,
          { actor, action: 'token.created', detail: { tokenId: id, userId: user.id, scope: input.scope } },
          clock.now(),
          deps.db.dialect,
        );
      });
      return { id, token: secret, scope: input.scope as TokenScope };
    },

    async revokeToken(tokenId: string, actor: string) {
      await k.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('api_tokens')
          .set({ revoked_at: clock.now().toISOString() })
          .where('id', '=', tokenId)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw new NotFoundError(`There is no active token ${tokenId}.`);
        await appendAudit(
          trx,
          { actor, action: 'token.revoked', detail: { tokenId } },
          clock.now(),
          deps.db.dialect,
        );
      });
    },

    /** Resolve a bearer token to its caller; anything else is the same 401. */
    async authenticate(secret: string | undefined): Promise<StaffCaller> {
      if (!secret?.startsWith(TOKEN_PREFIX) || secret.length > 200) throw new UnauthorizedError();
      const row = await k
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .select([
          'api_tokens.id as tokenId',
          'api_tokens.scope',
          'api_tokens.revoked_at',
          'users.id as userId',
          'users.email',
          'users.role',
          'users.disabled',
        ])
        .where('api_tokens.token_hash', '=', hashToken(secret))
        .executeTakeFirst();
      if (!row || row.revoked_at !== null || Number(row.disabled) !== 0) throw new UnauthorizedError();
      await k
        .updateTable('api_tokens')
        .set({ last_used_at: clock.now().toISOString() })
        .where('id', '=', row.tokenId)
        .execute();
      return {
        userId: row.userId,
        email: row.email,
        role: row.role as Role,
        tokenId: row.tokenId,
        scope: row.scope as TokenScope,
      };
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;

/** The audit actor string for a staff caller. */
export const actorOf = (c: StaffCaller) => `user:${c.userId}/token:${c.tokenId}`;
