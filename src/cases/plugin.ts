import type { FastifyPluginAsync } from 'fastify';
import { registerCaseExportRoutes } from './case-export-routes.js';
import { registerCaseRoutes } from './case-routes.js';
import { registerSimilarRoutes } from './similar-routes.js';
import { registerTriageRoutes } from './triage-routes.js';
import { registerWorkflowRoutes } from './workflow-routes.js';

/** What the routes of this capability need from the composition root. */
export type CasesRouteDeps = Parameters<typeof registerCaseRoutes>[1] &
  Parameters<typeof registerCaseExportRoutes>[1] &
  Parameters<typeof registerWorkflowRoutes>[1] &
  Parameters<typeof registerSimilarRoutes>[1] &
  Parameters<typeof registerTriageRoutes>[1];

/**
 * Cases: the queue, a case and its export, the workflow, bulk triage, similar cases. Registered with `app.register`, so any hook or decorator these routes add stays inside
 * this plugin.
 */
export const casesPlugin: FastifyPluginAsync<CasesRouteDeps> = async (app, deps) => {
  registerCaseRoutes(app, deps);
  registerCaseExportRoutes(app, deps);
  registerWorkflowRoutes(app, deps);
  registerSimilarRoutes(app, deps);
  registerTriageRoutes(app, deps);
};
