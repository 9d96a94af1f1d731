import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client.js';
import { BulkActionBar } from '../components/BulkTriage.js';
import {
  ClockText,
  ErrorMessage,
  Loading,
  PageTitle,
  SeverityBadge,
  StateBadge,
  Time,
} from '../components/common.js';
import { DueReviews } from '../components/DueReviews.js';
import { PhiBadge } from '../components/PrivacyBits.js';
import { SignalsBadge } from '../components/QualitySignals.js';
import { SelectAllBox, SelectBox, useQueueTriage } from '../components/QueueTriage.js';
import {
  CASE_STATES,
  formatDateTime,
  leadingClock,
  relativeTime,
  SEVERITIES,
  stateLabel,
} from '../format.js';
import { useMembers, useProgram, useProgramChoices } from '../hooks.js';

const FILTERS = ['program', 'state', 'assignee', 'severity', 'product', 'sort'] as const;
const SORTS = ['deadline', 'received', 'triage'] as const;

/** A filter from the URL when it is one the API knows, else none (its select then reads "any" too). */
function oneOf<T extends string>(allowed: readonly T[], value: string): T | undefined {
  return (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/**
 * The soonest regulatory report a case owes (an authority, customers, a partner): its own line
 * under the disclosure clock, since its deadline is set by law and counts in hours and days.
 */
function RegulatoryDueBadge({ dueAt }: { dueAt: string }) {
  const left = Date.parse(dueAt) - Date.now();
  const tone = left < 0 ? 'overdue' : left <= 24 * 3_600_000 ? 'due-soon' : 'reg-queue';
  return (
    <div>
      <span className={`badge ${tone}`} title={`Regulatory report due ${formatDateTime(dueAt)}`}>
        {left < 0 ? <span aria-hidden="true">⚠ </span> : null}
        Regulatory report {left < 0 ? 'overdue, was due' : 'due'} {relativeTime(dueAt)}
      </span>
    </div>
  );
}

/** The case queue: nearest deadline first, filtered through the URL so a view can be shared. */
export function QueuePage() {
  const [params, setParams] = useSearchParams();
  const get = (k: string) => params.get(k) ?? '';
  const program = get('program');
  const cursor = get('cursor');
  const programs = useProgramChoices();
  const programDef = useProgram(program || undefined);
  const members = useMembers(program || undefined);

  const query = useQuery({
    queryKey: ['queue', params.toString()],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/reports', {
          params: {
            query: {
              program: program || undefined,
              state: oneOf(CASE_STATES, get('state')),
              assignee: get('assignee') || undefined,
              severity: oneOf(SEVERITIES, get('severity')),
              product: get('product') || undefined,
              sort: oneOf(SORTS, get('sort')),
              cursor: cursor || undefined,
              limit: 50,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });

  const triage = useQueueTriage(
    (query.data?.items ?? []).map((c) => c.caseNumber),
    params.toString(),
  );
  const lane = get('sort') === 'triage';
  /** The "needs triage" lane: received cases, best quality signals first (the queue API's sort=triage). */
  const laneLink = (triageLane: boolean) => {
    const next = new URLSearchParams(params);
    next.delete('cursor');
    if (triageLane) {
      next.set('sort', 'triage');
      next.delete('state');
    } else next.delete('sort');
    return `?${next.toString()}`;
  };

  const setFilter = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    next.delete('cursor');
    // Products and people belong to one program.
    if (k === 'program') {
      next.delete('product');
      if (next.get('assignee') && !['me', 'none'].includes(next.get('assignee') ?? ''))
        next.delete('assignee');
    }
    setParams(next);
  };

  const filtered = FILTERS.some((k) => params.get(k));

  return (
    <>
      <PageTitle title="Queue" />
      <div className="page-head">
        <h1>Case queue</h1>
        {query.isFetching && !query.isPending ? (
          <span className="muted" role="status">
            Refreshing…
          </span>
        ) : null}
      </div>
      <DueReviews />
      <nav aria-label="Lanes">
        <ul className="lane-tabs">
          <li>
            <Link to={laneLink(false)} aria-current={lane ? undefined : 'page'}>
              All cases
            </Link>
          </li>
          <li>
            <Link to={laneLink(true)} aria-current={lane ? 'page' : undefined}>
              Needs triage
            </Link>
          </li>
        </ul>
      </nav>
      {lane ? (
        <p className="muted">
          New reports not yet acknowledged, strongest quality signals first. Select the junk and close it in
          one go; keys: <kbd>j</kbd> <kbd>k</kbd> to move, <kbd>x</kbd> to select, <kbd>?</kbd> for all.
        </p>
      ) : null}
      <form className="filters" aria-label="Filter the queue" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="f-program">Program</label>
          <select id="f-program" value={program} onChange={(e) => setFilter('program', e.target.value)}>
            <option value="">All programs</option>
            {programs.map((p) => (
              <option key={p.slug} value={p.slug}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-state">State</label>
          <select id="f-state" value={get('state')} onChange={(e) => setFilter('state', e.target.value)}>
            <option value="">Any state</option>
            {CASE_STATES.map((s) => (
              <option key={s} value={s}>
                {stateLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-assignee">Assignee</label>
          <select
            id="f-assignee"
            value={get('assignee')}
            onChange={(e) => setFilter('assignee', e.target.value)}
          >
            <option value="">Anyone</option>
            <option value="me">Me</option>
            <option value="none">Unassigned</option>
            {(members.data?.members ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.name || m.email}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-severity">Severity</label>
          <select
            id="f-severity"
            value={get('severity')}
            onChange={(e) => setFilter('severity', e.target.value)}
          >
            <option value="">Any severity</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-product">Product</label>
          <select
            id="f-product"
            value={get('product')}
            disabled={!program}
            aria-describedby={program ? undefined : 'f-product-hint'}
            onChange={(e) => setFilter('product', e.target.value)}
          >
            <option value="">Any product</option>
            {(programDef.data?.products ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          {program ? null : (
            <span className="hint" id="f-product-hint">
              Pick a program first
            </span>
          )}
        </div>
        <div className="field">
          <label htmlFor="f-sort">Order</label>
          <select
            id="f-sort"
            value={get('sort') || 'deadline'}
            onChange={(e) => setFilter('sort', e.target.value === 'deadline' ? '' : e.target.value)}
          >
            <option value="deadline">Nearest deadline</option>
            <option value="received">Newest first</option>
            <option value="triage">Needs triage (best signals first)</option>
          </select>
        </div>
        {filtered ? (
          <button type="button" className="link" onClick={() => setParams(new URLSearchParams())}>
            Clear filters
          </button>
        ) : null}
      </form>

      {query.isPending ? (
        <Loading what="the queue" />
      ) : query.isError ? (
        <ErrorMessage error={query.error} />
      ) : query.data.items.length === 0 ? (
        <p className="empty">{filtered ? 'No case matches these filters.' : 'No cases yet.'}</p>
      ) : (
        <div className="table-wrap">
          <table className="queue">
            <caption className="visually-hidden">
              Cases{cursor ? ' (a later page)' : ''},{' '}
              {get('sort') === 'received'
                ? 'newest first'
                : lane
                  ? 'needing triage, best quality signals first'
                  : 'nearest deadline first'}
            </caption>
            <thead>
              <tr>
                <th scope="col" className="select-cell">
                  <SelectAllBox triage={triage} />
                </th>
                <th scope="col">Case</th>
                <th scope="col">Program</th>
                <th scope="col">State</th>
                <th scope="col">Severity</th>
                <th scope="col">Assignee</th>
                <th scope="col">Received</th>
                <th scope="col">Next deadline</th>
                <th scope="col">Signals</th>
              </tr>
            </thead>
            <tbody>
              {query.data.items.map((c) => {
                const clock = leadingClock(c.clocks);
                return (
                  <tr
                    key={c.caseNumber}
                    className={
                      [
                        triage.current === c.caseNumber ? 'current' : '',
                        triage.isSelected(c.caseNumber) ? 'selected' : '',
                      ]
                        .join(' ')
                        .trim() || undefined
                    }
                  >
                    <td className="select-cell">
                      <SelectBox triage={triage} caseNumber={c.caseNumber} />
                    </td>
                    <th scope="row">
                      <Link
                        to={`/cases/${encodeURIComponent(c.caseNumber)}`}
                        className="case-link"
                        data-case={c.caseNumber}
                        onFocus={() => triage.onRowFocus(c.caseNumber)}
                      >
                        {c.caseNumber}
                      </Link>
                      {c.phi ? (
                        <>
                          {' '}
                          <PhiBadge />
                        </>
                      ) : null}
                      {c.urgent ? (
                        <>
                          {' '}
                          <span className="badge urgent" title="The reporter answered that they reached PHI">
                            urgent
                          </span>
                        </>
                      ) : null}
                      {c.phiClaim ? (
                        <>
                          {' '}
                          <span
                            className="badge escalation-open"
                            title="The reporter's words say they reached PHI: decide on an escalation"
                          >
                            PHI stated
                          </span>
                        </>
                      ) : null}
                    </th>
                    <td>{programs.find((p) => p.slug === c.program)?.name ?? c.program}</td>
                    <td>
                      <StateBadge state={c.state} />
                    </td>
                    <td>
                      <SeverityBadge severity={c.severity} />
                    </td>
                    <td>
                      {c.assignee ? (
                        c.assignee.name || c.assignee.email
                      ) : (
                        <span className="muted">unassigned</span>
                      )}
                    </td>
                    <td>
                      <Time iso={c.receivedAt} />
                    </td>
                    <td>
                      {clock ? (
                        <ClockText clock={clock} withName />
                      ) : (
                        <span className="muted">no clock running</span>
                      )}
                      {c.regulatoryDueAt ? <RegulatoryDueBadge dueAt={c.regulatoryDueAt} /> : null}
                    </td>
                    <td>
                      <SignalsBadge signals={c.signals} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <BulkActionBar selected={triage.selected} onClear={triage.clear} onKeep={triage.keepOnly} />
      <p className="visually-hidden" role="status">
        {triage.said}
      </p>
      <div className="pager">
        {cursor ? (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              const next = new URLSearchParams(params);
              next.delete('cursor');
              setParams(next);
            }}
          >
            First page
          </button>
        ) : null}
        {query.data?.nextCursor ? (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              const next = new URLSearchParams(params);
              next.set('cursor', query.data?.nextCursor ?? '');
              setParams(next);
            }}
          >
            Next page
          </button>
        ) : null}
      </div>
    </>
  );
}
