/**
 * Flood benchmark: while junk reports arrive at a steady rate from many addresses (each within the
 * shipped per-address limit, as a botnet would send them), does the staff queue stay fast and is
 * a genuine report still accepted quickly? Measured first on a quiet instance (the baseline) and
 * then during the flood, in the same run.
 *
 *   npm run bench:flood                              (≈90 s: 15 s quiet, 60 s flood at 50/s)
 *   BENCH_FLOOD_RATE=20 BENCH_FLOOD_SECONDS=30 npm run bench:flood
 *
 * The junk is spread over three channels in turn: the web form (a bot without JavaScript that
 * fetches the form and posts it at once, so it meets the form's wait), the JSON API (a bot that
 * sends no proof-of-work) and SMTP (a plain mail from a new sender each time, to the program's
 * address, meeting the per-program budget). Genuine reports go through the API and solve the
 * challenge when one is asked, as a real client would: their solve time is the reporter's cost,
 * set against the server CPU each junk request (and each accepted junk report) cost. Server CPU is
 * read from /proc for the child process (Linux).
 *
 * Vigil runs in a child process (flood-server.ts; the compiled build when `dist/` exists) with the
 * shipped limits and `VIGIL_TRUST_PROXY=true`, so each request's X-Forwarded-For is its sender.
 * Progress on stderr, one JSON document on stdout. Timing never fails the run; only a genuine
 * report that is not accepted does (exit status 1).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Program } from '../src/programs/index.js';
import { plainMessage, sendRaw } from '../test/helpers/mail-builders.js';
import { validAnswers } from '../test/helpers/reports.js';
import { spawnServerChild } from './built-child.js';
import { childMessages } from './child-messages.js';
import { percentile } from './dialect-bench.js';
import { benchVigilEnv } from './vigil-env.js';

const PROGRAM = 'lakeside-health';
const RATE = Number(process.env.BENCH_FLOOD_RATE ?? 50);
const FLOOD_SECONDS = Number(process.env.BENCH_FLOOD_SECONDS ?? 60);
const QUIET_SECONDS = Number(process.env.BENCH_QUIET_SECONDS ?? 15);
/** The staff queue is read this often (a console open on the queue, refreshing). */
const QUEUE_EVERY_MS = 100;
/** A genuine report this often, each from its own address. */
const GENUINE_EVERY_MS = 2000;
/** Junk requests in flight at most; past it the flood counts what it could not send. */
const MAX_IN_FLIGHT = 256;

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

interface Answer {
  status: number;
  ms: number;
  /** The response body, when asked for (`keepBody`). */
  body?: string;
}

type Channel = 'web' | 'api' | 'smtp';
const CHANNELS: Channel[] = ['web', 'api', 'smtp'];
/** What each channel answers when it takes a report. */
const ACCEPTED: Record<Channel, number> = { web: 303, api: 201, smtp: 250 };

function request(
  agent: http.Agent,
  port: number,
  opts: { method: string; path: string; headers: Record<string, string>; body?: string; keepBody?: boolean },
): Promise<Answer> {
  const start = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, agent, method: opts.method, path: opts.path, headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        if (opts.keepBody) res.on('data', (c: Buffer) => chunks.push(c));
        else res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - start,
            ...(opts.keepBody ? { body: Buffer.concat(chunks).toString('utf8') } : {}),
          }),
        );
      },
    );
    req.on('error', () => resolve({ status: 0, ms: performance.now() - start }));
    req.end(opts.body);
  });
}

/** CPU time (user + system) the process has used so far, in ms; undefined off Linux. */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * The genuine reporter's solver, as the portal's script runs it (src/portal/assets/proof-of-work.js):
 * Web Crypto SHA-256 in batches of 2 000. It runs in a child process at the lowest CPU priority,
 * standing in for the reporter's own device: on this one machine it would otherwise take a core
 * from the server being measured.
 */
const SOLVER = `
const c = JSON.parse(process.argv[1]);
const encoder = new TextEncoder();
(async () => {
  let number = -1;
  for (let start = 0; start <= c.maxnumber && number < 0; start += 2000) {
    const end = Math.min(start + 2000, c.maxnumber + 1);
    const digests = [];
    for (let n = start; n < end; n++) digests.push(crypto.subtle.digest('SHA-256', encoder.encode(c.salt + n)));
    const results = await Promise.all(digests);
    const i = results.findIndex((d) => Buffer.from(d).toString('hex') === c.challenge);
    if (i >= 0) number = start + i;
  }
  process.stdout.write(String(number));
})();
`;

async function solveFor(c: {
  algorithm: string;
  challenge: string;
  salt: string;
  signature: string;
  maxnumber: number;
}): Promise<{ proof: string; ms: number }> {
  const t = performance.now();
  const child = spawn(process.execPath, ['-e', SOLVER, JSON.stringify(c)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.pid !== undefined) os.setPriority(child.pid, 19);
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  await new Promise((resolve) => child.on('close', resolve));
  const ms = performance.now() - t;
  const payload = {
    algorithm: c.algorithm,
    challenge: c.challenge,
    number: Number(out || -1),
    salt: c.salt,
    signature: c.signature,
  };
  return { proof: Buffer.from(JSON.stringify(payload)).toString('base64'), ms };
}

function latency(answers: Answer[]) {
  const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
  return {
    count: ms.length,
    p50: round(percentile(ms, 50)),
    p99: round(percentile(ms, 99)),
    max: round(ms.at(-1) ?? 0),
  };
}

function statuses(answers: Answer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) out[String(a.status)] = (out[String(a.status)] ?? 0) + 1;
  return out;
}

/**
 * A genuine report as a researcher writes it: the product and a version, numbered steps to
 * reproduce, the endpoint and parameter involved (from the program's scope) and the request.
 */
function genuineAnswers(program: Program, seq: number): Record<string, string> {
  const d = program.definition;
  const product = d.scope.products[0];
  const endpoint = product?.components?.find((c) => c.startsWith('/')) ?? '/api/export';
  const parameter = product?.components?.find((c) => /^[a-z]+Id$/.test(c)) ?? 'id';
  const text = [
    `${product?.name ?? 'The platform'} lets one tenant read another tenant's export (report ${seq}).`,
    '',
    'Steps to reproduce:',
    '1. Sign in as a user of tenant A and start an export.',
    `2. Send GET ${endpoint}/{${parameter}} with the ${parameter} of an export of tenant B.`,
    "3. The response carries tenant B's export; the server checks the session but not the tenant.",
    '',
    '```http',
    `GET ${endpoint}/4412 HTTP/1.1`,
    'Authorization: Bearer <tenant A token>',
    '```',
  ].join('\n');
  const answers = validAnswers(program, text, `finder${seq}@researcher.example`);
  const version = d.form.fields.find((f) => f.purpose === 'version');
  if (version) answers[version.id] = '2026.11.2';
  return answers;
}

/** Where the genuine reports stand in the "needs triage" lane: best score first. */
async function triageLane(port: number, token: string, program: Program, genuine: string[]) {
  const lane: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const q = new URLSearchParams({ sort: 'triage', program: program.slug, limit: '100' });
    if (cursor) q.set('cursor', cursor);
    const res = await request(new http.Agent(), port, {
      method: 'GET',
      path: `/api/v1/reports?${q}`,
      headers: { authorization: `Bearer ${token}` },
      keepBody: true,
    });
    if (res.status !== 200) throw new Error(`the triage lane answered ${res.status}`);
    const body = JSON.parse(res.body ?? '{}') as {
      items: { caseNumber: string }[];
      nextCursor: string | null;
    };
    lane.push(...body.items.map((i) => i.caseNumber));
    if (!body.nextCursor) break;
    cursor = body.nextCursor;
  }
  const wanted = new Set(genuine);
  const ranks = lane.flatMap((c, i) => (wanted.has(c) ? [i + 1] : []));
  const junkAbove =
    ranks.length > 0 ? lane.slice(0, Math.max(...ranks)).filter((c) => !wanted.has(c)).length : 0;
  return {
    casesInLane: lane.length,
    genuineInLane: ranks.length,
    genuineRanks: ranks,
    firstIsGenuine: lane[0] !== undefined && wanted.has(lane[0]),
    junkAboveAnyGenuine: junkAbove,
  };
}

/** One phase: the queue poller and genuine reports for `seconds`, with junk at `rate` per second. */
async function phase(
  ports: { http: number; smtp: number },
  token: string,
  program: Program,
  seconds: number,
  rate: number,
) {
  const port = ports.http;
  const agents = {
    queue: new http.Agent({ keepAlive: true, maxSockets: 1 }),
    genuine: new http.Agent({ keepAlive: true, maxSockets: 1 }),
    junk: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  };
  const reportPath = `/api/v1/programs/${program.slug}/reports`;
  const json = (body: unknown, from: string) => ({
    'content-type': 'application/json',
    'x-forwarded-for': from,
    body: JSON.stringify(body),
  });
  const queue: Answer[] = [];
  const genuine: Answer[] = [];
  const genuineCases: string[] = [];
  const junk: Answer[] = [];
  const byChannel: Record<Channel, Answer[]> = { web: [], api: [], smtp: [] };
  const solves: number[] = [];
  const levels: number[] = [];
  let junkSkipped = 0;
  let inFlight = 0;
  let genuineSeq = 0;
  let junkSeq = 0;
  const end = performance.now() + seconds * 1000;
  const pending: Promise<unknown>[] = [];

  const queueLoop = (async () => {
    while (performance.now() < end) {
      const t = performance.now();
      queue.push(
        await request(agents.queue, port, {
          method: 'GET',
          path: '/api/v1/reports',
          headers: { authorization: `Bearer ${token}` },
        }),
      );
      await new Promise((r) => setTimeout(r, Math.max(0, QUEUE_EVERY_MS - (performance.now() - t))));
    }
  })();
  const genuineLoop = (async () => {
    while (performance.now() < end) {
      const t = performance.now();
      genuineSeq++;
      const from = `198.51.100.${genuineSeq % 250}`;
      const { body, ...headers } = json({ fields: genuineAnswers(program, genuineSeq) }, from);
      // A genuine client asks for a challenge first and solves it when one is required.
      const asked = await request(agents.genuine, port, {
        method: 'GET',
        path: `/api/v1/programs/${program.slug}/challenge`,
        headers: { 'x-forwarded-for': from },
        keepBody: true,
      });
      const c = asked.status === 200 ? JSON.parse(asked.body ?? '{}') : {};
      levels.push(Number(c.level ?? 0));
      let proof: Record<string, string> = {};
      if (c.required) {
        const solved = await solveFor(c);
        solves.push(solved.ms);
        proof = { 'x-vigil-proof': solved.proof };
      }
      const sent = await request(agents.genuine, port, {
        method: 'POST',
        path: reportPath,
        headers: { ...headers, ...proof },
        body,
        keepBody: true,
      });
      genuine.push(sent);
      if (sent.status === 201) genuineCases.push(String(JSON.parse(sent.body ?? '{}').caseNumber));
      await new Promise((r) => setTimeout(r, Math.max(0, GENUINE_EVERY_MS - (performance.now() - t))));
    }
  })();
  if (rate > 0) {
    // Open loop: junk is sent on schedule whether or not earlier junk was answered.
    const start = performance.now();
    while (performance.now() < end) {
      const due = Math.floor(((performance.now() - start) / 1000) * rate);
      while (junkSeq < due) {
        junkSeq++;
        if (inFlight >= MAX_IN_FLIGHT) {
          junkSkipped++;
          continue;
        }
        const from = `10.${(junkSeq >> 16) & 255}.${(junkSeq >> 8) & 255}.${junkSeq & 255}`;
        const channel = CHANNELS[junkSeq % CHANNELS.length] as Channel;
        const answers = validAnswers(program, `asdf ${junkSeq} lorem`, `bot${junkSeq}@junk.example`);
        inFlight++;
        pending.push(
          sendJunk(channel, from, answers, junkSeq).then((a) => {
            inFlight--;
            junk.push(a);
            byChannel[channel].push(a);
          }),
        );
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  /** One junk report on a channel, as the cheapest bot of that channel sends it. */
  async function sendJunk(
    channel: Channel,
    from: string,
    answers: Record<string, string>,
    seq: number,
  ): Promise<Answer> {
    if (channel === 'api') {
      const { body, ...headers } = json({ fields: answers }, from);
      return request(agents.junk, port, { method: 'POST', path: reportPath, headers, body });
    }
    if (channel === 'web') {
      // A bot without JavaScript: fetch the form (for its token), post it at once.
      const t = performance.now();
      const form = await request(agents.junk, port, {
        method: 'GET',
        path: `/p/${program.slug}/report`,
        headers: { 'x-forwarded-for': from },
        keepBody: true,
      });
      const action = /<form method="post" action="([^"]+)"/
        .exec(form.body ?? '')?.[1]
        ?.replace(/&amp;/g, '&');
      const posted = await request(agents.junk, port, {
        method: 'POST',
        path: action ?? `/p/${program.slug}/report`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from },
        body: new URLSearchParams(answers).toString(),
      });
      return { status: posted.status, ms: performance.now() - t };
    }
    const t = performance.now();
    const sender = `bot${seq}@junk.example`;
    const to = program.definition.intake.emailAddresses?.[0] ?? `security@${program.slug}.example`;
    try {
      await sendRaw(
        ports.smtp,
        { from: sender, to },
        plainMessage({ from: sender, to, subject: `asdf ${seq}` }, `lorem ${seq}`),
      );
      return { status: 250, ms: performance.now() - t };
    } catch (err) {
      return {
        status: Number((err as { responseCode?: number }).responseCode ?? 0),
        ms: performance.now() - t,
      };
    }
  }

  await Promise.all([queueLoop, genuineLoop, ...pending]);
  for (const a of Object.values(agents)) a.destroy();
  return {
    seconds,
    junk: {
      sent: junk.length,
      skippedAtInFlightCap: junkSkipped,
      statuses: statuses(junk),
      latencyMs: latency(junk),
    },
    channels: Object.fromEntries(
      CHANNELS.map((c) => {
        const answers = byChannel[c];
        const accepted = answers.filter((a) => a.status === ACCEPTED[c]).length;
        return [
          c,
          { sent: answers.length, accepted, refused: answers.length - accepted, statuses: statuses(answers) },
        ];
      }),
    ) as Record<
      Channel,
      { sent: number; accepted: number; refused: number; statuses: Record<string, number> }
    >,
    queue: { statuses: statuses(queue), latencyMs: latency(queue) },
    genuine: {
      cases: genuineCases,
      statuses: statuses(genuine),
      latencyMs: latency(genuine),
      proofLevels: statuses(levels.map((l) => ({ status: l, ms: 0 }))),
      solveMs: latency(solves.map((ms) => ({ status: 0, ms }))),
    },
  };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-flood-'));
  const env: Record<string, string> = {
    ...benchVigilEnv(dataDir),
    VIGIL_TRUST_PROXY: 'true',
    BENCH_PROGRAM: PROGRAM,
  };
  // The shipped per-address submission limit, not the benches' "off".
  delete env.VIGIL_RATE_LIMIT_PER_MINUTE;
  // And the shipped proof-of-work thresholds: the flood is what they answer.
  delete env.VIGIL_POW_QUIET_PER_HOUR;
  delete env.VIGIL_POW_ADDRESS_FREE_PER_HOUR;
  const { child, built } = await spawnServerChild('flood-server.ts', {
    VIGIL_BENCH_ENV: JSON.stringify(env),
  });
  const { next } = childMessages(child, 'flood-server');
  try {
    const ready = await next('ready');
    const ports = { http: Number(ready.port), smtp: Number(ready.smtpPort) };
    const token = String(ready.token);
    const program = ready.program as Program;
    // Warm the code paths, then measure.
    const warm = await phase(ports, token, program, 3, 0);
    child.stdin?.write('begin\n');
    await next('begun');
    log(
      `quiet: ${QUIET_SECONDS} s, queue every ${QUEUE_EVERY_MS} ms, a genuine report every ${GENUINE_EVERY_MS} ms`,
    );
    const quiet = await phase(ports, token, program, QUIET_SECONDS, 0);
    log(`flood: ${FLOOD_SECONDS} s of junk at ${RATE}/s from a new address each, over web, API and SMTP`);
    const cpuBefore = cpuMs(child.pid);
    const flood = await phase(ports, token, program, FLOOD_SECONDS, RATE);
    const cpuAfter = cpuMs(child.pid);
    const floodCpuMs = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
    const lane = await triageLane(ports.http, token, program, [
      ...warm.genuine.cases,
      ...quiet.genuine.cases,
      ...flood.genuine.cases,
    ]);
    child.stdin?.write('end\n');
    const rss = await next('result');
    const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 2) : null);
    const junkAccepted = Object.values(flood.channels).reduce((n, c) => n + c.accepted, 0);
    const genuineRefused = Object.entries(flood.genuine.statuses).filter(([s]) => s !== '201');
    process.stdout.write(
      `${JSON.stringify(
        {
          server: built ? 'compiled build (dist/), as npm start runs it' : 'sources through tsx (no build)',
          machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
          date: new Date().toISOString(),
          plan: {
            junkPerSecond: RATE,
            floodSeconds: FLOOD_SECONDS,
            quietSeconds: QUIET_SECONDS,
            program: PROGRAM,
          },
          quiet,
          flood: {
            ...flood,
            junkAcceptedPerSecond: round(junkAccepted / FLOOD_SECONDS),
          },
          cost: {
            // The server's CPU over the flood (junk, genuine reports and queue reads together),
            // per junk request and per junk report it accepted; against the genuine reporter's
            // proof-of-work solve time (Node's Web Crypto in a child at the lowest CPU priority).
            serverCpuMs: floodCpuMs ?? null,
            serverCpuMsPerJunkRequest:
              floodCpuMs !== undefined && flood.junk.sent > 0 ? round(floodCpuMs / flood.junk.sent, 2) : null,
            serverCpuMsPerAcceptedJunk:
              floodCpuMs !== undefined && junkAccepted > 0 ? round(floodCpuMs / junkAccepted, 1) : null,
            reporterSolveMs: flood.genuine.solveMs,
          },
          // Every genuine report of the flood against the junk, in the "needs triage" lane.
          triageLane: lane,
          floodOverQuiet: {
            queueP99: ratio(flood.queue.latencyMs.p99, quiet.queue.latencyMs.p99),
            genuineP99: ratio(flood.genuine.latencyMs.p99, quiet.genuine.latencyMs.p99),
          },
          rssMiB: {
            baseline: round(Number(rss.baselineBytes) / 2 ** 20),
            peak: round(Number(rss.peakBytes) / 2 ** 20),
          },
          reportsStored: rss.reports,
        },
        null,
        2,
      )}\n`,
    );
    if (!lane.firstIsGenuine || lane.junkAboveAnyGenuine > 0) {
      log(`junk outranks a genuine report in the triage lane: ${JSON.stringify(lane)}`);
      process.exitCode = 1;
    }
    if (genuineRefused.length > 0) {
      log(`genuine reports not accepted: ${JSON.stringify(genuineRefused)}`);
      process.exitCode = 1;
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
