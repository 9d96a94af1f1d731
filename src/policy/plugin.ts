import type { FastifyPluginAsync } from 'fastify';
import { registerPolicyAdminRoutes } from './policy-admin-routes.js';
import { registerPolicyRoutes } from './policy-routes.js';

/** What the routes of this capability need from the composition root. */
export type PolicyRouteDeps = Parameters<typeof registerPolicyRoutes>[1] &
  Parameters<typeof registerPolicyAdminRoutes>[1];

/**
 * Policy documents: the public pages and security.txt, and their governance. Registered with `app.register`, so any hook or decorator these routes add stays inside
 * this plugin.
 */
export const policyPlugin: FastifyPluginAsync<PolicyRouteDeps> = async (app, deps) => {
  registerPolicyRoutes(app, deps);
  registerPolicyAdminRoutes(app, deps);
};
