import type { CaseClock } from './api/types.js';

/** The case states, as the server's state machine defines them. */
export { CASE_STATES } from '../../src/cases/workflow.js';

export const SEVERITIES = ['none', 'low', 'medium', 'high', 'critical'] as const;

export const stateLabel = (s: string): string => s.replace(/_/g, ' ');

export const CLOCK_LABELS: Record<string, string> = {
  acknowledge: 'Acknowledge',
  verify: 'Verify',
  summary: 'Summary of findings',
};

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** An absolute time with its zone, e.g. "12 Mar 2026, 14:05 CET". */
export function formatDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: timeZone ?? zone,
    timeZoneName: 'short',
  }).format(d);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }).format(d);
}

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "3 hours ago", "in 2 days". */
export function relativeTime(iso: string, now = Date.now()): string {
  const diff = Date.parse(iso) - now;
  const abs = Math.abs(diff);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ];
  for (const [unit, ms] of units) if (abs >= ms) return rtf.format(Math.round(diff / ms), unit);
  return 'just now';
}

const days = (n: number) => `${n} business day${n === 1 ? '' : 's'}`;

/** A clock as a person reads it: "2 business days left", "overdue by 1 business day", "met". */
export function clockText(c: CaseClock): string {
  switch (c.state) {
    case 'running':
      return c.businessDaysLeft <= 0 ? 'due today' : `${days(c.businessDaysLeft)} left`;
    case 'breached':
      return c.businessDaysLeft < 0 ? `overdue by ${days(-c.businessDaysLeft)}` : 'overdue';
    case 'met':
      return 'met';
    case 'stopped-late':
      return c.businessDaysLeft < 0 ? `kept late by ${days(-c.businessDaysLeft)}` : 'kept late';
    case 'not-applicable':
      return c.reason === 'forwarded-to-support'
        ? 'not applicable: forwarded to support'
        : `not applicable: ${c.reason ?? 'closed'}`;
  }
}

/** The clock the queue shows for a case: the running one due first. */
export function leadingClock(clocks: CaseClock[]): CaseClock | undefined {
  return clocks
    .filter((c) => c.state === 'running' || c.state === 'breached')
    .sort((a, b) => Date.parse(a.due) - Date.parse(b.due))[0];
}

/** Urgency class for a clock: overdue, soon (≤ 1 business day or ≥ 80 % used), or calm. */
export function clockTone(c: CaseClock): 'overdue' | 'soon' | 'ok' | 'done' {
  if (c.state === 'breached') return 'overdue';
  if (c.state === 'running') return c.businessDaysLeft <= 1 || c.fractionUsed >= 0.8 ? 'soon' : 'ok';
  return c.state === 'stopped-late' ? 'overdue' : 'done';
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function hours(h: number | null | undefined): string {
  if (h === null || h === undefined) return '—';
  if (h < 48) return `${h.toFixed(1)} h`;
  return `${(h / 24).toFixed(1)} days`;
}
