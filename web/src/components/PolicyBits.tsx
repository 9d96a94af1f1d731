import type { PolicyHistoryRow, PolicyState, PolicySummary } from '../api/types.js';
import { formatDate } from '../format.js';
import { POLICY_STATE_LABELS, reviewStatus } from '../policy.js';

export function PolicyStateBadge({ state }: { state: PolicyState }) {
  return <span className={`badge policy-${state}`}>{POLICY_STATE_LABELS[state] ?? state}</span>;
}

/** The review due date with an OVERDUE badge (a word, so it never depends on colour alone). */
export function ReviewDue({ doc }: { doc: PolicySummary }) {
  const status = reviewStatus(doc);
  if (status === 'none') return <span className="muted">after first publication</span>;
  return (
    <>
      {formatDate(doc.reviewDueAt)}{' '}
      {status === 'overdue' ? (
        <span className="badge overdue">OVERDUE</span>
      ) : status === 'soon' ? (
        <span className="badge due-soon">due soon</span>
      ) : null}
    </>
  );
}

/** The revision history generated from the record: version, date, changes, who reviewed and approved. */
export function HistoryTable({ rows, caption }: { rows: PolicyHistoryRow[]; caption: string }) {
  if (rows.length === 0) return <p className="muted">Nothing has been published yet.</p>;
  return (
    <div className="table-wrap">
      <table className="history">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Date</th>
            <th scope="col">Record of changes</th>
            <th scope="col">Reviewed by</th>
            <th scope="col">Approved by</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a version may have several review rows
            <tr key={`${r.version}-${r.kind}-${i}`}>
              <th scope="row">{r.version}</th>
              <td>{r.date}</td>
              <td>{r.changes}</td>
              <td>{r.reviewedBy ?? '—'}</td>
              <td>{r.approvedBy ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
