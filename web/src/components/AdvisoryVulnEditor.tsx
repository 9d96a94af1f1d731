import { REMEDIATION_CATEGORIES } from '../advisory.js';
import type {
  AdvisoryProduct,
  AdvisoryScore,
  AdvisoryVulnerability,
  Program,
  VersionStatement,
} from '../api/types.js';
import {
  MarkdownInput,
  RemoveButton,
  removeAt,
  replaceAt,
  SelectInput,
  TextInput,
} from './AdvisoryFields.js';

/**
 * One vulnerability of a draft: identity, scores' vectors, affected products, remediations;
 * credits read-only. Removing one leaves its case linked to the advisory (the link is the
 * advisory's, not the vulnerability's).
 */

type RangeKind = 'exact' | 'lessThan' | 'lessThanOrEqual';
const rangeKind = (v: VersionStatement): RangeKind =>
  v.lessThan !== undefined ? 'lessThan' : v.lessThanOrEqual !== undefined ? 'lessThanOrEqual' : 'exact';

function ScoreLine({ score }: { score: AdvisoryScore | undefined }) {
  if (!score) return null;
  return (
    <p className="hint">
      Saved score: {score.baseScore.toFixed(1)} ({score.severity}) — recomputed by the server from the vector
      on every save.
    </p>
  );
}

function VersionRow({
  path,
  v,
  onChange,
  onRemove,
}: {
  path: string;
  v: VersionStatement;
  onChange: (v: VersionStatement) => void;
  onRemove?: () => void;
}) {
  const kind = rangeKind(v);
  const upTo = v.lessThan ?? v.lessThanOrEqual ?? '';
  const setRange = (k: RangeKind, value: string) => {
    const { lessThan: _a, lessThanOrEqual: _b, ...rest } = v;
    onChange(k === 'exact' ? rest : { ...rest, [k]: value });
  };
  return (
    <div className="adv-row">
      <TextInput
        path={`${path}.version`}
        label="Version"
        value={v.version}
        mono
        onChange={(x) => onChange({ ...v, version: x })}
      />
      <SelectInput
        path={`${path}.range`}
        label="Range"
        value={kind}
        options={[
          { value: 'exact', label: 'exactly this version' },
          { value: 'lessThan', label: 'up to, excluding' },
          { value: 'lessThanOrEqual', label: 'up to, including' },
        ]}
        onChange={(k) => setRange(k, upTo)}
      />
      {kind !== 'exact' ? (
        <TextInput
          path={`${path}.${kind}`}
          label="Up to version"
          value={upTo}
          mono
          onChange={(x) => setRange(kind, x)}
        />
      ) : null}
      <SelectInput
        path={`${path}.status`}
        label="Status"
        value={v.status}
        options={['affected', 'unaffected'] as const}
        onChange={(status) => onChange({ ...v, status })}
      />
      {onRemove ? <RemoveButton what="version" onClick={onRemove} /> : null}
    </div>
  );
}

function ProductEditor({
  path,
  p,
  program,
  onChange,
  onRemove,
}: {
  path: string;
  p: AdvisoryProduct;
  program: Program | undefined;
  onChange: (p: AdvisoryProduct) => void;
  onRemove?: () => void;
}) {
  const products = program?.products ?? [];
  const options = products.some((x) => x.id === p.productId)
    ? products.map((x) => ({ value: x.id, label: x.name }))
    : [
        { value: p.productId, label: p.productName || p.productId },
        ...products.map((x) => ({ value: x.id, label: x.name })),
      ];
  return (
    <fieldset className="stack">
      <legend>{p.productName || 'Affected product'}</legend>
      <SelectInput
        path={`${path}.productId`}
        label="Product"
        value={p.productId}
        options={options}
        onChange={(id) =>
          onChange({ ...p, productId: id, productName: products.find((x) => x.id === id)?.name ?? id })
        }
      />
      {p.versions.map((v, i) => (
        <VersionRow
          // biome-ignore lint/suspicious/noArrayIndexKey: statements have no identity of their own
          key={i}
          path={`${path}.versions.${i}`}
          v={v}
          onChange={(x) => onChange({ ...p, versions: replaceAt(p.versions, i, x) })}
          onRemove={
            p.versions.length > 1 ? () => onChange({ ...p, versions: removeAt(p.versions, i) }) : undefined
          }
        />
      ))}
      <div className="actions">
        <button
          type="button"
          className="secondary small"
          onClick={() => onChange({ ...p, versions: [...p.versions, { version: '', status: 'affected' }] })}
        >
          Add version statement
        </button>
      </div>
      <div className="grid-2">
        <TextInput
          path={`${path}.fixedIn`}
          label="Fixed in"
          value={p.fixedIn}
          mono
          onChange={(x) => onChange({ ...p, fixedIn: x })}
        />
        <SelectInput
          path={`${path}.defaultStatus`}
          label="Versions not listed are"
          value={p.defaultStatus}
          options={['unaffected', 'affected', 'unknown'] as const}
          onChange={(defaultStatus) => onChange({ ...p, defaultStatus })}
        />
      </div>
      {onRemove ? <RemoveButton what={`product ${p.productName}`} onClick={onRemove} /> : null}
    </fieldset>
  );
}

/**
 * A new vulnerability for a draft, to be filled in: one affected product (the program's first)
 * with one version to state. No credit and no case: credits come only from an advisory's cases.
 */
export function blankVulnerability(program: Program | undefined): AdvisoryVulnerability {
  const product = program?.products[0];
  return {
    title: '',
    description: '',
    affected: [
      {
        productId: product?.id ?? '',
        productName: product?.name ?? '',
        versions: [{ version: '', status: 'affected' }],
        defaultStatus: 'unaffected',
      },
    ],
    remediations: [],
    credits: [],
    caseNumbers: [],
  };
}

export function VulnerabilityEditor({
  index,
  v,
  program,
  onChange,
  onRemove,
}: {
  index: number;
  v: AdvisoryVulnerability;
  program: Program | undefined;
  onChange: (v: AdvisoryVulnerability) => void;
  /** Offered for every vulnerability, the last too: whether an advisory may have none is the API's to say. */
  onRemove: () => void;
}) {
  const path = `vulnerabilities.${index}`;
  const score = (key: 'cvss31' | 'cvss40', vector: string): AdvisoryScore | undefined =>
    vector ? { vector, baseScore: v[key]?.baseScore ?? 0, severity: v[key]?.severity ?? 'none' } : undefined;
  return (
    <section className="card stack" aria-labelledby={`${path}-h`}>
      <h3 id={`${path}-h`}>
        Vulnerability {index + 1}
        {v.caseNumbers.length ? <span className="muted"> · from {v.caseNumbers.join(', ')}</span> : null}
      </h3>
      <div className="grid-2">
        <TextInput
          path={`${path}.cve`}
          label="CVE ID"
          value={v.cve}
          mono
          hint="Reserved elsewhere, e.g. CVE-2026-12345; may stay empty in a draft."
          onChange={(cve) => onChange({ ...v, cve })}
        />
        <TextInput
          path={`${path}.cwe.id`}
          label="CWE"
          value={v.cwe?.id}
          mono
          hint={
            v.cwe?.name ? `${v.cwe.id}: ${v.cwe.name}` : 'e.g. CWE-89; the name comes from the catalogue.'
          }
          onChange={(id) => onChange({ ...v, cwe: id ? { id, name: v.cwe?.name || id } : undefined })}
        />
      </div>
      <TextInput
        path={`${path}.title`}
        label="Vulnerability title"
        value={v.title}
        onChange={(title) => onChange({ ...v, title })}
      />
      <MarkdownInput
        path={`${path}.description`}
        label="Description"
        value={v.description}
        onChange={(description) => onChange({ ...v, description })}
      />
      <TextInput
        path={`${path}.cvss31.vector`}
        label="CVSS 3.1 vector"
        value={v.cvss31?.vector}
        mono
        onChange={(x) => onChange({ ...v, cvss31: score('cvss31', x) })}
      />
      <ScoreLine score={v.cvss31} />
      <TextInput
        path={`${path}.cvss40.vector`}
        label="CVSS 4.0 vector"
        value={v.cvss40?.vector}
        mono
        onChange={(x) => onChange({ ...v, cvss40: score('cvss40', x) })}
      />
      <ScoreLine score={v.cvss40} />

      <h4>Affected products</h4>
      {v.affected.map((p, i) => (
        <ProductEditor
          // biome-ignore lint/suspicious/noArrayIndexKey: products may repeat while being edited
          key={i}
          path={`${path}.affected.${i}`}
          p={p}
          program={program}
          onChange={(x) => onChange({ ...v, affected: replaceAt(v.affected, i, x) })}
          onRemove={
            v.affected.length > 1 ? () => onChange({ ...v, affected: removeAt(v.affected, i) }) : undefined
          }
        />
      ))}

      <h4>Remediations</h4>
      {v.remediations.length === 0 ? <p className="muted">None yet.</p> : null}
      {v.remediations.map((r, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: remediations have no identity of their own
        <fieldset key={i} className="stack">
          <legend>Remediation {i + 1}</legend>
          <SelectInput
            path={`${path}.remediations.${i}.category`}
            label="Category"
            value={r.category}
            options={REMEDIATION_CATEGORIES}
            onChange={(category) =>
              onChange({ ...v, remediations: replaceAt(v.remediations, i, { ...r, category }) })
            }
          />
          <TextInput
            path={`${path}.remediations.${i}.details`}
            label="Details"
            value={r.details}
            rows={3}
            onChange={(details) =>
              onChange({ ...v, remediations: replaceAt(v.remediations, i, { ...r, details }) })
            }
          />
          <TextInput
            path={`${path}.remediations.${i}.url`}
            label="Link"
            type="url"
            value={r.url}
            onChange={(url) => onChange({ ...v, remediations: replaceAt(v.remediations, i, { ...r, url }) })}
          />
          <RemoveButton
            what={`remediation ${i + 1}`}
            onClick={() => onChange({ ...v, remediations: removeAt(v.remediations, i) })}
          />
        </fieldset>
      ))}
      <div className="actions">
        <button
          type="button"
          className="secondary small"
          onClick={() =>
            onChange({ ...v, remediations: [...v.remediations, { category: 'mitigation', details: '' }] })
          }
        >
          Add remediation
        </button>
      </div>

      <h4>Credits</h4>
      <p className="hint">
        Only credits the reporter consented to, in their words; they cannot be edited here.
      </p>
      {v.credits.length === 0 ? (
        <p className="muted">No credit.</p>
      ) : (
        <ul className="plain">
          {v.credits.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: credits may repeat
            <li key={i}>
              {c.text} <span className="muted">({c.type})</span>
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <RemoveButton what={`vulnerability ${index + 1}`} onClick={onRemove} />
      </div>
    </section>
  );
}
