import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client.js';
import type { Answer, Attachment, Program } from '../api/types.js';
import { AssessmentEditor } from '../components/AssessmentEditor.js';
import { AssignControl, CaseActions } from '../components/CaseActions.js';
import { CaseShortcuts } from '../components/CaseShortcuts.js';
import { CreditConsentCard } from '../components/CreditConsentCard.js';
import {
  ClockText,
  CopyButton,
  ErrorMessage,
  Loading,
  PageTitle,
  SeverityBadge,
  StateBadge,
  Time,
} from '../components/common.js';
import { Markdown } from '../components/Markdown.js';
import {
  OpenEscalation,
  PhiBadge,
  PhiClaimCard,
  PrivacyEscalationCard,
  QuarantinedPlaceholder,
} from '../components/PrivacyBits.js';
import { QualitySignalsPanel } from '../components/QualitySignals.js';
import { QuarantinePanel } from '../components/QuarantinePanel.js';
import { RegulatoryPanel } from '../components/RegulatoryPanel.js';
import { SimilarCases } from '../components/SimilarCases.js';
import { Timeline } from '../components/Timeline.js';
import { formatBytes, formatDateTime } from '../format.js';
import { useProgram } from '../hooks.js';
import { useProgramRole } from '../policy.js';
import { DraftAdvisoryButton } from './AdvisoriesPage.js';

/** Case states whose vulnerability is confirmed, so an advisory may be drafted from them. */
const ADVISABLE_STATES = ['confirmed', 'in_remediation', 'disclosed', 'closed'];

function AnswerValue({ value, kind, program }: { value: Answer; kind?: string; program?: Program }) {
  if (typeof value === 'boolean') return <>{value ? 'Yes' : 'No'}</>;
  if (Array.isArray(value))
    return (
      <ul className="plain">
        {value.map((v, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: answers may repeat
          <li key={i}>{v}</li>
        ))}
      </ul>
    );
  if (kind === 'textarea') return <Markdown text={value} />;
  if (kind === 'product') return <>{program?.products.find((p) => p.id === value)?.name ?? value}</>;
  if (kind === 'yesno') return <>{value === 'yes' ? 'Yes' : value === 'no' ? 'No' : value}</>;
  return <>{value}</>;
}

function Answers({
  answers,
  program,
  label,
  held = [],
}: {
  answers: Record<string, Answer>;
  program?: Program;
  label: string;
  /** Fields held in privacy quarantine: a placeholder when left out, a marker when shown. */
  held?: string[];
}) {
  const fields = program?.fields ?? [];
  const known = fields.filter((f) => f.id in answers || held.includes(f.id));
  const others = [...new Set([...Object.keys(answers), ...held])].filter(
    (k) => !fields.some((f) => f.id === k),
  );
  const rows = [
    ...known.map((f) => ({ id: f.id, label: f.label, kind: f.kind })),
    ...others.map((k) => ({ id: k, label: k, kind: undefined })),
  ].filter((r) => {
    const v = answers[r.id];
    return held.includes(r.id) || (v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0));
  });
  if (rows.length === 0) return <p className="muted">No answers.</p>;
  return (
    <dl className="answers" aria-label={label}>
      {rows.map((r) => (
        <div key={r.id} className="answer-row">
          <dt>
            {r.label}
            {held.includes(r.id) && r.id in answers ? <span className="badge phi">quarantined</span> : null}
          </dt>
          <dd>
            {r.id in answers ? (
              <AnswerValue value={answers[r.id] as Answer} kind={r.kind} program={program} />
            ) : (
              <QuarantinedPlaceholder />
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function CasePage() {
  const { caseNumber = '' } = useParams();
  const detail = useQuery({
    queryKey: ['case', caseNumber, 'detail'],
    queryFn: () => unwrap(api.GET('/api/v1/reports/{caseNumber}', { params: { path: { caseNumber } } })),
    staleTime: 0,
  });
  const program = useProgram(detail.data?.program);
  const { duties, role } = useProgramRole(detail.data?.program);
  const canWrite = role !== null && role !== 'viewer';

  if (detail.isPending)
    return (
      <>
        <PageTitle title={caseNumber} />
        <h1>{caseNumber}</h1>
        <Loading what="the case" />
      </>
    );
  if (detail.isError)
    return (
      <>
        <PageTitle title={caseNumber} />
        <h1>{caseNumber}</h1>
        <ErrorMessage error={detail.error} />
        <p>
          <Link to="/">Back to the queue</Link>
        </p>
      </>
    );
  const c = detail.data;
  const p = program.data;
  const privacyOfficer = c.phi?.canReview ?? duties.includes('privacy');
  return (
    <>
      <PageTitle title={`${c.caseNumber} (${c.state.replace(/_/g, ' ')})`} />
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/">Queue</Link> › <span aria-current="page">{c.caseNumber}</span>
      </nav>
      <div className="case-head">
        <h1>{c.caseNumber}</h1>
        <CopyButton text={c.caseNumber} label="Copy case number" />
        <StateBadge state={c.state} />
        <SeverityBadge severity={c.severity} />
        {c.phi?.flagged && c.phi.quarantined > 0 ? <PhiBadge /> : null}
        {c.privacyEscalation ? (
          <span className={c.privacyEscalation.open ? 'badge escalation-open' : 'badge'}>
            {c.privacyEscalation.open
              ? `Privacy escalation — due ${formatDateTime(c.privacyEscalation.dueAt, p?.timeZone)}`
              : 'Privacy escalation closed'}
          </span>
        ) : null}
        {c.urgent ? (
          <span className="badge urgent" title="The reporter answered that they reached PHI or personal data">
            Urgent: reporter reached PHI
          </span>
        ) : null}
        {c.phiClaim?.pending ? (
          <span className="badge escalation-open">Says PHI was reached — decide</span>
        ) : null}
      </div>
      {c.phi?.flagged ? (
        <p className="warning">
          Possible PHI found in this report: {c.phi.quarantined} part{c.phi.quarantined === 1 ? '' : 's'} held
          in privacy quarantine
          {c.phi.released ? `, ${c.phi.released} released` : ''}
          {c.phi.redacted ? `, ${c.phi.redacted} redacted` : ''}.
          {privacyOfficer ? ' Review them in the Quarantine panel.' : ''}
        </p>
      ) : null}
      <div className="case-meta">
        <span>{p?.name ?? c.program}</span>
        <span>
          received <Time iso={c.receivedAt} /> ({formatDateTime(c.receivedAt)})
        </span>
        <span>via {c.channel}</span>
        <span>assigned to {c.assignee ? c.assignee.name || c.assignee.email : 'nobody'}</span>
        {c.contactPerson ? <span>contact for the reporter: {c.contactPerson}</span> : null}
      </div>
      <ul className="clocks" aria-label="Deadlines">
        {c.clocks.map((k) => (
          <li key={k.name}>
            <ClockText clock={k} withName />{' '}
            <span className="muted">· due {formatDateTime(k.due, p?.timeZone)}</span>
          </li>
        ))}
      </ul>
      {c.intake.flags && c.intake.flags.length > 0 ? (
        <p className="warning">Flags from intake: {c.intake.flags.join(', ')}</p>
      ) : null}
      {c.intake.decryption || c.intake.signature ? (
        <p className="muted">
          {c.intake.decryption ? `Decryption: ${c.intake.decryption}. ` : ''}
          {c.intake.signature ? `Signature: ${c.intake.signature.status}.` : ''}
        </p>
      ) : null}

      <div className="case-grid">
        <div>
          <section className="card" aria-labelledby="report-heading">
            <h2 id="report-heading">Report</h2>
            <Answers
              answers={c.content}
              program={p}
              label="Report answers"
              held={c.quarantine?.fields ?? []}
            />
          </section>
          <section className="card" aria-labelledby="attachments-heading">
            <h2 id="attachments-heading">Attachments</h2>
            {c.attachments.length === 0 ? (
              <p className="muted">No attachments.</p>
            ) : (
              <ul className="plain">
                {c.attachments.map((a) => (
                  <AttachmentEntry
                    key={a.id}
                    caseNumber={c.caseNumber}
                    a={a}
                    privacyOfficer={privacyOfficer}
                  />
                ))}
              </ul>
            )}
          </section>
          {c.phi?.canReview ? <QuarantinePanel caseNumber={c.caseNumber} /> : null}
          <RegulatoryPanel caseNumber={c.caseNumber} canWrite={canWrite} products={p?.products ?? []} />
          <Timeline caseNumber={c.caseNumber} />
          <AssessmentEditor caseNumber={c.caseNumber} program={p} />
        </div>
        <div>
          {c.phiClaim ? (
            <PhiClaimCard
              caseNumber={c.caseNumber}
              canDecide={canWrite || privacyOfficer}
              timeZone={p?.timeZone}
              labelOf={(id) => p?.fields.find((f) => f.id === id)?.label ?? id}
            />
          ) : null}
          {c.privacyEscalation ? (
            <PrivacyEscalationCard
              caseNumber={c.caseNumber}
              canWork={privacyOfficer}
              timeZone={p?.timeZone}
            />
          ) : null}
          {(canWrite || privacyOfficer) && !c.privacyEscalation?.open && !c.phiClaim?.pending ? (
            <section className="card" aria-labelledby="escalate-heading">
              <h2 id="escalate-heading">Privacy</h2>
              <p className="hint">
                If the reporter reached PHI or personal data in a way the report does not say, open a privacy
                escalation: the privacy officers get its checklist and deadline.
              </p>
              <OpenEscalation caseNumber={c.caseNumber} reopen={Boolean(c.privacyEscalation)} />
            </section>
          ) : null}
          <CaseActions caseNumber={c.caseNumber} state={c.state} program={p} />
          <CaseShortcuts caseNumber={c.caseNumber} state={c.state} assigneeId={c.assignee?.id} />
          {ADVISABLE_STATES.includes(c.state) && canWrite ? (
            <DraftAdvisoryButton caseNumber={c.caseNumber} program={c.program} />
          ) : null}
          <section className="card" aria-labelledby="assign-heading">
            <h2 id="assign-heading">Assignment</h2>
            <AssignControl caseNumber={c.caseNumber} program={c.program} assignee={c.assignee} />
          </section>
          {c.contact ? (
            <section className="card" aria-labelledby="contact-heading">
              <h2 id="contact-heading">Reporter contact</h2>
              <p className="hint">
                Visible to the case team only; never shared outside without the reporter’s consent.
              </p>
              <Answers answers={c.contact} program={p} label="Reporter contact details" />
            </section>
          ) : null}
          <CreditConsentCard caseNumber={c.caseNumber} canRecord={canWrite} timeZone={p?.timeZone} />
          <QualitySignalsPanel signals={c.signals} />
          <SimilarCases caseNumber={c.caseNumber} />
        </div>
      </div>
    </>
  );
}

function AttachmentEntry({
  caseNumber,
  a,
  privacyOfficer,
}: {
  caseNumber: string;
  a: Attachment;
  privacyOfficer: boolean;
}) {
  if (a.redacted) return <li className="muted">An attachment was redacted (its content was destroyed).</li>;
  if (a.quarantined && !privacyOfficer)
    return (
      <li>
        <QuarantinedPlaceholder what="Attachment" />
      </li>
    );
  return (
    <li>
      <a
        href={`/api/v1/reports/${encodeURIComponent(caseNumber)}/attachments/${encodeURIComponent(a.id)}`}
        download
      >
        {a.name}
      </a>{' '}
      {a.quarantined ? <span className="badge phi">quarantined</span> : null}{' '}
      <span className="muted">
        {formatBytes(a.size)} · {a.contentType}
      </span>
    </li>
  );
}
