import type { FastifyRequest } from 'fastify';
import type { AccountService, StaffCaller } from '../accounts/index.js';

/** The staff caller behind a request's bearer token; 401 without a valid one. */
export function staffCaller(
  accounts: Pick<AccountService, 'authenticate'>,
  request: FastifyRequest,
): Promise<StaffCaller> {
  const header = request.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return accounts.authenticate(m?.[1]);
}
