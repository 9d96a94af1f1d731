import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ApiError, api, unwrap } from '../api/client.js';
import type { CreditConsent } from '../api/types.js';
import { formatDateTime } from '../format.js';
import { ErrorMessage, Loading } from './common.js';

const VIA: Record<CreditConsent['history'][number]['via'], string> = {
  form: 'on the report form',
  'private-page': 'on their private page',
  'mail-reply': 'in a reply to our mail',
  staff: 'recorded by the team',
};

/**
 * The reporter's consent to public credit: where it stands, every change with how it was given,
 * and — for the case team — recording a consent the reporter gave another way, with the evidence.
 * Advisories may credit only what the latest entry gives.
 */
export function CreditConsentCard({
  caseNumber,
  canRecord,
  timeZone,
}: {
  caseNumber: string;
  canRecord: boolean;
  timeZone?: string;
}) {
  const q = useQuery({
    queryKey: ['case', caseNumber, 'credit-consent'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/reports/{caseNumber}/credit-consent', { params: { path: { caseNumber } } })),
    staleTime: 0,
  });
  if (q.isPending) return <Loading what="the credit consent" />;
  if (q.isError) return <ErrorMessage error={q.error} />;
  const c = q.data;
  if (!c.offered) return null;
  return (
    <section className="card" aria-labelledby="credit-heading">
      <h2 id="credit-heading">Credit consent</h2>
      <p>
        {c.current.status === 'given' ? (
          <>
            <strong>Consents</strong> to be credited as “{c.current.text}”.
          </>
        ) : c.current.status === 'declined' ? (
          <>
            <strong>Declined</strong>: name no one for this report.
          </>
        ) : (
          <>
            <strong>Not answered</strong>: name no one until the reporter says so.
          </>
        )}
      </p>
      {c.history.length > 0 ? (
        <ol className="plain history" aria-label="Consent history">
          {c.history.map((h) => (
            <li key={`${h.recordedAt}-${h.via}-${h.choice}`}>
              {formatDateTime(h.recordedAt, timeZone)}:{' '}
              {h.choice === 'given' ? `gave “${h.text}”` : 'declined'}, {VIA[h.via]}
              {h.recordedBy ? ` (${h.recordedBy.name || h.recordedBy.email})` : ''}
              {h.evidence ? <div className="muted">Evidence: {h.evidence}</div> : null}
            </li>
          ))}
        </ol>
      ) : null}
      {canRecord ? <RecordConsent caseNumber={caseNumber} /> : null}
    </section>
  );
}

function RecordConsent({ caseNumber }: { caseNumber: string }) {
  const id = useId();
  const qc = useQueryClient();
  const [shown, setShown] = useState(false);
  const [choice, setChoice] = useState<'given' | 'declined' | ''>('');
  const [text, setText] = useState('');
  const [evidence, setEvidence] = useState('');
  const record = useMutation({
    mutationFn: (answer: 'given' | 'declined') =>
      unwrap(
        api.POST('/api/v1/reports/{caseNumber}/credit-consent', {
          params: { path: { caseNumber } },
          body: { choice: answer, evidence, ...(answer === 'given' ? { text } : {}) },
        }),
      ),
    onSuccess: (c) => {
      qc.setQueryData(['case', caseNumber, 'credit-consent'], c);
      setShown(false);
      setText('');
      setEvidence('');
      setChoice('');
    },
  });
  const errorAt = (field: string) =>
    record.error instanceof ApiError ? record.error.fields.find((f) => f.path === field)?.message : undefined;
  if (!shown)
    return (
      <button type="button" className="secondary small" onClick={() => setShown(true)}>
        Record an answer given another way…
      </button>
    );
  return (
    <form
      className="reason-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (choice) record.mutate(choice);
      }}
    >
      <fieldset>
        <legend>The reporter’s answer</legend>
        <label className="inline">
          <input
            type="radio"
            name={`${id}-choice`}
            checked={choice === 'given'}
            onChange={() => setChoice('given')}
          />{' '}
          Consents to be credited
        </label>{' '}
        <label className="inline">
          <input
            type="radio"
            name={`${id}-choice`}
            checked={choice === 'declined'}
            onChange={() => setChoice('declined')}
          />{' '}
          Declines (or withdraws)
        </label>
        {errorAt('choice') ? <p className="error">{errorAt('choice')}</p> : null}
      </fieldset>
      {choice === 'given' ? (
        <>
          <label htmlFor={`${id}-text`}>The credit, exactly in the reporter’s words</label>
          <input
            id={`${id}-text`}
            maxLength={200}
            value={text}
            aria-invalid={errorAt('text') ? true : undefined}
            aria-describedby={errorAt('text') ? `${id}-text-error` : undefined}
            onChange={(e) => setText(e.target.value)}
          />
          {errorAt('text') ? (
            <p className="error" id={`${id}-text-error`}>
              {errorAt('text')}
            </p>
          ) : null}
        </>
      ) : null}
      <label htmlFor={`${id}-evidence`}>Evidence: how and when the reporter told you</label>
      <textarea
        id={`${id}-evidence`}
        rows={2}
        maxLength={2000}
        value={evidence}
        aria-invalid={errorAt('evidence') ? true : undefined}
        aria-describedby={errorAt('evidence') ? `${id}-evidence-error` : undefined}
        onChange={(e) => setEvidence(e.target.value)}
      />
      {errorAt('evidence') ? (
        <p className="error" id={`${id}-evidence-error`}>
          {errorAt('evidence')}
        </p>
      ) : null}
      {record.error instanceof ApiError && record.error.fields.length > 0 ? null : (
        <ErrorMessage error={record.error} />
      )}
      <p>
        <button type="submit" className="small" disabled={record.isPending || !choice}>
          Record the answer
        </button>{' '}
        <button type="button" className="secondary small" onClick={() => setShown(false)}>
          Cancel
        </button>
      </p>
    </form>
  );
}
