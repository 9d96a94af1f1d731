import type { FastifyPluginAsync } from 'fastify';
import { registerCreditConsentRoutes } from './consent-routes.js';

/** What the routes of this capability need from the composition root. */
export type CreditConsentRouteDeps = Parameters<typeof registerCreditConsentRoutes>[1];

/**
 * Consent to public credit. Registered with `app.register`, so any hook or decorator these routes add stays inside
 * this plugin.
 */
export const creditConsentPlugin: FastifyPluginAsync<CreditConsentRouteDeps> = async (app, deps) => {
  registerCreditConsentRoutes(app, deps);
};
