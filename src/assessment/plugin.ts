import type { FastifyPluginAsync } from 'fastify';
import { registerAssessmentRoutes } from './assessment-routes.js';

/** What the routes of this capability need from the composition root. */
export type AssessmentRouteDeps = Parameters<typeof registerAssessmentRoutes>[1];

/**
 * A case's risk assessment. Registered with `app.register`, so any hook or decorator these routes add stays inside
 * this plugin.
 */
export const assessmentPlugin: FastifyPluginAsync<AssessmentRouteDeps> = async (app, deps) => {
  registerAssessmentRoutes(app, deps);
};
