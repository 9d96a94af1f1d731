import { CASE_CLOCKS, CLOCK_STOPS } from '../cases/index.js';
import type { RunningClockRow } from './telemetry-store.js';

/**
 * How a running deadline clock stands, for the `vigil_deadline_clocks_running` gauge:
 * - `ok`: less than 80 % of its time used;
 * - `warning`: 80 % or more used, not yet due (the point at which the clock-warning job tells the
 *   assignee, src/cases/clock-warnings.ts);
 * - `breached`: due, and its step has still not happened.
 * Time used is wall time since receipt over wall time from receipt to due, as src/cases/clocks.ts
 * reads `fractionUsed`; a stopped clock (its step done, or the case closed) is not counted.
 */
export const RUNNING_CLOCK_STATES = ['ok', 'warning', 'breached'] as const;
export type RunningClockState = (typeof RUNNING_CLOCK_STATES)[number];

/** The share of a clock's time at which it turns to `warning` (the clock-warning job's 80 %). */
const WARNING_FRACTION = 0.8;

export interface ClockCount {
  program: string;
  clock: string;
  state: RunningClockState;
  count: number;
}

/** Count the running clocks of `rows` by program, clock and state at `now`. */
export function countRunningClocks(rows: readonly RunningClockRow[], now: Date): ClockCount[] {
  const counts = new Map<string, ClockCount>();
  const at = now.getTime();
  for (const row of rows) {
    if (row.closed_at !== null) continue;
    const deadlines = parseDeadlines(row.deadlines);
    const received = Date.parse(row.received_at);
    for (const clock of CASE_CLOCKS) {
      const due = Date.parse(deadlines[clock] ?? '');
      if (Number.isNaN(due) || row[CLOCK_STOPS[clock]] !== null) continue;
      const state = stateAt(at, received, due);
      const key = `${row.program}\u0000${clock}\u0000${state}`;
      const entry = counts.get(key) ?? { program: row.program, clock, state, count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
  }
  return [...counts.values()];
}

function stateAt(now: number, received: number, due: number): RunningClockState {
  if (now > due) return 'breached';
  const span = due - received;
  return span <= 0 || (now - received) / span >= WARNING_FRACTION ? 'warning' : 'ok';
}

function parseDeadlines(text: string): Record<string, string> {
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}
