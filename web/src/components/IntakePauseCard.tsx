import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client.js';
import { useProgramRole } from '../policy.js';
import { ErrorMessage, Field, Loading, Time } from './common.js';

/**
 * A program's intake pause: whether reports are being accepted, and — for its admins and leads —
 * pausing with a public message and a reopening date, or resuming. The server audits each change
 * and refuses anyone else; the form is only hidden here to save them the refusal.
 */
export function IntakePauseCard({ slug, name }: { slug: string; name: string }) {
  const qc = useQueryClient();
  const key = ['intake-pause', slug];
  const state = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET('/api/v1/programs/{slug}/intake-pause', { params: { path: { slug } } })),
  });
  const { role } = useProgramRole(slug);
  const owner = role === 'admin' || role === 'lead';
  const [message, setMessage] = useState('');
  const [reopensOn, setReopensOn] = useState('');
  const refresh = () => void qc.invalidateQueries({ queryKey: key });
  const pause = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/api/v1/programs/{slug}/intake-pause', {
          params: { path: { slug } },
          body: { message: message.trim(), ...(reopensOn ? { reopensOn } : {}) },
        }),
      ),
    onSuccess: refresh,
  });
  const resume = useMutation({
    mutationFn: () =>
      unwrap(api.DELETE('/api/v1/programs/{slug}/intake-pause', { params: { path: { slug } } })),
    onSuccess: refresh,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    pause.mutate();
  };
  const headingId = `intake-${slug}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{name}</h2>
      {state.isPending ? (
        <Loading what="the intake state" />
      ) : state.isError ? (
        <ErrorMessage error={state.error} />
      ) : state.data.paused && state.data.pause ? (
        <>
          <p role="status">
            <strong>Intake is paused</strong> since <Time iso={state.data.pause.pausedAt} />
            {state.data.pause.reopensOn ? `; it reopens on ${state.data.pause.reopensOn}` : ''}. Reporters
            see:
          </p>
          <blockquote>{state.data.pause.message}</blockquote>
          {owner ? (
            <button type="button" onClick={() => resume.mutate()} disabled={resume.isPending}>
              Resume intake
            </button>
          ) : null}
          <ErrorMessage error={resume.error} />
        </>
      ) : (
        <>
          <p role="status">Intake is open: the form, the API and e-mail accept reports.</p>
          {owner ? (
            <form onSubmit={submit}>
              <Field
                label="Message to reporters while paused"
                id={`${headingId}-message`}
                hint="Shown on the program page and the form, and answered to API and e-mail clients. No deadline starts while paused."
              >
                <textarea
                  id={`${headingId}-message`}
                  aria-describedby={`${headingId}-message-hint`}
                  value={message}
                  onChange={(e) => setMessage(e.target.value)}
                  required
                  rows={3}
                />
              </Field>
              <Field label="Reopens on (optional)" id={`${headingId}-reopens`}>
                <input
                  id={`${headingId}-reopens`}
                  type="date"
                  value={reopensOn}
                  onChange={(e) => setReopensOn(e.target.value)}
                />
              </Field>
              <button type="submit" disabled={pause.isPending || message.trim() === ''}>
                Pause intake
              </button>
              <ErrorMessage error={pause.error} />
            </form>
          ) : null}
        </>
      )}
    </section>
  );
}
