import { createRequire } from 'node:module';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

/**
 * date-holidays, asked from a short-lived worker thread. With its rule parser, time-zone tables
 * and astronomical calendars the library costs some 20 MiB of memory once loaded, and a loaded
 * module is never unloaded; yet a program needs it only to validate its calendar and to list a
 * year's holidays, a few times a year. The worker loads it, answers, and stops as soon as the
 * calls of the current turn of the event loop are done, which gives most of that memory back.
 *
 * Callers stay synchronous: the main thread posts a request and waits on a shared flag until the
 * answer is in its port (`receiveMessageOnPort`). The first call of a burst waits for the worker
 * to start (about 0.2 s); what it answers is kept here, so each country and year is asked once
 * per process (a few KiB each).
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

/** How long a call may wait for the worker (its start included) before it fails. */
const ANSWER_TIMEOUT_MS = 15_000;

let live: { worker: Worker; port: MessagePort; flag: Int32Array } | undefined;
let stopScheduled = false;

/** Requests sent and workers started so far, for tests of the caching. */
export const holidayDataStats = { requests: 0, workersStarted: 0 };

/** Whether a worker is running now (it stops after the calls of the turn that needed it). */
export const holidayWorkerRunning = (): boolean => live !== undefined;

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
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(WORKER_SOURCE)}`), {
      workerData: { base: createRequire(import.meta.url).resolve('date-holidays'), port: port2, flag },
      transferList: [port2],
    });
    worker.unref();
    holidayDataStats.workersStarted++;
    // An error before the first answer shows as a timeout below; later ones end this worker.
    worker.on('error', () => {
      if (live?.worker === worker) live = undefined;
    });
    live = { worker, port: port1, flag };
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
  if (Atomics.wait(flag, 0, 0, ANSWER_TIMEOUT_MS) === 'timed-out') {
    stop();
    throw new Error('the holiday data did not answer');
  }
  const reply = receiveMessageOnPort(port)?.message as { ok?: unknown; error?: string } | undefined;
  if (!reply || reply.error !== undefined) throw new Error(reply?.error ?? 'the holiday data did not answer');
  return reply.ok;
}

let regions: Map<string, Set<string>> | undefined;

/** The countries date-holidays knows (upper case), each with its subdivisions (may be empty). */
export function holidayRegions(): ReadonlyMap<string, ReadonlySet<string>> {
  if (!regions) {
    const answer = ask({ op: 'regions' }) as Record<string, string[]>;
    regions = new Map(Object.entries(answer).map(([country, states]) => [country, new Set(states)]));
  }
  return regions;
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
  const keyOf = (year: number) => `${c}|${r ?? ''}|${year}`;
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
