/**
 * Program metrics — pure: case rows (clear columns only) and "now" in, figures out.
 *
 * Deadlines. For each clock (acknowledge, verify, summary) a case counts when its `deadlines`
 * define that clock (`due`). The clock stops as in src/cases/clocks.ts: at its own step
 * (`acknowledged_at`, `verified_at`, `summary_sent_at`) or at `closed_at`, whichever is first.
 * It is `kept` when stopped on or before the due instant, `missed` when stopped after it or still
 * running past it at "now", `open` while running and not yet due. `keptShare` is
 * kept / (kept + missed): open clocks are not decided yet; null when nothing is decided. A clock
 * stopped by a triage outcome (the case closed as invalid or forwarded to support before the
 * clock's step, `notApplicable` in src/cases/clocks.ts) is `notApplicable`: neither kept nor
 * missed, so junk neither flatters nor spoils the record.
 *
 * Durations. Hours from `received_at` to the step itself (the stop column, not closing: closing a
 * case is not an acknowledgement), over the cases in which the step happened, whether or not the
 * program sets a clock for it. Median and 90th percentile by linear interpolation between
 * closest ranks (`percentile`), rounded to hundredths of an hour.
 *
 * Breakdowns. Counts by current state (in workflow order), and by severity, product and CWE
 * (most first, then by key); a case without that part of the assessment counts as `unassessed` —
 * for the product, a case whose reporter named none of the program's products and that nobody assessed.
 */

import { CASE_CLOCKS, CASE_STATES, CLOCK_STOPS, type ClockName, notApplicable } from '../cases/index.js';

export interface MetricsRow {
  state: string;
  received_at: string;
  deadlines: string;
  acknowledged_at: string | null;
  verified_at: string | null;
  summary_sent_at: string | null;
  closed_at: string | null;
  triage_outcome: string | null;
  severity: string | null;
  product_id: string | null;
  cwe: string | null;
}

export interface DeadlineFigures {
  due: number;
  kept: number;
  missed: number;
  open: number;
  /** Stopped by a triage outcome (invalid, forwarded to support) before its step. */
  notApplicable: number;
  keptShare: number | null;
}

export interface DurationFigures {
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
}

export interface Breakdown {
  key: string;
  count: number;
  /** A readable name where the key is an id (products, CWEs). */
  label?: string;
}

export interface Figures {
  cases: number;
  deadlines: Record<ClockName, DeadlineFigures>;
  durations: Record<ClockName, DurationFigures>;
  byState: Breakdown[];
  bySeverity: Breakdown[];
  byProduct: Breakdown[];
  byCwe: Breakdown[];
}

export const UNASSESSED = 'unassessed';
const HOUR = 3_600_000;

/**
 * The p-th percentile (0 ≤ p ≤ 1) of the values by linear interpolation between closest ranks
 * (the "R-7" definition of spreadsheets and NumPy): rank h = (n − 1)·p, then the value between
 * the ⌊h⌋-th and ⌈h⌉-th smallest. The median of an even count is the mean of the middle two.
 * Null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile ${p} is not between 0 and 1`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

const round = (v: number | null, places: number) =>
  v === null ? null : Math.round(v * 10 ** places) / 10 ** places;

function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) <= Date.parse(b) ? a : b;
}

function breakdown(
  counts: Map<string, number>,
  order?: readonly string[],
  label?: (key: string) => string | undefined,
): Breakdown[] {
  const entries = [...counts].map(([key, count]) => {
    const l = key === UNASSESSED ? undefined : label?.(key);
    return l === undefined ? { key, count } : { key, count, label: l };
  });
  if (order)
    return entries.sort((x, y) => rank(order, x.key) - rank(order, y.key) || (x.key < y.key ? -1 : 1));
  return entries.sort((x, y) => y.count - x.count || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

const rank = (order: readonly string[], key: string) => {
  const i = order.indexOf(key);
  return i < 0 ? order.length : i;
};

export function computeFigures(
  rows: readonly MetricsRow[],
  now: Date,
  labels: { product?: (id: string) => string | undefined; cwe?: (id: string) => string | undefined } = {},
): Figures {
  const nowMs = now.getTime();
  const deadlines = Object.fromEntries(
    CASE_CLOCKS.map((c) => [c, { due: 0, kept: 0, missed: 0, open: 0, notApplicable: 0, keptShare: null }]),
  ) as Record<ClockName, DeadlineFigures>;
  const hours = Object.fromEntries(CASE_CLOCKS.map((c) => [c, [] as number[]])) as Record<
    ClockName,
    number[]
  >;
  const byState = new Map<string, number>();
  const bySeverity = new Map<string, number>();
  const byProduct = new Map<string, number>();
  const byCwe = new Map<string, number>();
  const bump = (m: Map<string, number>, key: string | null) => {
    const k = key ?? UNASSESSED;
    m.set(k, (m.get(k) ?? 0) + 1);
  };

  for (const row of rows) {
    let due: Record<string, unknown> = {};
    try {
      due = JSON.parse(row.deadlines) as Record<string, unknown>;
    } catch {
      // A row with unreadable deadlines has no clocks to count.
    }
    const received = Date.parse(row.received_at);
    for (const clock of CASE_CLOCKS) {
      const step = row[CLOCK_STOPS[clock]];
      if (step !== null) hours[clock].push((Date.parse(step) - received) / HOUR);
      const dueIso = due[clock];
      if (typeof dueIso !== 'string') continue;
      const d = deadlines[clock];
      d.due++;
      if (notApplicable(row, clock) !== null) {
        d.notApplicable++;
        continue;
      }
      const dueMs = Date.parse(dueIso);
      const stopped = earliest(step, row.closed_at);
      if (stopped !== null) {
        if (Date.parse(stopped) <= dueMs) d.kept++;
        else d.missed++;
      } else if (nowMs > dueMs) d.missed++;
      else d.open++;
    }
    bump(byState, row.state);
    bump(bySeverity, row.severity);
    bump(byProduct, row.product_id);
    bump(byCwe, row.cwe);
  }

  for (const clock of CASE_CLOCKS) {
    const d = deadlines[clock];
    d.keptShare = d.kept + d.missed > 0 ? round(d.kept / (d.kept + d.missed), 4) : null;
  }
  const durations = Object.fromEntries(
    CASE_CLOCKS.map((c) => [
      c,
      {
        count: hours[c].length,
        medianHours: round(percentile(hours[c], 0.5), 2),
        p90Hours: round(percentile(hours[c], 0.9), 2),
      },
    ]),
  ) as Record<ClockName, DurationFigures>;

  return {
    cases: rows.length,
    deadlines,
    durations,
    byState: breakdown(byState, CASE_STATES),
    bySeverity: breakdown(bySeverity),
    byProduct: breakdown(byProduct, undefined, labels.product),
    byCwe: breakdown(byCwe, undefined, labels.cwe),
  };
}
