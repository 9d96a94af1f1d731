import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  holidayDataStats,
  holidayEntries,
  holidayRegions,
  holidaySnapshot,
  holidayWorkerRunning,
  preloadHolidays,
  restoreHolidays,
} from './holiday-data.js';

// The caches live as long as the module, so each test asks for places no other test asks for.

/** What date-holidays itself lists, built as the worker builds it (timezone 'UTC'). */
function listed(country: string, region: string | undefined, year: number) {
  const Holidays = createRequire(import.meta.url)('date-holidays') as new (
    place: { country: string; state?: string },
    opts: { timezone: string },
  ) => { getHolidays(year: number): { name: string; type: string; start: Date; end: Date }[] };
  return new Holidays({ country, state: region }, { timezone: 'UTC' })
    .getHolidays(year)
    .map((e) => ({ name: e.name, type: e.type, start: e.start.getTime(), end: e.end.getTime() }));
}

describe('preloading holidays', () => {
  it('keeps what it fetched, so that the synchronous calls need no worker and send no request', async () => {
    const started = holidayDataStats.workersStarted;
    await preloadHolidays(
      [
        { country: 'fr', region: undefined },
        { country: 'DE', region: 'by' },
      ],
      [2029, 2030],
    );
    expect(holidayDataStats.workersStarted).toBe(started + 1);
    const requests = holidayDataStats.requests;
    expect(holidayRegions().get('DE')?.has('BY')).toBe(true);
    expect(holidayEntries('FR', undefined, [2029, 2030])).toEqual([
      listed('FR', undefined, 2029),
      listed('FR', undefined, 2030),
    ]);
    expect(holidayEntries('de', 'BY', [2030])).toEqual([listed('DE', 'BY', 2030)]);
    expect(holidayDataStats.requests).toBe(requests);
    expect(holidayDataStats.workersStarted).toBe(started + 1);
    expect(holidayWorkerRunning()).toBe(false);
  });

  it('lets the event loop run while the worker starts and answers', async () => {
    let turns = 0;
    let waiting = true;
    const spin = () => {
      turns++;
      if (waiting) setImmediate(spin);
    };
    setImmediate(spin);
    await preloadHolidays([{ country: 'IT' }], [2031]);
    waiting = false;
    // A synchronous wait on the worker would let no turn pass; starting it takes many.
    expect(turns).toBeGreaterThan(1);
    expect(holidayEntries('IT', undefined, [2031])).toEqual([listed('IT', undefined, 2031)]);
  });

  it('starts no worker when everything asked for is kept', async () => {
    await preloadHolidays([{ country: 'AT' }], [2032]);
    const started = holidayDataStats.workersStarted;
    const requests = holidayDataStats.requests;
    await preloadHolidays([{ country: 'at' }], [2032]);
    expect(holidayDataStats.workersStarted).toBe(started);
    expect(holidayDataStats.requests).toBe(requests);
  });

  it('fetches only the years not kept yet', async () => {
    await preloadHolidays([{ country: 'CH', region: 'ZH' }], [2033]);
    const requests = holidayDataStats.requests;
    await preloadHolidays([{ country: 'CH', region: 'ZH' }], [2033, 2034]);
    // One request (the regions are kept): 2034 alone.
    expect(holidayDataStats.requests).toBe(requests + 1);
    expect(holidayEntries('CH', 'ZH', [2033, 2034])).toEqual([
      listed('CH', 'ZH', 2033),
      listed('CH', 'ZH', 2034),
    ]);
  });

  it('rejects when the worker does not answer in time, keeping nothing, and the synchronous path still answers', async () => {
    await expect(preloadHolidays([{ country: 'NL' }], [2035], { timeoutMs: 1 })).rejects.toThrow(
      'the holiday data did not answer',
    );
    const requests = holidayDataStats.requests;
    expect(holidayEntries('NL', undefined, [2035])).toEqual([listed('NL', undefined, 2035)]);
    expect(holidayDataStats.requests).toBe(requests + 1);
  });
});

describe('a snapshot of what is kept', () => {
  const entry = { name: 'Test Day', type: 'public', start: Date.UTC(2040, 0, 2), end: Date.UTC(2040, 0, 3) };

  it('gives back, once restored, what it holds without a worker or a request', async () => {
    await preloadHolidays([{ country: 'BE' }], [2036]);
    const snapshot = holidaySnapshot();
    expect(snapshot.regions?.BE).toEqual([...(holidayRegions().get('BE') ?? [])]);
    expect(snapshot.entries['BE||2036']).toEqual(listed('BE', undefined, 2036));
    // Through JSON as the file holds it, with one entry no one has asked for yet.
    const restored = JSON.parse(JSON.stringify({ ...snapshot, entries: { 'SE||2040': [entry] } }));
    const started = holidayDataStats.workersStarted;
    const requests = holidayDataStats.requests;
    expect(restoreHolidays(restored)).toBe(true);
    expect(holidayEntries('se', undefined, [2040])).toEqual([[entry]]);
    expect(holidayDataStats.workersStarted).toBe(started);
    expect(holidayDataStats.requests).toBe(requests);
    // Nothing to fetch for it either.
    expect(await preloadHolidays([{ country: 'SE' }], [2040])).toBe(false);
  });

  it('is ignored whole when another date-holidays release made it, or when it is damaged', () => {
    const { dateHolidays } = holidaySnapshot();
    const damaged = [
      { dateHolidays: '0.0.1', entries: { 'PL||2041': [entry] } },
      { dateHolidays, entries: { 'PL||2041': [{ ...entry, start: 'soon' }] } },
      { dateHolidays, entries: { 'pl||2041': [entry] } },
      { dateHolidays, entries: { 'PL||2041': [entry] }, regions: { PL: 'all' } },
      { dateHolidays },
      null,
      'PL||2041',
    ];
    for (const snapshot of damaged) expect(restoreHolidays(snapshot), JSON.stringify(snapshot)).toBe(false);
    expect(holidaySnapshot().entries['PL||2041']).toBeUndefined();
  });
});
