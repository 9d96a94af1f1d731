import type { FastifyPluginAsync } from 'fastify';
import { registerPrivacyQuarantineRoutes } from './quarantine-routes.js';

/** What the routes of this capability need from the composition root. */
export type PrivacyQuarantineRouteDeps = Parameters<typeof registerPrivacyQuarantineRoutes>[1];

/**
 * PHI quarantine: review, release and redaction. Registered with `app.register`, so any hook or decorator these routes add stays inside
 * this plugin.
 */
export const privacyQuarantinePlugin: FastifyPluginAsync<PrivacyQuarantineRouteDeps> = async (app, deps) => {
  registerPrivacyQuarantineRoutes(app, deps);
};
