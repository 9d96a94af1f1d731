import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../core/index.js';
import type { AccountService, StaffCaller } from './accounts.js';
import { SESSION_COOKIE } from './sessions.js';

/**
 * The staff caller of a request. A request with an `Authorization` header is judged by its bearer
 * token alone (a cookie beside it is ignored); otherwise by the `vigil_session` cookie of a
 * console session, whose state-changing requests must carry `X-CSRF-Token`. 401 without either.
 */
export async function staffCaller(
  accounts: Pick<AccountService, 'authenticate' | 'authenticateSession'>,
  request: FastifyRequest,
): Promise<StaffCaller> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return accounts.authenticate(m?.[1]);
  }
  const session = request.cookies?.[SESSION_COOKIE];
  if (!session)
    throw new UnauthorizedError(
      'Sign in to the console, or send an API token as "Authorization: Bearer <token>".',
    );
  const csrf = request.headers['x-csrf-token'];
  return accounts.authenticateSession(session, {
    method: request.method,
    csrf: typeof csrf === 'string' ? csrf : undefined,
  });
}

/** A caller signed in to the console; an API token is refused with 403 (it cannot manage credentials). */
export async function sessionCaller(
  accounts: Pick<AccountService, 'authenticate' | 'authenticateSession'>,
  request: FastifyRequest,
): Promise<StaffCaller> {
  const caller = await staffCaller(accounts, request);
  if (caller.via !== 'session')
    throw new ForbiddenError(
      'API tokens cannot manage tokens or sign-in factors; sign in to the console to do this.',
    );
  return caller;
}
