import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../api/client.js';
import { ErrorMessage, Field, Loading, PageTitle } from '../components/common.js';
import { PolicyStateBadge, ReviewDue } from '../components/PolicyBits.js';
import { formatDate } from '../format.js';
import { useProgramChoices } from '../hooks.js';
import { usePolicies, useProgramRole } from '../policy.js';

/** Every program's governed policy documents: versions in flight, what is published, when review is due. */
export function PoliciesPage() {
  const programs = useProgramChoices();
  return (
    <>
      <PageTitle title="Policies" />
      <h1>Policies</h1>
      <p className="muted">
        Each document moves draft → in review → approved → published; the published one before it becomes
        superseded. Review and approval are signed by two different people.
      </p>
      {programs.length === 0 ? <p className="empty">You are not a member of any program.</p> : null}
      {programs.map((p) => (
        <ProgramPolicies key={p.slug} slug={p.slug} name={p.name} />
      ))}
    </>
  );
}

function ProgramPolicies({ slug, name }: { slug: string; name: string }) {
  const list = usePolicies(slug);
  const { role } = useProgramRole(slug);
  const owner = role === 'admin' || role === 'lead';
  const headingId = `policies-${slug}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{name}</h2>
      {list.isPending ? (
        <Loading what="the policies" />
      ) : list.isError ? (
        <ErrorMessage error={list.error} />
      ) : list.data.documents.length === 0 ? (
        <p className="muted">No policy document yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Policy documents of {name}</caption>
            <thead>
              <tr>
                <th scope="col">Document</th>
                <th scope="col">Published</th>
                <th scope="col">In progress</th>
                <th scope="col">Review due</th>
              </tr>
            </thead>
            <tbody>
              {list.data.documents.map((d) => (
                <tr key={d.kind}>
                  <th scope="row">
                    <Link to={`/policies/${encodeURIComponent(slug)}/${encodeURIComponent(d.kind)}`}>
                      {d.title}
                    </Link>
                    <div className="muted mono">{d.kind}</div>
                  </th>
                  <td>
                    {d.published ? (
                      <>
                        version {d.published.version}
                        <div className="muted">
                          since {formatDate(d.published.effectiveDate ?? d.published.publishedAt)}
                        </div>
                      </>
                    ) : (
                      <span className="muted">not published</span>
                    )}
                  </td>
                  <td>
                    {d.openVersion ? (
                      <>
                        version {d.openVersion.version} <PolicyStateBadge state={d.openVersion.state} />
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    <ReviewDue doc={d} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {owner ? <NewDocument slug={slug} /> : null}
    </section>
  );
}

function NewDocument({ slug }: { slug: string }) {
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState('disclosure-policy');
  const [title, setTitle] = useState('Vulnerability Disclosure Policy');
  const [interval, setIntervalDays] = useState('365');
  const qc = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/programs/{slug}/policies', {
          params: { path: { slug } },
          body: { kind: kind.trim(), title, reviewIntervalDays: Number(interval) },
        }),
      ),
    onSuccess: (doc) => {
      void qc.invalidateQueries({ queryKey: ['policies', slug] });
      navigate(`/policies/${encodeURIComponent(slug)}/${encodeURIComponent(doc.kind)}`);
    },
  });
  const id = `new-doc-${slug}`;
  if (!open)
    return (
      <p>
        <button type="button" className="secondary small" onClick={() => setOpen(true)}>
          New policy document
        </button>
      </p>
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="stack action-form" onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>New policy document</h3>
      <Field label="Kind" id={`${id}-kind`} hint="A lowercase slug; the portal shows disclosure-policy.">
        <input
          id={`${id}-kind`}
          required
          value={kind}
          aria-describedby={`${id}-kind-hint`}
          onChange={(e) => setKind(e.target.value)}
        />
      </Field>
      <Field label="Title" id={`${id}-title`}>
        <input id={`${id}-title`} required value={title} onChange={(e) => setTitle(e.target.value)} />
      </Field>
      <Field label="Review interval (days)" id={`${id}-interval`}>
        <input
          id={`${id}-interval`}
          type="number"
          min={1}
          max={3650}
          required
          value={interval}
          onChange={(e) => setIntervalDays(e.target.value)}
        />
      </Field>
      <ErrorMessage error={create.error} />
      <div className="actions">
        <button type="submit" disabled={create.isPending}>
          Create document
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
