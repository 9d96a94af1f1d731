import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client.js';
import type { PolicyDetail, PolicyVersion } from '../api/types.js';
import { ErrorMessage, Field, Loading, PageTitle } from '../components/common.js';
import { Markdown } from '../components/Markdown.js';
import { HistoryTable, PolicyStateBadge, ReviewDue } from '../components/PolicyBits.js';
import { DraftEditor, NewDraftForm } from '../components/PolicyDraftEditor.js';
import { formatDate, formatDateTime } from '../format.js';
import { useProgramChoices } from '../hooks.js';
import { usePolicy, useProgramRole } from '../policy.js';
import { useSession } from '../session.js';

/** One version action as a button; the document the API answers replaces the page's copy. */
function ActionButton({
  slug,
  kind,
  send,
  label,
  tone,
}: {
  slug: string;
  kind: string;
  send: () => Promise<PolicyDetail>;
  label: string;
  tone?: 'secondary';
}) {
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: send,
    onSuccess: (d) => {
      qc.setQueryData(['policies', slug, kind], d);
      void qc.invalidateQueries({ queryKey: ['policies', slug], exact: true });
    },
  });
  return (
    <div className="stack">
      <div className="actions">
        <button
          type="button"
          className={tone === 'secondary' ? 'secondary' : undefined}
          disabled={run.isPending}
          onClick={() => run.mutate()}
        >
          {label}
        </button>
      </div>
      <ErrorMessage error={run.error} />
    </div>
  );
}

/**
 * A version action that needs a sentence (a note, a date) before it runs. `send` gets what was
 * entered, or undefined when the input is blank.
 */
function ActionWithInput({
  slug,
  kind,
  send,
  label,
  input,
  required,
  explain,
}: {
  slug: string;
  kind: string;
  send: (value: string | undefined) => Promise<PolicyDetail>;
  label: string;
  input: { label: string; type?: 'date' | 'text' };
  required?: boolean;
  explain?: ReactNode;
}) {
  const id = useId();
  const qc = useQueryClient();
  const [value, setValue] = useState('');
  const run = useMutation({
    mutationFn: () => send(value.trim() ? value : undefined),
    onSuccess: (d) => {
      setValue('');
      qc.setQueryData(['policies', slug, kind], d);
      void qc.invalidateQueries({ queryKey: ['policies', slug], exact: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  return (
    <form className="stack action-form" onSubmit={submit} aria-label={label}>
      {explain ? <p className="muted">{explain}</p> : null}
      <Field label={input.label} id={`${id}-in`}>
        {input.type === 'date' ? (
          <input id={`${id}-in`} type="date" value={value} onChange={(e) => setValue(e.target.value)} />
        ) : (
          <textarea
            id={`${id}-in`}
            rows={2}
            maxLength={2000}
            required={required}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
        )}
      </Field>
      <ErrorMessage error={run.error} />
      <div className="actions">
        <button type="submit" disabled={run.isPending}>
          {label}
        </button>
      </div>
    </form>
  );
}

function OpenVersion({ slug, doc, v }: { slug: string; doc: PolicyDetail; v: PolicyVersion }) {
  const { role, duties } = useProgramRole(slug);
  const owner = role === 'admin' || role === 'lead';
  // Servers that can send a version back to draft describe its send-backs; older ones do not.
  // The form is for privacy officers (the server refuses anyone else with its own sentence).
  const canSendBack = Array.isArray(v.sendBacks) && duties.includes('privacy');
  // By id, as the server decides: whoever wrote or edited the version neither reviews nor approves it.
  const me = useSession().data?.user.id;
  const edited = me !== undefined && v.editorIds.includes(me);
  const editedNote = edited ? (
    <p className="muted">You wrote or edited this version, so you cannot review, send back or approve it.</p>
  ) : null;
  const common = { slug, kind: doc.kind };
  const params = { path: { slug, kind: doc.kind, version: v.version } };
  const version = '/api/v1/programs/{slug}/policies/{kind}/versions/{version}';
  return (
    <section className="card" aria-labelledby="open-version-heading">
      <h2 id="open-version-heading">
        Version {v.version} <PolicyStateBadge state={v.state} />
      </h2>
      <p className="muted">
        Started by {v.author} on {formatDateTime(v.createdAt)}.
        {v.editors.length > 0 ? ` Written and edited by ${v.editors.join(', ')}.` : ''}
        {v.reviewedBy ? ` Review signed by ${v.reviewedBy} on ${formatDateTime(v.reviewedAt)}.` : ''}
        {v.approvedBy ? ` Approved by ${v.approvedBy} on ${formatDateTime(v.approvedAt)}.` : ''}
      </p>
      {v.state === 'draft' && v.sentBackNote ? (
        <p className="warning">
          Sent back to draft{v.sentBackBy ? ` by ${v.sentBackBy}` : ''}
          {v.sentBackAt ? ` on ${formatDateTime(v.sentBackAt)}` : ''}: {v.sentBackNote}
        </p>
      ) : null}
      {v.state === 'draft' ? (
        owner ? (
          <>
            <DraftEditor
              slug={slug}
              kind={doc.kind}
              version={v.version}
              initial={{ body: v.body, changes: v.changes, effectiveDate: v.effectiveDate }}
            />
            <h3>Submit for review</h3>
            <p className="muted">
              Save first: what is submitted is frozen, and a privacy officer other than the author reviews it.
            </p>
            <ActionButton
              {...common}
              send={() => unwrap(api.POST(`${version}/submit`, { params, body: {} }))}
              label="Submit for review"
            />
          </>
        ) : (
          <>
            <p className="muted">Only the program's admins and leads edit drafts.</p>
            <Markdown text={v.body} />
          </>
        )
      ) : (
        <>
          <details>
            <summary>Text of version {v.version}</summary>
            <Markdown text={v.body} />
          </details>
          <p>
            <strong>Record of changes:</strong> {v.changes}
          </p>
        </>
      )}
      {v.state === 'in_review' && !v.reviewedBy ? (
        <>
          <h3>Review</h3>
          <p className="muted">
            The privacy &amp; security officer signs the review
            {duties.includes('privacy') ? '' : ' (you do not hold the privacy duty in this program)'}; nobody
            who wrote or edited the version reviews it.
          </p>
          {editedNote}
          <ActionButton
            {...common}
            send={() => unwrap(api.POST(`${version}/review`, { params, body: {} }))}
            label="Sign off the review"
          />
        </>
      ) : null}
      {v.state === 'in_review' && v.reviewedBy ? (
        <>
          <h3>Approval</h3>
          <p className="muted">
            The approver signs — someone other than the reviewer
            {duties.includes('approver') ? '' : ' (you do not hold the approver duty in this program)'}, and
            nobody who wrote or edited the version.
          </p>
          {editedNote}
          <ActionButton
            {...common}
            send={() => unwrap(api.POST(`${version}/approve`, { params, body: {} }))}
            label="Approve"
          />
        </>
      ) : null}
      {v.state === 'in_review' && canSendBack ? (
        <ActionWithInput
          {...common}
          send={(note) => unwrap(api.POST(`${version}/send-back`, { params, body: { note: note ?? '' } }))}
          label="Send back to draft"
          input={{ label: 'Note to the author' }}
          required
        />
      ) : null}
      {v.state === 'approved' ? (
        <>
          <h3>Publish</h3>
          <ActionWithInput
            {...common}
            send={(effectiveDate) =>
              unwrap(api.POST(`${version}/publish`, { params, body: effectiveDate ? { effectiveDate } : {} }))
            }
            label="Publish"
            input={{ label: 'Effective date (optional)', type: 'date' }}
            explain={
              doc.published
                ? `Version ${doc.published.version} becomes superseded and stays readable at its own address.`
                : 'The portal shows it as the program’s policy, and security.txt points to it.'
            }
          />
        </>
      ) : null}
    </section>
  );
}

function AnnualReview({ slug, doc }: { slug: string; doc: PolicyDetail }) {
  if (!doc.published) return null;
  const common = { slug, kind: doc.kind };
  const params = { path: { slug, kind: doc.kind } };
  return (
    <section className="card" aria-labelledby="annual-review-heading">
      <h2 id="annual-review-heading">Annual review</h2>
      <p>
        Review due: <ReviewDue doc={doc} />
        {doc.lastReviewedAt ? (
          <span className="muted"> · last reviewed {formatDate(doc.lastReviewedAt)}</span>
        ) : null}
      </p>
      {doc.pendingReview ? (
        <>
          <p>
            {doc.pendingReview.reviewedBy} reviewed version {doc.pendingReview.version} without change on{' '}
            {formatDate(doc.pendingReview.reviewedAt)}
            {doc.pendingReview.note ? `: “${doc.pendingReview.note}”` : '.'} It waits for the approver’s
            sign-off.
          </p>
          <ActionButton
            {...common}
            send={() =>
              unwrap(
                api.POST('/api/v1/programs/{slug}/policies/{kind}/review-without-change/approve', {
                  params,
                  body: {},
                }),
              )
            }
            label="Approve the review"
          />
        </>
      ) : (
        <ActionWithInput
          {...common}
          send={(note) =>
            unwrap(
              api.POST('/api/v1/programs/{slug}/policies/{kind}/review-without-change', {
                params,
                body: note ? { note } : {},
              }),
            )
          }
          label="Record a review without change"
          input={{ label: 'Note (optional)' }}
          explain="When the policy still holds as published, the privacy officer records the review; an approver then signs it and the due date starts again."
        />
      )}
    </section>
  );
}

export function PolicyDocumentPage() {
  const { program = '', kind = '' } = useParams();
  const doc = usePolicy(program, kind);
  const programs = useProgramChoices();
  const { role } = useProgramRole(program);
  const programName = programs.find((p) => p.slug === program)?.name ?? program;
  const crumbs = (
    <nav aria-label="Breadcrumb" className="crumbs">
      <Link to="/policies">Policies</Link> › <span>{programName}</span> ›{' '}
      <span aria-current="page">{doc.data?.title ?? kind}</span>
    </nav>
  );
  if (doc.isPending)
    return (
      <>
        <PageTitle title={kind} />
        {crumbs}
        <h1>{kind}</h1>
        <Loading what="the policy" />
      </>
    );
  if (doc.isError)
    return (
      <>
        <PageTitle title={kind} />
        {crumbs}
        <h1>{kind}</h1>
        <ErrorMessage error={doc.error} />
      </>
    );
  const d = doc.data;
  const open = d.versions.find(
    (v) => v.state === 'draft' || v.state === 'in_review' || v.state === 'approved',
  );
  const published = d.versions.find((v) => v.state === 'published');
  const owner = role === 'admin' || role === 'lead';
  return (
    <>
      <PageTitle title={`${d.title} · ${programName}`} />
      {crumbs}
      <div className="case-head">
        <h1>{d.title}</h1>
        {d.overdue ? <span className="badge overdue">OVERDUE</span> : null}
      </div>
      <div className="case-meta">
        <span>{programName}</span>
        <span>
          {d.published
            ? `published version ${d.published.version} (${formatDate(d.published.effectiveDate ?? d.published.publishedAt)})`
            : 'not published yet'}
        </span>
        <span>review every {d.reviewIntervalDays} days</span>
        {d.published && d.kind === 'disclosure-policy' ? (
          <a href={`/p/${encodeURIComponent(program)}/policy`}>public page</a>
        ) : null}
      </div>
      <div className="case-grid">
        <div>
          {open ? (
            <OpenVersion key={`${open.version}-${open.state}`} slug={program} doc={d} v={open} />
          ) : owner ? (
            <section className="card" aria-labelledby="new-draft-heading">
              <h2 id="new-draft-heading">No version in progress</h2>
              <NewDraftForm slug={program} doc={d} />
            </section>
          ) : null}
          {published ? (
            <section className="card" aria-labelledby="published-heading">
              <h2 id="published-heading">Published text (version {published.version})</h2>
              <Markdown text={published.body} />
            </section>
          ) : null}
          <section className="card" aria-labelledby="history-heading">
            <h2 id="history-heading">Revision history</h2>
            <p className="hint">Generated from the record of versions and reviews; never typed by hand.</p>
            <HistoryTable rows={d.history} caption={`Revision history of ${d.title}`} />
          </section>
        </div>
        <div>
          <AnnualReview slug={program} doc={d} />
          <section className="card" aria-labelledby="versions-heading">
            <h2 id="versions-heading">Versions</h2>
            <ul className="plain versions">
              {[...d.versions].reverse().map((v) => (
                <li key={v.version}>
                  <strong>{v.version}</strong> <PolicyStateBadge state={v.state} />
                  <div className="muted">
                    {v.changes}
                    {v.publishedAt ? ` · published ${formatDate(v.publishedAt)}` : ''}
                    {v.supersededAt ? ` · superseded ${formatDate(v.supersededAt)}` : ''}
                  </div>
                  {v.state === 'superseded' && d.kind === 'disclosure-policy' ? (
                    <a href={`/p/${encodeURIComponent(program)}/policy/v/${encodeURIComponent(v.version)}`}>
                      Read version {v.version}
                    </a>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        </div>
      </div>
    </>
  );
}
