import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { api, unwrap } from '../api/client.js';
import type { RequestBody, ResponseBody } from '../api/types.js';
import { ErrorMessage, Field } from './common.js';

type BulkBody = RequestBody<'/api/v1/reports/bulk', 'post'>;
type BulkAction = BulkBody['action'];
type BulkOutcome = ResponseBody<'/api/v1/reports/bulk', 'post'>;

const ACTIONS: { action: BulkAction; label: string; verb: string; explain: string }[] = [
  {
    action: 'mark_invalid',
    label: 'Close as invalid / spam',
    verb: 'Close as invalid',
    explain:
      "Each reporter gets the program's reply for invalid reports, with your text below it if you write one. Clocks still running become not applicable.",
  },
  {
    action: 'request_info',
    label: 'Request more information',
    verb: 'Request information on',
    explain:
      'Each reporter gets your text as a question (on their case page and by mail); the cases stay as they are. Only acknowledged cases can be asked.',
  },
  {
    action: 'forward_to_support',
    label: 'Not a vulnerability: forward to support',
    verb: 'Forward to support',
    explain:
      "Each reporter gets the program's support contact, with your text below it if you write one, and the case is closed.",
  },
];

const plural = (n: number) => `${n} case${n === 1 ? '' : 's'}`;

/**
 * The action bar of a queue selection (mount it always: it shows itself while cases are selected
 * and keeps the last results): one action and one reply for every selected case. Each
 * case is changed on its own (its own checks, audit entry and mail), so the result is listed
 * case by case; the cases that could not be changed stay selected, to be handled another way.
 */
export function BulkActionBar({
  selected,
  onClear,
  onKeep,
}: {
  selected: string[];
  onClear: () => void;
  /** Keep only these selected (the cases that failed). */
  onKeep: (caseNumbers: string[]) => void;
}) {
  const id = useId();
  const qc = useQueryClient();
  const [action, setAction] = useState<BulkAction>('mark_invalid');
  const [message, setMessage] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const chosen = ACTIONS.find((a) => a.action === action) ?? (ACTIONS[0] as (typeof ACTIONS)[number]);
  const needsMessage = action === 'request_info';

  const run = useMutation({
    mutationFn: () => {
      const body: BulkBody = { caseNumbers: selected, action };
      if (message.trim()) body.message = message;
      return unwrap(api.POST('/api/v1/reports/bulk', { body }));
    },
    onSuccess: (out) => {
      setOutcome(out);
      setConfirming(false);
      onKeep(out.results.filter((r) => !r.ok).map((r) => r.caseNumber));
      void qc.invalidateQueries({ queryKey: ['queue'] });
      for (const r of out.results) if (r.ok) void qc.invalidateQueries({ queryKey: ['case', r.caseNumber] });
    },
    onError: () => setConfirming(false),
  });

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  // Shown while cases are selected, and after a run until the next one (its results).
  if (selected.length === 0 && !outcome) return null;
  return (
    <section className="bulk-bar card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`} className="bulk-title">
        {selected.length > 0 ? `Bulk action: ${plural(selected.length)} selected` : 'Bulk action: results'}
      </h2>
      {selected.length > 0 ? (
        <form
          className="bulk-form"
          onSubmit={(e) => {
            e.preventDefault();
            setOutcome(null);
            setConfirming(true);
          }}
        >
          <Field label="Action" id={`${id}-action`}>
            <select
              id={`${id}-action`}
              value={action}
              onChange={(e) => {
                setAction(e.target.value as BulkAction);
                setConfirming(false);
              }}
            >
              {ACTIONS.map((a) => (
                <option key={a.action} value={a.action}>
                  {a.label}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label={needsMessage ? 'Reply to every reporter' : 'Reply to every reporter (optional)'}
            id={`${id}-message`}
            hint={chosen.explain}
          >
            <textarea
              id={`${id}-message`}
              rows={3}
              required={needsMessage}
              aria-describedby={`${id}-message-hint`}
              value={message}
              onChange={(e) => {
                setMessage(e.target.value);
                setConfirming(false);
              }}
            />
          </Field>
          {confirming ? (
            <fieldset className="bulk-confirm">
              <legend>
                <strong>
                  {chosen.verb} {plural(selected.length)}?
                </strong>{' '}
                Every reporter is told; this cannot be undone in bulk.
              </legend>
              <div className="actions">
                <button
                  ref={confirmRef}
                  type="button"
                  className={action === 'request_info' ? undefined : 'danger'}
                  disabled={run.isPending}
                  onClick={() => run.mutate()}
                >
                  {run.isPending
                    ? 'Working…'
                    : `Yes, ${chosen.verb.toLowerCase()} ${plural(selected.length)}`}
                </button>
                <button type="button" className="link" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </div>
            </fieldset>
          ) : (
            <div className="actions">
              <button type="submit">
                {chosen.verb} {plural(selected.length)}…
              </button>
              <button type="button" className="link" onClick={onClear}>
                Clear selection
              </button>
            </div>
          )}
        </form>
      ) : null}
      <ErrorMessage error={run.error} />
      {outcome ? <BulkResults outcome={outcome} /> : null}
    </section>
  );
}

function BulkResults({ outcome }: { outcome: BulkOutcome }) {
  return (
    <div className="bulk-results" role="status">
      <p>
        <strong>
          {plural(outcome.succeeded)} done
          {outcome.failed > 0 ? `, ${plural(outcome.failed)} not changed (still selected)` : ''}.
        </strong>
      </p>
      <ul>
        {outcome.results.map((r) => (
          <li key={r.caseNumber} className={r.ok ? 'bulk-ok' : 'bulk-failed'}>
            <span className="case-number">{r.caseNumber}</span>:{' '}
            {r.ok ? `done (now ${r.case.state.replace(/_/g, ' ')})` : `not changed: ${r.message}`}
          </li>
        ))}
      </ul>
    </div>
  );
}
