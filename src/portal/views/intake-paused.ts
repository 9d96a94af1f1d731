import type { Translate } from '../../i18n/index.js';
import type { IntakePause } from '../../intake/index.js';
import type { Program } from '../../programs/index.js';
import { html, type SafeHtml } from '../html.js';

/**
 * What the program page and the form show while the program's intake is paused: the program's
 * own message (plain text, as staff wrote it) and the reopening date, in place of the form.
 */
export function intakePausedNotice(t: Translate, program: Program, pause: IntakePause): SafeHtml {
  return html`<section class="notice paused" role="status" aria-labelledby="paused-h">
  <h2 id="paused-h">${t('paused.heading')}</h2>
  <p>${t('paused.body', { vendor: program.definition.vendor.name })}</p>
  <p class="paused-message">${pause.message}</p>
  <p>${pause.reopensOn ? t('paused.reopens', { date: pause.reopensOn }) : t('paused.noDate')}</p>
</section>`;
}
