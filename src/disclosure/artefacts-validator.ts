import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type CsafFinding, type CsafValidation, validateCsafDocument } from './csaf-validate.js';

/**
 * The CSAF validator on a worker thread. The validator compiles its JSON schemas when it is
 * imported — seconds of CPU — and validating a document is CPU-bound too; on the main thread
 * both would stall every request of the instance. The worker is started on first use (or by
 * `warmCsafValidator`, on the first advisory request), loads the same test suites as
 * csaf-validate.ts (strict schema + mandatory tests decide, the offline recommended and
 * informative tests advise) and answers one document at a time. It is one per process, like
 * Node's own module cache, and never keeps the process alive. Should a worker be impossible,
 * validation falls back to the main thread with the same result.
 */

const WORKER_SOURCE = (libUrl: string) => `
import { parentPort } from 'node:worker_threads';
const lib = (m) => import(new URL(m, ${JSON.stringify(libUrl)}).href);
const [basic, optional, informative, strict] = await Promise.all([
  lib('basic.js'), lib('optionalTests.js'), lib('informativeTests.js'), lib('validateStrict.js'),
]);
// Network (6.3.6, 6.3.7) and hunspell (6.3.8) tests are left out: publication works offline.
const ONLINE = new Set(['informativeTest_6_3_6', 'informativeTest_6_3_7', 'informativeTest_6_3_8']);
const testsOf = (entries) =>
  entries.filter(([name, t]) => typeof t === 'function' && !ONLINE.has(name)).map(([, t]) => t);
const blockingTests = testsOf(Object.entries(basic));
const advisoryTests = testsOf([...Object.entries(optional), ...Object.entries(informative)]);
const plain = (tests) => tests.map((r) => ({
  name: r.name, isValid: r.isValid,
  errors: r.errors.map((e) => ({ instancePath: e.instancePath, message: e.message })),
  warnings: r.warnings.map((e) => ({ instancePath: e.instancePath, message: e.message })),
  infos: r.infos.map((e) => ({ instancePath: e.instancePath, message: e.message })),
}));
parentPort.on('message', async ({ id, doc }) => {
  try {
    const blocking = await strict.default(blockingTests, doc);
    const advisory = await strict.default(advisoryTests, doc);
    parentPort.postMessage({ id, isValid: blocking.isValid, blocking: plain(blocking.tests), advisory: plain(advisory.tests) });
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
parentPort.postMessage({ ready: true });
`;

interface Finding {
  instancePath: string;
  message: string;
}
interface TestResult {
  name: string;
  isValid: boolean;
  errors: Finding[];
  warnings: Finding[];
  infos: Finding[];
}
interface Answer {
  id: number;
  error?: string;
  isValid: boolean;
  blocking: TestResult[];
  advisory: TestResult[];
}

let worker: Worker | undefined;
let unavailable = false;
let nextId = 0;
const pending = new Map<number, (a: Answer) => void>();

function start(): Worker | undefined {
  if (worker || unavailable) return worker;
  try {
    const manifest = createRequire(import.meta.url).resolve('@secvisogram/csaf-validator-lib/package.json');
    const libUrl = `${pathToFileURL(dirname(manifest)).href}/`;
    const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(WORKER_SOURCE(libUrl))}`));
    w.unref();
    w.on('message', (m: Answer & { ready?: boolean }) => {
      if (m.ready) return;
      pending.get(m.id)?.(m);
      pending.delete(m.id);
    });
    w.on('error', (err) => fail(err.message));
    w.on('exit', () => fail('the CSAF validator worker stopped'));
    worker = w;
  } catch {
    unavailable = true;
  }
  return worker;
}

function fail(reason: string) {
  worker = undefined;
  for (const [id, resolve] of pending)
    resolve({ id, error: reason, isValid: false, blocking: [], advisory: [] });
  pending.clear();
}

/** Start the validator worker now, so the first check does not wait for its schemas to compile. */
export function warmCsafValidator(): void {
  start();
}

const findingsOf = (results: TestResult[], pick: (r: TestResult) => Finding[]): CsafFinding[] =>
  results.flatMap((r) => pick(r).map((f) => ({ test: r.name, path: f.instancePath, message: f.message })));

/** `validateCsafDocument`, off the main thread: schema + mandatory tests as errors, the rest as warnings. */
export async function validateCsafOffThread(doc: unknown): Promise<CsafValidation> {
  const w = start();
  if (!w) return validateCsafDocument(doc);
  const id = nextId++;
  const answer = await new Promise<Answer>((resolve) => {
    pending.set(id, resolve);
    w.ref();
    w.postMessage({ id, doc });
  }).finally(() => {
    if (pending.size === 0) worker?.unref();
  });
  if (answer.error !== undefined) return validateCsafDocument(doc);
  const errors = findingsOf(answer.blocking, (r) => r.errors);
  // A failing test without a message would otherwise refuse silently.
  for (const r of answer.blocking)
    if (!r.isValid && r.errors.length === 0)
      errors.push({ test: r.name, path: '', message: 'the test failed' });
  return {
    valid: answer.isValid && errors.length === 0,
    errors,
    warnings: [
      ...findingsOf(answer.blocking, (r) => r.warnings),
      ...findingsOf(answer.advisory, (r) => [...r.errors, ...r.warnings, ...r.infos]),
    ],
  };
}
