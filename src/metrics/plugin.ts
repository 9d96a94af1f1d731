import type { FastifyPluginAsync } from 'fastify';
import { registerMetricsRoutes } from './metrics-routes.js';

/** What the routes of this capability need from the composition root. */
export type MetricsRouteDeps = Parameters<typeof registerMetricsRoutes>[1];

/**
 * Program metrics and their exports. Registered with `app.register`, so any hook or decorator these routes add stays inside
 * this plugin.
 */
export const metricsPlugin: FastifyPluginAsync<MetricsRouteDeps> = async (app, deps) => {
  registerMetricsRoutes(app, deps);
};
