import type { PublicPolicy } from '../../policy/index.js';
import type { Program } from '../../programs/index.js';
import { html, type SafeHtml } from '../html.js';
import { renderPolicyMarkdown } from '../policy-markdown.js';

/** The stable address of a program's published policy, and of one of its versions. */
export const policyPath = (slug: string, version?: string) =>
  version === undefined ? `/p/${slug}/policy` : `/p/${slug}/policy/v/${encodeURIComponent(version)}`;

/**
 * A published policy: its text with a table of contents, and under it the revision history
 * generated from the record (version, date, record of changes, reviewed by, approved by). A
 * superseded version says so and links to the current one.
 */
export function policyPage(program: Program, policy: PublicPolicy): SafeHtml {
  const { html: body, toc } = renderPolicyMarkdown(policy.body);
  const superseded = policy.version !== policy.current;
  return html`
<div class="hero">
  <p class="muted">${program.definition.vendor.name}</p>
  <h1>${policy.title}</h1>
  <p class="meta">Version ${policy.version}${policy.effectiveDate ? ` · effective ${policy.effectiveDate}` : ''}</p>
  ${
    superseded
      ? html`<p class="notice" role="note">This version has been superseded. <a href="${policyPath(program.slug)}">Read the current version (${policy.current})</a>.</p>`
      : ''
  }
</div>
${
  toc.length > 0
    ? html`<nav aria-labelledby="policy-toc">
  <h2 id="policy-toc">Contents</h2>
  <ol>${toc.map((e) => html`<li><a href="#${e.id}">${e.text}</a></li>`)}</ol>
</nav>`
    : ''
}
<article class="prose">${body}</article>
<section aria-labelledby="policy-history">
  <h2 id="policy-history">Revision history</h2>
  <div class="table-wrap"><table>
    <thead><tr><th scope="col">Version</th><th scope="col">Date</th><th scope="col">Record of changes</th><th scope="col">Reviewed by</th><th scope="col">Approved by</th></tr></thead>
    <tbody>
    ${policy.history.map(
      (h) => html`<tr>
      <th scope="row"><a href="${policyPath(program.slug, h.version)}">${h.version}</a></th>
      <td>${h.date}</td>
      <td>${h.changes}</td>
      <td>${h.reviewedBy ?? '—'}</td>
      <td>${h.approvedBy ?? '—'}</td>
    </tr>`,
    )}
    </tbody>
  </table></div>
  <p><a href="/p/${program.slug}">${program.definition.name}</a> · <a class="button" href="/p/${program.slug}/report">Report a vulnerability</a></p>
</section>`;
}
