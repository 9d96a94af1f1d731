import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/core/clock.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * The programs' holiday calendars are fetched at start-up, without blocking, for the years around
 * now, and kept in the data directory, so that a restarted instance starts no holiday worker for
 * them (server.ts, deadlines/holiday-data.ts).
 */

const root = path.resolve(import.meta.dirname, '..');

describe.each(dialects)('holiday calendars kept between starts (%s)', (dialect) => {
  let v: TestVigil;

  beforeAll(async () => {
    v = await startTestVigil(dialect, { clock: createManualClock(new Date('2031-06-01T12:00:00Z')) });
  });
  afterAll(async () => {
    await v?.destroy();
  });

  it('writes the example programs’ places for the clock’s year and two either side', async () => {
    const kept = JSON.parse(await fs.readFile(path.join(v.dataDir, 'holiday-cache.json'), 'utf8'));
    expect(kept.dateHolidays).toMatch(/^\d+\.\d+\.\d+$/);
    expect(kept.regions.CA).toContain('ON');
    for (const place of ['CA|ON', 'US|MN'])
      for (let year = 2029; year <= 2033; year++)
        expect(kept.entries[`${place}|${year}`]).toBeInstanceOf(Array);
    expect(kept.entries['CA|ON|2031'].map((e: { name: string }) => e.name)).toContain('Canada Day');
  });

  it('lets a process that reads it back answer those years with no worker', async () => {
    // A process of its own: this one has the answers in memory already.
    const script = `
      import fs from 'node:fs';
      import { holidayDataStats, holidayEntries, preloadHolidays, restoreHolidays } from './src/deadlines/holiday-data.ts';
      const restored = restoreHolidays(JSON.parse(fs.readFileSync(process.argv[1], 'utf8')));
      const fetched = await preloadHolidays([{ country: 'CA', region: 'ON' }, { country: 'US', region: 'MN' }], [2029, 2030, 2031, 2032, 2033]);
      const canadaDay = holidayEntries('CA', 'ON', [2031])[0].some((e) => e.name === 'Canada Day');
      console.log(JSON.stringify({ restored, fetched, canadaDay, ...holidayDataStats }));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, path.join(v.dataDir, 'holiday-cache.json')],
      { cwd: root },
    );
    expect(JSON.parse(stdout)).toEqual({
      restored: true,
      fetched: false,
      canadaDay: true,
      requests: 0,
      workersStarted: 0,
    });
  });
});
