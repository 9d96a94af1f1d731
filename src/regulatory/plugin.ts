import type { FastifyPluginAsync } from 'fastify';
import { registerRegulatoryRoutes } from './regulatory-routes.js';

/** What the routes of this capability need from the composition root. */
export type RegulatoryRouteDeps = Parameters<typeof registerRegulatoryRoutes>[1];

/**
 * Regulatory duties: triggers, clocks, decisions, paste-ready reports, adverse events. Registered
 * with `app.register`, so any hook or decorator these routes add stays inside this plugin.
 */
export const regulatoryPlugin: FastifyPluginAsync<RegulatoryRouteDeps> = async (app, deps) => {
  registerRegulatoryRoutes(app, deps);
};
