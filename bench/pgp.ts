/**
 * PGP/MIME intake benchmark: how many encrypted mails Vigil turns into cases per second (over real
 * SMTP, and through the mail processor alone), next to `gpg --decrypt` on the same messages in the
 * same run, for a 4 KiB text mail and a mail with a 10 MiB attachment; and Vigil's peak RSS while
 * the large mails come in.
 *
 *   npm run bench:pgp            (≈30–60 s on 2 cores; progress on stderr, one JSON document on stdout)
 *
 * See bench/README.md for what each figure means.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { loadConfig } from '../src/config/index.js';
import { contentTypeOf, mimeDepth, parseEntity, splitMultipart } from '../src/mail/mime.js';
import { decryptMessage } from '../src/openpgp/index.js';
import type { Program } from '../src/programs/index.js';
import { createVigil, type Vigil } from '../src/server.js';
import {
  attachmentPart,
  boundary,
  createGpgHome,
  entity,
  type GpgHome,
  multipart,
  pgpMimeEncrypted,
  textPart,
} from '../test/helpers/mail-builders.js';
import { spawnServerChild } from './built-child.js';
import { childMessages } from './child-messages.js';
import { type RssWindow, startRssSampler } from './rss-sampler.js';
import { benchVigilEnv } from './vigil-env.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const MB = 1_000_000;
const benchDir = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(benchDir, '..');

const PROGRAM = 'northwind-medical';
const SENDER = 'finder@researcher.example';
/** The program's intake address, read from the seeded program at start-up. */
let programAddress = '';

/** The large mail's attachment in MiB (`BENCH_PGP_LARGE_MIB`, default 10). */
const largeMiB = Math.max(1, Number(process.env.BENCH_PGP_LARGE_MIB ?? 10) || 10);
/**
 * `BENCH_PGP_RSS_ONLY=1`: only the separate server's peak RSS for the large mails, none of the timed
 * in-process runs (for sizes where those would take minutes).
 */
const rssOnly = process.env.BENCH_PGP_RSS_ONLY === '1';

/** What the benchmark sends and how much of it (well under two minutes on 2 cores). */
const plan = {
  small: { label: '4KB', textBytes: 4 * KiB, iterations: 200, distinct: 8, breakdownIterations: 50 },
  large: {
    label: `${largeMiB}MB`,
    attachmentBytes: largeMiB * MiB,
    iterations: 5,
    distinct: 2,
    breakdownIterations: 3,
  },
  /** Small mails through each Vigil path before measuring (JIT, lazily loaded code). */
  warmup: 5,
  gpgVersionRuns: 20,
  rssSampleEveryMs: 20,
  /** Large mails sent to the separate server process for the clean RSS figure. */
  childLargeMails: 5,
  /**
   * Small mails also sent over this many SMTP connections at once (a relay delivering a queue),
   * and gpg run as many at a time, so that mails arriving together can share a commit.
   */
  concurrency: 4,
};

/** The bench environment, with the per-program hourly SMTP budget off too: one program gets every mail. */
const pgpBenchEnv = (dataDir: string) => ({
  ...benchVigilEnv(dataDir),
  VIGIL_SMTP_PER_PROGRAM_PER_HOUR: '0',
  // A large mail is about twice its attachment (base64, then armour): room for it where the
  // shipped 50 MiB would refuse it.
  ...(largeMiB > 20 ? { VIGIL_SMTP_MAX_BYTES: String(2 * largeMiB * MiB + MiB) } : {}),
});

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const toMiB = (n: number) => round(n / MiB, 1);

// ---------------------------------------------------------------------------------------------
// Statistics and CPU

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

function latencySummary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((n, v) => n + v, 0) / Math.max(1, sorted.length);
  return {
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
    mean: round(mean),
    min: round(sorted[0] ?? Number.NaN),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

/** Busy and total CPU ticks of the whole machine from /proc/stat (Linux). */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const t = line.trim().split(/\s+/).slice(1).map(Number);
    const total = t.reduce((n, v) => n + v, 0);
    // user nice system idle iowait …: idle and iowait are not busy.
    return { busy: total - (t[3] ?? 0) - (t[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

/** Fields of a /proc/<pid>/stat line from field 3 (state) on, so index k is field k + 3. */
function procStat(pid: number | 'self'): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * CPU ticks (USER_HZ = 100) of the gpg side: this process's waited-for children (cutime + cstime,
 * fields 16 and 17), and the given helper processes (utime + stime, fields 14 and 15) — gpg-agent,
 * which does the secret-key operation for every `gpg --decrypt` and is not our child.
 */
function gpgTicks(helperPids: number[]): number | undefined {
  const self = procStat('self');
  if (!self) return undefined;
  let ticks = Number(self[13]) + Number(self[14]);
  for (const pid of helperPids) {
    const f = procStat(pid);
    if (f) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks;
}

/** The gpg-agent serving a GnuPG home (started by gpg with `--homedir <dir>`), if it runs. */
function gpgAgentPid(home: string): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (path.basename(argv[0] ?? '') === 'gpg-agent' && argv.includes(home)) return Number(entry);
    } catch {
      // The process has gone meanwhile.
    }
  }
  return undefined;
}

/**
 * Start measuring CPU. The stop function returns the cores this process used, the cores the gpg
 * side used (gpg processes and gpg-agent), and, on Linux, what everything else on the machine used
 * meanwhile: other work on the same cores skews every figure.
 */
function cpuMeter(helperPids: number[] = []) {
  const cores = os.cpus().length;
  const t0 = performance.now();
  const own0 = process.cpuUsage();
  const m0 = machineTicks();
  const g0 = gpgTicks(helperPids);
  return () => {
    const wallMs = performance.now() - t0;
    const own = process.cpuUsage(own0);
    const ownCores = (own.user + own.system) / 1000 / wallMs;
    const g1 = gpgTicks(helperPids);
    const gpgCores = g0 !== undefined && g1 !== undefined ? ((g1 - g0) * 10) / wallMs : 0;
    const m1 = machineTicks();
    const machineCores =
      m0 && m1 && m1.total > m0.total ? ((m1.busy - m0.busy) / (m1.total - m0.total)) * cores : undefined;
    return {
      cpuCores: round(ownCores),
      gpgCpuCores: round(gpgCores),
      otherCpuCores:
        machineCores === undefined ? null : round(Math.max(0, machineCores - ownCores - gpgCores)),
    };
  };
}

// ---------------------------------------------------------------------------------------------
// Messages

interface BenchMessage {
  /**
   * The whole RFC 3156 mail, CRLF line ends, as sent. It begins with a `X-Vigil-Bench` header whose
   * number `stamped` rewrites in place before each send: Vigil takes a mail once (the same bytes a
   * second time are answered with the case they made), so every send must be a new mail.
   */
  raw: Buffer;
  /** The OpenPGP message as `gpg --armor --encrypt` wrote it (what the gpg side decrypts). */
  armored: string;
  /** The plaintext MIME entity that was encrypted, and its digest (gpg's output must match it). */
  inner: Buffer;
  innerSha256: string;
}

interface MessageSet {
  label: string;
  payload: string;
  payloadBytes: number;
  messages: BenchMessage[];
}

const SEQ_HEADER = 'X-Vigil-Bench: ';
const SEQ_DIGITS = 12;
let sequence = 0;

/**
 * `m.raw` made a mail never sent before, by giving its bench header the next number: in place, or
 * (`copy`, for mails sent side by side that may share a message) in a copy of its own.
 */
function stamped(m: BenchMessage, copy = false): Buffer {
  sequence++;
  const raw = copy ? Buffer.from(m.raw) : m.raw;
  raw.write(String(sequence).padStart(SEQ_DIGITS, '0'), SEQ_HEADER.length, SEQ_DIGITS, 'latin1');
  return raw;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Printable text from random bytes (base64 alphabet, 64-byte lines): it barely compresses. */
function randomText(bytes: number): string {
  const lineChars = 63;
  const lines = Math.ceil(bytes / (lineChars + 1));
  const b64 = randomBytes(Math.ceil((lines * lineChars * 3) / 4) + 3).toString('base64');
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(b64.slice(i * lineChars, (i + 1) * lineChars));
  return `${out.join('\n')}\n`.slice(0, bytes);
}

async function encryptedMail(gpg: GpgHome, fingerprint: string, inner: string): Promise<BenchMessage> {
  const armored = (await gpg.gpg(['--armor', '--encrypt', '--recipient', fingerprint], inner)).toString();
  if (!armored.startsWith('-----BEGIN PGP MESSAGE-----')) throw new Error('gpg wrote no armored message');
  const raw = pgpMimeEncrypted(
    { from: `Bench Finder <${SENDER}>`, to: programAddress, subject: '...' },
    armored,
  );
  const innerBuf = Buffer.from(inner);
  const seq = `${SEQ_HEADER}${'0'.repeat(SEQ_DIGITS)}\r\n`;
  return { raw: Buffer.from(seq + raw), armored, inner: innerBuf, innerSha256: sha256(innerBuf) };
}

/** A 4 KiB text body in a protected-headers multipart/mixed, as test (a) of email-intake builds it. */
async function smallMessages(gpg: GpgHome, fingerprint: string): Promise<MessageSet> {
  const messages: BenchMessage[] = [];
  for (let i = 0; i < plan.small.distinct; i++) {
    const b = boundary('inner');
    const inner = entity(
      {
        'Content-Type': `multipart/mixed; boundary="${b}"; protected-headers="v1"`,
        Subject: `Telemetry parser overflow, bench mail ${i}`,
      },
      multipart(b, [textPart(randomText(plan.small.textBytes))]),
    );
    messages.push(await encryptedMail(gpg, fingerprint, inner));
  }
  return {
    label: plan.small.label,
    payload: `${plan.small.textBytes} bytes of random printable text as the body`,
    payloadBytes: plan.small.textBytes,
    messages,
  };
}

/** A short text and a 10 MiB attachment of random bytes (base64 in the MIME), encrypted together. */
async function largeMessages(gpg: GpgHome, fingerprint: string): Promise<MessageSet> {
  const messages: BenchMessage[] = [];
  for (let i = 0; i < plan.large.distinct; i++) {
    const b = boundary('inner');
    const inner = entity(
      {
        'Content-Type': `multipart/mixed; boundary="${b}"; protected-headers="v1"`,
        Subject: `Packet capture of the pump crash, bench mail ${i}`,
      },
      multipart(b, [
        textPart('The attached capture shows the crafted packet and the reboot that follows.\n'),
        attachmentPart(
          'capture.pcap',
          'application/vnd.tcpdump.pcap',
          randomBytes(plan.large.attachmentBytes),
        ),
      ]),
    );
    messages.push(await encryptedMail(gpg, fingerprint, inner));
  }
  return {
    label: plan.large.label,
    payload: `one ${plan.large.attachmentBytes}-byte attachment of random bytes (base64 in the MIME) and a short text`,
    payloadBytes: plan.large.attachmentBytes,
    messages,
  };
}

/** What gpg put in a message: its packets (`--list-packets`) and the cipher gpg reports (`--verbose`). */
async function describePackets(home: string, armored: string) {
  const r = await runTimed(
    'gpg',
    ['--homedir', home, '--batch', '--verbose', '--list-packets'],
    armored,
    true,
  );
  const packets = r.stdoutText
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith(':') || /^(mdc_method|length):/.test(l))
    .map((l) => l.replace(/, keyid [0-9A-F]+$/, ''));
  return {
    packets,
    cipher: /gpg: (\S+) encrypted data/.exec(r.stderr)?.[1] ?? 'unknown',
    compressed: packets.some((l) => l.startsWith(':compressed packet:')),
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes (gpg)

interface TimedRun {
  code: number | null;
  ms: number;
  bytes: number;
  sha256: string;
  stderr: string;
  stdoutText: string;
}

/** Run a program with `input` on stdin; time from spawn to exit, hashing stdout as it streams. */
function runTimed(
  cmd: string,
  args: string[],
  input?: string | Buffer,
  keepStdout = false,
): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const hash = createHash('sha256');
    const kept: Buffer[] = [];
    let bytes = 0;
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      hash.update(d);
      bytes += d.length;
      if (keepStdout) kept.push(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({
        code,
        ms: performance.now() - t0,
        bytes,
        sha256: hash.digest('hex'),
        stderr,
        stdoutText: Buffer.concat(kept).toString('utf8'),
      }),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Runs

interface RunResult {
  iterations: number;
  /** Runs in flight at once (1: one after another). */
  concurrency: number;
  succeeded: number;
  errors: number;
  errorSamples: string[];
  durationS: number;
  perSec: number;
  /** Bytes handed over per message: the whole mail for Vigil, the armored message for gpg. */
  inputBytes: number;
  inputMBPerSec: number;
  payloadMBPerSec: number;
  latencyMs: ReturnType<typeof latencySummary>;
  cpuCores: number;
  gpgCpuCores: number;
  otherCpuCores: number | null;
  /**
   * CPU per successful run in ms: this process's and the gpg side's together. Other work on the
   * machine lengthens the wall time far more than this, so it compares runs made under load.
   */
  cpuMsPerRun: number;
}

/**
 * Run `one` n times over the messages in turn: one after another, or with `concurrency` > 1 that
 * many at a time (each worker `w` taking the next message as soon as its last one is done).
 */
async function measure(
  set: MessageSet,
  n: number,
  inputBytes: (m: BenchMessage) => number,
  one: (m: BenchMessage, i: number, worker: number) => Promise<true | string>,
  helperPids: number[] = [],
  concurrency = 1,
): Promise<RunResult> {
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let succeeded = 0;
  let errors = 0;
  let bytesIn = 0;
  const stopCpu = cpuMeter(helperPids);
  const t0 = performance.now();
  let next = 0;
  const worker = async (w: number) => {
    while (next < n) {
      const i = next++;
      const m = set.messages[i % set.messages.length] as BenchMessage;
      const start = performance.now();
      let outcome: true | string;
      try {
        outcome = await one(m, i, w);
      } catch (err) {
        outcome = err instanceof Error ? err.message : String(err);
      }
      const ms = performance.now() - start;
      bytesIn += inputBytes(m);
      if (outcome === true) {
        succeeded++;
        latencies.push(ms);
      } else {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(outcome.slice(0, 300));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const wallS = (performance.now() - t0) / 1000;
  const cpu = stopCpu();
  return {
    iterations: n,
    concurrency,
    succeeded,
    errors,
    errorSamples,
    durationS: round(wallS, 3),
    perSec: round(succeeded / wallS, 1),
    inputBytes: Math.round(bytesIn / n),
    inputMBPerSec: round(bytesIn / MB / wallS, 2),
    payloadMBPerSec: round((succeeded * set.payloadBytes) / MB / wallS, 3),
    latencyMs: latencySummary(latencies),
    ...cpu,
    cpuMsPerRun: round(((cpu.cpuCores + cpu.gpgCpuCores) * wallS * 1000) / Math.max(1, succeeded)),
  };
}

type Sender = (raw: Buffer) => Promise<string>;

/**
 * nodemailer with one pooled, kept-alive connection; resolves with the server's final answer. The
 * mail's size is announced with SIZE, as a relay does.
 */
function smtpSender(port: number): { send: Sender; close(): void } {
  const transport = createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 1,
    maxMessages: Number.POSITIVE_INFINITY,
    logger: false,
  });
  return {
    async send(raw) {
      // SIZE announced at MAIL FROM (RFC 1870), as relays do: nodemailer sends it from `size`.
      const envelope = { from: SENDER, to: programAddress, size: raw.length };
      const info = await transport.sendMail({ envelope, raw });
      return String(info.response);
    },
    close: () => transport.close(),
  };
}

const accepted = (response: string): true | string =>
  /^250 .*Accepted as [A-Z]+-\d{4}-\d{4,}/.test(response) ? true : `unexpected answer: ${response}`;

function vigilSmtp(set: MessageSet, n: number, send: Sender) {
  return measure(
    set,
    n,
    (m) => m.raw.length,
    async (m) => accepted(await send(stamped(m))),
  );
}

/** The same over `senders.length` connections at once, each mail in a copy of its own. */
function vigilSmtpConcurrent(set: MessageSet, n: number, senders: Sender[]) {
  return measure(
    set,
    n,
    (m) => m.raw.length,
    async (m, _i, w) => accepted(await (senders[w] as Sender)(stamped(m, true))),
    [],
    senders.length,
  );
}

function vigilProcessor(vigil: Vigil, set: MessageSet, n: number) {
  return measure(
    set,
    n,
    (m) => m.raw.length,
    async (m) => {
      const r = await vigil.inbound.process({ raw: stamped(m), mailFrom: SENDER, rcptTo: [programAddress] });
      return r.kind === 'case' && /^[A-Z]+-\d{4}-\d{4,}$/.test(r.caseNumber)
        ? true
        : `unexpected result: ${JSON.stringify(r)}`;
    },
  );
}

function gpgDecrypt(home: string, set: MessageSet, n: number, concurrency = 1) {
  return measure(
    set,
    n,
    (m) => Buffer.byteLength(m.armored),
    async (m) => {
      const r = await runTimed('gpg', ['--homedir', home, '--batch', '--quiet', '--decrypt'], m.armored);
      if (r.code !== 0) return `gpg exited ${r.code}: ${r.stderr}`;
      return r.sha256 === m.innerSha256 ? true : `gpg output differs (${r.bytes} bytes)`;
    },
    // gpg-agent runs since the keys were imported; its CPU counts for the gpg side.
    [gpgAgentPid(home)].filter((pid): pid is number => pid !== undefined),
    concurrency,
  );
}

/**
 * Where the processor's time goes: the steps it takes for a PGP/MIME mail, each timed alone on the
 * same messages (with the same options), plus the blob writes a case needs (the original mail and
 * each attachment, sealed with AES-GCM and fsynced; deleted again here). What is left of a processor
 * call (`rest`) is chiefly the SQLite transaction and its fsynced commit, sealing the text columns,
 * the receipt mail queued in the outbox, and garbage collection.
 */
async function breakdown(
  vigil: Vigil,
  programId: string,
  set: MessageSet,
  n: number,
  processorMeanMs: number,
) {
  const steps = {
    outerHeaderParse: [] as number[],
    decryptionKeys: [] as number[],
    mimeSplit: [] as number[],
    armoredPartParse: [] as number[],
    decrypt: [] as number[],
    innerMimeParse: [] as number[],
    blobWrites: [] as number[],
  };
  const maxBytes = vigil.config.limits.maxFileBytes;
  const time = async <T>(into: number[], f: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    const r = await f();
    into.push(performance.now() - t0);
    return r;
  };
  for (let i = 0; i < n; i++) {
    const m = set.messages[i % set.messages.length] as BenchMessage;
    const outer = parseEntity(m.raw);
    const headerBytes = m.raw.subarray(0, m.raw.length - outer.body.length);
    await time(steps.outerHeaderParse, () =>
      simpleParser(Buffer.concat([headerBytes, Buffer.from('\r\n')]), {
        skipHtmlToText: true,
        skipTextToHtml: true,
      }),
    );
    const keys = await time(steps.decryptionKeys, () => vigil.services.keys.decryptionKeys(programId));
    const part = await time(steps.mimeSplit, () => {
      mimeDepth(m.raw, 8);
      const e = parseEntity(m.raw);
      return splitMultipart(e.body, contentTypeOf(e).params.boundary ?? '')?.[1];
    });
    if (!part) throw new Error('breakdown: no encrypted part');
    const payload = await time(steps.armoredPartParse, async () => {
      const parsed = await simpleParser(part, { skipHtmlToText: true, skipTextToHtml: true });
      return parsed.attachments[0]?.content;
    });
    if (!payload) throw new Error('breakdown: the encrypted part has no body');
    const plain = await time(steps.decrypt, () => decryptMessage(payload, keys, { maxBytes }));
    if (!plain.data.equals(m.inner)) throw new Error('breakdown: decryption differs from the plaintext');
    const inner = await time(steps.innerMimeParse, () => {
      mimeDepth(plain.data, 7);
      return simpleParser(plain.data, { skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
    });
    // The files a case keeps: the original mail and each attachment, sealed and fsynced.
    const files = [m.raw, ...inner.attachments.map((a) => a.content)];
    const blobKeys: string[] = await time(steps.blobWrites, async () => {
      const stored: string[] = [];
      for (const [j, data] of files.entries()) {
        const r = await vigil.blobs.put(Readable.from([data]), { maxBytes, aad: `bench:${i}:${j}` });
        stored.push(r.key);
      }
      return stored;
    });
    for (const key of blobKeys) await vigil.blobs.delete(key);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const meansMs = Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, round(mean(v))])) as Record<
    keyof typeof steps,
    number
  >;
  const measured = Object.values(meansMs).reduce((a, b) => a + b, 0);
  const remainder = Math.max(0, processorMeanMs - measured);
  const share = (ms: number) => round(ms / processorMeanMs, 3);
  return {
    iterations: n,
    processorMeanMs: round(processorMeanMs),
    meanMs: { ...meansMs, rest: round(remainder) },
    shareOfProcessor: {
      ...Object.fromEntries(Object.entries(meansMs).map(([k, v]) => [k, share(v)])),
      rest: share(remainder),
    },
  };
}

function rssSummary(w: RssWindow) {
  const peak = Math.max(w.peakBytes, w.kernelPeakBytes ?? 0);
  return {
    baselineRssMiB: toMiB(w.baselineBytes),
    peakRssMiB: toMiB(w.peakBytes),
    peakAboveBaselineMiB: toMiB(w.peakBytes - w.baselineBytes),
    peakFirstHalfRssMiB: toMiB(w.peakFirstHalfBytes),
    peakSecondHalfRssMiB: toMiB(w.peakSecondHalfBytes),
    kernelPeakRssMiB: w.kernelPeakBytes === null ? null : toMiB(w.kernelPeakBytes),
    kernelPeakAboveBaselineMiB: w.kernelPeakBytes === null ? null : toMiB(peak - w.baselineBytes),
    samples: w.samples,
    sampleEveryMs: w.sampleEveryMs,
    windowS: round(w.windowMs / 1000, 2),
  };
}

// ---------------------------------------------------------------------------------------------
// Peak RSS with the server in its own process

async function childRss(dataDir: string, small: MessageSet, set: MessageSet) {
  const { child, built } = await spawnServerChild('pgp-rss-server.ts', {
    VIGIL_BENCH_ENV: JSON.stringify(pgpBenchEnv(dataDir)),
  });
  const { next, exited } = childMessages(child, 'pgp-rss-server');

  let sender: ReturnType<typeof smtpSender> | undefined;
  try {
    const ready = await next('ready');
    const reportsBefore = Number(ready.reports);
    sender = smtpSender(Number(ready.port));
    // One small mail first, so lazily loaded code and the SMTP session are in the baseline.
    const warm = accepted(await sender.send(stamped(small.messages[0] as BenchMessage)));
    if (warm !== true) throw new Error(`server child: warm-up mail refused: ${warm}`);
    child.stdin?.write('begin\n');
    await next('begun');
    const latencies: number[] = [];
    const errors: string[] = [];
    log(`server child: ${plan.childLargeMails} × ${set.label} over SMTP…`);
    for (let i = 0; i < plan.childLargeMails; i++) {
      const m = set.messages[i % set.messages.length] as BenchMessage;
      const t0 = performance.now();
      const ok = accepted(await sender.send(stamped(m)).catch((e: unknown) => String(e)));
      if (ok === true) latencies.push(performance.now() - t0);
      else errors.push(ok);
    }
    sender.close();
    sender = undefined;
    child.stdin?.write('end\n');
    const result = await next('result');
    await exited;
    const window: RssWindow = {
      baselineBytes: Number(result.baselineBytes),
      peakBytes: Number(result.peakBytes),
      peakFirstHalfBytes: Number(result.peakFirstHalfBytes),
      peakSecondHalfBytes: Number(result.peakSecondHalfBytes),
      kernelPeakBytes: result.kernelPeakBytes === null ? null : Number(result.kernelPeakBytes),
      samples: Number(result.samples),
      sampleEveryMs: Number(result.sampleEveryMs),
      windowMs: Number(result.windowMs),
    };
    return {
      server: built ? 'compiled build (dist/), as npm start runs it' : 'sources through tsx (no build)',
      mails: plan.childLargeMails,
      accepted: latencies.length,
      casesCreated: Number(result.reports) - reportsBefore - 1,
      errorSamples: errors.slice(0, 5),
      latencyMs: latencySummary(latencies),
      runtimeRssMiB: toMiB(Number(result.runtimeRssBytes)),
      ...rssSummary(window),
      processMaxRssMiB: toMiB(Number(result.maxRssBytes)),
      // The server's own CPU (user + system) while the large mails came in, per mail.
      serverCpuMsPerMail: round(Number(result.cpuMs) / Math.max(1, latencies.length), 1),
    };
  } finally {
    sender?.close();
    if (child.exitCode === null) child.kill('SIGTERM');
  }
}

// ---------------------------------------------------------------------------------------------
// Verification of what was stored, read from the database once every server has closed

function storedCases(dataDir: string, attachmentBytes: number) {
  const db = new SQLite(path.join(dataDir, 'vigil.sqlite'), { readonly: true });
  try {
    const rows = db.prepare(`select intake_meta from reports where channel = 'email'`).all() as {
      intake_meta: string;
    }[];
    const outcomes = new Map<string, number>();
    for (const r of rows) {
      const meta = JSON.parse(r.intake_meta) as { decryption?: string };
      const outcome = meta.decryption ?? 'none';
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    const decrypted = outcomes.get('ok') ?? 0;
    const large = db.prepare('select count(*) as n from attachments where size = ?').get(attachmentBytes) as {
      n: number;
    };
    return {
      emailCases: rows.length,
      decryptedOk: decrypted,
      decryptionOutcomes: Object.fromEntries(outcomes),
      largeAttachments: Number(large.n),
    };
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------

function versionOf(pkg: string): string {
  try {
    const file = path.join(projectRoot, 'node_modules', pkg, 'package.json');
    return String((JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string }).version);
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const gpgVersionText = (await runTimed('gpg', ['--version'], undefined, true)).stdoutText.split('\n');
  const environment = {
    node: process.version,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    availableParallelism: os.availableParallelism(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemoryMiB: toMiB(os.totalmem()),
    tmpdir: os.tmpdir(),
    gpg: gpgVersionText[0] ?? 'unknown',
    libgcrypt: gpgVersionText[1] ?? 'unknown',
    openpgpjs: versionOf('openpgp'),
    mailparser: versionOf('mailparser'),
    nodemailer: versionOf('nodemailer'),
    date: new Date().toISOString(),
  };
  log(`Node ${environment.node} on ${environment.cpuModel} (${environment.cores} cores), ${environment.gpg}`);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-pgp-'));
  const gpg = await createGpgHome();
  let vigil: Vigil | undefined;
  let sender: ReturnType<typeof smtpSender> | undefined;
  try {
    vigil = await createVigil(loadConfig(pgpBenchEnv(dataDir)), { logger: false, worker: false });
    const program = (await vigil.services.programs.list()).find((p) => p.slug === PROGRAM) as
      | Program
      | undefined;
    if (!program) throw new Error(`the seeded program ${PROGRAM} is missing`);
    programAddress = program.definition.intake.emailAddresses[0] ?? '';
    if (!programAddress) throw new Error(`${PROGRAM} takes no email`);
    const published = await vigil.services.keys.publishedKey(program.id);
    const secret = await vigil.services.keys.signingKey(program.id);
    if (!published || !secret) throw new Error(`${PROGRAM} has no key`);
    await gpg.importKey(published.armored);
    await gpg.importKey(secret.armor());
    const limits = {
      smtpMaxBytes: vigil.config.smtpIn.maxBytes,
      maxFileBytes: vigil.config.limits.maxFileBytes,
      maxReportBytes: vigil.config.limits.maxReportBytes,
    };
    const keyAlgorithm = [published.key, ...published.key.subkeys]
      .map((k) => Object.values(k.getAlgorithmInfo()).join('/'))
      .join(' + ');
    log(
      `program ${PROGRAM} <${programAddress}>, key ${published.fingerprint} (public and secret in ${gpg.dir})`,
    );

    log(
      `building ${plan.small.distinct} × ${plan.small.label} and ${plan.large.distinct} × ${plan.large.label} messages with gpg…`,
    );
    const small = await smallMessages(gpg, published.fingerprint);
    const large = await largeMessages(gpg, published.fingerprint);
    const describe = async (set: MessageSet) => {
      const m = set.messages[0] as BenchMessage;
      return {
        payload: set.payload,
        payloadBytes: set.payloadBytes,
        innerMimeBytes: m.inner.length,
        armoredBytes: Buffer.byteLength(m.armored),
        mailBytes: m.raw.length,
        distinctMessages: set.messages.length,
        openpgp: await describePackets(gpg.dir, m.armored),
      };
    };
    const workloadSizes = { [small.label]: await describe(small), [large.label]: await describe(large) };

    const port = await vigil.smtp.start(0);
    sender = smtpSender(port);
    const send = sender.send;
    const countReports = async () =>
      Number(
        (
          await (vigil as Vigil).db.kysely
            .selectFrom('reports')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const reports0 = await countReports();

    log(`gpg start-up: ${plan.gpgVersionRuns} × gpg --version`);
    const versionMs: number[] = [];
    for (let i = 0; i < plan.gpgVersionRuns; i++) {
      const r = await runTimed('gpg', ['--homedir', gpg.dir, '--version']);
      if (r.code !== 0) throw new Error(`gpg --version exited ${r.code}`);
      versionMs.push(r.ms);
    }
    const gpgStartup = {
      command: 'gpg --version',
      runs: plan.gpgVersionRuns,
      latencyMs: latencySummary(versionMs),
    };

    log(`warm-up: ${plan.warmup} small mails through each path`);
    const warm = rssOnly
      ? []
      : [
          await vigilProcessor(vigil, small, plan.warmup),
          await vigilSmtp(small, plan.warmup, send),
          await gpgDecrypt(gpg.dir, small, 2),
        ];
    const warmErrors = warm.flatMap((w) => w.errorSamples);
    if (warmErrors.length > 0) throw new Error(`warm-up failed: ${warmErrors.join('; ')}`);

    const results: Record<string, unknown> = {};
    let inProcessRss: Record<string, ReturnType<typeof rssSummary>> = {};
    let errors = 0;
    let smtpConcurrentMails = 0;
    for (const [set, cfg] of rssOnly
      ? []
      : ([
          [small, plan.small],
          [large, plan.large],
        ] as const)) {
      const n = cfg.iterations;
      const isLarge = set === large;
      log(`${set.label}: Vigil over SMTP, ${n} mails…`);
      let sampler = isLarge ? await startRssSampler(plan.rssSampleEveryMs) : undefined;
      const smtp = await vigilSmtp(set, n, send);
      const smtpRss = sampler ? await sampler.stop() : undefined;
      log(
        `  ${smtp.perSec}/s, p50 ${smtp.latencyMs.p50} ms, p99 ${smtp.latencyMs.p99} ms, errors ${smtp.errors}`,
      );
      log(`${set.label}: Vigil processor alone, ${n} mails…`);
      sampler = isLarge ? await startRssSampler(plan.rssSampleEveryMs) : undefined;
      const processor = await vigilProcessor(vigil, set, n);
      const processorRss = sampler ? await sampler.stop() : undefined;
      log(
        `  ${processor.perSec}/s, p50 ${processor.latencyMs.p50} ms, p99 ${processor.latencyMs.p99} ms, errors ${processor.errors}`,
      );
      log(`${set.label}: gpg --decrypt, ${n} runs…`);
      const gpgRun = await gpgDecrypt(gpg.dir, set, n);
      log(
        `  ${gpgRun.perSec}/s, p50 ${gpgRun.latencyMs.p50} ms, p99 ${gpgRun.latencyMs.p99} ms, errors ${gpgRun.errors}`,
      );
      let concurrent: Record<string, unknown> = {};
      if (!isLarge) {
        const c = plan.concurrency;
        log(`${set.label}: Vigil over SMTP, ${n} mails on ${c} connections at once…`);
        const senders = Array.from({ length: c }, () => smtpSender(port));
        const smtpC = await vigilSmtpConcurrent(
          set,
          n,
          senders.map((x) => x.send),
        ).finally(() => {
          for (const x of senders) x.close();
        });
        log(`  ${smtpC.perSec}/s, p50 ${smtpC.latencyMs.p50} ms, errors ${smtpC.errors}`);
        log(`${set.label}: gpg --decrypt, ${n} runs, ${c} at a time…`);
        const gpgC = await gpgDecrypt(gpg.dir, set, n, c);
        log(`  ${gpgC.perSec}/s, p50 ${gpgC.latencyMs.p50} ms, errors ${gpgC.errors}`);
        errors += smtpC.errors + gpgC.errors;
        smtpConcurrentMails += n;
        concurrent = {
          vigilSmtpConcurrent: smtpC,
          gpgDecryptConcurrent: gpgC,
          concurrentVsGpg: {
            smtpRateOverGpgRate: round(smtpC.perSec / gpgC.perSec, 3),
            smtpRateOverSequentialGpgRate: round(smtpC.perSec / gpgRun.perSec, 3),
          },
        };
      }
      log(`${set.label}: breakdown of the processor, ${cfg.breakdownIterations} mails…`);
      const parts = await breakdown(
        vigil,
        program.id,
        set,
        cfg.breakdownIterations,
        processor.latencyMs.mean,
      );
      errors += smtp.errors + processor.errors + gpgRun.errors;
      if (smtpRss && processorRss) {
        inProcessRss = { smtp: rssSummary(smtpRss), processor: rssSummary(processorRss) };
      }
      results[set.label] = {
        vigilSmtp: smtp,
        vigilProcessor: processor,
        gpgDecrypt: gpgRun,
        vigilVsGpg: {
          smtpRateOverGpgRate: round(smtp.perSec / gpgRun.perSec, 3),
          processorRateOverGpgRate: round(processor.perSec / gpgRun.perSec, 3),
          // The same ratios from CPU per mail instead of wall time (gpg's CPU per run ÷ Vigil's),
          // which other work on the machine disturbs much less than the wall time.
          smtpRateOverGpgRateFromCpu: round(gpgRun.cpuMsPerRun / smtp.cpuMsPerRun, 3),
          processorRateOverGpgRateFromCpu: round(gpgRun.cpuMsPerRun / processor.cpuMsPerRun, 3),
          smtpOverheadMsP50: round(smtp.latencyMs.p50 - processor.latencyMs.p50),
          smtpOverheadShareOfMean: round(1 - processor.latencyMs.mean / smtp.latencyMs.mean, 3),
          gpgMeanMinusStartupMs: round(gpgRun.latencyMs.mean - gpgStartup.latencyMs.mean),
        },
        processorBreakdown: parts,
        ...concurrent,
      };
    }

    const expectedCases = rssOnly
      ? 0
      : 2 * (plan.warmup + plan.small.iterations + plan.large.iterations) + smtpConcurrentMails;
    const casesCreated = (await countReports()) - reports0;
    sender.close();
    sender = undefined;
    await vigil.close();
    vigil = undefined;

    log(`peak RSS with Vigil in its own process: ${plan.childLargeMails} × ${large.label}…`);
    const child = await childRss(dataDir, small, large);
    log(
      `  idle ${child.baselineRssMiB} MiB → peak ${child.peakRssMiB} MiB (kernel ${child.kernelPeakRssMiB}), +${child.peakAboveBaselineMiB} MiB`,
    );

    const stored = storedCases(dataDir, plan.large.attachmentBytes);
    const verification = {
      inProcessCasesExpected: expectedCases,
      inProcessCasesCreated: casesCreated,
      childCasesExpected: plan.childLargeMails,
      childCasesCreated: child.casesCreated,
      emailCasesStored: stored.emailCases,
      emailCasesDecryptedOk: stored.decryptedOk,
      emailCaseDecryptionOutcomes: stored.decryptionOutcomes,
      largeAttachmentsExpected: (rssOnly ? 0 : 2 * plan.large.iterations) + plan.childLargeMails,
      largeAttachmentsStored: stored.largeAttachments,
      gpgDecryptionsFailed: Object.values(results).reduce((n: number, r) => {
        const runs = r as { gpgDecrypt: RunResult; gpgDecryptConcurrent?: RunResult };
        return n + runs.gpgDecrypt.errors + (runs.gpgDecryptConcurrent?.errors ?? 0);
      }, 0),
    };
    const verificationErrors =
      Number(casesCreated !== expectedCases) +
      Number(child.casesCreated !== plan.childLargeMails || child.accepted !== plan.childLargeMails) +
      Number(stored.decryptedOk !== stored.emailCases) +
      Number(stored.emailCases !== expectedCases + plan.childLargeMails + 1) +
      Number(stored.largeAttachments !== verification.largeAttachmentsExpected);
    const totalErrors = errors + verificationErrors;

    const result = {
      benchmark: 'vigil-pgp-intake',
      environment,
      workload: {
        program: PROGRAM,
        recipientFingerprint: published.fingerprint,
        keyAlgorithm: keyAlgorithm,
        builtWith: 'gpg --armor --encrypt --recipient <fpr> --trust-model always, wrapped per RFC 3156',
        messages: workloadSizes,
        vigil: {
          smtp: 'nodemailer, raw message with SIZE announced, one pooled keep-alive connection, mails one after another',
          smtpConcurrent: `4KB only: the same over ${plan.concurrency} connections at once, next to gpg run ${plan.concurrency} at a time`,
          processor: 'vigil.inbound.process({ raw, mailFrom, rcptTo }) awaited one after another',
          sameProcess: 'Vigil and the SMTP client share this process and its event loop',
          limits: {
            ...limits,
            note: 'the defaults; only the per-sender and per-program hourly budgets are off',
          },
          database: 'SQLite, WAL, synchronous=FULL',
        },
        gpg: 'gpg --homedir <tmp> --batch --quiet --decrypt, armored message on stdin, spawned one after another (gpg-agent already running)',
        gpgAgentCpuCounted: gpgAgentPid(gpg.dir) !== undefined,
        warmupMails: plan.warmup,
      },
      gpgStartup,
      results,
      [`peakRss${large.label}`]: {
        separateProcess: child,
        inProcess: inProcessRss,
      },
      ...(rssOnly ? { note: 'BENCH_PGP_RSS_ONLY=1: the timed in-process runs were skipped' } : {}),
      verification,
      totalErrors,
      benchSeconds: round((performance.now() - started) / 1000, 1),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (totalErrors > 0) {
      log(`${totalErrors} failure(s); see errorSamples and verification`);
      process.exitCode = 1;
    }
  } finally {
    sender?.close();
    if (vigil) await vigil.close().catch(() => {});
    await gpg.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
