import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../core/index.js';
import { holidaySnapshot, preloadHolidays, restoreHolidays } from '../deadlines/index.js';
import type { Program } from './program-service.js';

/**
 * The programs' holiday calendars, fetched at start-up without blocking the event loop and again
 * twice a day, so that a new year, or a program imported since, is ready before a deadline needs
 * it. Business calendars ask for holidays synchronously, and what is not fetched yet makes that
 * ask block while the holiday worker starts (deadlines/holiday-data.ts). What an earlier start
 * fetched is kept in the data directory (a cache: deleting it is harmless).
 */
export interface HolidayPreloadDeps {
  programs: { list(): Promise<Program[]> };
  clock: Clock;
  log: { warn(obj: object, msg: string): void };
  dataDir: string;
}

/** How often the programs' holiday calendars are looked at again (a no-op when all are kept). */
const HOLIDAY_REFRESH_MS = 12 * 60 * 60 * 1000;

/** Fetches now, then every 12 hours until stopped. */
export async function startHolidayPreload(deps: HolidayPreloadDeps): Promise<{ stop(): void }> {
  const file = path.join(deps.dataDir, 'holiday-cache.json');
  const state = { stored: await restoreHolidayCache(file) };
  await preloadProgramHolidays(deps, file, state);
  const timer = setInterval(() => void preloadProgramHolidays(deps, file, state), HOLIDAY_REFRESH_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Keep what an earlier start fetched; a missing, damaged or outdated file is ignored (false). */
async function restoreHolidayCache(file: string): Promise<boolean> {
  try {
    return restoreHolidays(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    // Nothing kept yet, or not readable: the preload fetches what is needed.
    return false;
  }
}

/**
 * Fetch the holidays of every program's calendar for the years around now (two either side:
 * overdue clocks count from past years, deadlines run into the next ones) and write what is kept
 * to the cache file when anything new came in (or the file was missing). A failure is logged and
 * leaves the synchronous fetch as the fallback.
 */
async function preloadProgramHolidays(
  deps: HolidayPreloadDeps,
  file: string,
  /** Whether the file holds what was kept when it was read or last written. */
  state: { stored: boolean },
): Promise<void> {
  try {
    const places = (await deps.programs.list()).flatMap((p) => {
      const holidays = p.definition.calendar.holidays;
      return holidays ? [{ country: holidays.country, region: holidays.region }] : [];
    });
    if (places.length === 0) return;
    const year = deps.clock.now().getUTCFullYear();
    const fetched = await preloadHolidays(places, [year - 2, year - 1, year, year + 1, year + 2]);
    if (!fetched && state.stored) return;
  } catch (err) {
    deps.log.warn({ err }, 'holiday calendars not preloaded; deadlines fetch them when first counted');
    return;
  }
  // Written whole and renamed, so a start never reads half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    // An instance on PostgreSQL and S3 with its master key in the environment may have no data
    // directory yet.
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(tmp, JSON.stringify(holidaySnapshot()));
    await rename(tmp, file);
    state.stored = true;
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    deps.log.warn(
      { err },
      'holiday calendars not written to the data directory; the next start fetches them',
    );
  }
}
