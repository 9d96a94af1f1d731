import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config/index.js';
import { submissionRateLimit } from '../http/index.js';
import { registerPortalRoutes } from './portal-routes.js';

/** What the routes of this capability need from the composition root. */
export type PortalRouteDeps = Parameters<typeof registerPortalRoutes>[1] & {
  config: Pick<Config, 'rateLimitPerMinute'>;
};

/**
 * The public portal: program pages, the report form, the private case page. Registered with `app.register`, so any hook or decorator these routes add stays inside
 * this plugin.
 */
export const portalPlugin: FastifyPluginAsync<PortalRouteDeps> = async (app, deps) => {
  registerPortalRoutes(app, deps, submissionRateLimit(deps.config));
};
