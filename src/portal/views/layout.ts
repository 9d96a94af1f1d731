import type { Translate } from '../../i18n/index.js';
import { html, type SafeHtml } from '../html.js';

export interface PageOptions {
  t: Translate;
  lang: string;
  title: string;
  body: SafeHtml;
  /** Crumbs shown in the header, e.g. the program name. */
  crumbs?: { href: string; label: string }[];
  /** Pages behind a capability link must not leak it through Referer or caches. */
  private?: boolean;
  /**
   * Module scripts of this origin (`/assets/…`) that enhance the page. Every page works without
   * them, and the CSP allows no inline script, so this is the only way a script gets in.
   */
  scripts?: string[];
}

/** The portal's page shell: no inline scripts, no external resources, one stylesheet. */
export function layout(o: PageOptions): SafeHtml {
  return html`<!doctype html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
${o.private ? html`<meta name="robots" content="noindex, nofollow">` : ''}
<title>${o.title} · ${o.t('site.title')}</title>
<link rel="stylesheet" href="/assets/portal.css">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
${(o.scripts ?? []).map((src) => html`<script type="module" src="${src}"></script>`)}
</head>
<body>
<a class="skip" href="#main">${o.t('site.skip')}</a>
<header class="site">
  <div class="wrap">
    <a class="brand" href="/"><img src="/assets/favicon.svg" alt="" width="24" height="24"> <span>${o.t('site.title')}</span></a>
    <span class="tagline">${o.t('site.tagline')}</span>
    ${o.crumbs?.length ? html`<nav aria-label="Breadcrumb" class="crumbs">${o.crumbs.map((c) => html`<a href="${c.href}">${c.label}</a>`)}</nav>` : ''}
  </div>
</header>
<main id="main" class="wrap">
${o.body}
</main>
<footer class="site"><div class="wrap">${o.t('site.footer')} · <a href="/.well-known/security.txt">security.txt</a></div></footer>
</body>
</html>`;
}
