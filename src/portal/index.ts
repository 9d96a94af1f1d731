export { html, type SafeHtml } from './html.js';
export { renderMarkdown } from './markdown.js';
export { type PortalRouteDeps, portalPlugin } from './plugin.js';
export { renderPolicyMarkdown } from './policy-markdown.js';
export { renderErrorPage } from './portal-routes.js';
export { layout } from './views/layout.js';
