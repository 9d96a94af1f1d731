export { type PortalRouteDeps, portalPlugin } from './plugin.js';
export { renderErrorPage } from './portal-routes.js';
