import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { ApiError, api, unwrap } from '../api/client.js';
import type { ResponseBody } from '../api/types.js';
import { formatDateTime, relativeTime } from '../format.js';
import { useSession } from '../session.js';
import { CopyButton, ErrorMessage, Loading } from './common.js';

/**
 * The regulatory duties of a case: which regulations bind the product, the triggers the team
 * recorded (each starts the clocks its regulations define), the clocks with their due times in the
 * program's zone, the paste-ready report for each, and "not reportable" decisions, proposed by
 * one person and approved by another. The server decides every rule; this panel shows its answers
 * and its refusals as they are.
 */

type RegulatoryCaseView = ResponseBody<'/api/v1/reports/{caseNumber}/regulatory', 'get'>;
export type RegulatoryClock = RegulatoryCaseView['clocks'][number];
export type RegulatoryClockState = RegulatoryClock['state'];
type Trigger = RegulatoryCaseView['triggers'][number];
type TriggerKind = Trigger['kind'];
type Outcome = NonNullable<Trigger['outcome']>;
type Regime = RegulatoryClock['regime'];
type Decision = RegulatoryCaseView['decisions'][number];
/** What every regulatory action answers: the case's regulatory record as it now stands. */
type OnDone = (view?: RegulatoryCaseView) => void;

const who = (u: { name: string; email: string } | null) => (u ? u.name || u.email : '—');

const STATE_LABELS: Record<RegulatoryClockState, string> = {
  waiting: 'waiting',
  running: 'running',
  breached: 'breached',
  submitted: 'submitted',
  'submitted-late': 'submitted late',
  'not-reportable': 'not reportable',
};

const OUTCOMES: { value: Outcome; label: string }[] = [
  { value: 'serious-injury', label: 'Serious injury (or could cause one if it recurred)' },
  { value: 'death', label: 'Death, or serious deterioration in health' },
  { value: 'public-health-threat', label: 'Serious public health threat' },
];

/** A regulatory clock's state as a badge; "breached" carries a sign, so it never rests on colour. */
export function RegulatoryStateBadge({ state }: { state: RegulatoryClockState }) {
  return (
    <span className={`badge reg-${state}`}>
      {state === 'breached' ? <span aria-hidden="true">⚠ </span> : null}
      {STATE_LABELS[state] ?? state}
    </span>
  );
}

/** A due time as "in 23 hours" with the absolute time in the program's zone beside it. */
export function RegulatoryDue({ clock, timeZone }: { clock: RegulatoryClock; timeZone?: string }) {
  if (!clock.dueAt) return <span className="muted">{clock.waitingFor ?? '—'}</span>;
  const live = clock.state === 'running' || clock.state === 'breached';
  const left = Date.parse(clock.dueAt) - Date.now();
  const tone = !live ? 'done' : left < 0 ? 'overdue' : left <= 24 * 3_600_000 ? 'soon' : 'ok';
  return (
    <span className="reg-due">
      <time dateTime={clock.dueAt} className={`clock clock-${tone}`}>
        {live ? relativeTime(clock.dueAt) : formatDateTime(clock.dueAt, timeZone)}
      </time>
      {live ? <span className="muted small-text">{formatDateTime(clock.dueAt, timeZone)}</span> : null}
    </span>
  );
}

/** The instant a wall-clock time ("2026-12-07T09:30", from a datetime-local input) means in `timeZone`. */
export function zonedInputToIso(value: string, timeZone: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as number[];
  const wall = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
  // The zone's offset at the guessed instant, then at the corrected one: right across a DST change.
  const first = wall - zoneOffset(wall, timeZone);
  return new Date(wall - zoneOffset(first, timeZone)).toISOString();
}

/** How far `timeZone`'s wall clock is ahead of UTC at instant `t`, in ms. */
function zoneOffset(t: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(t));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return asUtc - Math.floor(t / 1000) * 1000;
}

/** Now on `timeZone`'s wall clock as a datetime-local value: the inputs' latest allowed time. */
function nowInZone(timeZone: string): string {
  const t = Date.now();
  return new Date(t + zoneOffset(t, timeZone)).toISOString().slice(0, 16);
}

/** The API's field errors by field path (first message each). */
function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError) for (const f of error.fields) out[f.path] ??= f.message;
  return out;
}

/** One labelled input with its hint and the server's error for it, wired for assistive tech. */
function RegField({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: (describedBy: string | undefined, invalid: true | undefined) => ReactNode;
}) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].join(' ').trim() || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(describedBy, error ? true : undefined)}
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The case's regulatory duties. `canWrite`: the person may act on the case (not a viewer). */
export function RegulatoryPanel({
  caseNumber,
  canWrite,
  products,
}: {
  caseNumber: string;
  canWrite: boolean;
  /** The program's products, offered when the case names none. */
  products: { id: string; name: string }[];
}) {
  const q = useQuery({
    queryKey: ['case', caseNumber, 'regulatory'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/reports/{caseNumber}/regulatory', { params: { path: { caseNumber } } })),
    staleTime: 0,
  });
  const qc = useQueryClient();
  const done: OnDone = (view) => {
    if (view) qc.setQueryData(['case', caseNumber, 'regulatory'], view);
    void qc.invalidateQueries({ queryKey: ['case', caseNumber] });
    void qc.invalidateQueries({ queryKey: ['queue'] });
    void qc.invalidateQueries({ queryKey: ['regulatory'] });
  };
  return (
    <section className="card regulatory" aria-labelledby="regulatory-heading">
      <h2 id="regulatory-heading">Regulatory duties</h2>
      {q.isPending ? (
        <Loading what="the regulatory duties" />
      ) : q.isError ? (
        <ErrorMessage error={q.error} />
      ) : (
        <RegulatoryBody view={q.data} canWrite={canWrite} products={products} onDone={done} />
      )}
    </section>
  );
}

function RegulatoryBody({
  view,
  canWrite,
  products,
  onDone,
}: {
  view: RegulatoryCaseView;
  canWrite: boolean;
  products: { id: string; name: string }[];
  onDone: OnDone;
}) {
  const tz = view.timeZone;
  return (
    <>
      {view.product ? (
        view.profile ? (
          <p className="reg-profile">
            <strong>{view.product.name}</strong>
            {view.profile.summary.map((line) => (
              <span key={line} className="badge reg-regime">
                {line}
              </span>
            ))}
          </p>
        ) : (
          <p className="muted">
            {view.product.name} has no regulatory profile in the program, so no reporting duty is tracked.
          </p>
        )
      ) : (
        <p className="muted">
          This case names no product, so Vigil cannot tell which regulations apply to it.
        </p>
      )}
      {view.fdaException ? (
        view.fdaException.applies ? (
          <p className="notice">
            The 21 CFR 806 reporting exception still applies while the customer communication, ISAO sharing
            and remediation stay on time.
          </p>
        ) : (
          <div className="warning" role="note" aria-label="FDA reporting exception lost">
            <strong>The 21 CFR 806 reporting exception no longer applies</strong>
            {view.fdaException.lost.length ? `: ${view.fdaException.lost.join('; ')}` : ''}. A correction or
            removal made to reduce this risk must now be reported to the FDA (21 CFR 806.10).
          </div>
        )
      ) : null}
      {view.adverseEvent ? (
        <p className="reg-adverse">
          Adverse event record <code>{view.adverseEvent.number}</code>{' '}
          <CopyButton text={view.adverseEvent.number} label="Copy record number" />{' '}
          <span className="muted">
            opened {formatDateTime(view.adverseEvent.openedAt, tz)}
            {view.adverseEvent.reasons.length ? ` — ${view.adverseEvent.reasons.join('; ')}` : ''}
          </span>
        </p>
      ) : null}
      <ClockTable view={view} canWrite={canWrite} onDone={onDone} />
      <h3>Triggers</h3>
      {view.triggers.length === 0 ? (
        <p className="muted">No trigger recorded: no regulatory clock runs for this case.</p>
      ) : (
        <ul className="plain reg-triggers">
          {view.triggers.map((t) => (
            <TriggerEntry key={t.id} view={view} trigger={t} canWrite={canWrite} onDone={onDone} />
          ))}
        </ul>
      )}
      {canWrite && view.availableTriggers.length > 0 ? (
        <RecordTrigger view={view} products={products} onDone={onDone} />
      ) : null}
    </>
  );
}

const URGENCY: Record<RegulatoryClockState, number> = {
  breached: 0,
  running: 0,
  waiting: 1,
  'submitted-late': 2,
  submitted: 2,
  'not-reportable': 2,
};

/** Open clocks first, soonest due first; then those waiting to start; then the closed ones. */
function byUrgency(clocks: RegulatoryClock[]): RegulatoryClock[] {
  const due = (k: RegulatoryClock) => (k.dueAt ? Date.parse(k.dueAt) : Number.POSITIVE_INFINITY);
  return [...clocks].sort((a, b) => URGENCY[a.state] - URGENCY[b.state] || due(a) - due(b));
}

function ClockTable({
  view,
  canWrite,
  onDone,
}: {
  view: RegulatoryCaseView;
  canWrite: boolean;
  onDone: OnDone;
}) {
  if (view.clocks.length === 0) return null;
  return (
    <div className="table-wrap reg-clocks">
      <table>
        <caption className="visually-hidden">Regulatory clocks of this case</caption>
        <thead>
          <tr>
            <th scope="col">Duty</th>
            <th scope="col">Regulation</th>
            <th scope="col">Window</th>
            <th scope="col">Due</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        {byUrgency(view.clocks).map((k) => (
          <ClockRows
            key={k.id}
            caseNumber={view.caseNumber}
            clock={k}
            timeZone={view.timeZone}
            canWrite={canWrite}
            onDone={onDone}
          />
        ))}
      </table>
    </div>
  );
}

/** One clock: its row, and under it what the person opened (the report, or the submission form). */
function ClockRows({
  caseNumber,
  clock,
  timeZone,
  canWrite,
  onDone,
}: {
  caseNumber: string;
  clock: RegulatoryClock;
  timeZone: string;
  canWrite: boolean;
  onDone: OnDone;
}) {
  const [open, setOpen] = useState<'' | 'report' | 'submit'>('');
  const live = clock.state === 'running' || clock.state === 'breached';
  const toggle = (what: 'report' | 'submit') => setOpen(open === what ? '' : what);
  return (
    <tbody>
      <tr>
        <th scope="row">
          {clock.title}
          <div className="muted small-text reg-sub">to {clock.recipient}</div>
        </th>
        <td>
          {clock.regulation}
          <div className="muted small-text">{clock.article}</div>
        </td>
        <td>{clock.window}</td>
        <td>
          <RegulatoryDue clock={clock} timeZone={timeZone} />
        </td>
        <td>
          <RegulatoryStateBadge state={clock.state} />
          {clock.submittedAt ? (
            <div className="muted small-text">
              {clock.reference ? (
                <>
                  ref. <code>{clock.reference}</code>,{' '}
                </>
              ) : null}
              {formatDateTime(clock.submittedAt, timeZone)}
              {clock.submittedBy ? `, ${who(clock.submittedBy)}` : ''}
            </div>
          ) : null}
        </td>
      </tr>
      {live && canWrite ? (
        <tr className="reg-actions-row">
          <td colSpan={5}>
            <div className="actions">
              <button
                type="button"
                className="secondary small"
                aria-expanded={open === 'report'}
                onClick={() => toggle('report')}
              >
                Prepare report<span className="visually-hidden">: {clock.title}</span>
              </button>
              <button
                type="button"
                className="secondary small"
                aria-expanded={open === 'submit'}
                onClick={() => toggle('submit')}
              >
                Mark submitted<span className="visually-hidden">: {clock.title}</span>
              </button>
            </div>
            {open === 'report' ? <ReportPreview caseNumber={caseNumber} clock={clock} /> : null}
            {open === 'submit' ? (
              <SubmitForm
                caseNumber={caseNumber}
                clock={clock}
                timeZone={timeZone}
                onDone={(v) => {
                  setOpen('');
                  onDone(v);
                }}
                onCancel={() => setOpen('')}
              />
            ) : null}
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}

/** The paste-ready report for a clock: text to copy into the authority's form, and its JSON. */
function ReportPreview({ caseNumber, clock }: { caseNumber: string; clock: RegulatoryClock }) {
  const q = useQuery({
    queryKey: ['case', caseNumber, 'regulatory', 'report', clock.id],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/reports/{caseNumber}/regulatory/clocks/{clockId}/report', {
          params: { path: { caseNumber, clockId: clock.id } },
        }),
      ),
    staleTime: 0,
  });
  if (q.isPending) return <Loading what="the report" />;
  if (q.isError) return <ErrorMessage error={q.error} />;
  const json = JSON.stringify(q.data.json, null, 2);
  return (
    <section className="reg-report" aria-label={`Report: ${q.data.title}`}>
      <div className="actions">
        <h4>{q.data.title}</h4>
        <CopyButton text={q.data.text} label="Copy text" />
      </div>
      <pre className="reg-report-text">{q.data.text}</pre>
      <details>
        <summary>JSON</summary>
        <div className="actions">
          <CopyButton text={json} label="Copy JSON" />
        </div>
        <pre className="reg-report-text">{json}</pre>
      </details>
    </section>
  );
}

function SubmitForm({
  caseNumber,
  clock,
  timeZone,
  onDone,
  onCancel,
}: {
  caseNumber: string;
  clock: RegulatoryClock;
  timeZone: string;
  onDone: OnDone;
  onCancel: () => void;
}) {
  const id = useId();
  const [reference, setReference] = useState('');
  const [at, setAt] = useState('');
  const submit = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/reports/{caseNumber}/regulatory/clocks/{clockId}/submit', {
          params: { path: { caseNumber, clockId: clock.id } },
          body: { reference, ...(at ? { submittedAt: zonedInputToIso(at, timeZone) } : {}) },
        }),
      ),
    onSuccess: onDone,
  });
  const errors = fieldErrors(submit.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit.mutate();
  };
  return (
    <form className="stack action-form" onSubmit={onSubmit} aria-label={`Mark submitted: ${clock.title}`}>
      <div className="grid-2">
        <RegField
          id={`${id}-ref`}
          label="Reference number (required)"
          hint={`The number ${clock.recipient} gave the submission.`}
          error={errors.reference}
        >
          {(describedBy, invalid) => (
            <input
              id={`${id}-ref`}
              maxLength={200}
              value={reference}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={(e) => setReference(e.target.value)}
            />
          )}
        </RegField>
        <RegField
          id={`${id}-at`}
          label={`Submitted at (${timeZone})`}
          hint="Leave empty for now."
          error={errors.submittedAt}
        >
          {(describedBy, invalid) => (
            <input
              id={`${id}-at`}
              type="datetime-local"
              max={nowInZone(timeZone)}
              value={at}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={(e) => setAt(e.target.value)}
            />
          )}
        </RegField>
      </div>
      {Object.keys(errors).length ? null : <ErrorMessage error={submit.error} />}
      <div className="actions">
        <button type="submit" className="small" disabled={submit.isPending}>
          Mark submitted
        </button>
        <button type="button" className="secondary small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const OPEN_STATES: RegulatoryClockState[] = ['waiting', 'running', 'breached'];

/** The regimes in which a trigger still has an open clock, with the regulation that names each. */
function regimesOf(view: RegulatoryCaseView, triggerId: string): { regime: Regime; regulation: string }[] {
  const out = new Map<Regime, string>();
  for (const k of view.clocks)
    if (k.triggerId === triggerId && OPEN_STATES.includes(k.state)) out.set(k.regime, k.regulation);
  return [...out].map(([regime, regulation]) => ({ regime, regulation }));
}

function TriggerEntry({
  view,
  trigger: t,
  canWrite,
  onDone,
}: {
  view: RegulatoryCaseView;
  trigger: Trigger;
  canWrite: boolean;
  onDone: OnDone;
}) {
  const tz = view.timeZone;
  const measure = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/reports/{caseNumber}/regulatory/triggers/{triggerId}/measure', {
          params: { path: { caseNumber: view.caseNumber, triggerId: t.id } },
          body: {},
        }),
      ),
    onSuccess: onDone,
  });
  const decisions = view.decisions.filter((d) => d.triggerId === t.id);
  // A regime with open clocks can be proposed "not reportable" while no decision on it is pending or approved.
  const open = regimesOf(view, t.id).filter(
    (r) => !decisions.some((d) => d.regime === r.regime && d.state !== 'rejected'),
  );
  const details = [
    t.individualsAffected !== null ? `${t.individualsAffected} individuals affected` : '',
    t.residentsOfOneState !== null ? `${t.residentsOfOneState} residents of one state` : '',
    t.outcome ? (OUTCOMES.find((o) => o.value === t.outcome)?.label ?? t.outcome) : '',
    t.remedialAction === true
      ? 'remedial action taken'
      : t.remedialAction === false
        ? 'no remedial action'
        : '',
    t.measureAvailableAt ? `corrective measure available ${formatDateTime(t.measureAvailableAt, tz)}` : '',
  ].filter(Boolean);
  return (
    <li className="reg-trigger">
      <div>
        <strong>{t.label}</strong>{' '}
        <span className="muted">
          recorded {formatDateTime(t.recordedAt, tz)} by{' '}
          {t.source === 'assessment' ? 'the assessment' : who(t.recordedBy)} · aware{' '}
          {formatDateTime(t.awareAt, tz)}
        </span>
      </div>
      {t.reason ? <p className="reg-reason">{t.reason}</p> : null}
      {details.length ? <p className="muted">{details.join(' · ')}</p> : null}
      {decisions.length ? (
        <ul className="plain reg-decisions" aria-label={`Decisions on ${t.label}`}>
          {decisions.map((d) => (
            <DecisionEntry
              key={d.id}
              caseNumber={view.caseNumber}
              d={d}
              timeZone={tz}
              canWrite={canWrite}
              onDone={onDone}
            />
          ))}
        </ul>
      ) : null}
      {canWrite ? (
        <div className="actions">
          {t.kind === 'actively-exploited' && !t.measureAvailableAt ? (
            <button
              type="button"
              className="secondary small"
              disabled={measure.isPending}
              onClick={() => measure.mutate()}
            >
              Corrective measure available
            </button>
          ) : null}
          {open.length ? <NotReportable view={view} trigger={t} regimes={open} onDone={onDone} /> : null}
        </div>
      ) : null}
      <ErrorMessage error={measure.error} />
    </li>
  );
}

/** Propose that a trigger is not reportable under one regulation: another person approves it. */
function NotReportable({
  view,
  trigger,
  regimes,
  onDone,
}: {
  view: RegulatoryCaseView;
  trigger: Trigger;
  regimes: { regime: Regime; regulation: string }[];
  onDone: OnDone;
}) {
  const id = useId();
  const [shown, setShown] = useState(false);
  const [regime, setRegime] = useState<Regime | undefined>(regimes[0]?.regime);
  const [reason, setReason] = useState('');
  const propose = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/reports/{caseNumber}/regulatory/decisions', {
          params: { path: { caseNumber: view.caseNumber } },
          // The select always holds one of `regimes`; an empty one is the server's to refuse.
          body: { triggerId: trigger.id, regime: regime as Regime, reason },
        }),
      ),
    onSuccess: (v) => {
      setShown(false);
      setReason('');
      onDone(v);
    },
  });
  const errors = fieldErrors(propose.error);
  if (!shown)
    return (
      <button type="button" className="secondary small" onClick={() => setShown(true)}>
        Not reportable…<span className="visually-hidden"> ({trigger.label})</span>
      </button>
    );
  return (
    <form
      className="stack action-form reg-wide"
      aria-label={`Propose not reportable: ${trigger.label}`}
      onSubmit={(e) => {
        e.preventDefault();
        propose.mutate();
      }}
    >
      <RegField id={`${id}-regime`} label="Under which regulation" error={errors.regime}>
        {(describedBy, invalid) => (
          <select
            id={`${id}-regime`}
            value={regime ?? ''}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onChange={(e) => setRegime(regimes.find((r) => r.regime === e.target.value)?.regime)}
          >
            {regimes.map((r) => (
              <option key={r.regime} value={r.regime}>
                {r.regulation}
              </option>
            ))}
          </select>
        )}
      </RegField>
      <RegField
        id={`${id}-reason`}
        label="Why it is not reportable (required)"
        hint="Another person with the approver duty (the privacy duty for HIPAA and GDPR) must approve it; until then the clocks keep running."
        error={errors.reason}
      >
        {(describedBy, invalid) => (
          <textarea
            id={`${id}-reason`}
            rows={3}
            maxLength={4000}
            value={reason}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onChange={(e) => setReason(e.target.value)}
          />
        )}
      </RegField>
      {errors.reason || errors.regime ? null : <ErrorMessage error={propose.error} />}
      <div className="actions">
        <button type="submit" className="small" disabled={propose.isPending}>
          Propose not reportable
        </button>
        <button type="button" className="secondary small" onClick={() => setShown(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function DecisionEntry({
  caseNumber,
  d,
  timeZone,
  canWrite,
  onDone,
}: {
  caseNumber: string;
  d: Decision;
  timeZone: string;
  canWrite: boolean;
  onDone: OnDone;
}) {
  const id = useId();
  const session = useSession();
  const mine = d.decidedBy !== null && session.data?.user.id === d.decidedBy.id;
  const [rejecting, setRejecting] = useState(false);
  const [note, setNote] = useState('');
  const decide = useMutation({
    mutationFn: (what: 'approve' | 'reject') => {
      const params = { path: { caseNumber, decisionId: d.id } };
      return what === 'approve'
        ? unwrap(
            api.POST('/api/v1/reports/{caseNumber}/regulatory/decisions/{decisionId}/approve', {
              params,
              body: {},
            }),
          )
        : unwrap(
            api.POST('/api/v1/reports/{caseNumber}/regulatory/decisions/{decisionId}/reject', {
              params,
              body: { reason: note },
            }),
          );
    },
    onSuccess: (v) => {
      setRejecting(false);
      onDone(v);
    },
  });
  const noteError = fieldErrors(decide.error).reason;
  return (
    <li>
      <span className={`badge decision-${d.state}`}>{d.state}</span> Not reportable under {d.regulation}
      {d.articles.length ? <span className="muted"> ({d.articles.join(', ')})</span> : null}
      <div className="muted">
        Proposed by {who(d.decidedBy)}, {formatDateTime(d.decidedAt, timeZone)}: “{d.reason}”
        {d.reviewedBy
          ? ` · ${d.state} by ${who(d.reviewedBy)}, ${formatDateTime(d.reviewedAt, timeZone)}${d.reviewNote ? `: “${d.reviewNote}”` : ''}`
          : ''}
      </div>
      {d.state === 'proposed' && canWrite ? (
        <div className="stack">
          <div className="actions">
            <button
              type="button"
              className="small"
              disabled={decide.isPending}
              aria-describedby={mine ? `${id}-why` : undefined}
              onClick={() => decide.mutate('approve')}
            >
              Approve<span className="visually-hidden"> not reportable under {d.regulation}</span>
            </button>
            <button
              type="button"
              className="secondary small"
              aria-expanded={rejecting}
              onClick={() => setRejecting(!rejecting)}
            >
              Reject…<span className="visually-hidden"> not reportable under {d.regulation}</span>
            </button>
          </div>
          {mine ? (
            <p className="hint" id={`${id}-why`}>
              You proposed this, so another person must approve it.
            </p>
          ) : null}
          {rejecting ? (
            <form
              className="stack"
              aria-label={`Reject not reportable under ${d.regulation}`}
              onSubmit={(e) => {
                e.preventDefault();
                decide.mutate('reject');
              }}
            >
              <RegField id={`${id}-note`} label="Why it is reportable after all" error={noteError}>
                {(describedBy, invalid) => (
                  <textarea
                    id={`${id}-note`}
                    rows={2}
                    maxLength={4000}
                    value={note}
                    aria-describedby={describedBy}
                    aria-invalid={invalid}
                    onChange={(e) => setNote(e.target.value)}
                  />
                )}
              </RegField>
              <button type="submit" className="danger small" disabled={decide.isPending}>
                Reject
              </button>
            </form>
          ) : null}
          {noteError ? null : <ErrorMessage error={decide.error} />}
        </div>
      ) : null}
    </li>
  );
}

/** Record what happened (exploited, breach, malfunction…): the server starts the clocks it calls for. */
function RecordTrigger({
  view,
  products,
  onDone,
}: {
  view: RegulatoryCaseView;
  products: { id: string; name: string }[];
  onDone: OnDone;
}) {
  const id = useId();
  const tz = view.timeZone;
  const [shown, setShown] = useState(false);
  const [kind, setKind] = useState<TriggerKind | undefined>(view.availableTriggers[0]?.kind);
  const [product, setProduct] = useState('');
  const [awareAt, setAwareAt] = useState('');
  const [reason, setReason] = useState('');
  const [individuals, setIndividuals] = useState('');
  const [residents, setResidents] = useState('');
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const [remedial, setRemedial] = useState(false);
  const record = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/reports/{caseNumber}/regulatory/triggers', {
          params: { path: { caseNumber: view.caseNumber } },
          body: {
            kind: kind as TriggerKind,
            reason,
            ...(view.product || !product ? {} : { product }),
            ...(awareAt ? { awareAt: zonedInputToIso(awareAt, tz) } : {}),
            ...(kind === 'phi-breach'
              ? {
                  ...(individuals ? { individualsAffected: Number(individuals) } : {}),
                  ...(residents ? { residentsOfOneState: Number(residents) } : {}),
                }
              : {}),
            ...(kind === 'device-malfunction'
              ? { ...(outcome ? { outcome } : {}), remedialAction: remedial }
              : {}),
          },
        }),
      ),
    onSuccess: (v) => {
      setShown(false);
      setReason('');
      setAwareAt('');
      onDone(v);
    },
  });
  const errors = fieldErrors(record.error);
  const chosen = view.availableTriggers.find((t) => t.kind === kind);
  if (!shown)
    return (
      <p>
        <button type="button" className="secondary small" onClick={() => setShown(true)}>
          Record a trigger…
        </button>
      </p>
    );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate();
  };
  const known = ['kind', 'product', 'awareAt', 'reason', 'individualsAffected', 'residentsOfOneState'];
  const shownErrors = [...known, 'outcome', 'remedialAction'].some((k) => errors[k]);
  return (
    <form className="stack action-form" onSubmit={onSubmit} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Record a trigger</h3>
      <div className="grid-2">
        <RegField
          id={`${id}-kind`}
          label="What happened"
          hint={chosen ? `Starts clocks under: ${chosen.regimes.join(', ')}` : undefined}
          error={errors.kind}
        >
          {(describedBy, invalid) => (
            <select
              id={`${id}-kind`}
              value={kind ?? ''}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={(e) => setKind(view.availableTriggers.find((t) => t.kind === e.target.value)?.kind)}
            >
              {view.availableTriggers.map((t) => (
                <option key={t.kind} value={t.kind}>
                  {t.label}
                </option>
              ))}
            </select>
          )}
        </RegField>
        {view.product ? null : (
          <RegField id={`${id}-product`} label="Product" error={errors.product}>
            {(describedBy, invalid) => (
              <select
                id={`${id}-product`}
                value={product}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onChange={(e) => setProduct(e.target.value)}
              >
                <option value="">Choose the product</option>
                {products.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </RegField>
        )}
        <RegField
          id={`${id}-aware`}
          label={`Aware since (${tz})`}
          hint="When the organisation became aware; the clocks count from it. Leave empty for now."
          error={errors.awareAt}
        >
          {(describedBy, invalid) => (
            <input
              id={`${id}-aware`}
              type="datetime-local"
              max={nowInZone(tz)}
              value={awareAt}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onChange={(e) => setAwareAt(e.target.value)}
            />
          )}
        </RegField>
      </div>
      {kind === 'phi-breach' ? (
        <div className="grid-2">
          <RegField
            id={`${id}-individuals`}
            label="Individuals affected"
            hint="500 or more: HHS and (by state) the media are told within 60 days."
            error={errors.individualsAffected}
          >
            {(describedBy, invalid) => (
              <input
                id={`${id}-individuals`}
                type="number"
                min={0}
                inputMode="numeric"
                value={individuals}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onChange={(e) => setIndividuals(e.target.value)}
              />
            )}
          </RegField>
          <RegField
            id={`${id}-residents`}
            label="Most residents of one state or jurisdiction"
            hint="Optional: the largest number living in one state."
            error={errors.residentsOfOneState}
          >
            {(describedBy, invalid) => (
              <input
                id={`${id}-residents`}
                type="number"
                min={0}
                inputMode="numeric"
                value={residents}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onChange={(e) => setResidents(e.target.value)}
              />
            )}
          </RegField>
        </div>
      ) : null}
      {kind === 'device-malfunction' ? (
        <div className="grid-2">
          <RegField id={`${id}-outcome`} label="Outcome" error={errors.outcome}>
            {(describedBy, invalid) => (
              <select
                id={`${id}-outcome`}
                value={outcome}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onChange={(e) => setOutcome(OUTCOMES.find((o) => o.value === e.target.value)?.value ?? '')}
              >
                <option value="">Choose the outcome</option>
                {OUTCOMES.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            )}
          </RegField>
          <div className="field">
            <label className="inline">
              <input type="checkbox" checked={remedial} onChange={(e) => setRemedial(e.target.checked)} /> A
              remedial action is needed to prevent an unreasonable risk of substantial harm
            </label>
            <p className="hint">21 CFR 803.53: a 5-work-day report instead of the 30-day one.</p>
            {errors.remedialAction ? <p className="field-error">{errors.remedialAction}</p> : null}
          </div>
        </div>
      ) : null}
      <RegField
        id={`${id}-reason`}
        label="Why (required)"
        hint="What the team knows and why this counts as the trigger. Kept sealed on the case."
        error={errors.reason}
      >
        {(describedBy, invalid) => (
          <textarea
            id={`${id}-reason`}
            rows={3}
            maxLength={4000}
            value={reason}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            onChange={(e) => setReason(e.target.value)}
          />
        )}
      </RegField>
      {shownErrors ? null : <ErrorMessage error={record.error} />}
      <div className="actions">
        <button type="submit" className="small" disabled={record.isPending}>
          Record trigger
        </button>
        <button type="button" className="secondary small" onClick={() => setShown(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
