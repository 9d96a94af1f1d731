import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, unwrap, withQuery } from '../api/client.js';
import type { Breakdown, Metrics } from '../api/types.js';
import { ErrorMessage, Field, Loading, PageTitle } from '../components/common.js';
import { CLOCK_LABELS, hours, stateLabel } from '../format.js';
import { useProgramChoices } from '../hooks.js';

const CLOCKS = ['acknowledge', 'verify', 'summary'] as const;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const daysAgo = (n: number) => isoDay(new Date(Date.now() - n * 86_400_000));

const PERIODS: { id: string; label: string; days: number }[] = [
  { id: '30', label: 'Last 30 days', days: 29 },
  { id: '90', label: 'Last 90 days', days: 89 },
  { id: '365', label: 'Last 12 months', days: 364 },
];

const percent = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${Math.round(x * 100)} %`;

/** One breakdown as a bar chart, with the same figures as a table for screen readers and copying. */
function BreakdownChart({
  title,
  data,
  label,
}: {
  title: string;
  data: Breakdown[];
  label?: (k: string) => string;
}) {
  const rows = data.map((d) => ({
    name: d.label ? `${d.key} ${d.label}` : label ? label(d.key) : d.key,
    count: d.count,
  }));
  const id = `chart-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">No cases.</p>
      ) : (
        <>
          <div className="chart" aria-hidden="true">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart
                accessibilityLayer={false}
                data={rows}
                layout="vertical"
                margin={{ left: 8, right: 16, top: 4, bottom: 4 }}
              >
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" allowDecimals={false} />
                <YAxis type="category" dataKey="name" width={140} tick={{ fontSize: 12 }} />
                <Tooltip />
                <Bar dataKey="count" name="Cases" fill="#2f7fd0" maxBarSize={28} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <details>
            <summary>Figures</summary>
            <table>
              <thead>
                <tr>
                  <th scope="col">{title.replace(/^By /, '')}</th>
                  <th scope="col">Cases</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.name}>
                    <th scope="row">{r.name}</th>
                    <td>{r.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}

/** Regulatory clocks per regulation: reports sent on time, late, still due, and decided not reportable. */
function RegulatoryDeadlines({ rows: all }: { rows: Metrics['regulatory'] }) {
  // Regulations no case of the selection ever started a clock under would be rows of zeros.
  const rows = all.filter((r) => r.kept + r.missed + r.running + r.notReportable > 0);
  return (
    <section className="card" aria-labelledby="reg-deadlines">
      <h2 id="reg-deadlines">Regulatory deadlines</h2>
      {rows.length === 0 ? (
        <p className="muted">No regulatory clock to count yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="reg-metrics">
            <thead>
              <tr>
                <th scope="col">Regulation</th>
                <th scope="col">Kept</th>
                <th scope="col">Missed</th>
                <th scope="col">Running</th>
                <th scope="col">Not reportable</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.regime}>
                  <th scope="row">{r.regulation}</th>
                  <td>{r.kept}</td>
                  <td className={r.missed > 0 ? 'clock-overdue' : undefined}>{r.missed}</td>
                  <td>{r.running}</td>
                  <td>{r.notReportable}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function MetricsPage() {
  const [params, setParams] = useSearchParams();
  const programs = useProgramChoices();
  const program = params.get('program') ?? '';
  const period = params.get('period') ?? '90';
  const days = PERIODS.find((p) => p.id === period)?.days ?? 89;
  const query = { program: program || undefined, from: daysAgo(days), to: daysAgo(0) };
  const metrics = useQuery({
    queryKey: ['metrics', program, period],
    queryFn: () => unwrap(api.GET('/api/v1/metrics', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next);
  };
  const m = metrics.data;
  return (
    <>
      <PageTitle title="Metrics" />
      <h1>Metrics</h1>
      <form className="filters" aria-label="Choose the figures" onSubmit={(e) => e.preventDefault()}>
        <Field label="Program" id="m-program">
          <select id="m-program" value={program} onChange={(e) => set('program', e.target.value)}>
            <option value="">All programs</option>
            {programs.map((p) => (
              <option key={p.slug} value={p.slug}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Period" id="m-period">
          <select id="m-period" value={period} onChange={(e) => set('period', e.target.value)}>
            {PERIODS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </Field>
        <div className="actions">
          <a className="button-link" href={withQuery('/api/v1/metrics.csv', query)} download>
            Export CSV
          </a>
          <a
            className="button-link"
            href={withQuery('/api/v1/metrics', query)}
            target="_blank"
            rel="noopener noreferrer"
          >
            Export JSON
          </a>
        </div>
      </form>
      {metrics.isPending ? (
        <Loading what="the metrics" />
      ) : metrics.isError ? (
        <ErrorMessage error={metrics.error} />
      ) : m ? (
        <>
          <p className="muted">
            {m.cases} case{m.cases === 1 ? '' : 's'} received from {m.period.from} to {m.period.to}.
          </p>
          <div className="kpis">
            {CLOCKS.map((c) => {
              const d = m.deadlines[c];
              const t = m.durations[c];
              if (!d) return null;
              return (
                <section className="kpi" key={c} aria-labelledby={`kpi-${c}`}>
                  <h2 id={`kpi-${c}`}>{CLOCK_LABELS[c]}</h2>
                  <p className="big">{percent(d.keptShare)}</p>
                  <p className="muted">
                    deadlines kept: {d.kept} kept, {d.missed} missed, {d.open} open
                    {d.notApplicable > 0 ? `, ${d.notApplicable} not applicable (invalid or forwarded)` : ''}
                  </p>
                  {t ? (
                    <p>
                      median {hours(t.medianHours)} · 90th percentile {hours(t.p90Hours)}{' '}
                      <span className="muted">({t.count} done)</span>
                    </p>
                  ) : null}
                </section>
              );
            })}
          </div>
          <RegulatoryDeadlines rows={m.regulatory} />
          <div className="charts">
            <BreakdownChart title="By state" data={m.byState} label={stateLabel} />
            <BreakdownChart title="By severity" data={m.bySeverity} />
            <BreakdownChart title="By product" data={m.byProduct} />
            <BreakdownChart title="By CWE" data={m.byCwe} />
          </div>
        </>
      ) : null}
    </>
  );
}
