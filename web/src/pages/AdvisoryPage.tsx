import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { REVISION_LABELS, useAdvisory } from '../advisory.js';
import { api, unwrap } from '../api/client.js';
import type { AdvisoryDetail, AdvisoryRevision, Program } from '../api/types.js';
import { DeliveriesPanel } from '../components/AdvisoryDeliveries.js';
import { AdvisoryEditor } from '../components/AdvisoryEditor.js';
import { KeylessRecipientsWarning } from '../components/AdvisoryRecipients.js';
import { AdvisoryContentView, ChecksPanel } from '../components/AdvisoryView.js';
import { ErrorMessage, Field, Loading, PageTitle } from '../components/common.js';
import { formatDate, formatDateTime } from '../format.js';
import { useProgram } from '../hooks.js';
import { useProgramRole } from '../policy.js';
import { useSession } from '../session.js';

/** One revision action as a button; the advisory the API answers replaces the page's copy. */
function ActionButton({
  id,
  number,
  action,
  label,
  disabledReason,
  tone,
}: {
  id: string;
  number: number;
  action: 'submit' | 'approve' | 'publish' | 'return';
  label: string;
  disabledReason?: string;
  tone?: 'secondary';
}) {
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST(`/api/v1/advisories/{id}/revisions/{number}/${action}`, {
          params: { path: { id, number } },
          body: {},
        }),
      ),
    onSuccess: (d) => {
      qc.setQueryData(['advisory', id], d);
      void qc.invalidateQueries({ queryKey: ['advisories', d.program] });
    },
  });
  const reasonId = `revision-${action}-reason`;
  return (
    <div className="stack">
      <div className="actions">
        <button
          type="button"
          className={tone}
          disabled={run.isPending || Boolean(disabledReason)}
          aria-describedby={disabledReason ? reasonId : undefined}
          onClick={() => run.mutate()}
        >
          {label}
        </button>
      </div>
      {disabledReason ? (
        <p className="hint" id={reasonId}>
          {disabledReason}
        </p>
      ) : null}
      <ErrorMessage error={run.error} />
    </div>
  );
}

function CorrectForm({ id, onStarted }: { id: string; onStarted: (n: number) => void }) {
  const [summary, setSummary] = useState('');
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/advisories/{id}/revisions', { params: { path: { id } }, body: { summary } })),
    onSuccess: (d) => {
      qc.setQueryData(['advisory', id], d);
      onStarted(Math.max(...d.revisions.map((r) => r.number)));
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  return (
    <form className="stack action-form" onSubmit={submit} aria-labelledby="correct-h" noValidate>
      <h3 id="correct-h">Correct the published advisory</h3>
      <p className="muted">A correction is the next revision, copied from this one, and is approved again.</p>
      <Field label="What the correction changes" id="correct-summary">
        <textarea
          id="correct-summary"
          rows={2}
          value={summary}
          onChange={(e) => setSummary(e.target.value)}
        />
      </Field>
      <ErrorMessage error={run.error} />
      <div className="actions">
        <button type="submit" disabled={run.isPending}>
          Start correction
        </button>
      </div>
    </form>
  );
}

function Actions({ a, rev, program }: { a: AdvisoryDetail; rev: AdvisoryRevision; program?: Program }) {
  const session = useSession();
  const { role, duties } = useProgramRole(a.program);
  const caseTeam = role !== null && role !== 'viewer';
  const approver = duties.includes('approver');
  // By id, as the server decides: two people may share a display name, and a name may change.
  const me = session.data?.user.id;
  const common = { id: a.id, number: rev.number };
  const embargoAhead = rev.publishNotBefore !== null && Date.parse(rev.publishNotBefore) > Date.now();
  const approveReason = !approver
    ? `You do not hold the approver duty in ${program?.name ?? a.program}.`
    : me && rev.authorId === me
      ? `You wrote revision ${rev.number}, so you cannot approve it: another holder of the approver duty must.`
      : me && rev.editorIds.includes(me)
        ? `You edited revision ${rev.number}, so you cannot approve it: another holder of the approver duty must.`
        : undefined;
  return (
    <section className="card stack" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Next step</h2>
      {rev.state === 'draft' ? (
        caseTeam ? (
          <>
            <p className="muted">Save first: what is submitted is what the approver reads.</p>
            <ActionButton {...common} action="submit" label="Submit for approval" />
          </>
        ) : (
          <p className="muted">The case team edits and submits drafts.</p>
        )
      ) : null}
      {rev.state === 'in_review' ? (
        <>
          <p className="muted">A holder of the approver duty who neither wrote nor edited it approves it.</p>
          <ActionButton {...common} action="approve" label="Approve" disabledReason={approveReason} />
        </>
      ) : null}
      {rev.state === 'approved' ? (
        caseTeam ? (
          <>
            <p className="muted">
              {embargoAhead
                ? `Scheduling publishes it automatically at ${formatDateTime(rev.publishNotBefore, program?.timeZone)}.`
                : 'Publishing makes it public now: the portal, the feeds, CSAF and CVE records, notifications.'}
            </p>
            <KeylessRecipientsWarning id={a.id} n={rev.number} />
            <ActionButton
              {...common}
              action="publish"
              label={embargoAhead ? 'Schedule publication' : 'Publish'}
            />
          </>
        ) : (
          <p className="muted">The case team publishes approved revisions.</p>
        )
      ) : null}
      {rev.state === 'scheduled' ? (
        <p>
          Scheduled: published automatically at {formatDateTime(rev.publishNotBefore, program?.timeZone)}.
        </p>
      ) : null}
      {['in_review', 'approved', 'scheduled'].includes(rev.state) && (caseTeam || approver) ? (
        <ActionButton {...common} action="return" label="Return to draft" tone="secondary" />
      ) : null}
      {rev.state === 'published' ? (
        <p>
          Published {formatDateTime(rev.publishedAt, program?.timeZone)}.{' '}
          <a href={a.url}>Public page of {a.id}</a>
        </p>
      ) : null}
    </section>
  );
}

export function AdvisoryPage() {
  const { publicId = '' } = useParams();
  const q = useAdvisory(publicId);
  const program = useProgram(q.data?.program);
  const { role } = useProgramRole(q.data?.program);
  const [picked, setPicked] = useState<number | null>(null);
  const crumbs = (
    <nav aria-label="Breadcrumb" className="crumbs">
      <Link to="/advisories">Advisories</Link> › <span aria-current="page">{publicId}</span>
    </nav>
  );
  if (q.isPending || q.isError)
    return (
      <>
        <PageTitle title={publicId} />
        {crumbs}
        <h1>{publicId}</h1>
        {q.isPending ? <Loading what="the advisory" /> : <ErrorMessage error={q.error} />}
      </>
    );
  const a = q.data;
  const p = program.data;
  const latest = a.revisions.reduce((x, y) => (y.number > x.number ? y : x));
  const rev = a.revisions.find((r) => r.number === picked) ?? latest;
  const caseTeam = role !== null && role !== 'viewer';
  const open = a.revisions.find((r) => r.state !== 'published');
  // The author's own edits are not news; another editor is named even when the names are alike.
  const editors = rev.editors.filter((_, i) => rev.editorIds[i] !== rev.authorId);
  return (
    <>
      <PageTitle title={`${a.id} · ${a.title}`} />
      {crumbs}
      <div className="case-head">
        <h1>
          {a.id}: {a.title}
        </h1>
      </div>
      <div className="case-meta">
        <span>{p?.name ?? a.program}</span>
        <span>TLP:{a.tlp}</span>
        <span>
          {a.initialReleaseAt ? `first published ${formatDate(a.initialReleaseAt)}` : 'not published yet'}
        </span>
        <span>
          from{' '}
          {a.cases.map((c, i) => (
            <span key={c}>
              {i ? ', ' : ''}
              <Link to={`/cases/${encodeURIComponent(c)}`}>{c}</Link>
            </span>
          ))}
        </span>
        {a.publishedRevision ? <a href={a.url}>public page</a> : null}
      </div>
      <div className="case-grid">
        <div>
          <section className="card stack" aria-labelledby="revision-heading">
            <h2 id="revision-heading">
              Revision {rev.number}{' '}
              <span className={`badge state-${rev.state}`}>{REVISION_LABELS[rev.state]}</span>
            </h2>
            <p className="muted">
              Written by {rev.author}
              {editors.length ? `, edited by ${editors.join(', ')}` : ''} · started{' '}
              {formatDateTime(rev.createdAt)}
              {rev.approvedBy ? ` · approved by ${rev.approvedBy} on ${formatDateTime(rev.approvedAt)}` : ''}
              {rev.summary ? ` · ${rev.summary}` : ''}
            </p>
            {rev.state === 'draft' && caseTeam ? (
              <AdvisoryEditor
                key={rev.number}
                advisory={a.id}
                number={rev.number}
                initial={rev.content}
                program={p}
              />
            ) : (
              <AdvisoryContentView content={rev.content} timeZone={p?.timeZone} />
            )}
          </section>
        </div>
        <div>
          <Actions a={a} rev={rev} program={p} />
          {rev.state !== 'published' ? <ChecksPanel id={a.id} n={rev.number} /> : null}
          {rev.state === 'published' && !open && caseTeam && rev.number === latest.number ? (
            <section className="card">
              <CorrectForm id={a.id} onStarted={setPicked} />
            </section>
          ) : null}
          {caseTeam ? <DeliveriesPanel id={a.id} program={a.program} rev={rev} /> : null}
          <section className="card stack" aria-labelledby="revisions-heading">
            <h2 id="revisions-heading">Revisions</h2>
            <Field label="Show revision" id="revision-pick">
              <select
                id="revision-pick"
                value={rev.number}
                onChange={(e) => setPicked(Number(e.target.value))}
              >
                {[...a.revisions]
                  .sort((x, y) => y.number - x.number)
                  .map((r) => (
                    <option key={r.number} value={r.number}>
                      {r.number} — {REVISION_LABELS[r.state]}
                    </option>
                  ))}
              </select>
            </Field>
            <h3>Revision history</h3>
            {a.history.length === 0 ? (
              <p className="muted">Nothing published yet.</p>
            ) : (
              <table>
                <caption className="visually-hidden">Published revisions of {a.id}</caption>
                <thead>
                  <tr>
                    <th scope="col">Revision</th>
                    <th scope="col">Date</th>
                    <th scope="col">Summary</th>
                  </tr>
                </thead>
                <tbody>
                  {a.history.map((h) => (
                    <tr key={h.number}>
                      <td>{h.number}</td>
                      <td>{formatDate(h.date)}</td>
                      <td>{h.summary}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
      </div>
    </>
  );
}
