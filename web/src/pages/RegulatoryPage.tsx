import { useQueries, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client.js';
import { ErrorMessage, Loading, PageTitle } from '../components/common.js';
import { RegulatoryDue, RegulatoryStateBadge } from '../components/RegulatoryPanel.js';
import { useProgramChoices } from '../hooks.js';

/**
 * Every running regulatory clock across the person's programs, soonest due first (the server's
 * order): the one page to open when the question is "what must go to an authority next?".
 */
export function RegulatoryPage() {
  const clocks = useQuery({
    queryKey: ['regulatory', 'clocks'],
    queryFn: () => unwrap(api.GET('/api/v1/regulatory/clocks')),
    refetchInterval: 60_000,
  });
  const programs = useProgramChoices();
  const slugs = [...new Set((clocks.data?.items ?? []).map((k) => k.program))];
  // Product names and the zone each program counts its days in (cached with the case page's).
  const defs = useQueries({
    queries: slugs.map((slug) => ({
      queryKey: ['program', slug],
      queryFn: () => unwrap(api.GET('/api/v1/programs/{slug}', { params: { path: { slug } } })),
      staleTime: 5 * 60_000,
    })),
  });
  const def = (slug: string) => defs[slugs.indexOf(slug)]?.data;
  return (
    <>
      <PageTitle title="Regulatory clocks" />
      <div className="page-head">
        <h1>Regulatory clocks</h1>
        {clocks.isFetching && !clocks.isPending ? (
          <span className="muted" role="status">
            Refreshing…
          </span>
        ) : null}
      </div>
      <p className="hint">
        Reports owed to authorities, customers and partners, across your programs, soonest due first. Times
        are shown relative to now and in each program’s time zone.
      </p>
      {clocks.isPending ? (
        <Loading what="the regulatory clocks" />
      ) : clocks.isError ? (
        <ErrorMessage error={clocks.error} />
      ) : clocks.data.items.length === 0 ? (
        <p className="empty">No regulatory clock is running. Record a trigger on a case to start one.</p>
      ) : (
        <div className="table-wrap">
          <table className="reg-list">
            <caption className="visually-hidden">Running regulatory clocks, soonest due first</caption>
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Program</th>
                <th scope="col">Product</th>
                <th scope="col">Duty</th>
                <th scope="col">Regulation</th>
                <th scope="col">Due</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {clocks.data.items.map((k) => {
                const p = def(k.program);
                return (
                  <tr key={k.id}>
                    <th scope="row">
                      <Link to={`/cases/${encodeURIComponent(k.caseNumber)}`} className="case-link">
                        {k.caseNumber}
                      </Link>
                    </th>
                    <td>{programs.find((x) => x.slug === k.program)?.name ?? k.program}</td>
                    <td>{p?.products.find((x) => x.id === k.productId)?.name ?? k.productId}</td>
                    <td>
                      {k.title}
                      <div className="muted small-text">to {k.recipient}</div>
                    </td>
                    <td>
                      {k.regulation}
                      <div className="muted small-text">{k.article}</div>
                    </td>
                    <td>
                      <RegulatoryDue clock={k} timeZone={p?.timeZone} />
                    </td>
                    <td>
                      <RegulatoryStateBadge state={k.state} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
