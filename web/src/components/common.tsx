import { type ReactNode, useEffect, useState } from 'react';
import { errorText } from '../api/client.js';
import type { CaseClock } from '../api/types.js';
import { CLOCK_LABELS, clockText, clockTone, formatDateTime, relativeTime, stateLabel } from '../format.js';

/** A refusal or failure, announced to screen readers, in the API's own words. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {errorText(error)}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function StateBadge({ state }: { state: string }) {
  return <span className={`badge state-${state.replace(/[^a-z_]/g, '')}`}>{stateLabel(state)}</span>;
}

export function SeverityBadge({ severity }: { severity: string | null }) {
  if (!severity) return <span className="muted">unscored</span>;
  return <span className={`badge sev-${severity.replace(/[^a-z]/g, '')}`}>{severity}</span>;
}

/** A clock: colour and an icon-like word, so "overdue" never depends on colour alone. */
export function ClockText({ clock, withName }: { clock: CaseClock; withName?: boolean }) {
  const tone = clockTone(clock);
  return (
    <span className={`clock clock-${tone}`} title={`Due ${formatDateTime(clock.due)}`}>
      {tone === 'overdue' ? <span aria-hidden="true">⚠ </span> : null}
      {withName ? `${CLOCK_LABELS[clock.name] ?? clock.name}: ` : ''}
      {clockText(clock)}
    </span>
  );
}

/** An instant as relative text, with the absolute time (and zone) on hover and for assistive tech. */
export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span className="muted">—</span>;
  const absolute = formatDateTime(iso);
  return (
    <time dateTime={iso} title={absolute}>
      {relativeTime(iso)}
    </time>
  );
}

export function Field({
  label,
  id,
  hint,
  children,
}: {
  label: string;
  id: string;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** Copy text to the clipboard with a short confirmation. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<'' | 'ok' | 'failed'>('');
  return (
    <button
      type="button"
      className="secondary small"
      aria-live="polite"
      onClick={() => {
        navigator.clipboard?.writeText(text).then(
          () => {
            setDone('ok');
            setTimeout(() => setDone(''), 1500);
          },
          () => setDone('failed'),
        );
      }}
    >
      {done === 'ok' ? 'Copied' : done === 'failed' ? 'Copy failed — select the text' : label}
    </button>
  );
}

/** The page's document title ("… · Vigil console"). */
export function PageTitle({ title }: { title: string }) {
  useEffect(() => {
    document.title = `${title} · Vigil console`;
  }, [title]);
  return null;
}
