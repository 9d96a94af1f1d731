import type { Translate } from '../../i18n/index.js';
import { html, type SafeHtml } from '../html.js';

export function errorPage(t: Translate, status: number, message: string): SafeHtml {
  return html`<section class="error-page"><h1>${status === 404 ? 'Not found' : status === 429 ? 'Please slow down' : status >= 500 ? 'Something went wrong' : 'This request could not be accepted'}</h1>
<p>${message}</p>
<p><a href="/">${t('site.title')}</a></p></section>`;
}
