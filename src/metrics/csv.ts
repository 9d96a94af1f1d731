import { CASE_CLOCKS } from '../cases/index.js';
import type { Metrics } from './metrics-service.js';

/**
 * The metrics as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or
 * line break, quotes doubled), one figure per row under the header `section,key,value`:
 *
 * | section | key | value |
 * | --- | --- | --- |
 * | `period` | `from`, `to` | the dates |
 * | `programs` | `slug` | one row per program counted |
 * | `cases` | `total` | cases received in the period |
 * | `deadlines` | `<clock>.due`, `.kept`, `.missed`, `.open`, `.notApplicable`, `.keptShare` | counts; the share 0–1 |
 * | `durations` | `<clock>.count`, `.medianHours`, `.p90Hours` | |
 * | `byState`, `bySeverity`, `byProduct`, `byCwe` | the state, severity, product id or CWE id | the count |
 *
 * A null figure (no decided clock, no duration) is an empty value.
 */

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
// A cell a spreadsheet would run as a formula; every key here is an id, but keep it harmless.
const FORMULA = /^[=+\-@\t\r]/;

export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function metricsCsv(m: Metrics): string {
  const rows: (string | number | null)[][] = [['section', 'key', 'value']];
  rows.push(['period', 'from', m.period.from], ['period', 'to', m.period.to]);
  for (const slug of m.programs) rows.push(['programs', 'slug', slug]);
  rows.push(['cases', 'total', m.cases]);
  for (const clock of CASE_CLOCKS) {
    const d = m.deadlines[clock];
    for (const k of ['due', 'kept', 'missed', 'open', 'notApplicable', 'keptShare'] as const)
      rows.push(['deadlines', `${clock}.${k}`, d[k]]);
  }
  for (const clock of CASE_CLOCKS) {
    const d = m.durations[clock];
    for (const k of ['count', 'medianHours', 'p90Hours'] as const)
      rows.push(['durations', `${clock}.${k}`, d[k]]);
  }
  for (const section of ['byState', 'bySeverity', 'byProduct', 'byCwe'] as const) {
    for (const b of m[section]) rows.push([section, b.key, b.count]);
  }
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}
