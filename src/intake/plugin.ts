import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config/index.js';
import { submissionRateLimit } from '../http/index.js';
import { registerIntakeRoutes } from './intake-routes.js';

/** What the routes of this capability need from the composition root. */
export type IntakeRouteDeps = Parameters<typeof registerIntakeRoutes>[1] & {
  config: Pick<Config, 'rateLimitPerMinute'>;
};

/**
 * Report intake through the JSON API. Registered with `app.register`, so any hook or decorator these routes add stays inside
 * this plugin.
 */
export const intakePlugin: FastifyPluginAsync<IntakeRouteDeps> = async (app, deps) => {
  registerIntakeRoutes(app, deps, submissionRateLimit(deps.config));
};
