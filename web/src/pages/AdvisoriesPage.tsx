import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { REVISION_LABELS, useAdvisories } from '../advisory.js';
import { api, unwrap } from '../api/client.js';
import type { AdvisorySummary } from '../api/types.js';
import { ErrorMessage, Loading, PageTitle } from '../components/common.js';
import { formatDate, formatDateTime } from '../format.js';
import { useProgram, useProgramChoices } from '../hooks.js';
import { useProgramRole } from '../policy.js';

/** Every program's advisories: what is published, what is on its way, and when an embargo ends. */
export function AdvisoriesPage() {
  const programs = useProgramChoices();
  return (
    <>
      <PageTitle title="Advisories" />
      <h1>Advisories</h1>
      <p className="muted">
        An advisory is drafted from a confirmed, assessed case (use “Draft advisory” on the case). Each
        revision moves draft → in review → approved → published (or scheduled until its embargo ends); a
        holder of the approver duty who did not write it approves it.
      </p>
      {programs.length === 0 ? <p className="empty">You are not a member of any program.</p> : null}
      {programs.map((p) => (
        <ProgramAdvisories key={p.slug} slug={p.slug} name={p.name} />
      ))}
    </>
  );
}

/** The state of the revision that matters now: the open one, else the published one. */
function latestState(a: AdvisorySummary): string {
  if (a.openRevision) return REVISION_LABELS[a.openRevision.state];
  return a.publishedRevision ? 'published' : a.state;
}

function ProgramAdvisories({ slug, name }: { slug: string; name: string }) {
  const list = useAdvisories(slug);
  const program = useProgram(slug);
  const zone = program.data?.timeZone;
  const { role } = useProgramRole(slug);
  const headingId = `advisories-${slug}`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{name}</h2>
      {role === 'admin' || role === 'lead' ? (
        <p>
          <Link to={`/programs/${encodeURIComponent(slug)}/customers`}>Customers and coordinators</Link>
        </p>
      ) : null}
      {list.isPending ? (
        <Loading what="the advisories" />
      ) : list.isError ? (
        <ErrorMessage error={list.error} />
      ) : list.data.advisories.length === 0 ? (
        <p className="muted">No advisory yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Advisories of {name}</caption>
            <thead>
              <tr>
                <th scope="col">Advisory</th>
                <th scope="col">Latest revision</th>
                <th scope="col">Embargo until</th>
                <th scope="col">Published</th>
              </tr>
            </thead>
            <tbody>
              {list.data.advisories.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    <Link to={`/advisories/${encodeURIComponent(a.id)}`}>{a.id}</Link>
                    <div>{a.title}</div>
                  </th>
                  <td>
                    {a.openRevision ? `revision ${a.openRevision.number}: ` : ''}
                    <span
                      className={`badge state-${(a.openRevision?.state ?? a.state).replace(/[^a-z_]/g, '')}`}
                    >
                      {latestState(a)}
                    </span>
                  </td>
                  <td>
                    {a.openRevision?.publishNotBefore ? (
                      formatDateTime(a.openRevision.publishNotBefore, zone)
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    {a.initialReleaseAt ? (
                      <>
                        {formatDate(a.initialReleaseAt)}
                        {a.currentReleaseAt && a.currentReleaseAt !== a.initialReleaseAt ? (
                          <div className="muted">revised {formatDate(a.currentReleaseAt)}</div>
                        ) : null}
                      </>
                    ) : (
                      <span className="muted">not published</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** On a confirmed case: draft an advisory from it and go there (the server names what is missing). */
export function DraftAdvisoryButton({ caseNumber, program }: { caseNumber: string; program: string }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const draft = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/advisories', { body: { cases: [caseNumber] } })),
    onSuccess: (d) => {
      qc.setQueryData(['advisory', d.id], d);
      void qc.invalidateQueries({ queryKey: ['advisories', program] });
      navigate(`/advisories/${encodeURIComponent(d.id)}`);
    },
  });
  return (
    <section className="card" aria-labelledby="advisory-heading">
      <h2 id="advisory-heading">Advisory</h2>
      <p className="hint">
        Drafted from the assessment (scores, CWE, affected versions) and the credit the reporter consented to;
        the report’s own text is never copied.
      </p>
      <div className="actions">
        <button type="button" disabled={draft.isPending} onClick={() => draft.mutate()}>
          Draft advisory
        </button>
      </div>
      <ErrorMessage error={draft.error} />
    </section>
  );
}
