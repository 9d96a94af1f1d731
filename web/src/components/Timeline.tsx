import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client.js';
import type { TimelineItem, UserRef } from '../api/types.js';
import { stateLabel } from '../format.js';
import { useCaseRefresh } from './CaseActions.js';
import { ErrorMessage, Field, Loading, Time } from './common.js';
import { QuarantinedPlaceholder } from './PrivacyBits.js';

const who = (u: UserRef | null) => (u ? u.name || u.email : 'Vigil');

function Entry({ item }: { item: TimelineItem }) {
  if (item.type === 'message') {
    const internal = item.visibility === 'internal';
    const fromReporter = item.author === 'reporter';
    return (
      <li className={internal ? 'internal' : fromReporter ? 'from-reporter' : 'to-reporter'}>
        <div className="tl-head">
          <strong>{fromReporter ? 'Reporter' : who(item.staff)}</strong>
          <span>
            {internal ? (
              <span className="internal-tag">Internal — never sent to the reporter</span>
            ) : fromReporter ? (
              'message from the reporter'
            ) : (
              'message to the reporter'
            )}
          </span>
          <Time iso={item.at} />
        </div>
        {/* A message is never empty unless held: the body is withheld from callers without the
            privacy duty (also where the timeline's answer does not carry the marker). */}
        {item.body === '' && item.quarantined !== false ? (
          <QuarantinedPlaceholder />
        ) : (
          <>
            {item.quarantined ? <span className="badge phi">quarantined</span> : null}
            <p className="tl-body">{item.body}</p>
          </>
        )}
      </li>
    );
  }
  if (item.type === 'assignment') {
    return (
      <li className="event">
        <span>
          {who(item.by)} {item.to ? `assigned the case to ${who(item.to)}` : 'unassigned the case'}
        </span>{' '}
        · <Time iso={item.at} />
      </li>
    );
  }
  return (
    <li className="event">
      <span>
        {who(item.by)}: {item.action.replace(/[_-]/g, ' ')}
        {item.from && item.to && item.from !== item.to
          ? ` (${stateLabel(item.from)} → ${stateLabel(item.to)})`
          : ''}
      </span>{' '}
      · <Time iso={item.at} />
    </li>
  );
}

/** Messages, internal notes and state changes in order, and the composer below them. */
export function Timeline({ caseNumber }: { caseNumber: string }) {
  const timeline = useQuery({
    queryKey: ['case', caseNumber, 'timeline'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/reports/{caseNumber}/timeline', { params: { path: { caseNumber } } })),
  });
  return (
    <section className="card" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      {timeline.isPending ? (
        <Loading what="the timeline" />
      ) : timeline.isError ? (
        <ErrorMessage error={timeline.error} />
      ) : timeline.data.items.length === 0 ? (
        <p className="muted">Nothing has happened on this case yet.</p>
      ) : (
        <ol className="timeline">
          {timeline.data.items.map((item, i) => (
            <Entry
              key={item.type === 'message' ? item.messageId : `${item.type}-${item.at}-${i}`}
              item={item}
            />
          ))}
        </ol>
      )}
      <Composer caseNumber={caseNumber} />
    </section>
  );
}

function Composer({ caseNumber }: { caseNumber: string }) {
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<'reporter' | 'internal'>('internal');
  const [sent, setSent] = useState<string | null>(null);
  const refresh = useCaseRefresh(caseNumber);
  const send = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/reports/{caseNumber}/messages', {
          params: { path: { caseNumber } },
          body: { body, visibility },
        }),
      ),
    onSuccess: () => {
      setBody('');
      setSent(visibility === 'internal' ? 'Internal note added.' : 'Message sent to the reporter.');
      refresh();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSent(null);
    send.mutate();
  };
  return (
    <form className="stack composer" onSubmit={submit} aria-labelledby="composer-heading">
      <h3 id="composer-heading">Add to the conversation</h3>
      <fieldset>
        <legend>Who sees it</legend>
        <div className="radio-row">
          <label>
            <input
              type="radio"
              name="visibility"
              value="internal"
              checked={visibility === 'internal'}
              onChange={() => setVisibility('internal')}
            />
            Internal note (case team only)
          </label>
          <label>
            <input
              type="radio"
              name="visibility"
              value="reporter"
              checked={visibility === 'reporter'}
              onChange={() => setVisibility('reporter')}
            />
            To the reporter
          </label>
        </div>
      </fieldset>
      <Field
        label="Message"
        id="composer-body"
        hint={
          visibility === 'reporter'
            ? 'Shown on the reporter’s case page and mailed to them.'
            : 'Never sent to the reporter.'
        }
      >
        <textarea
          id="composer-body"
          rows={5}
          aria-describedby="composer-body-hint"
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
      </Field>
      <ErrorMessage error={send.error} />
      {sent ? (
        <p className="notice" role="status">
          {sent}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={send.isPending || body.trim() === ''}>
          {visibility === 'internal' ? 'Add internal note' : 'Send to reporter'}
        </button>
      </div>
    </form>
  );
}
