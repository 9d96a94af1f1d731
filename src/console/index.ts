import type { FastifyPluginAsync } from 'fastify';
import { registerConsoleRoutes } from './console-routes.js';

/** The staff console's files at /console, as a Fastify plugin (its static-file decorators stay inside). */
export const consolePlugin: FastifyPluginAsync<{ dir?: string }> = async (app, opts) => {
  registerConsoleRoutes(app, { dir: opts.dir });
};
