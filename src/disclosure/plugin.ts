import type { FastifyPluginAsync } from 'fastify';
import { registerAdvisoryPortalRoutes } from './advisory-portal-routes.js';
import { registerAdvisoryRoutes } from './advisory-routes.js';
import { registerArtefactRoutes } from './artefacts-routes.js';
import { registerCsafProviderRoutes } from './csaf-provider-routes.js';
import { registerCustomerRoutes } from './customers-routes.js';
import { registerSharingRoutes } from './sharing-routes.js';

/** What the routes of this capability need from the composition root. */
export type DisclosureRouteDeps = Parameters<typeof registerAdvisoryRoutes>[1] &
  Parameters<typeof registerAdvisoryPortalRoutes>[1] &
  Parameters<typeof registerArtefactRoutes>[1] &
  Parameters<typeof registerCsafProviderRoutes>[1] &
  Parameters<typeof registerCustomerRoutes>[1] &
  Parameters<typeof registerSharingRoutes>[1];

/**
 * Disclosure: advisories and their public pages, artefacts, the CSAF provider, customers, sharing. Registered with `app.register`, so any hook or decorator these routes add stays inside
 * this plugin.
 */
export const disclosurePlugin: FastifyPluginAsync<DisclosureRouteDeps> = async (app, deps) => {
  registerAdvisoryRoutes(app, deps);
  registerAdvisoryPortalRoutes(app, deps);
  registerArtefactRoutes(app, deps);
  registerCsafProviderRoutes(app, deps);
  registerCustomerRoutes(app, deps);
  registerSharingRoutes(app, deps);
};
