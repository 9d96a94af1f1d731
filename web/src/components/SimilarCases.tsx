import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ApiError, api, unwrap } from '../api/client.js';
import { ErrorMessage, Loading, StateBadge, Time } from './common.js';

/** Duplicate suggestions: the most similar cases of the same program, with why they were picked. */
export function SimilarCases({ caseNumber }: { caseNumber: string }) {
  const similar = useQuery({
    queryKey: ['case', caseNumber, 'similar'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/reports/{caseNumber}/similar', { params: { path: { caseNumber } } })),
  });
  return (
    <section className="card" aria-labelledby="similar-heading">
      <h2 id="similar-heading">Similar cases</h2>
      {similar.isPending ? (
        <Loading what="similar cases" />
      ) : similar.isError ? (
        similar.error instanceof ApiError && similar.error.status === 404 ? (
          <p className="muted">Similar-case suggestions are not available on this server.</p>
        ) : (
          <ErrorMessage error={similar.error} />
        )
      ) : similar.data.similar.length === 0 ? (
        <p className="muted">No similar case found.</p>
      ) : (
        <ul className="similar">
          {similar.data.similar.map((s) => (
            <li key={s.caseNumber}>
              <div>
                <Link to={`/cases/${encodeURIComponent(s.caseNumber)}`} className="case-link">
                  {s.caseNumber}
                </Link>{' '}
                <StateBadge state={s.state} /> <span className="muted">score {s.score.toFixed(2)}</span>
              </div>
              {s.title ? <div className="report-body">{s.title}</div> : null}
              <div className="muted">
                received <Time iso={s.receivedAt} />
              </div>
              {s.reasons.length > 0 ? (
                <ul className="reasons">
                  {s.reasons.map((r, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: reasons may repeat a kind
                    <li key={i}>
                      <strong>{r.kind}</strong>: {r.detail}
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
