import type { FastifyPluginAsync } from 'fastify';
import { registerPrivacyEscalationRoutes } from './escalation-routes.js';

/** What the routes of this capability need from the composition root. */
export type PrivacyEscalationRouteDeps = Parameters<typeof registerPrivacyEscalationRoutes>[1];

/**
 * Privacy escalations and reporters’ statements that they reached PHI. Registered with `app.register`, so any hook or decorator these routes add stays inside
 * this plugin.
 */
export const privacyEscalationPlugin: FastifyPluginAsync<PrivacyEscalationRouteDeps> = async (app, deps) => {
  registerPrivacyEscalationRoutes(app, deps);
};
