import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { TLP_LABELS } from '../advisory.js';
import { ApiError, api, unwrap } from '../api/client.js';
import type { AdvisoryRevision, TlpLabel } from '../api/types.js';
import { formatDateTime } from '../format.js';
import { ErrorMessage, Field, Loading } from './common.js';

/**
 * Who was told about an advisory (customers, reporters) and which coordinators got a sharing
 * package, with the outbox's status; and the form that shares a revision with coordinators.
 * Hidden for people the API refuses (a 403 is not an error worth showing here). Recipient
 * addresses come only to those who manage the program's customers; the rest of the team sees
 * how many mails went out and which failed, without to whom.
 */

/** "5 mails: 4 sent, 1 failed" — the counts a caller without the addresses can act on. */
function tally(statuses: string[]): string {
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  const parts = [...counts].map(([s, n]) => `${n} ${s}`);
  return `${statuses.length} mail${statuses.length === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}

const refused = (e: unknown) => e instanceof ApiError && (e.status === 403 || e.status === 404);

function ShareForm({ id, program, rev }: { id: string; program: string; rev: AdvisoryRevision }) {
  const coordinators = useQuery({
    queryKey: ['coordinators', program],
    queryFn: () =>
      unwrap(api.GET('/api/v1/programs/{slug}/coordinators', { params: { path: { slug: program } } })),
    retry: false,
  });
  const [picked, setPicked] = useState<string[]>([]);
  const [tlp, setTlp] = useState<TlpLabel | ''>('');
  const qc = useQueryClient();
  const share = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/advisories/{id}/revisions/{n}/share', {
          params: { path: { id, n: rev.number } },
          body: { coordinatorIds: picked, ...(tlp ? { tlp } : {}) },
        }),
      ),
    onSuccess: () => {
      setPicked([]);
      void qc.invalidateQueries({ queryKey: ['advisory', id, 'deliveries'] });
    },
  });
  if (coordinators.isPending || refused(coordinators.error) || !coordinators.data) return null;
  if (coordinators.data.coordinators.length === 0)
    return (
      <p className="muted">No coordinator to share with yet (add them under Customers and coordinators).</p>
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    share.mutate();
  };
  return (
    <form className="stack action-form" onSubmit={submit} aria-labelledby="share-h">
      <h3 id="share-h">Share revision {rev.number} with coordinators</h3>
      <fieldset>
        <legend>Coordinators</legend>
        {coordinators.data.coordinators.map((c) => (
          <label key={c.id} className="check">
            <input
              type="checkbox"
              checked={picked.includes(c.id)}
              onChange={(e) =>
                setPicked((xs) => (e.target.checked ? [...xs, c.id] : xs.filter((x) => x !== c.id)))
              }
            />{' '}
            {c.name} <span className="muted">(TLP:{c.defaultTlp})</span>
          </label>
        ))}
      </fieldset>
      <Field label="TLP label of the package" id="share-tlp">
        <select id="share-tlp" value={tlp} onChange={(e) => setTlp(e.target.value as TlpLabel | '')}>
          <option value="">default (TLP:AMBER before publication)</option>
          {TLP_LABELS.map((t) => (
            <option key={t} value={t}>
              TLP:{t}
            </option>
          ))}
        </select>
      </Field>
      <ErrorMessage error={share.error} />
      <div className="actions">
        <button type="submit" disabled={share.isPending || picked.length === 0}>
          Share encrypted package
        </button>
      </div>
    </form>
  );
}

export function DeliveriesPanel({
  id,
  program,
  rev,
}: {
  id: string;
  program: string;
  rev: AdvisoryRevision;
}) {
  const q = useQuery({
    queryKey: ['advisory', id, 'deliveries'],
    queryFn: () => unwrap(api.GET('/api/v1/advisories/{id}/deliveries', { params: { path: { id } } })),
    retry: false,
  });
  if (refused(q.error)) return null;
  const shareable = ['approved', 'scheduled', 'published'].includes(rev.state);
  return (
    <section className="card stack" aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading">Notifications and sharing</h2>
      {q.isPending ? (
        <Loading what="the deliveries" />
      ) : q.isError ? (
        <ErrorMessage error={q.error} />
      ) : q.data.deliveries.length === 0 && q.data.sharing.length === 0 ? (
        <p className="muted">Nobody has been told yet.</p>
      ) : (
        <ul className="plain">
          {q.data.addresses === 'withheld' ? (
            <li className="muted">
              Recipient addresses are shown to the program's admins and leads only.{' '}
              {tally(q.data.deliveries.map((d) => d.status))}
            </li>
          ) : null}
          {q.data.deliveries.map((d, i) => (
            <li key={`${d.kind}-${d.email ?? i}-${d.revision}-${d.stage}`}>
              {d.kind} {d.email ?? `#${i + 1}`} · revision {d.revision} ({d.stage}) · {d.status}
              {d.encrypted ? ' · encrypted' : ''}
              <span className="muted"> · {formatDateTime(d.sentAt ?? d.queuedAt)}</span>
            </li>
          ))}
          {q.data.sharing.map((s) => (
            <li key={`${s.coordinatorId}-${s.revision}-${s.sharedAt}`}>
              coordinator {s.coordinator} · revision {s.revision} · TLP:{s.tlp} · {s.status}
              <span className="muted">
                {' '}
                · shared by {s.sharedBy} {formatDateTime(s.sharedAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {shareable ? <ShareForm id={id} program={program} rev={rev} /> : null}
    </section>
  );
}
