import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api, unwrap } from '../api/client.js';
import type { PolicyDetail } from '../api/types.js';
import { ErrorMessage, Field } from './common.js';
import { Markdown } from './Markdown.js';

/** Markdown text with a preview rendered exactly as the console renders markdown (sanitised). */
export function MarkdownEditor({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const [tab, setTab] = useState<'write' | 'preview'>('write');
  return (
    <div className="field md-editor">
      <div className="md-tabs">
        <button
          type="button"
          className={tab === 'write' ? 'small' : 'secondary small'}
          aria-pressed={tab === 'write'}
          onClick={() => setTab('write')}
        >
          Write
        </button>
        <button
          type="button"
          className={tab === 'preview' ? 'small' : 'secondary small'}
          aria-pressed={tab === 'preview'}
          onClick={() => setTab('preview')}
        >
          Preview
        </button>
      </div>
      {tab === 'write' ? (
        <>
          <label htmlFor={id}>{label}</label>
          <textarea
            id={id}
            className="policy-text mono"
            rows={18}
            value={value}
            aria-describedby={`${id}-hint`}
            onChange={(e) => onChange(e.target.value)}
          />
          <p className="hint" id={`${id}-hint`}>
            Markdown: “# Scope”, “## Safe harbor” become the sections and the table of contents of the public
            page.
          </p>
        </>
      ) : (
        <section className="md-preview" aria-label={`${label} (preview)`}>
          {value.trim() ? <Markdown text={value} /> : <p className="muted">Nothing written yet.</p>}
        </section>
      )}
    </div>
  );
}

/** Start a draft: blank text, or the published text to change. */
export function NewDraftForm({ slug, doc }: { slug: string; doc: PolicyDetail }) {
  const id = useId();
  const qc = useQueryClient();
  const [fromPublished, setFromPublished] = useState(doc.published !== null);
  const [body, setBody] = useState('');
  const [changes, setChanges] = useState(doc.published ? '' : 'First issue.');
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/programs/{slug}/policies/{kind}/versions', {
          params: { path: { slug, kind: doc.kind } },
          body: fromPublished ? { from: 'published', changes } : { body, changes },
        }),
      ),
    onSuccess: (d) => {
      qc.setQueryData(['policies', slug, doc.kind], d);
      void qc.invalidateQueries({ queryKey: ['policies', slug] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="stack" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Start a new draft</h3>
      {doc.published ? (
        <label className="inline">
          <input
            type="checkbox"
            checked={fromPublished}
            onChange={(e) => setFromPublished(e.target.checked)}
          />{' '}
          Start from the published text (version {doc.published.version})
        </label>
      ) : null}
      {fromPublished ? null : (
        <MarkdownEditor id={`${id}-body`} label="Policy text" value={body} onChange={setBody} />
      )}
      <Field label="Record of changes" id={`${id}-changes`} hint="Shown in the revision history.">
        <input
          id={`${id}-changes`}
          required
          maxLength={2000}
          value={changes}
          aria-describedby={`${id}-changes-hint`}
          onChange={(e) => setChanges(e.target.value)}
        />
      </Field>
      <ErrorMessage error={create.error} />
      <div className="actions">
        <button type="submit" disabled={create.isPending}>
          Create draft
        </button>
      </div>
    </form>
  );
}

/** Edit the open draft's text, record of changes and effective date. */
export function DraftEditor({
  slug,
  kind,
  version,
  initial,
}: {
  slug: string;
  kind: string;
  version: string;
  initial: { body: string; changes: string; effectiveDate: string | null };
}) {
  const id = useId();
  const qc = useQueryClient();
  const [body, setBody] = useState(initial.body);
  const [changes, setChanges] = useState(initial.changes);
  const [effectiveDate, setEffectiveDate] = useState(initial.effectiveDate ?? '');
  const dirty =
    body !== initial.body || changes !== initial.changes || effectiveDate !== (initial.effectiveDate ?? '');
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/v1/programs/{slug}/policies/{kind}/versions/{version}', {
          params: { path: { slug, kind, version } },
          body: { body, changes, effectiveDate: effectiveDate || null },
        }),
      ),
    onSuccess: (d) => qc.setQueryData(['policies', slug, kind], d),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="stack" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Edit draft {version}</h3>
      <MarkdownEditor id={`${id}-body`} label="Policy text" value={body} onChange={setBody} />
      <div className="grid-2">
        <Field label="Record of changes" id={`${id}-changes`}>
          <input
            id={`${id}-changes`}
            required
            maxLength={2000}
            value={changes}
            onChange={(e) => setChanges(e.target.value)}
          />
        </Field>
        <Field label="Effective date (optional)" id={`${id}-effective`}>
          <input
            id={`${id}-effective`}
            type="date"
            value={effectiveDate}
            onChange={(e) => setEffectiveDate(e.target.value)}
          />
        </Field>
      </div>
      <ErrorMessage error={save.error} />
      <div className="actions">
        <button type="submit" disabled={save.isPending || !dirty}>
          Save draft
        </button>
        {save.isSuccess && !dirty ? (
          <span className="muted" role="status">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}
