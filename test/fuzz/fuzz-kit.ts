import net from 'node:net';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Program } from '../../src/programs/index.js';
import { validAnswers } from '../helpers/reports.js';
import { countRows, storageSnapshot } from '../helpers/snapshot.js';
import { startTestVigil, type TestVigil } from '../helpers/test-vigil.js';

/**
 * Shared pieces of the fuzz suite (test/fuzz/*.test.ts): the seed, hostile inputs, and the checks
 * every public endpoint must pass whatever it is sent — a 4xx (or the form's redirect) with a
 * clear message, never a 5xx or a hang; no trace of a refused request; the process up.
 *
 * Runs are reproducible: every property runs with the same seed (VIGIL_FUZZ_SEED overrides it,
 * VIGIL_FUZZ_RUNS multiplies the run counts for a longer session), and fast-check prints the seed
 * and the path of the failing case with the shrunk counterexample.
 */
export const SEED = Number(process.env.VIGIL_FUZZ_SEED ?? 20261204);
const SCALE = Number(process.env.VIGIL_FUZZ_RUNS ?? 1);

/**
 * fast-check options for one property: the fixed seed and `numRuns` (scaled). On PostgreSQL the
 * same properties run at half the count: the SQLite run already explores the inputs, PostgreSQL
 * is there for what differs by database (its text rules, its transactions), at twice the cost.
 */
export function fuzz(numRuns: number, dialect: 'sqlite' | 'postgres' = 'sqlite'): fc.Parameters<unknown> {
  const n = dialect === 'postgres' ? numRuns / 2 : numRuns;
  return { seed: SEED, numRuns: Math.max(1, Math.round(n * SCALE)) };
}

/** Print the seed once per file, so a failing CI log says how to reproduce it. */
export function announceSeed(file: string): void {
  beforeAll(() => {
    console.info(`${file}: fast-check seed ${SEED} (VIGIL_FUZZ_SEED=${SEED} to reproduce)`);
  });
}

/**
 * Fail the file if anything escapes to the process: an `uncaughtException` or
 * `unhandledRejection` while the properties run means a request could bring the server down.
 */
export function watchProcess(): void {
  const escaped: string[] = [];
  const onError = (err: unknown) => {
    escaped.push(err instanceof Error ? `${err.name}: ${err.message}\n${err.stack}` : String(err));
  };
  beforeAll(() => {
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
  });
  afterEach(() => {
    expect(escaped, 'errors escaped to the process').toEqual([]);
  });
  afterAll(() => {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  });
}

/** Reject if `work` takes longer than `ms`: a request that does not answer is a failure, not a slow test. */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const KB = 1024;

/**
 * The Vigil the fuzz files run against: limits small enough that the size properties reach them
 * quickly, the reference program that takes files, and one good report already stored through the
 * API (so "no trace" is checked against a store that has content). `baseline` is its 201 answer.
 */
export async function startFuzzVigil(dialect: 'sqlite' | 'postgres'): Promise<{
  v: TestVigil;
  program: Program;
  answers: Record<string, string>;
  baseline: LightMyRequestResponse;
}> {
  const v = await startTestVigil(dialect, {
    env: {
      VIGIL_MAX_FILE_BYTES: String(64 * KB),
      VIGIL_MAX_REPORT_BYTES: String(128 * KB),
      VIGIL_MAX_FILES: '3',
      VIGIL_MAX_FIELD_BYTES: String(16 * KB),
      VIGIL_MAX_FIELDS: '50',
    },
  });
  const program = (await v.services.programs.list()).find(
    (p) => p.definition.form.attachments.allowed,
  ) as Program;
  const answers = validAnswers(program, 'fuzz baseline');
  const baseline = await v.app.inject({
    method: 'POST',
    url: `/api/v1/programs/${program.slug}/reports`,
    payload: { fields: answers },
  });
  expect(baseline.statusCode, baseline.body).toBe(201);
  return { v, program, answers, baseline };
}

/** Everything a refused request must leave untouched (the shared snapshot, plus the privacy and credit records). */
export async function trace(v: TestVigil): Promise<Record<string, unknown>> {
  const count = (
    t:
      | 'phi_quarantine'
      | 'phi_access_claims'
      | 'privacy_escalations'
      | 'credit_consents'
      | 'users'
      | 'sessions',
  ) => countRows(v, t);
  return {
    ...(await storageSnapshot(v)),
    quarantine: await count('phi_quarantine'),
    claims: await count('phi_access_claims'),
    escalations: await count('privacy_escalations'),
    consents: await count('credit_consents'),
    users: await count('users'),
    sessions: await count('sessions'),
  };
}

type Response = LightMyRequestResponse;
type Trace = Record<string, unknown>;
const measure = (t: Trace, key: string) =>
  Array.isArray(t[key]) ? (t[key] as unknown[]).length : Number(t[key]);

/** Send, expect a refusal (see `expectRefusal`), and expect storage exactly as before. */
export async function expectRefusedWithoutTrace(
  v: TestVigil,
  send: () => Promise<Response>,
  what: string,
): Promise<Response> {
  const before = await trace(v);
  const res = await send();
  expectRefusal(res, what);
  expect(await trace(v), `${what}: a refused request left a trace`).toEqual(before);
  return res;
}

/**
 * Send something that may be acceptable: either it is accepted whole (status `whole.status`,
 * and each listed count — rows, or files for `blobs` — grows by exactly the amount given), or it
 * is refused with a message and storage is exactly as before. Returns whether it was accepted.
 */
export async function expectWholeOrNothing(
  v: TestVigil,
  send: () => Promise<Response>,
  what: string,
  whole: { status: number; grows: Record<string, number> },
): Promise<Response> {
  const before = await trace(v);
  const res = await send();
  const after = await trace(v);
  if (!expectNoFailure(res, what)) {
    expect(after, `${what}: a refused request left a trace`).toEqual(before);
    return res;
  }
  expect(res.statusCode, `${what} → ${describeResponse(res)}`).toBe(whole.status);
  for (const [key, n] of Object.entries(whole.grows)) {
    expect(measure(after, key) - measure(before, key), `${what}: ${key} grew by`).toBe(n);
  }
  return res;
}

/**
 * Whether `url`, once its dot segments are resolved as every HTTP client (and `inject()`) does —
 * `%2e%2e` included — still lies under `prefix`. One that does not is a request for another
 * address altogether; the router never sees the dots (the raw-socket properties send them as is).
 */
export const staysUnder = (url: string, prefix: string): boolean =>
  new URL(url, 'http://vigil.test').pathname.startsWith(prefix);

/** Refused without trace if the address stays under `prefix`; otherwise at least no failure and no trace. */
export async function expectRefusedUnder(
  v: TestVigil,
  prefix: string,
  url: string,
  send: () => Promise<Response>,
  what: string,
): Promise<Response> {
  if (staysUnder(url, prefix)) return expectRefusedWithoutTrace(v, send, what);
  const before = await trace(v);
  const res = await send();
  expectNoFailure(res, what);
  expect(await trace(v), `${what}: left a trace`).toEqual(before);
  return res;
}

const describeResponse = (res: LightMyRequestResponse) =>
  `${res.statusCode} ${String(res.headers['content-type'] ?? '')}: ${res.body.slice(0, 300)}`;

/**
 * A refusal as a person or client can act on it: a 4xx, and a message. JSON answers carry the
 * API's error body (`error`, `message`, `requestId`); HTML answers are a page with text; plain
 * text (security.txt, WKD) says something. Never an internal detail such as a stack trace.
 */
export function expectRefusal(res: LightMyRequestResponse, what = ''): void {
  const label = `${what} → ${describeResponse(res)}`;
  expect(res.statusCode, label).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, label).toBeLessThan(500);
  expectClearMessage(res, label);
}

/** Never a 5xx; a 4xx must carry a clear message. Returns whether the request was accepted (< 400). */
export function expectNoFailure(res: LightMyRequestResponse, what = ''): boolean {
  const label = `${what} → ${describeResponse(res)}`;
  expect(res.statusCode, label).toBeLessThan(500);
  if (res.statusCode >= 400) expectClearMessage(res, label);
  return res.statusCode < 400;
}

function expectClearMessage(res: LightMyRequestResponse, label: string): void {
  const type = String(res.headers['content-type'] ?? '');
  expect(res.body, label).not.toMatch(/\n\s+at [\w.<>]+ \(|node:internal|FST_ERR_/);
  if (type.startsWith('application/json')) {
    const body = res.json() as { error?: unknown; message?: unknown };
    expect(typeof body.error, label).toBe('string');
    expect(typeof body.message, label).toBe('string');
    expect((body.message as string).trim().length, label).toBeGreaterThan(0);
  } else if (type.startsWith('text/html')) {
    expect(res.body, label).toMatch(/<main[\s>]/);
  } else {
    expect(res.body.trim().length, label).toBeGreaterThan(0);
  }
}

// ——— Hostile input ———

/** Pieces known to break parsers, paths and templates, mixed into generated text. */
export const NASTY_PIECES = [
  '\0',
  '\u0001\u0002\u0003',
  '\u0007\b\t\v\f',
  '\r\n',
  '\r',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u2028\u2029',
  '\u202e',
  '\ufeff',
  '\ufffe\uffff',
  '\ud800',
  '\udfff',
  '\ud83d',
  '😀',
  'é',
  'e\u0301',
  '../',
  '..\\',
  '%00',
  '%2e%2e%2f',
  '%252e%252e%252f',
  '%c0%ae%c0%ae/',
  '%ff',
  '%',
  '%%',
  '\\u0000',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; drop table reports; --",
  `\${7*7}{{7*7}}`,
  '__proto__',
  'constructor',
  'prototype',
  '[object Object]',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '9007199254740993',
  '=cmd|/c calc',
  '\\',
  '"',
  "'",
  '`',
  ';',
  '&',
  '=',
  '?',
  '#',
  '/',
  ' ',
  '',
];

/** Control characters (C0, DEL, C1). */
export const controlChar = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  fc.constant('\u007f'),
  fc.integer({ min: 0x80, max: 0x9f }).map((c) => String.fromCharCode(c)),
);

/** A lone UTF-16 surrogate: not encodable as UTF-8. */
export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Text built to hurt: nasty pieces, control characters, lone surrogates and any code point, mixed. */
export const hostileText = (maxPieces = 12): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...NASTY_PIECES) },
        { weight: 2, arbitrary: controlChar },
        { weight: 1, arbitrary: loneSurrogate },
        { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
        { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
      ),
      { minLength: 1, maxLength: maxPieces },
    )
    .map((parts) => parts.join(''));

/** Hostile text, sometimes very long (a field past any sane size). */
export const hostileValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: hostileText() },
  {
    weight: 1,
    arbitrary: fc
      .tuple(hostileText(3), fc.integer({ min: 1_000, max: 300_000 }))
      .map(([s, n]) => (s || 'x').repeat(Math.ceil(n / Math.max(1, s.length))).slice(0, n)),
  },
);

/** Bytes that are not valid UTF-8: lone continuation bytes, overlong forms, surrogates, truncated sequences. */
export const invalidUtf8 = fc.constantFrom(
  Buffer.from([0x80]),
  Buffer.from([0xbf]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xe0, 0x80, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
  Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
  Buffer.from([0xfe]),
  Buffer.from([0xff]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0xf0, 0x9f, 0x98]),
  Buffer.from([0xc3]),
);

/** Insert `piece` into `buf` at a position chosen by `at` (0..1). */
export function spliceBytes(buf: Buffer, at: number, piece: Buffer, removeCount = 0): Buffer {
  const i = Math.min(buf.length, Math.floor(at * (buf.length + 1)));
  return Buffer.concat([buf.subarray(0, i), piece, buf.subarray(Math.min(buf.length, i + removeCount))]);
}

/** JSON nested `depth` deep, built as text (JSON.stringify would itself overflow). */
export function deepJson(depth: number, shape: 'array' | 'object'): string {
  return shape === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Content types a client might send by mistake or on purpose. */
export const oddContentType: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'text/plain',
    'text/html',
    'application/xml',
    'application/octet-stream',
    'application/x-www-form-urlencoded; charset=utf-16',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'application/json;;;',
    'application/json, text/plain',
    'application/jsonp',
    'application/json-patch+json',
    'APPLICATION/JSON',
    ' application/json',
    'application / json',
    'multipart/form-data',
    'multipart/form-data; boundary=',
    'multipart/form-data; boundary=""',
    `multipart/form-data; boundary=${'x'.repeat(500)}`,
    'multipart/mixed; boundary=abc',
    'multipart/form-data; boundary=abc; boundary=def',
    'image/png',
    '*/*',
    '',
    ';',
    'a/b/c',
    'application/\u0000json',
  ),
  hostileText(4),
);

/** Path segments and tails that try to leave the route, hide a NUL or overflow the router. */
export const pathTrick: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '..',
    '../..',
    '../../../../etc/passwd',
    '%2e%2e',
    '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '%252e%252e%252f',
    '..%2f..%2f',
    '..%5c..%5c',
    '.%00.',
    '%00',
    'a%00.json',
    '%c0%ae%c0%ae%c0%af',
    '%ff%fe',
    '%',
    '%zz',
    '%u002e',
    '....//',
    '.',
    '//',
    ';',
    'a;b=c',
    '~',
    '%20',
    '%0d%0aSet-Cookie:%20x=1',
    '\\..\\..',
  ),
  fc.integer({ min: 201, max: 20_000 }).map((n) => 'a'.repeat(n)),
  fc.integer({ min: 20, max: 2_000 }).map((n) => '../'.repeat(n)),
  fc
    .array(fc.constantFrom('..', '%2e%2e', '.', '%00', 'a', '%25', '%2f', '/'), {
      minLength: 1,
      maxLength: 12,
    })
    .map((parts) => parts.join('/')),
  hostileText(6).map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, 'x'))),
);

// ——— Raw sockets ———

/**
 * Send raw bytes on a fresh TCP connection and collect what comes back until the peer closes
 * (or `idleMs` passes in silence after an answer began); `halfClose` ends the sending side after
 * the data, as a client that gives up mid-body does. Used where `inject()` cannot express
 * the attack: oversized headers, invalid bytes in the request line, broken framing.
 */
export function rawExchange(
  port: number,
  data: Buffer,
  opts: { idleMs?: number; totalMs?: number; halfClose?: boolean } = {},
): Promise<{ text: string; closed: boolean }> {
  const idleMs = opts.idleMs ?? 300;
  const totalMs = opts.totalMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let idle: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(idle);
      clearTimeout(total);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed });
    };
    const total = setTimeout(() => {
      if (chunks.length > 0) finish(false);
      else {
        done = true;
        socket.destroy();
        reject(new Error(`no answer within ${totalMs} ms`));
      }
    }, totalMs);
    socket.on('data', (c) => {
      chunks.push(c);
      clearTimeout(idle);
      idle = setTimeout(() => finish(false), idleMs);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    // A reset after the answer (the server closing on a request it refused) is still an answer.
    socket.on('error', (err) => {
      if (chunks.length > 0) finish(true);
      else if (!done) {
        done = true;
        clearTimeout(total);
        reject(err);
      }
    });
    socket.write(data, (err) => {
      if (err && chunks.length === 0 && !done) {
        done = true;
        clearTimeout(total);
        reject(err);
      }
    });
    // Half-close: the client has nothing more to send (a body cut short) but still reads.
    if (opts.halfClose) socket.end();
  });
}

/** The status codes of every HTTP response in a raw answer (several when a connection was reused). */
export const statusCodes = (text: string): number[] =>
  [...text.matchAll(/^HTTP\/1\.[01] (\d{3})/gm)].map((m) => Number(m[1]));
