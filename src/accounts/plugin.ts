import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config/index.js';
import { signInRateLimit } from '../http/index.js';
import { registerAuthRoutes } from './auth-routes.js';
import { registerMemberRoutes } from './member-routes.js';
import { warnOfUntrustedProxy } from './proxy-warning.js';
import { registerTokenRoutes } from './token-routes.js';

/** What the routes of this capability need from the composition root. */
export type AccountsRouteDeps = Parameters<typeof registerAuthRoutes>[1] &
  Parameters<typeof registerTokenRoutes>[1] &
  Parameters<typeof registerMemberRoutes>[1] & {
    config: Pick<Config, 'rateLimitPerMinute'>;
  };

/**
 * Staff accounts: sign-in and setup, API tokens, program members. Registered with `app.register`, so any hook or decorator these routes add stays inside
 * this plugin.
 */
export const accountsPlugin: FastifyPluginAsync<AccountsRouteDeps> = async (app, deps) => {
  // Sign-in throttling by address is only as good as the address: say so when it looks wrong.
  warnOfUntrustedProxy(app, deps.config);
  registerAuthRoutes(app, deps, signInRateLimit(deps.config));
  registerTokenRoutes(app, deps);
  registerMemberRoutes(app, deps);
};
