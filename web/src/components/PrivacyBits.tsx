import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ApiError, api } from '../api.js';
import { formatDateTime } from '../format.js';
import type { PrivacyEscalation } from '../types.js';
import { ErrorMessage, Loading } from './common.js';

/** Marks a case whose content is (partly) held in privacy quarantine. */
export function PhiBadge() {
  return (
    <span className="badge phi" title="Part of this case is held in privacy quarantine">
      PHI
    </span>
  );
}

export const QUARANTINE_TEXT = 'Held in privacy quarantine — visible to privacy officers';

/** What a handler sees in place of quarantined content. */
export function QuarantinedPlaceholder({ what }: { what?: string }) {
  return (
    <p className="quarantined">
      {what ? `${what}: ` : ''}
      {QUARANTINE_TEXT}
    </p>
  );
}

const escalationPath = (caseNumber: string) =>
  `/api/v1/reports/${encodeURIComponent(caseNumber)}/privacy-escalation`;

/**
 * The case's privacy escalation: its deadline and checklist for everyone who reads the case;
 * privacy officers tick items (with a note) and close it.
 */
const REASONS: Record<string, string> = {
  'reporter-accessed-phi': 'the reporter said they reached PHI or personal data',
};

export function PrivacyEscalationCard({
  caseNumber,
  canWork,
  timeZone,
}: {
  caseNumber: string;
  canWork: boolean;
  /** The program's zone: the deadline is the end of a calendar day there. */
  timeZone?: string;
}) {
  const q = useQuery({
    queryKey: ['case', caseNumber, 'privacy-escalation'],
    queryFn: () => api<PrivacyEscalation>(escalationPath(caseNumber)),
    staleTime: 0,
  });
  const qc = useQueryClient();
  const done = (e: PrivacyEscalation) => {
    qc.setQueryData(['case', caseNumber, 'privacy-escalation'], e);
    void qc.invalidateQueries({ queryKey: ['case', caseNumber, 'detail'] });
  };
  const close = useMutation({
    mutationFn: () => api<PrivacyEscalation>(`${escalationPath(caseNumber)}/close`, { method: 'POST' }),
    onSuccess: done,
  });
  if (q.isError && q.error instanceof ApiError && q.error.status === 404) return null;
  return (
    <section className="card escalation" aria-labelledby="escalation-heading">
      <h2 id="escalation-heading">Privacy escalation</h2>
      {q.isPending ? (
        <Loading what="the escalation" />
      ) : q.isError ? (
        <ErrorMessage error={q.error} />
      ) : (
        <>
          <p>
            {q.data.open ? (
              <>
                <strong>Open</strong> — due {formatDateTime(q.data.dueAt, timeZone)}
              </>
            ) : (
              <>
                Closed {formatDateTime(q.data.closedAt, timeZone)}
                {q.data.closedBy ? ` by ${q.data.closedBy.name || q.data.closedBy.email}` : ''}
              </>
            )}
          </p>
          <p className="hint">
            Opened {formatDateTime(q.data.openedAt, timeZone)} because{' '}
            {REASONS[q.data.reason] ?? q.data.reason.replace(/-/g, ' ')}.
            {canWork ? '' : ' Privacy officers of the program work through the checklist.'}
          </p>
          <ul className="plain checklist" aria-label="Privacy escalation checklist">
            {q.data.checklist.map((item) => (
              <ChecklistItem
                key={item.id}
                caseNumber={caseNumber}
                item={item}
                editable={canWork && q.data.open}
                onDone={done}
              />
            ))}
          </ul>
          {canWork && q.data.open ? (
            <>
              <ErrorMessage error={close.error} />
              <button
                type="button"
                className="small"
                disabled={close.isPending}
                onClick={() => close.mutate()}
              >
                Close the escalation
              </button>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}

function ChecklistItem({
  caseNumber,
  item,
  editable,
  onDone,
}: {
  caseNumber: string;
  item: PrivacyEscalation['checklist'][number];
  editable: boolean;
  onDone: (e: PrivacyEscalation) => void;
}) {
  const id = useId();
  const [note, setNote] = useState(item.note ?? '');
  const set = useMutation({
    mutationFn: (v: { done: boolean; note?: string }) =>
      api<PrivacyEscalation>(`${escalationPath(caseNumber)}/checklist/${encodeURIComponent(item.id)}`, {
        method: 'PUT',
        body: v,
      }),
    onSuccess: onDone,
  });
  const by = item.doneBy ? ` — ${item.doneBy.name || item.doneBy.email}, ${formatDateTime(item.doneAt)}` : '';
  if (!editable)
    return (
      <li>
        <span aria-hidden="true">{item.done ? '☑ ' : '☐ '}</span>
        {item.label}
        <span className="visually-hidden">{item.done ? ' (done)' : ' (open)'}</span>
        {item.done ? <span className="muted">{by}</span> : null}
        {item.note ? <div className="muted">Note: {item.note}</div> : null}
      </li>
    );
  return (
    <li>
      <label className="inline">
        <input
          type="checkbox"
          checked={item.done}
          disabled={set.isPending}
          onChange={(e) => set.mutate({ done: e.target.checked, ...(note.trim() ? { note } : {}) })}
        />{' '}
        {item.label}
      </label>
      {item.done ? <span className="muted">{by}</span> : null}
      <div className="note-row">
        <label htmlFor={`${id}-note`} className="visually-hidden">
          Note for “{item.label}”
        </label>
        <input
          id={`${id}-note`}
          placeholder="Note (optional)"
          maxLength={4000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        <button
          type="button"
          className="secondary small"
          disabled={set.isPending || note === (item.note ?? '')}
          onClick={() => set.mutate({ done: item.done, note })}
        >
          Save note<span className="visually-hidden"> for “{item.label}”</span>
        </button>
      </div>
      <ErrorMessage error={set.error} />
    </li>
  );
}
