import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ApiError, api, unwrap } from '../api/client.js';
import type { PrivacyEscalation } from '../api/types.js';
import { formatDateTime } from '../format.js';
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

/**
 * The case's privacy escalation: its deadline and checklist for everyone who reads the case;
 * privacy officers tick items (with a note) and close it.
 */
const REASONS: Record<string, string> = {
  'reporter-accessed-phi': 'the reporter answered that they reached PHI or personal data',
  'reporter-stated-phi': 'the reporter’s words said they reached PHI, and the case team decided so',
  'staff-opened': 'the case team opened it by hand',
};

/**
 * A short form asking for the reason of a decision (opening, closing early, declining), with the
 * API's message under the field when it refuses. Hidden behind a button until asked for.
 */
export function ReasonForm({
  open,
  label,
  submit,
  hint,
  pending,
  error,
  onSubmit,
}: {
  /** The button that reveals the form. */
  open: string;
  label: string;
  submit: string;
  hint?: string;
  pending: boolean;
  error: unknown;
  onSubmit: (reason: string) => void;
}) {
  const id = useId();
  const [shown, setShown] = useState(false);
  const [reason, setReason] = useState('');
  const fieldError =
    error instanceof ApiError ? error.fields.find((f) => f.path === 'reason')?.message : undefined;
  if (!shown)
    return (
      <button type="button" className="secondary small" onClick={() => setShown(true)}>
        {open}
      </button>
    );
  return (
    <form
      className="reason-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(reason);
      }}
    >
      <label htmlFor={`${id}-reason`}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <textarea
        id={`${id}-reason`}
        rows={3}
        maxLength={4000}
        value={reason}
        aria-describedby={
          [hint ? `${id}-hint` : '', fieldError ? `${id}-error` : ''].join(' ').trim() || undefined
        }
        aria-invalid={fieldError ? true : undefined}
        onChange={(e) => setReason(e.target.value)}
      />
      {fieldError ? (
        <p className="error" id={`${id}-error`}>
          {fieldError}
        </p>
      ) : (
        <ErrorMessage error={error} />
      )}
      <p>
        <button type="submit" className="small" disabled={pending}>
          {submit}
        </button>{' '}
        <button type="button" className="secondary small" onClick={() => setShown(false)}>
          Cancel
        </button>
      </p>
    </form>
  );
}

/**
 * Open a privacy escalation by hand (or reopen a closed one), with the reason: for the case team
 * and the privacy officers. The officers are told; the reason stays on the case.
 */
export function OpenEscalation({ caseNumber, reopen }: { caseNumber: string; reopen: boolean }) {
  const qc = useQueryClient();
  const open = useMutation({
    mutationFn: (reason: string) =>
      unwrap(
        api.POST('/api/v1/reports/{caseNumber}/privacy-escalation', {
          params: { path: { caseNumber } },
          body: { reason },
        }),
      ),
    onSuccess: (e) => {
      qc.setQueryData(['case', caseNumber, 'privacy-escalation'], e);
      void qc.invalidateQueries({ queryKey: ['case', caseNumber] });
    },
  });
  return (
    <ReasonForm
      open={reopen ? 'Reopen the privacy escalation…' : 'Open a privacy escalation…'}
      label="Why (kept on the case; the privacy officers are told that it is open)"
      submit={reopen ? 'Reopen' : 'Open the escalation'}
      pending={open.isPending}
      error={open.error}
      onSubmit={(reason) => open.mutate(reason)}
    />
  );
}

/**
 * The reporter's words saying they reached PHI (found on arrival, distinct from the PHI guard's
 * finding of patient data in the report): where and what, and the team's decision — open an
 * escalation or decline, each with a reason.
 */
export function PhiClaimCard({
  caseNumber,
  canDecide,
  timeZone,
  labelOf = (id) => id,
}: {
  caseNumber: string;
  canDecide: boolean;
  timeZone?: string;
  /** The form label of a report field, by id. */
  labelOf?: (fieldId: string) => string;
}) {
  const q = useQuery({
    queryKey: ['case', caseNumber, 'phi-claim'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/reports/{caseNumber}/phi-access-claim', { params: { path: { caseNumber } } })),
    staleTime: 0,
  });
  const qc = useQueryClient();
  const decline = useMutation({
    mutationFn: (reason: string) =>
      unwrap(
        api.POST('/api/v1/reports/{caseNumber}/phi-access-claim/decline', {
          params: { path: { caseNumber } },
          body: { reason },
        }),
      ),
    onSuccess: (c) => {
      qc.setQueryData(['case', caseNumber, 'phi-claim'], c);
      void qc.invalidateQueries({ queryKey: ['case', caseNumber, 'detail'] });
    },
  });
  if (q.isError && q.error instanceof ApiError && q.error.status === 404) return null;
  return (
    <section className="card phi-claim" aria-labelledby="phi-claim-heading">
      <h2 id="phi-claim-heading">The reporter says they reached PHI</h2>
      {q.isPending ? (
        <Loading what="the statement" />
      ) : q.isError ? (
        <ErrorMessage error={q.error} />
      ) : (
        <>
          <p className="hint">
            Found in the reporter’s own words on {formatDateTime(q.data.detectedAt, timeZone)}. This is what
            they say, not patient data found in the report.
          </p>
          <ul className="plain">
            {q.data.findings.map((f) => (
              <li key={`${f.where}-${f.excerpt}`}>
                <span className="muted">
                  {f.where.startsWith('message:') ? 'In a later message' : `In “${labelOf(f.where)}”`}:
                </span>{' '}
                {f.excerpt === null ? <QuarantinedPlaceholder /> : <q>{f.excerpt}</q>}
              </li>
            ))}
          </ul>
          {q.data.decision === null ? (
            canDecide ? (
              <div className="decision">
                <p>Decide: open a privacy escalation, or decline with a reason.</p>
                <OpenEscalation caseNumber={caseNumber} reopen={false} />{' '}
                <ReasonForm
                  open="Decline…"
                  label="Why no escalation is needed"
                  submit="Decline"
                  pending={decline.isPending}
                  error={decline.error}
                  onSubmit={(reason) => decline.mutate(reason)}
                />
              </div>
            ) : (
              <p>Awaiting the case team’s decision.</p>
            )
          ) : (
            <p>
              {q.data.decision === 'escalated' ? 'Escalated' : 'Declined'}
              {q.data.decidedBy ? ` by ${q.data.decidedBy.name || q.data.decidedBy.email}` : ''}
              {q.data.decidedAt ? `, ${formatDateTime(q.data.decidedAt, timeZone)}` : ''}
              {q.data.note ? `: ${q.data.note}` : '.'}
            </p>
          )}
        </>
      )}
    </section>
  );
}

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
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/reports/{caseNumber}/privacy-escalation', { params: { path: { caseNumber } } }),
      ),
    staleTime: 0,
  });
  const qc = useQueryClient();
  const done = (e: PrivacyEscalation) => {
    qc.setQueryData(['case', caseNumber, 'privacy-escalation'], e);
    void qc.invalidateQueries({ queryKey: ['case', caseNumber, 'detail'] });
  };
  const close = useMutation({
    mutationFn: (reason?: string) =>
      unwrap(
        api.POST('/api/v1/reports/{caseNumber}/privacy-escalation/close', {
          params: { path: { caseNumber } },
          body: reason !== undefined ? { reason } : {},
        }),
      ),
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
            {REASONS[q.data.reason] ?? q.data.reason.replace(/-/g, ' ')}
            {q.data.openedBy ? ` (${q.data.openedBy.name || q.data.openedBy.email})` : ''}.
            {canWork ? '' : ' Privacy officers of the program work through the checklist.'}
          </p>
          {q.data.openNote ? <p>Reason: {q.data.openNote}</p> : null}
          {q.data.closeNote ? <p>Closed early: {q.data.closeNote}</p> : null}
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
            q.data.checklist.every((i) => i.done) ? (
              <>
                <ErrorMessage error={close.error} />
                <button
                  type="button"
                  className="small"
                  disabled={close.isPending}
                  onClick={() => close.mutate(undefined)}
                >
                  Close the escalation
                </button>
              </>
            ) : (
              <ReasonForm
                open="Close early…"
                label="Why it can close with items open"
                hint="For example: opened in error, or no PHI was reached after all."
                submit="Close early"
                pending={close.isPending}
                error={close.error}
                onSubmit={(reason) => close.mutate(reason)}
              />
            )
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
      unwrap(
        api.PUT('/api/v1/reports/{caseNumber}/privacy-escalation/checklist/{item}', {
          params: { path: { caseNumber, item: item.id } },
          body: v,
        }),
      ),
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
