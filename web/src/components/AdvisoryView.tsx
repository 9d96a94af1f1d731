import { useAdvisoryChecks } from '../advisory.js';
import type { AdvisoryContent, AdvisoryFinding, VersionStatement } from '../api/types.js';
import { formatDateTime } from '../format.js';
import { ErrorMessage, Loading } from './common.js';
import { Markdown } from './Markdown.js';

/** A revision's content as it reads once submitted: the same text the portal will show. */

const versionText = (v: VersionStatement) =>
  `${v.status}: ${
    v.lessThan !== undefined
      ? `${v.version === '0' ? '' : `${v.version} `}before ${v.lessThan}`
      : v.lessThanOrEqual !== undefined
        ? `${v.version === '0' ? '' : `${v.version} `}up to ${v.lessThanOrEqual}`
        : v.version
  }`;

export function AdvisoryContentView({ content, timeZone }: { content: AdvisoryContent; timeZone?: string }) {
  return (
    <div className="stack">
      <p>
        <strong>{content.title}</strong> · TLP:{content.tlp}
        {content.publishNotBefore
          ? ` · not before ${formatDateTime(content.publishNotBefore, timeZone)}`
          : ''}
      </p>
      <Markdown text={content.summary} />
      {content.vulnerabilities.map((v, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: in order, no identity of their own
        <section key={i} className="stack" aria-label={`Vulnerability ${i + 1}`}>
          <h3>
            {v.cve ?? `Vulnerability ${i + 1}`}: {v.title}
          </h3>
          <p className="muted">
            {v.cwe ? `${v.cwe.id} ${v.cwe.name}` : 'no CWE'}
            {v.cvss31 ? ` · CVSS 3.1 ${v.cvss31.baseScore.toFixed(1)} (${v.cvss31.severity})` : ''}
            {v.cvss40 ? ` · CVSS 4.0 ${v.cvss40.baseScore.toFixed(1)} (${v.cvss40.severity})` : ''}
          </p>
          <Markdown text={v.description} />
          <ul>
            {v.affected.map((p) => (
              <li key={p.productId}>
                {p.productName}: {p.versions.map(versionText).join('; ')}
                {p.fixedIn ? ` · fixed in ${p.fixedIn}` : ''}
              </li>
            ))}
          </ul>
          {v.remediations.length ? (
            <ul>
              {v.remediations.map((r, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: in order
                <li key={j}>
                  {r.category.replace(/_/g, ' ')}: {r.details}
                </li>
              ))}
            </ul>
          ) : null}
          {v.credits.length ? <p>Credits: {v.credits.map((c) => c.text).join('; ')}</p> : null}
        </section>
      ))}
      {content.mitigations ? <Markdown text={content.mitigations} /> : null}
      {content.references.length ? (
        <ul>
          {content.references.map((r) => (
            <li key={r.url}>
              <a href={r.url}>{r.summary ?? r.url}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Findings({ items, label }: { items: AdvisoryFinding[]; label: string }) {
  return (
    <ul aria-label={label} className="findings">
      {items.map((f, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: findings may repeat
        <li key={i}>
          <span className="mono">{f.artefact}</span>{' '}
          {f.path ? <span className="mono muted">{f.path}</span> : null}: {f.message}{' '}
          <span className="muted">({f.test})</span>
        </li>
      ))}
    </ul>
  );
}

/** What the CSAF validator and the CVE schema say of the documents this revision would publish. */
export function ChecksPanel({ id, n }: { id: string; n: number }) {
  const q = useAdvisoryChecks(id, n, true);
  return (
    <section className="card stack" aria-labelledby="checks-heading">
      <h2 id="checks-heading">Checks</h2>
      {q.isPending ? (
        <Loading what="the checks" />
      ) : q.isError ? (
        <ErrorMessage error={q.error} />
      ) : (
        <>
          <p className={q.data.errors.length ? 'warning' : 'notice'}>
            {q.data.errors.length
              ? `${q.data.errors.length} error${q.data.errors.length === 1 ? '' : 's'}: approval and publication are refused until they are fixed.`
              : `No errors in ${q.data.artefacts.map((x) => x.name).join(', ') || 'the documents'}.`}
          </p>
          {q.data.errors.length ? <Findings items={q.data.errors} label="Errors" /> : null}
          {q.data.warnings.length ? (
            <>
              <h3>Warnings</h3>
              <Findings items={q.data.warnings} label="Warnings" />
            </>
          ) : (
            <p className="muted">No warnings.</p>
          )}
        </>
      )}
    </section>
  );
}
