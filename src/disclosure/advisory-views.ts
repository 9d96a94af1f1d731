import type { Translate } from '../i18n/index.js';
import { html, renderMarkdown, renderPolicyMarkdown, type SafeHtml } from '../portal/index.js';
import type { Program } from '../programs/index.js';
import type { AffectedProduct, Vulnerability } from './advisory-model.js';
import { advisoryPath, type PublicAdvisory } from './advisory-read-model.js';

/**
 * The public pages of advisories: the index (per program and across the instance), the advisory
 * page and the acknowledgements page. Only what a published TLP:CLEAR revision says is shown:
 * never case numbers, staff names or anything of the reporter but the credit they chose.
 * Markdown is rendered with raw HTML off, as for policy pages.
 */

export const programAdvisoriesPath = (slug: string) => `/p/${encodeURIComponent(slug)}/advisories`;
export const acknowledgementsPath = (slug: string) => `/p/${encodeURIComponent(slug)}/acknowledgements`;

/** `2026-03-02` of an ISO instant, in the program's time zone. */
export function dayOf(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));
}

const SEVERITY_ORDER = ['none', 'low', 'medium', 'high', 'critical'] as const;

/** The highest severity among the advisory's vulnerabilities (CVSS 4.0 first, else 3.1). */
export function highestSeverity(a: PublicAdvisory): (typeof SEVERITY_ORDER)[number] | undefined {
  let best = -1;
  for (const v of a.content.vulnerabilities) {
    const s = (v.cvss40 ?? v.cvss31)?.severity;
    if (s) best = Math.max(best, SEVERITY_ORDER.indexOf(s));
  }
  return best < 0 ? undefined : SEVERITY_ORDER[best];
}

const severityPill = (t: Translate, a: PublicAdvisory) => {
  const s = highestSeverity(a);
  return s
    ? html`<span class="pill${s === 'high' || s === 'critical' ? ' no' : ''}">${t(`severity.${s}`)}</span>`
    : '—';
};

/** The list of advisories; `showProgram` for the instance-wide index. */
export function advisoryIndex(
  t: Translate,
  o: { advisories: PublicAdvisory[]; lead: string; feedUrl: string; showProgram: boolean; program?: Program },
): SafeHtml {
  return html`
<div class="hero">
  ${o.program ? html`<p class="muted">${o.program.definition.vendor.name}</p>` : ''}
  <h1>${t('advisories.heading')}</h1>
  <p class="lead">${o.lead}</p>
  <p><a href="${o.feedUrl}" type="application/atom+xml">${t('advisories.feed')}</a>${
    o.program?.definition.credits.publicAcknowledgements
      ? html` · <a href="${acknowledgementsPath(o.program.slug)}">${t('program.acknowledgements')}</a>`
      : ''
  }</p>
</div>
${
  o.advisories.length === 0
    ? html`<p>${t('advisories.none')}</p>`
    : html`<div class="table-wrap"><table>
  <thead><tr><th scope="col">${t('advisories.id')}</th><th scope="col">${t('advisories.title')}</th>${o.showProgram ? html`<th scope="col">${t('advisories.program')}</th>` : ''}<th scope="col">${t('advisories.severity')}</th><th scope="col">${t('advisories.released')}</th><th scope="col">${t('advisories.updated')}</th></tr></thead>
  <tbody>
  ${o.advisories.map((a) => {
    const tz = a.program.definition.calendar.timeZone;
    return html`<tr>
    <th scope="row"><a href="${advisoryPath(a.program.slug, a.id)}">${a.id}</a></th>
    <td>${a.content.title}</td>
    ${o.showProgram ? html`<td><a href="${programAdvisoriesPath(a.program.slug)}">${a.program.definition.vendor.name}</a></td>` : ''}
    <td>${severityPill(t, a)}</td>
    <td><time datetime="${a.initialReleaseAt}">${dayOf(a.initialReleaseAt, tz)}</time></td>
    <td><time datetime="${a.currentReleaseAt}">${dayOf(a.currentReleaseAt, tz)}</time></td>
  </tr>`;
  })}
  </tbody>
</table></div>`
}`;
}

/** A version statement in words: "before 3.4.2", "from 3.0 up to and including 3.4". */
function describeVersions(t: Translate, s: AffectedProduct['versions'][number]): string {
  const from = s.version === '0' ? undefined : s.version;
  if (s.lessThan)
    return from
      ? t('advisory.range.fromBelow', { from, to: s.lessThan })
      : t('advisory.range.below', { to: s.lessThan });
  if (s.lessThanOrEqual)
    return from
      ? t('advisory.range.fromUpTo', { from, to: s.lessThanOrEqual })
      : t('advisory.range.upTo', { to: s.lessThanOrEqual });
  return t('advisory.range.exact', { version: s.version });
}

function vulnerabilitySection(t: Translate, v: Vulnerability, i: number): SafeHtml {
  const id = `vuln-${i + 1}`;
  const scores = [
    ['4.0', v.cvss40],
    ['3.1', v.cvss31],
  ] as const;
  const names = new Map(v.affected.map((p) => [p.productId, p.productName]));
  return html`<section aria-labelledby="${id}">
  <h3 id="${id}">${v.cve ? html`${v.cve}: ` : ''}${v.title}</h3>
  <dl class="kv">
    <div><dt>${t('advisory.cve')}</dt><dd>${v.cve ? html`<a href="https://www.cve.org/CVERecord?id=${v.cve}">${v.cve}</a>` : t('advisory.noCve')}</dd></div>
    ${scores.map(([version, s]) =>
      s
        ? html`<div><dt>${t('advisory.cvss', { version })}</dt><dd>${s.baseScore.toFixed(1)} ${t(`severity.${s.severity}`)}<br><code class="small">${s.vector}</code></dd></div>`
        : '',
    )}
    ${v.cwe ? html`<div><dt>${t('advisory.cwe')}</dt><dd><a href="https://cwe.mitre.org/data/definitions/${v.cwe.id.slice(4)}.html">${v.cwe.id}</a>: ${v.cwe.name}</dd></div>` : ''}
  </dl>
  <div class="prose">${renderMarkdown(v.description)}</div>
  <h4>${t('advisory.affected')}</h4>
  <div class="table-wrap"><table>
    <thead><tr><th scope="col">${t('advisory.product')}</th><th scope="col">${t('advisory.versions')}</th><th scope="col">${t('advisory.status')}</th><th scope="col">${t('advisory.fixedIn')}</th></tr></thead>
    <tbody>
    ${v.affected.flatMap((p) =>
      p.versions.map(
        (s, j) => html`<tr>
      ${j === 0 ? html`<th scope="row" rowspan="${p.versions.length}">${p.productName}${p.defaultStatus !== 'unaffected' ? html`<br><span class="muted small">${t('advisory.otherVersions', { status: p.defaultStatus === 'affected' ? t('advisory.status.affected') : t('advisory.status.unknown') })}</span>` : ''}</th>` : ''}
      <td>${describeVersions(t, s)}</td>
      <td>${s.status === 'affected' ? html`<span class="pill no">${t('advisory.status.affected')}</span>` : html`<span class="pill ok">${t('advisory.status.unaffected')}</span>`}</td>
      ${j === 0 ? html`<td rowspan="${p.versions.length}">${p.fixedIn ?? t('advisory.noFix')}</td>` : ''}
    </tr>`,
      ),
    )}
    </tbody>
  </table></div>
  ${
    v.remediations.length > 0
      ? html`<h4>${t('advisory.remediations')}</h4>
  <ul>${v.remediations.map(
    (r) =>
      html`<li><strong>${t(`advisory.remediation.${r.category}`)}</strong>: ${r.details}${
        r.url ? html` <a href="${r.url}">${r.url}</a>` : ''
      }${
        r.productIds?.length
          ? html`<br><span class="muted small">${t('advisory.remediation.appliesTo', { products: r.productIds.map((p) => names.get(p) ?? p).join(', ') })}</span>`
          : ''
      }</li>`,
  )}</ul>`
      : ''
  }
  ${v.credits.length > 0 ? html`<h4>${t('advisory.credits')}</h4><ul>${v.credits.map((c) => html`<li lang="${c.lang}">${c.text}</li>`)}</ul>` : ''}
</section>`;
}

/** The page of one published advisory. */
export function advisoryPage(t: Translate, a: PublicAdvisory): SafeHtml {
  const tz = a.program.definition.calendar.timeZone;
  const c = a.content;
  const summary = renderPolicyMarkdown(c.summary).html;
  return html`
<div class="hero">
  <p class="muted">${a.program.definition.vendor.name} · <span class="pill">${t('advisory.tlp', { label: c.tlp })}</span>${(() => {
    const s = highestSeverity(a);
    return s ? html` ${severityPill(t, a)}` : '';
  })()}</p>
  <h1>${c.title}</h1>
  <p class="meta">${t('advisory.meta', { id: a.id, revision: a.revision, initial: dayOf(a.initialReleaseAt, tz) })}${
    a.revision > 1 ? html` · ${t('advisory.updated', { date: dayOf(a.currentReleaseAt, tz) })}` : ''
  }</p>
</div>
<article class="prose">${summary}</article>
<section aria-labelledby="vulnerabilities">
  <h2 id="vulnerabilities">${t('advisory.vulnerabilities')}</h2>
  ${c.vulnerabilities.map((v, i) => vulnerabilitySection(t, v, i))}
</section>
${c.mitigations?.trim() ? html`<section aria-labelledby="mitigations"><h2 id="mitigations">${t('advisory.mitigations')}</h2><div class="prose">${renderMarkdown(c.mitigations)}</div></section>` : ''}
${
  c.references.length > 0
    ? html`<section aria-labelledby="references"><h2 id="references">${t('advisory.references')}</h2>
  <ul>${c.references.map((r) => html`<li><a href="${r.url}">${r.summary ?? r.url}</a></li>`)}</ul></section>`
    : ''
}
<section aria-labelledby="history">
  <h2 id="history">${t('advisory.history')}</h2>
  <div class="table-wrap"><table>
    <thead><tr><th scope="col">${t('advisory.history.revision')}</th><th scope="col">${t('advisory.history.date')}</th><th scope="col">${t('advisory.history.summary')}</th></tr></thead>
    <tbody>${a.history.map(
      (h) =>
        html`<tr><th scope="row">${h.number}</th><td><time datetime="${h.date}">${dayOf(h.date, tz)}</time></td><td>${h.summary}</td></tr>`,
    )}</tbody>
  </table></div>
  <p><a href="${programAdvisoriesPath(a.program.slug)}">${t('advisory.back', { program: a.program.definition.name })}</a></p>
</section>`;
}

/** Credits of a program's published advisories, each with the advisories it earned. */
export function acknowledgementsPage(t: Translate, program: Program, advisories: PublicAdvisory[]): SafeHtml {
  const byCredit = new Map<string, { lang: string; advisories: Map<string, string> }>();
  for (const a of advisories)
    for (const v of a.content.vulnerabilities)
      for (const c of v.credits) {
        const entry = byCredit.get(c.text) ?? { lang: c.lang, advisories: new Map<string, string>() };
        entry.advisories.set(a.id, advisoryPath(program.slug, a.id));
        byCredit.set(c.text, entry);
      }
  return html`
<div class="hero">
  <p class="muted">${program.definition.vendor.name}</p>
  <h1>${t('acknowledgements.heading')}</h1>
  <p class="lead">${t('acknowledgements.lead', { vendor: program.definition.vendor.name })}</p>
</div>
${
  byCredit.size === 0
    ? html`<p>${t('acknowledgements.none')}</p>`
    : html`<ul class="plain">${[...byCredit].map(
        ([text, e]) =>
          html`<li><strong lang="${e.lang}">${text}</strong> — ${t('acknowledgements.for', { advisories: '' })}${[
            ...e.advisories,
          ].map(([id, href], i) => html`${i ? ', ' : ''}<a href="${href}">${id}</a>`)}</li>`,
      )}</ul>`
}
<p><a href="${programAdvisoriesPath(program.slug)}">${t('program.advisories')}</a></p>`;
}
