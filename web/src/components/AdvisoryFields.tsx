import { createContext, type ReactNode, useContext, useState } from 'react';
import { Markdown } from './Markdown.js';

/**
 * Inputs of the advisory editor. Each one knows the content path the API uses in `fields[].path`
 * (e.g. `vulnerabilities.0.cve`), so the server's own message for that field appears under it,
 * tied to the input with aria-describedby and aria-invalid.
 */

/** The API's field messages of the last save, by path. */
export const FieldErrors = createContext<Record<string, string>>({});

/** The input id for a content path (paths are dotted, ids may not be). */
export const fieldId = (path: string) => `adv-${path.replace(/[^a-zA-Z0-9]+/g, '-')}`;

function Described({
  path,
  label,
  hint,
  children,
}: {
  path: string;
  label: string;
  hint?: string;
  children: (a11y: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}) {
  const errors = useContext(FieldErrors);
  const id = fieldId(path);
  const error = errors[path];
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(error ? { 'aria-invalid': true as const } : {}),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function TextInput({
  path,
  label,
  value,
  onChange,
  hint,
  rows,
  type = 'text',
  mono,
}: {
  path: string;
  label: string;
  value: string | undefined;
  onChange: (v: string) => void;
  hint?: string;
  rows?: number;
  type?: 'text' | 'url' | 'datetime-local';
  mono?: boolean;
}) {
  return (
    <Described path={path} label={label} hint={hint}>
      {(a) =>
        rows ? (
          <textarea {...a} rows={rows} value={value ?? ''} onChange={(e) => onChange(e.target.value)} />
        ) : (
          <input
            {...a}
            type={type}
            className={mono ? 'mono' : undefined}
            value={value ?? ''}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </Described>
  );
}

export function SelectInput<T extends string>({
  path,
  label,
  value,
  options,
  onChange,
}: {
  path: string;
  label: string;
  value: T;
  options: readonly (T | { value: T; label: string })[];
  onChange: (v: T) => void;
}) {
  return (
    <Described path={path} label={label}>
      {(a) => (
        <select {...a} value={value} onChange={(e) => onChange(e.target.value as T)}>
          {options.map((o) => {
            const opt = typeof o === 'string' ? { value: o, label: o.replace(/_/g, ' ') } : o;
            return (
              <option key={opt.value} value={opt.value}>
                {opt.label}
              </option>
            );
          })}
        </select>
      )}
    </Described>
  );
}

/** Markdown with a preview rendered as the console renders markdown (raw HTML off, sanitised). */
export function MarkdownInput({
  path,
  label,
  value,
  onChange,
}: {
  path: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const [tab, setTab] = useState<'write' | 'preview'>('write');
  return (
    <div className="md-editor">
      <div className="md-tabs">
        {(['write', 'preview'] as const).map((t) => (
          <button
            key={t}
            type="button"
            className={tab === t ? 'small' : 'secondary small'}
            aria-pressed={tab === t}
            onClick={() => setTab(t)}
          >
            {t === 'write' ? `Write ${label.toLowerCase()}` : `Preview ${label.toLowerCase()}`}
          </button>
        ))}
      </div>
      {tab === 'write' ? (
        <TextInput path={path} label={label} value={value} onChange={onChange} rows={8} hint="Markdown." />
      ) : (
        <section className="md-preview" aria-label={`${label} (preview)`}>
          {value.trim() ? <Markdown text={value} /> : <p className="muted">Nothing written yet.</p>}
        </section>
      )}
    </div>
  );
}

/** A list editor's remove button, named after what it removes. */
export function RemoveButton({ what, onClick }: { what: string; onClick: () => void }) {
  return (
    <button type="button" className="secondary small" onClick={onClick}>
      Remove {what}
    </button>
  );
}

/** Replace item `i` of a list. */
export const replaceAt = <T,>(list: T[], i: number, item: T): T[] => list.map((x, j) => (j === i ? item : x));
export const removeAt = <T,>(list: T[], i: number): T[] => list.filter((_, j) => j !== i);
