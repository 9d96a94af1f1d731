import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { api, unwrap } from '../api/client.js';
import type { Assessment, Program } from '../api/types.js';
import { previewScore } from '../cvss-preview.js';
import { CwePicker } from './CwePicker.js';
import { ErrorMessage, Field, Loading, SeverityBadge } from './common.js';

const EXPLOITATION = ['none', 'public-poc', 'active'];
const UTILITY = ['laborious', 'efficient', 'super-effective'];
const TECHNICAL_IMPACT = ['partial', 'total'];
const PUBLIC_SAFETY_IMPACT = ['minimal', 'significant'];
const HARM_SEVERITIES = ['negligible', 'minor', 'serious', 'critical', 'catastrophic'];

interface AffectedRow {
  productId: string;
  versions: string;
  fixedIn: string;
}

interface Draft {
  cvss31: string;
  cvss40: string;
  cwe: string;
  ssvcOn: boolean;
  exploitation: string;
  utility: string;
  technicalImpact: string;
  publicSafetyImpact: string;
  harm: string;
  phiInvolved: boolean;
  safetyNotes: string;
  affected: AffectedRow[];
  remediationTargetDate: string;
}

function draftOf(a: Assessment | undefined): Draft {
  return {
    cvss31: a?.cvss31?.vector ?? '',
    cvss40: a?.cvss40?.vector ?? '',
    cwe: a?.cwe?.id ?? '',
    ssvcOn: Boolean(a?.ssvc),
    exploitation: a?.ssvc?.exploitation ?? 'none',
    utility: a?.ssvc?.utility ?? 'laborious',
    technicalImpact: a?.ssvc?.technicalImpact ?? 'partial',
    publicSafetyImpact: a?.ssvc?.publicSafetyImpact ?? 'minimal',
    harm: a?.patientSafety?.severity ?? '',
    phiInvolved: a?.patientSafety?.phiInvolved ?? false,
    safetyNotes: a?.patientSafety?.notes ?? '',
    affected: (a?.affected ?? []).map((x) => ({
      productId: x.productId,
      versions: x.versions,
      fixedIn: x.fixedIn ?? '',
    })),
    remediationTargetDate: a?.remediationTargetDate ?? '',
  };
}

/** The PUT body: the whole assessment; a part left empty is left out (and so removed). */
function bodyOf(d: Draft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (d.cvss31.trim()) out.cvss31 = d.cvss31.trim();
  if (d.cvss40.trim()) out.cvss40 = d.cvss40.trim();
  if (d.cwe.trim()) out.cwe = d.cwe.trim();
  if (d.ssvcOn)
    out.ssvc = {
      exploitation: d.exploitation,
      utility: d.utility,
      technicalImpact: d.technicalImpact,
      publicSafetyImpact: d.publicSafetyImpact,
    };
  if (d.harm)
    out.patientSafety = {
      severity: d.harm,
      phiInvolved: d.phiInvolved,
      ...(d.safetyNotes.trim() ? { notes: d.safetyNotes } : {}),
    };
  out.affected = d.affected
    .filter((r) => r.productId)
    .map((r) => ({
      productId: r.productId,
      versions: r.versions.trim(),
      ...(r.fixedIn.trim() ? { fixedIn: r.fixedIn.trim() } : {}),
    }));
  if (d.remediationTargetDate) out.remediationTargetDate = d.remediationTargetDate;
  return out;
}

function Select({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  options: string[];
  onChange: (v: string) => void;
}) {
  return (
    <Field label={label} id={id}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** CVSS, CWE, SSVC, patient safety, affected products and the remediation target: one PUT. */
export function AssessmentEditor({
  caseNumber,
  program,
}: {
  caseNumber: string;
  program: Program | undefined;
}) {
  const qc = useQueryClient();
  const key = ['case', caseNumber, 'assessment'];
  const saved = useQuery({
    queryKey: key,
    queryFn: () =>
      unwrap(api.GET('/api/v1/reports/{caseNumber}/assessment', { params: { path: { caseNumber } } })),
  });
  const [d, setD] = useState<Draft>(() => draftOf(undefined));
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (saved.data) setD(draftOf(saved.data));
  }, [saved.data]);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/api/v1/reports/{caseNumber}/assessment', {
          params: { path: { caseNumber } },
          body: bodyOf(d),
        }),
      ),
    onSuccess: (a) => {
      qc.setQueryData(key, a);
      void qc.invalidateQueries({ queryKey: ['queue'] });
      setNotice('Assessment saved.');
    },
  });
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setNotice(null);
    setD((x) => ({ ...x, [k]: v }));
  };
  const setRow = (i: number, patch: Partial<AffectedRow>) =>
    set(
      'affected',
      d.affected.map((r, j) => (j === i ? { ...r, ...patch } : r)),
    );

  if (saved.isPending) return <Loading what="the assessment" />;
  if (saved.isError) return <ErrorMessage error={saved.error} />;
  const a = saved.data;
  const p31 = previewScore('3.1', d.cvss31);
  const p40 = previewScore('4.0', d.cvss40);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <section className="card" aria-labelledby="assessment-heading">
      <h2 id="assessment-heading">Assessment</h2>
      <p>
        Severity: <SeverityBadge severity={a.severity} />
        {a.ssvc ? (
          <>
            {' '}
            · SSVC decision: <strong>{a.ssvc.decision}</strong>
          </>
        ) : null}
        {a.patientSafety ? (
          <>
            {' '}
            · Patient-safety risk:{' '}
            <strong className={a.patientSafety.risk === 'uncontrolled' ? 'clock-overdue' : undefined}>
              {a.patientSafety.risk}
            </strong>{' '}
            (exploitability {a.patientSafety.exploitability})
          </>
        ) : null}
      </p>
      {a.patientSafety?.fda ? (
        <p className="warning">
          Uncontrolled risk: notify customers by {a.patientSafety.fda.notifyCustomersBy} and distribute a fix
          by {a.patientSafety.fda.distributeFixBy} (FDA postmarket guidance).
        </p>
      ) : null}
      {a.warnings.length > 0 ? (
        <ul className="warning" aria-label="Assessment warnings">
          {a.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      <form className="stack" onSubmit={submit} noValidate>
        <fieldset>
          <legend>CVSS</legend>
          <Field
            label="CVSS 3.1 vector"
            id="cvss31"
            hint={scoreHint(a.cvss31?.score, p31, d.cvss31 !== (a.cvss31?.vector ?? ''))}
          >
            <input
              id="cvss31"
              className="mono"
              spellCheck={false}
              aria-describedby="cvss31-hint"
              placeholder="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
              value={d.cvss31}
              onChange={(e) => set('cvss31', e.target.value)}
            />
          </Field>
          <Field
            label="CVSS 4.0 vector"
            id="cvss40"
            hint={scoreHint(a.cvss40?.score, p40, d.cvss40 !== (a.cvss40?.vector ?? ''))}
          >
            <input
              id="cvss40"
              className="mono"
              spellCheck={false}
              aria-describedby="cvss40-hint"
              placeholder="CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
              value={d.cvss40}
              onChange={(e) => set('cvss40', e.target.value)}
            />
          </Field>
        </fieldset>
        <CwePicker id="cwe" label="CWE" value={d.cwe} onChange={(v) => set('cwe', v)} />
        {a.cwe && a.cwe.id === d.cwe ? <p className="hint">{`${a.cwe.id}: ${a.cwe.name}`}</p> : null}
        <fieldset>
          <legend>SSVC decision points</legend>
          <label className="inline">
            <input type="checkbox" checked={d.ssvcOn} onChange={(e) => set('ssvcOn', e.target.checked)} />{' '}
            Assess with SSVC
          </label>
          {d.ssvcOn ? (
            <div className="grid-2">
              <Select
                id="ssvc-exploitation"
                label="Exploitation"
                value={d.exploitation}
                options={EXPLOITATION}
                onChange={(v) => set('exploitation', v)}
              />
              <Select
                id="ssvc-utility"
                label="Utility"
                value={d.utility}
                options={UTILITY}
                onChange={(v) => set('utility', v)}
              />
              <Select
                id="ssvc-technical"
                label="Technical impact"
                value={d.technicalImpact}
                options={TECHNICAL_IMPACT}
                onChange={(v) => set('technicalImpact', v)}
              />
              <Select
                id="ssvc-safety"
                label="Public safety impact"
                value={d.publicSafetyImpact}
                options={PUBLIC_SAFETY_IMPACT}
                onChange={(v) => set('publicSafetyImpact', v)}
              />
            </div>
          ) : null}
        </fieldset>
        <fieldset>
          <legend>Patient safety</legend>
          <div className="grid-2">
            <Field
              label="Severity of potential harm"
              id="harm"
              hint="ISO 14971; the risk (controlled or uncontrolled) is computed with the CVSS exploitability."
            >
              <select
                id="harm"
                aria-describedby="harm-hint"
                value={d.harm}
                onChange={(e) => set('harm', e.target.value)}
              >
                <option value="">Not assessed</option>
                {HARM_SEVERITIES.map((h) => (
                  <option key={h} value={h}>
                    {h}
                  </option>
                ))}
              </select>
            </Field>
            <label className="inline">
              <input
                type="checkbox"
                checked={d.phiInvolved}
                disabled={!d.harm}
                onChange={(e) => set('phiInvolved', e.target.checked)}
              />{' '}
              Protected health information involved
            </label>
          </div>
          {d.harm ? (
            <Field label="Patient-safety notes" id="safety-notes">
              <textarea
                id="safety-notes"
                rows={3}
                value={d.safetyNotes}
                onChange={(e) => set('safetyNotes', e.target.value)}
              />
            </Field>
          ) : null}
        </fieldset>
        <fieldset>
          <legend>Affected products</legend>
          {d.affected.length === 0 ? <p className="muted">No affected product recorded.</p> : null}
          {d.affected.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own until saved
            <div className="grid-2 affected-row" key={i}>
              <Field label={`Product ${i + 1}`} id={`aff-product-${i}`}>
                <select
                  id={`aff-product-${i}`}
                  value={r.productId}
                  onChange={(e) => setRow(i, { productId: e.target.value })}
                >
                  <option value="">Choose a product</option>
                  {(program?.products ?? []).map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={`Affected versions of product ${i + 1}`} id={`aff-versions-${i}`}>
                <input
                  id={`aff-versions-${i}`}
                  placeholder=">= 3.0, < 3.4.2"
                  value={r.versions}
                  onChange={(e) => setRow(i, { versions: e.target.value })}
                />
              </Field>
              <Field label={`Fixed in (product ${i + 1})`} id={`aff-fixed-${i}`}>
                <input
                  id={`aff-fixed-${i}`}
                  placeholder="3.4.2"
                  value={r.fixedIn}
                  onChange={(e) => setRow(i, { fixedIn: e.target.value })}
                />
              </Field>
              <div className="actions">
                <button
                  type="button"
                  className="link"
                  onClick={() =>
                    set(
                      'affected',
                      d.affected.filter((_, j) => j !== i),
                    )
                  }
                >
                  Remove product {i + 1}
                </button>
              </div>
            </div>
          ))}
          <button
            type="button"
            className="secondary small"
            onClick={() => set('affected', [...d.affected, { productId: '', versions: '', fixedIn: '' }])}
          >
            Add affected product
          </button>
        </fieldset>
        <Field label="Remediation target date" id="remediation-date">
          <input
            id="remediation-date"
            type="date"
            value={d.remediationTargetDate}
            onChange={(e) => set('remediationTargetDate', e.target.value)}
          />
        </Field>
        <ErrorMessage error={save.error} />
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            Save assessment
          </button>
          {a.updatedAt ? (
            <span className="muted">Last saved {new Date(a.updatedAt).toLocaleString()}</span>
          ) : null}
        </div>
      </form>
    </section>
  );
}

function scoreHint(saved: number | undefined, preview: number | null, changed: boolean): string {
  if (changed && preview !== null)
    return `Preview score ${preview.toFixed(1)} (saved when you save the assessment).`;
  if (saved !== undefined && !changed) return `Score ${saved.toFixed(1)}.`;
  if (changed) return 'The score is computed when the vector is complete.';
  return 'Paste or type a vector.';
}
