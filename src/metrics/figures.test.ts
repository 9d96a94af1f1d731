import { describe, expect, it } from 'vitest';
import { csvField } from './csv.js';
import { computeFigures, type MetricsRow, percentile } from './figures.js';

describe('percentile', () => {
  it('interpolates between closest ranks', () => {
    expect(percentile([2, 5, 24, 50, 80], 0.5)).toBe(24);
    // rank (5 − 1) · 0.9 = 3.6: 50 + 0.6 · (80 − 50)
    expect(percentile([80, 2, 50, 24, 5], 0.9)).toBeCloseTo(68, 10);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 0)).toBe(1);
    expect(percentile([1, 2, 3, 4], 1)).toBe(4);
  });

  it('answers the only value for one, and null for none', () => {
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('refuses a fraction outside 0–1', () => {
    expect(() => percentile([1], 90)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    percentile(values, 0.5);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('computeFigures', () => {
  const row = (over: Partial<MetricsRow>): MetricsRow => ({
    state: 'received',
    received_at: '2026-03-02T00:00:00.000Z',
    deadlines: JSON.stringify({ acknowledge: '2026-03-04T00:00:00.000Z' }),
    acknowledged_at: null,
    verified_at: null,
    summary_sent_at: null,
    closed_at: null,
    triage_outcome: null,
    severity: null,
    product_id: null,
    cwe: null,
    ...over,
  });
  const now = new Date('2026-03-03T00:00:00.000Z');

  it('counts a clock kept on time, late, past due, open, and stopped by closing', () => {
    const f = computeFigures(
      [
        row({ acknowledged_at: '2026-03-04T00:00:00.000Z' }), // exactly at due: kept
        row({ acknowledged_at: '2026-03-04T00:00:00.001Z' }), // late
        row({ deadlines: JSON.stringify({ acknowledge: '2026-03-02T12:00:00.000Z' }) }), // running, past due
        row({}), // running, not yet due
        row({ state: 'closed', closed_at: '2026-03-02T06:00:00.000Z' }), // closing stops the clock
      ],
      now,
    );
    expect(f.deadlines.acknowledge).toEqual({
      due: 5,
      kept: 2,
      missed: 2,
      open: 1,
      notApplicable: 0,
      keptShare: 0.5,
    });
    expect(f.deadlines.verify).toEqual({
      due: 0,
      kept: 0,
      missed: 0,
      open: 0,
      notApplicable: 0,
      keptShare: null,
    });
    // Closing is not an acknowledgement: only the two real ones are timed.
    expect(f.durations.acknowledge).toEqual({ count: 2, medianHours: 48, p90Hours: 48 });
    expect(f.durations.summary).toEqual({ count: 0, medianHours: null, p90Hours: null });
  });

  it('counts a clock stopped by a triage outcome as not applicable, never as kept or missed', () => {
    const f = computeFigures(
      [
        // Closed as invalid long after the due instant: not missed.
        row({ state: 'invalid', closed_at: '2026-03-09T00:00:00.000Z', triage_outcome: 'invalid' }),
        // Forwarded to support before it: not kept either.
        row({
          state: 'closed',
          closed_at: '2026-03-02T06:00:00.000Z',
          triage_outcome: 'forwarded-to-support',
        }),
        // Acknowledged late, then closed as invalid: the acknowledgement was still late.
        row({
          state: 'invalid',
          acknowledged_at: '2026-03-05T00:00:00.000Z',
          closed_at: '2026-03-06T00:00:00.000Z',
          triage_outcome: 'invalid',
        }),
        // Reopened after the outcome (closed_at cleared): the clock counts again.
        row({ state: 'in_verification', triage_outcome: null }),
      ],
      new Date('2026-03-10T00:00:00.000Z'),
    );
    expect(f.deadlines.acknowledge).toEqual({
      due: 4,
      kept: 0,
      missed: 2,
      open: 0,
      notApplicable: 2,
      keptShare: 0,
    });
    expect(f.durations.acknowledge.count).toBe(1);
    expect(f.byState).toEqual([
      { key: 'in_verification', count: 1 },
      { key: 'closed', count: 1 },
      { key: 'invalid', count: 2 },
    ]);
  });

  it('breaks down by state in workflow order and the rest by count, naming ids', () => {
    const f = computeFigures(
      [
        row({ state: 'closed', severity: 'high', product_id: 'p1', cwe: 'CWE-79' }),
        row({ state: 'received', severity: 'high', product_id: 'p2', cwe: 'CWE-79' }),
        row({ state: 'acknowledged', product_id: 'p2' }),
      ],
      now,
      {
        product: (id) => ({ p1: 'Pump', p2: 'Monitor' })[id],
        cwe: (id) => (id === 'CWE-79' ? 'XSS' : undefined),
      },
    );
    expect(f.byState).toEqual([
      { key: 'received', count: 1 },
      { key: 'acknowledged', count: 1 },
      { key: 'closed', count: 1 },
    ]);
    expect(f.bySeverity).toEqual([
      { key: 'high', count: 2 },
      { key: 'unassessed', count: 1 },
    ]);
    expect(f.byProduct).toEqual([
      { key: 'p2', count: 2, label: 'Monitor' },
      { key: 'p1', count: 1, label: 'Pump' },
    ]);
    expect(f.byCwe).toEqual([
      { key: 'CWE-79', count: 2, label: 'XSS' },
      { key: 'unassessed', count: 1 },
    ]);
  });
});

describe('csvField', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(0.5)).toBe('0.5');
    expect(csvField(null)).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField(-3)).toBe('-3');
  });
});
