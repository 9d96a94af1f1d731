import type { FastifyPluginAsync } from 'fastify';
import { registerKeyRoutes } from './key-routes.js';

/** What the routes of this capability need from the composition root. */
export type OpenpgpRouteDeps = Parameters<typeof registerKeyRoutes>[1];

/**
 * OpenPGP key publication: downloads and the Web Key Directory. Registered with `app.register`, so any hook or decorator these routes add stays inside
 * this plugin.
 */
export const openpgpPlugin: FastifyPluginAsync<OpenpgpRouteDeps> = async (app, deps) => {
  registerKeyRoutes(app, deps);
};
