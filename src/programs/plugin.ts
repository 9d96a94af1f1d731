import type { FastifyPluginAsync } from 'fastify';
import { registerProgramRoutes } from './program-routes.js';

/** What the routes of this capability need from the composition root. */
export type ProgramsRouteDeps = Parameters<typeof registerProgramRoutes>[1];

/**
 * Programs: definitions and their forms, for the portal and the console. Registered with `app.register`, so any hook or decorator these routes add stays inside
 * this plugin.
 */
export const programsPlugin: FastifyPluginAsync<ProgramsRouteDeps> = async (app, deps) => {
  registerProgramRoutes(app, deps);
};
