import type { Translate } from '../../i18n/index.js';
import { type PublishedKeyRecord, publishedKeyPath } from '../../openpgp/index.js';
import { CLOCKS, type Program } from '../../programs/index.js';
import { html, type SafeHtml } from '../html.js';
import { renderMarkdown, renderMarkdownInline } from '../markdown.js';
import { describeRule } from './format.js';

/** The list of programs on the portal's front page. */
export function programIndex(t: Translate, programs: Program[]): SafeHtml {
  const listed = programs.filter((p) => p.definition.policy.visibility === 'public');
  return html`
<h1>${t('index.heading')}</h1>
<p class="lead">${t('index.lead')}</p>
<p><a href="/advisories">${t('advisories.heading')}</a></p>
${
  listed.length === 0
    ? html`<p>${t('index.none')}</p>`
    : html`<ul class="cards">${listed.map(
        (p) => html`<li class="card">
  <h2><a href="/p/${p.slug}">${p.definition.name}</a></h2>
  <p class="muted">${p.definition.vendor.name}</p>
  <div class="prose">${renderMarkdown(firstParagraph(p.definition.policy.summary))}</div>
  <p class="meta"><span class="pill">${t('index.ack', { duration: describeRule(t, p.definition.deadlines.acknowledge) })}</span>
  ${p.definition.scope.products.length} ${p.definition.scope.products.length === 1 ? 'product' : 'products'}</p>
  <p><a class="button" href="/p/${p.slug}/report">${t('program.report')}</a></p>
</li>`,
      )}</ul>`
}`;
}

function firstParagraph(text: string): string {
  return text.split(/\n\s*\n/)[0] ?? text;
}

/** An OpenPGP fingerprint in groups of four hex digits, the way people compare them by eye. */
export function formatFingerprint(fingerprint: string): string {
  return fingerprint.replace(/(.{4})/g, '$1 ').trim();
}

/** A day of a key's life, as `2026-12-08` (keys are compared by day, not by the minute). */
const keyDay = (iso: string | null) => (iso ? html`<time datetime="${iso}">${iso.slice(0, 10)}</time>` : '—');

/**
 * Every key the program has published, newest first, each downloadable by fingerprint: a reader
 * checking an advisory signed before a rotation finds the key that signed it here. Shown once the
 * program has replaced a key (a single current key is already shown above it).
 */
function keyHistoryTable(t: Translate, program: Program, keys: PublishedKeyRecord[]): SafeHtml | '' {
  if (!keys.some((k) => k.state !== 'current')) return '';
  return html`<section aria-labelledby="key-history">
  <h3 id="key-history">${t('program.openpgp.history')}</h3>
  <p class="muted small">${t('program.openpgp.history.lead')}</p>
  <div class="table-wrap"><table>
    <thead><tr><th scope="col">${t('program.openpgp.fingerprint')}</th><th scope="col">${t('program.openpgp.algorithm')}</th><th scope="col">${t('program.openpgp.created')}</th><th scope="col">${t('program.openpgp.retired')}</th><th scope="col">${t('program.openpgp.expires')}</th><th scope="col">${t('program.openpgp.state')}</th></tr></thead>
    <tbody>
    ${keys.map(
      (k) => html`<tr>
      <td><a href="${publishedKeyPath(program.slug, k.fingerprint)}" download><code class="fpr">${formatFingerprint(k.fingerprint)}</code></a></td>
      <td>${k.algorithm}</td>
      <td>${keyDay(k.createdAt)}</td>
      <td>${keyDay(k.retiredAt)}</td>
      <td>${keyDay(k.expiresAt)}</td>
      <td><span class="pill${k.state === 'current' ? ' ok' : ''}">${t(`program.openpgp.state.${k.state}`)}</span></td>
    </tr>`,
    )}
    </tbody>
  </table></div>
</section>`;
}

/**
 * A program's public page: policy summary, promises, scope, out-of-scope, rules and how to report.
 * `keyFingerprint`: the program's published OpenPGP key, offered for download beside its
 * fingerprint; without one, a fingerprint stated in the definition is shown on its own.
 * `keyHistory`: every key the program has published, shown once one was replaced.
 */
export function programPage(
  t: Translate,
  program: Program,
  keyFingerprint?: string,
  keyHistory: PublishedKeyRecord[] = [],
): SafeHtml {
  const d = program.definition;
  const clocks = CLOCKS.flatMap((c) => {
    const rule = d.deadlines[c];
    return rule ? [{ c, rule }] : [];
  });
  return html`
<div class="hero">
  <p class="muted">${d.vendor.name}</p>
  <h1>${d.name}</h1>
  <div class="prose">${renderMarkdown(d.policy.summary)}</div>
  <p><a class="button" href="/p/${program.slug}/report">${t('program.report')}</a>
  ${d.policy.url ? html` <a href="${d.policy.url}">${t('program.policy')}</a>` : ''}
  ${d.policy.url ? '· ' : ''}<a href="/p/${program.slug}/advisories">${t('program.advisories')}</a>${d.credits.publicAcknowledgements ? html` · <a href="/p/${program.slug}/acknowledgements">${t('program.acknowledgements')}</a>` : ''}</p>
</div>

<section aria-labelledby="promises">
  <h2 id="promises">${t('program.promises')}</h2>
  <dl class="promises">
    ${clocks.map(({ c, rule }) => html`<div><dt>${t(`clock.${c}`)}</dt><dd>${describeRule(t, rule)}</dd></div>`)}
  </dl>
  <p class="muted">Business days follow the ${d.calendar.timeZone} calendar${d.calendar.holidays ? ` with public holidays of ${d.calendar.holidays.country}${d.calendar.holidays.region ? `-${d.calendar.holidays.region}` : ''}` : ''}.</p>
</section>

<section aria-labelledby="scope">
  <h2 id="scope">${t('program.scope')}</h2>
  <div class="table-wrap"><table>
    <thead><tr><th scope="col">${t('program.scope.product')}</th><th scope="col">${t('program.scope.versions')}</th><th scope="col">${t('program.scope.status')}</th></tr></thead>
    <tbody>
    ${d.scope.products.flatMap((p) =>
      p.versions.map(
        (v, i) => html`<tr>
      ${i === 0 ? html`<th scope="row" rowspan="${p.versions.length}">${p.name}${p.description ? html`<br><span class="muted small">${p.description}</span>` : ''}</th>` : ''}
      <td>${v.versions}${v.note ? html`<br><span class="muted small">${v.note}</span>` : ''}</td>
      <td>${v.inScope ? html`<span class="pill ok">${t('program.scope.in')}</span>` : html`<span class="pill no">${t('program.scope.out')}</span>`}</td>
    </tr>`,
      ),
    )}
    </tbody>
  </table></div>
  ${d.scope.notes ? html`<div class="prose">${renderMarkdown(d.scope.notes)}</div>` : ''}
</section>

${
  d.scope.outOfScope.length > 0
    ? html`<section aria-labelledby="oos">
  <h2 id="oos">${t('program.outOfScope')}</h2>
  <p>${t('program.outOfScope.lead')}</p>
  <ul class="plain">${d.scope.outOfScope.map((c) => html`<li><strong>${c.name}</strong>${c.description ? html` — ${renderMarkdownInline(c.description)}` : ''}</li>`)}</ul>
</section>`
    : ''
}

${
  d.policy.rulesOfEngagement.length > 0
    ? html`<section aria-labelledby="rules"><h2 id="rules">${t('program.rules')}</h2>
  <ul>${d.policy.rulesOfEngagement.map((r) => html`<li>${renderMarkdownInline(r)}</li>`)}</ul></section>`
    : ''
}

${d.policy.safeHarbor ? html`<section aria-labelledby="harbor"><h2 id="harbor">${t('program.safeHarbor')}</h2><div class="prose">${renderMarkdown(d.policy.safeHarbor)}</div></section>` : ''}

${
  d.policy.whatWeDo.length > 0
    ? html`<section aria-labelledby="wedo"><h2 id="wedo">${t('program.whatWeDo')}</h2>
  <ul>${d.policy.whatWeDo.map((r) => html`<li>${renderMarkdownInline(r)}</li>`)}</ul></section>`
    : ''
}

${d.policy.dataHandling ? html`<section aria-labelledby="data"><h2 id="data">${t('program.dataHandling')}</h2><div class="prose">${renderMarkdown(d.policy.dataHandling)}</div></section>` : ''}

<section aria-labelledby="credit">
  <h2 id="credit">${t('program.credits')}</h2>
  <ul>
    <li>${d.rewards.kind === 'none' ? t('program.rewards.none') : t('program.rewards.bounty')}${d.rewards.note ? html` ${renderMarkdownInline(d.rewards.note)}` : ''}</li>
    <li>${d.credits.publicAcknowledgements ? t('program.credits.public') : t('program.credits.none')}</li>
    ${d.credits.cve ? html`<li>${t('program.credits.cve')}</li>` : ''}
  </ul>
</section>

<section aria-labelledby="how">
  <h2 id="how">${t('program.howToReport')}</h2>
  <div class="prose">${renderMarkdown(d.policy.howToReport)}</div>
  ${
    d.intake.emailAddresses.length > 0
      ? html`<p>${t('program.email')}: ${d.intake.emailAddresses.map((e, i) => html`${i ? ', ' : ''}<a href="mailto:${e}">${e}</a>`)}</p>`
      : ''
  }
  ${
    keyFingerprint
      ? html`<p>${t('program.openpgp')}: <code class="fpr">${formatFingerprint(keyFingerprint)}</code></p>
  <p><a href="/p/${program.slug}/key.asc" download>${t('program.openpgp.download')}</a>, ${t('program.openpgp.wkd')}.</p>`
      : d.openpgp?.fingerprint
        ? html`<p>${t('program.openpgp')}: <code class="fpr">${formatFingerprint(d.openpgp.fingerprint)}</code></p>`
        : ''
  }
  ${keyHistoryTable(t, program, keyHistory)}
  <p>${t('program.languages')}: ${d.languages.join(', ')}</p>
  <p><a class="button" href="/p/${program.slug}/report">${t('program.report')}</a></p>
</section>`;
}
