import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api, unwrap } from '../api/client.js';
import type { QuarantinePart, Redaction, RedactionPartInput } from '../api/types.js';
import { formatBytes, formatDateTime } from '../format.js';
import { useSession } from '../session.js';
import { ErrorMessage, Field, Loading } from './common.js';

/**
 * The privacy officers' view of a case's quarantine: the held parts with the kinds found and
 * masked findings, release of a false positive, and redaction proposed by one officer and
 * approved by another (the server refuses the proposer; the button says why first).
 */

const who = (u: { name: string; email: string } | null) => (u ? u.name || u.email : '—');

/** Selected spans of one part, sorted and merged: the API wants them non-overlapping. */
export function mergeSpans(spans: { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: { start: number; end: number }[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

export function QuarantinePanel({ caseNumber }: { caseNumber: string }) {
  const q = useQuery({
    queryKey: ['case', caseNumber, 'quarantine'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/reports/{caseNumber}/quarantine', { params: { path: { caseNumber } } })),
    staleTime: 0,
  });
  const qc = useQueryClient();
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['case', caseNumber] });
    void qc.invalidateQueries({ queryKey: ['queue'] });
  };
  return (
    <section className="card quarantine" aria-labelledby="quarantine-heading">
      <h2 id="quarantine-heading">Quarantine</h2>
      <p className="hint">
        Visible to privacy officers only. Findings are masked; reading this panel is recorded in the audit
        log.
      </p>
      {q.isPending ? (
        <Loading what="the quarantine" />
      ) : q.isError ? (
        <ErrorMessage error={q.error} />
      ) : (
        <>
          {q.data.parts.length === 0 ? <p className="muted">Nothing of this case is held.</p> : null}
          <ul className="plain parts">
            {q.data.parts.map((p) => (
              <PartEntry key={p.id} caseNumber={caseNumber} part={p} onDone={refresh} />
            ))}
          </ul>
          <Redactions caseNumber={caseNumber} redactions={q.data.redactions} onDone={refresh} />
          {q.data.redactions.some((r) => r.state === 'proposed') ? null : (
            <ProposeRedaction caseNumber={caseNumber} parts={q.data.parts} onDone={refresh} />
          )}
        </>
      )}
    </section>
  );
}

function PartEntry({
  caseNumber,
  part,
  onDone,
}: {
  caseNumber: string;
  part: QuarantinePart;
  onDone: () => void;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const release = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/reports/{caseNumber}/quarantine/{partId}/release', {
          params: { path: { caseNumber, partId: part.id } },
          body: { reason },
        }),
      ),
    onSuccess: () => {
      setOpen(false);
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    release.mutate();
  };
  return (
    <li className="part">
      <div className="part-head">
        <strong>{part.label}</strong> <span className="muted">({part.kind})</span>{' '}
        <span className={`badge part-${part.state}`}>{part.state}</span>
      </div>
      <div className="muted">
        Found: {part.kinds.join(', ') || '—'} · detected {formatDateTime(part.detectedAt)}
        {part.truncated && part.scannedBytes
          ? ` · only the first ${formatBytes(part.scannedBytes)} were scanned`
          : ''}
        {part.resolvedAt
          ? ` · ${part.state} by ${who(part.resolvedBy)}, ${formatDateTime(part.resolvedAt)}`
          : ''}
      </div>
      {part.findings.length > 0 ? (
        <ul className="findings" aria-label={`Findings in ${part.label}`}>
          {part.findings.map((f) => (
            <li key={`${f.start}-${f.end}-${f.kind}`}>
              {f.label}: <code>{f.excerpt}</code>
            </li>
          ))}
        </ul>
      ) : null}
      {part.state === 'quarantined' ? (
        open ? (
          <form className="stack action-form" onSubmit={submit} aria-label={`Release ${part.label}`}>
            <Field
              label="Why is this not PHI?"
              id={`${id}-reason`}
              hint="Releasing shows the part to the whole case team."
            >
              <textarea
                id={`${id}-reason`}
                rows={2}
                required
                maxLength={1000}
                value={reason}
                aria-describedby={`${id}-reason-hint`}
                onChange={(e) => setReason(e.target.value)}
              />
            </Field>
            <ErrorMessage error={release.error} />
            <div className="actions">
              <button type="submit" disabled={release.isPending}>
                Release
              </button>
              <button type="button" className="secondary" onClick={() => setOpen(false)}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <button type="button" className="secondary small" onClick={() => setOpen(true)}>
            Release<span className="visually-hidden"> {part.label}</span>
          </button>
        )
      ) : null}
    </li>
  );
}

function ProposeRedaction({
  caseNumber,
  parts,
  onDone,
}: {
  caseNumber: string;
  parts: QuarantinePart[];
  onDone: () => void;
}) {
  const id = useId();
  const open = parts.filter((p) => p.state !== 'redacted');
  // Selected findings ("partId:index") and whole attachments ("partId").
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState('');
  const toggle = (key: string) => {
    const next = new Set(picked);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setPicked(next);
  };
  const body = (): RedactionPartInput[] => {
    const out: RedactionPartInput[] = [];
    for (const p of open) {
      if (p.kind === 'attachment') {
        if (picked.has(p.id)) out.push({ kind: 'attachment', ref: p.ref, whole: true });
        continue;
      }
      const spans = p.findings.filter((_, i) => picked.has(`${p.id}:${i}`));
      if (spans.length) out.push({ kind: p.kind, ref: p.ref, spans: mergeSpans(spans) });
    }
    return out;
  };
  const propose = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/reports/{caseNumber}/redactions', {
          params: { path: { caseNumber } },
          body: { reason, parts: body() },
        }),
      ),
    onSuccess: () => {
      setPicked(new Set());
      setReason('');
      onDone();
    },
  });
  if (open.length === 0) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    propose.mutate();
  };
  return (
    <form className="stack action-form" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Propose a redaction</h3>
      <p className="muted">
        Pick what to remove. Another privacy officer approves it; then the original is destroyed.
      </p>
      {open.map((p) => (
        <fieldset key={p.id}>
          <legend>{p.label}</legend>
          {p.kind === 'attachment' ? (
            <label className="inline">
              <input type="checkbox" checked={picked.has(p.id)} onChange={() => toggle(p.id)} /> Redact the
              whole attachment
            </label>
          ) : p.findings.length === 0 ? (
            <p className="muted">No finding to select.</p>
          ) : (
            p.findings.map((f, i) => (
              <label key={`${f.start}-${f.end}-${f.kind}`} className="inline finding-pick">
                <input
                  type="checkbox"
                  checked={picked.has(`${p.id}:${i}`)}
                  onChange={() => toggle(`${p.id}:${i}`)}
                />{' '}
                {f.label}: <code>{f.excerpt}</code>
              </label>
            ))
          )}
        </fieldset>
      ))}
      <Field label="Reason for the redaction" id={`${id}-reason`}>
        <textarea
          id={`${id}-reason`}
          rows={2}
          required
          maxLength={1000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Field>
      <ErrorMessage error={propose.error} />
      <div className="actions">
        <button type="submit" disabled={propose.isPending || picked.size === 0}>
          Propose redaction
        </button>
      </div>
    </form>
  );
}

function Redactions({
  caseNumber,
  redactions,
  onDone,
}: {
  caseNumber: string;
  redactions: Redaction[];
  onDone: () => void;
}) {
  if (redactions.length === 0) return null;
  return (
    <>
      <h3>Redactions</h3>
      <ul className="plain redactions">
        {redactions.map((r) => (
          <RedactionEntry key={r.id} caseNumber={caseNumber} r={r} onDone={onDone} />
        ))}
      </ul>
    </>
  );
}

function RedactionEntry({ caseNumber, r, onDone }: { caseNumber: string; r: Redaction; onDone: () => void }) {
  const id = useId();
  const session = useSession();
  const mine = session.data?.user.id === r.proposedBy.id;
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: (what: 'approve' | 'reject') => {
      const params = { path: { caseNumber, redactionId: r.id } };
      return what === 'approve'
        ? unwrap(api.POST('/api/v1/reports/{caseNumber}/redactions/{redactionId}/approve', { params }))
        : unwrap(
            api.POST('/api/v1/reports/{caseNumber}/redactions/{redactionId}/reject', {
              params,
              body: { reason },
            }),
          );
    },
    onSuccess: onDone,
  });
  const parts = r.parts
    .map((p) =>
      p.whole ? `${p.kind} (whole)` : `${p.kind}: ${p.spans ?? 0} span${p.spans === 1 ? '' : 's'}`,
    )
    .join('; ');
  return (
    <li>
      <span className={`badge redaction-${r.state}`}>{r.state}</span> {parts}
      <div className="muted">
        Proposed by {who(r.proposedBy)}, {formatDateTime(r.proposedAt)}: “{r.reason}”
        {r.decidedBy ? ` · ${r.state} by ${who(r.decidedBy)}, ${formatDateTime(r.decidedAt)}` : ''}
      </div>
      {r.state === 'proposed' ? (
        <div className="stack">
          <div className="actions">
            <button
              type="button"
              disabled={mine || decide.isPending}
              aria-describedby={mine ? `${id}-why` : undefined}
              onClick={() => decide.mutate('approve')}
            >
              Approve redaction
            </button>
            <button type="button" className="secondary" onClick={() => setRejecting(!rejecting)}>
              Reject…
            </button>
          </div>
          {mine ? (
            <p className="hint" id={`${id}-why`}>
              You proposed this redaction, so another privacy officer must approve it.
            </p>
          ) : null}
          {rejecting ? (
            <form
              className="stack"
              aria-label="Reject the redaction"
              onSubmit={(e) => {
                e.preventDefault();
                decide.mutate('reject');
              }}
            >
              <Field label="Why reject it?" id={`${id}-reject`}>
                <textarea
                  id={`${id}-reject`}
                  rows={2}
                  required
                  maxLength={1000}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                />
              </Field>
              <button type="submit" className="danger" disabled={decide.isPending}>
                Reject redaction
              </button>
            </form>
          ) : null}
          <ErrorMessage error={decide.error} />
        </div>
      ) : null}
    </li>
  );
}
