import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

/**
 * date-holidays, asked from a short-lived worker thread. With its rule parser, time-zone tables
 * and astronomical calendars the library costs some 20 MiB of memory once loaded, and a loaded
 * module is never unloaded; yet a program needs it only to validate its calendar and to list a
 * year's holidays, a few times a year. The worker loads it, answers, and stops, which gives most
 * of that memory back. What it answers is kept here, so each country and year is asked once per
 * process (a few KiB each).
 *
 * Two ways in:
 * - `preloadHolidays` asks asynchronously: the event loop runs on while the worker starts and
 *   answers. The composition root calls it at start-up (and again as the year turns) for the
 *   calendars of every program, so that counting a deadline finds its years here.
 * - `holidayRegions` and `holidayEntries` stay synchronous for their callers (calendars are
 *   asked in the middle of synchronous deadline arithmetic): what is not kept yet is fetched by
 *   posting a request and waiting on a shared flag until the answer is in the port
 *   (`receiveMessageOnPort`). That blocks the event loop while the worker starts (about 0.2 s),
 *   so it is the fallback for what the preload did not cover: a program imported since, a year
 *   far from the current one.
 */

/** One holiday as date-holidays lists it, built with timezone 'UTC' (see business-calendar.ts). */
export interface HolidayEntry {
  name: string;
  type: string;
  /** Start and end, read in UTC as the holiday's wall-clock times (ms since the epoch). */
  start: number;
  end: number;
}

type Request =
  | { op: 'regions' }
  | { op: 'holidays'; country: string; region: string | undefined; years: number[] };

// Runs as an ES module from a data: URL, so it needs no loader under tsx or the compiled build.
const WORKER_SOURCE = `
import { createRequire } from 'node:module';
import { workerData } from 'node:worker_threads';
const Holidays = createRequire(workerData.base)('date-holidays');
const { port, flag } = workerData;
const sources = new Map();
function answer(req) {
  if (req.op === 'regions') {
    const directory = new Holidays();
    const out = {};
    for (const country of Object.keys(directory.getCountries())) {
      const states = directory.getStates(country);
      out[country] = states ? Object.keys(states) : [];
    }
    return out;
  }
  const key = req.country + '|' + (req.region ?? '');
  let source = sources.get(key);
  if (!source) {
    source = new Holidays({ country: req.country, state: req.region }, { timezone: 'UTC' });
    sources.set(key, source);
  }
  const out = {};
  for (const year of req.years) {
    out[year] = (source.getHolidays(year) || []).map((e) => ({
      name: e.name,
      type: e.type,
      start: e.start.getTime(),
      end: e.end.getTime(),
    }));
  }
  return out;
}
port.on('message', (req) => {
  let reply;
  try {
    reply = { ok: answer(req) };
  } catch (err) {
    reply = { error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

/** How long a preload may wait for an answer of the worker (its start included) before it fails. */
const ANSWER_TIMEOUT_MS = 15_000;

/**
 * How long a synchronous call may wait. It holds up every request of the instance meanwhile, so
 * it gives up sooner: the worker starts and answers in 0.2-0.4 s even on a busy machine, and a
 * failed call fails the one deadline that needed it rather than stalling everything for longer.
 */
const BLOCKING_TIMEOUT_MS = 5_000;

interface Channel {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
}

let live: Channel | undefined;
let stopScheduled = false;

/** Requests sent and workers started so far (both ways in), for tests of the caching. */
export const holidayDataStats = { requests: 0, workersStarted: 0 };

/** Whether the synchronous path's worker is running now (it stops after the calls of the turn that needed it). */
export const holidayWorkerRunning = (): boolean => live !== undefined;

function startWorker(): Channel {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(WORKER_SOURCE)}`), {
    workerData: { base: createRequire(import.meta.url).resolve('date-holidays'), port: port2, flag },
    transferList: [port2],
  });
  worker.unref();
  holidayDataStats.workersStarted++;
  return { worker, port: port1, flag };
}

function stop(): void {
  stopScheduled = false;
  if (!live) return;
  const { worker, port } = live;
  live = undefined;
  port.close();
  void worker.terminate();
}

function ask(req: Request): unknown {
  if (!live) {
    const started = startWorker();
    // An error before the first answer shows as a timeout below; later ones end this worker.
    started.worker.on('error', () => {
      if (live?.worker === started.worker) live = undefined;
    });
    live = started;
  }
  // Stop once the synchronous calls of this turn are done (several calls share one worker).
  if (!stopScheduled) {
    stopScheduled = true;
    setImmediate(stop).unref();
  }
  const { port, flag } = live;
  Atomics.store(flag, 0, 0);
  holidayDataStats.requests++;
  port.postMessage(req);
  if (Atomics.wait(flag, 0, 0, BLOCKING_TIMEOUT_MS) === 'timed-out') {
    stop();
    throw new Error('the holiday data did not answer');
  }
  const reply = receiveMessageOnPort(port)?.message as Reply | undefined;
  return answerOf(reply);
}

type Reply = { ok?: unknown; error?: string };

function answerOf(reply: Reply | undefined): unknown {
  if (!reply || reply.error !== undefined) throw new Error(reply?.error ?? 'the holiday data did not answer');
  return reply.ok;
}

let regions: Map<string, Set<string>> | undefined;

const keepRegions = (answer: Record<string, string[]>): void => {
  regions = new Map(Object.entries(answer).map(([country, states]) => [country, new Set(states)]));
};

/** The countries date-holidays knows (upper case), each with its subdivisions (may be empty). */
export function holidayRegions(): ReadonlyMap<string, ReadonlySet<string>> {
  if (!regions) keepRegions(ask({ op: 'regions' }) as Record<string, string[]>);
  return regions as Map<string, Set<string>>;
}

const entries = new Map<string, HolidayEntry[]>();

/**
 * The holidays date-holidays lists for a country (and region) in each of `years`, every type,
 * in its order. Years not asked before are fetched in one call, together with those of
 * `alongside` not fetched yet (the years a caller will likely ask next).
 */
export function holidayEntries(
  country: string,
  region: string | undefined,
  years: number[],
  alongside: number[] = [],
): HolidayEntry[][] {
  const c = country.toUpperCase();
  const r = region?.toUpperCase();
  const keyOf = (year: number) => entryKey(c, r, year);
  let missing = [...new Set(years)].filter((y) => !entries.has(keyOf(y)));
  if (missing.length > 0) {
    missing = [...new Set([...missing, ...alongside])].filter((y) => !entries.has(keyOf(y)));
    const answer = ask({ op: 'holidays', country: c, region: r, years: missing }) as Record<
      string,
      HolidayEntry[]
    >;
    for (const y of missing) entries.set(keyOf(y), answer[y] ?? []);
  }
  return years.map((y) => entries.get(keyOf(y)) ?? []);
}

const entryKey = (country: string, region: string | undefined, year: number) =>
  `${country}|${region ?? ''}|${year}`;

/** A country (and region) whose holidays a program counts, as its calendar names them. */
export interface HolidayPlace {
  country: string;
  region?: string;
}

/**
 * Fetch, without blocking the event loop, the country list and the holidays of each place in
 * each of `years` that are not kept yet; `holidayRegions` and `holidayEntries` then answer them
 * from memory. One worker serves the whole call and stops at its end; none starts when all is
 * kept. Resolves to whether anything was fetched. Rejects when the worker fails or does not
 * answer within the timeout; what was fetched before that is kept.
 */
export async function preloadHolidays(
  places: readonly HolidayPlace[],
  years: readonly number[],
  opts: { timeoutMs?: number } = {},
): Promise<boolean> {
  const wanted = new Map<string, { country: string; region: string | undefined; years: number[] }>();
  for (const place of places) {
    const country = place.country.toUpperCase();
    const region = place.region?.toUpperCase();
    const missing = [...new Set(years)].filter((y) => !entries.has(entryKey(country, region, y)));
    if (missing.length > 0) wanted.set(`${country}|${region ?? ''}`, { country, region, years: missing });
  }
  if (regions && wanted.size === 0) return false;

  const { worker, port } = startWorker();
  const timeoutMs = opts.timeoutMs ?? ANSWER_TIMEOUT_MS;
  // The first of the two settles it: an error, or the worker gone without one.
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', reject);
    worker.once('exit', () => reject(new Error('the holiday data worker stopped')));
  });
  failed.catch(() => {});
  const call = async (req: Request): Promise<unknown> => {
    holidayDataStats.requests++;
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<Reply>((resolve) => port.once('message', resolve));
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the holiday data did not answer')), timeoutMs);
    });
    port.postMessage(req);
    try {
      return answerOf(await Promise.race([answered, timedOut, failed]));
    } finally {
      clearTimeout(timer);
    }
  };
  try {
    if (!regions) keepRegions((await call({ op: 'regions' })) as Record<string, string[]>);
    for (const { country, region, years: missing } of wanted.values()) {
      const answer = (await call({ op: 'holidays', country, region, years: missing })) as Record<
        string,
        HolidayEntry[]
      >;
      for (const y of missing) entries.set(entryKey(country, region, y), answer[y] ?? []);
    }
  } finally {
    port.close();
    await worker.terminate();
  }
  return true;
}

/**
 * What is kept, as a file can hold it (a few KiB per country and year), marked with the
 * date-holidays release that computed it: the composition root writes it to the data directory,
 * so that a restarted instance needs no worker for what it asked before.
 */
export interface HolidaySnapshot {
  dateHolidays: string;
  regions?: Record<string, string[]>;
  entries: Record<string, HolidayEntry[]>;
}

let release: string | undefined;

/** The installed date-holidays' version (from its package.json, which its exports do not list). */
function dateHolidaysRelease(): string {
  if (release === undefined) {
    const main = createRequire(import.meta.url).resolve('date-holidays');
    const pkg = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    release = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  }
  return release;
}

export function holidaySnapshot(): HolidaySnapshot {
  return {
    dateHolidays: dateHolidaysRelease(),
    ...(regions ? { regions: Object.fromEntries([...regions].map(([c, states]) => [c, [...states]])) } : {}),
    entries: Object.fromEntries(entries),
  };
}

const isEntry = (e: unknown): e is HolidayEntry => {
  const x = e as HolidayEntry;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.name === 'string' &&
    typeof x.type === 'string' &&
    Number.isFinite(x.start) &&
    Number.isFinite(x.end)
  );
};

/**
 * Keep what a snapshot holds and is not kept yet. A snapshot of another date-holidays release,
 * or not shaped as one, is ignored whole (false): the data may have changed since.
 */
export function restoreHolidays(snapshot: unknown): boolean {
  const s = snapshot as Partial<HolidaySnapshot> | null;
  if (typeof s !== 'object' || s === null || s.dateHolidays !== dateHolidaysRelease()) return false;
  const kept = s.entries;
  if (typeof kept !== 'object' || kept === null) return false;
  const list = Object.entries(kept);
  if (
    !list.every(
      ([key, v]) => /^[A-Z0-9]+\|[A-Z0-9-]*\|\d+$/.test(key) && Array.isArray(v) && v.every(isEntry),
    )
  )
    return false;
  const places = s.regions;
  if (places !== undefined) {
    if (typeof places !== 'object' || places === null) return false;
    const countries = Object.entries(places);
    if (!countries.every(([, states]) => Array.isArray(states) && states.every((x) => typeof x === 'string')))
      return false;
    if (!regions) keepRegions(places);
  }
  for (const [key, v] of list) if (!entries.has(key)) entries.set(key, v);
  return true;
}
