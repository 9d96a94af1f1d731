/**
 * PHI guard benchmark: quality of `detectPhi` on the labelled corpus (recall on PHI samples,
 * false-positive rate on clean ones, recall per kind) and its throughput on one core, over the
 * corpus repeated until at least 20 MB have been scanned.
 *
 *   npm run bench:phi               (≈10–30 seconds; progress on stderr, one JSON document on stdout)
 *
 * What the figures mean:
 *  - quality.recall: PHI samples with at least one finding ÷ PHI samples (target ≥ 0.95);
 *    quality.falsePositiveRate: clean samples with any finding ÷ clean samples (target ≤ 0.05);
 *    quality.perKindRecall: per labelled kind, the share of its samples where a finding of that
 *    very kind was reported (stricter than recall). Deterministic.
 *  - throughput: the corpus, decoded once, scanned on the main thread after three warm-up passes
 *    until ≥ 20 MB (10⁶ bytes; UTF-8 bytes of text, file bytes of DICOM). MBps = bytes ÷ wall
 *    time; cpuCores above 1.0 is the garbage collector's helper threads; otherCpuCores is what
 *    the rest of the machine used meanwhile (Linux /proc/stat) — near 0 for a fair figure.
 *  - largeDocument: every text sample joined into one ~5 MB text, scanned until ≥ 20 MB; guards
 *    against work that grows faster than the input (a whole log or export pasted at once).
 */
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { PhiInput } from '../src/privacy/index.js';
import { detectPhi } from '../src/privacy/index.js';
import { parseCorpus, sampleInput, scoreCorpus } from '../test/fixtures/phi/evaluate.js';

const MB = 1_000_000;
const plan = { minBytes: 20 * MB, warmupPasses: 3, targetMBps: 5 };

const log = (msg: string) => process.stderr.write(`[bench:phi] ${msg}\n`);
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Whole-machine busy/total CPU ticks from /proc/stat (Linux only), to show what else was running. */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const fields = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1);
    const ticks = fields.map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    return { busy: total - (ticks[3] ?? 0) - (ticks[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

function inputBytes(input: PhiInput): number {
  return 'bytes' in input ? input.bytes.length : new TextEncoder().encode(input.text).length;
}

function main() {
  const corpusFile = new URL('../test/fixtures/phi/corpus.jsonl', import.meta.url);
  const samples = parseCorpus(fs.readFileSync(corpusFile, 'utf8'));
  log(`${samples.length} samples; scoring`);
  const score = scoreCorpus(samples);

  // Inputs are prepared once (base64 decoding is not the detector's work), with the options the
  // intake would pass, then scanned in a loop on the main thread: one core.
  const inputs = samples.map((s) => ({ input: sampleInput(s), options: { reporter: s.reporter } }));
  const corpusBytes = inputs.reduce((n, { input }) => n + inputBytes(input), 0);
  const passes = Math.ceil(plan.minBytes / corpusBytes);
  let sink = 0;
  for (let i = 0; i < plan.warmupPasses; i += 1) {
    for (const { input, options } of inputs) sink += detectPhi(input, options).findings.length;
  }
  log(`corpus ${round(corpusBytes / MB)} MB × ${passes} passes`);
  const cores = os.cpus().length;
  const m0 = machineTicks();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let pass = 0; pass < passes; pass += 1) {
    for (const { input, options } of inputs) sink += detectPhi(input, options).findings.length;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const m1 = machineTicks();
  const ownCores = (cpu.user + cpu.system) / 1e6 / seconds;
  const machineCores =
    m0 && m1 && m1.total > m0.total ? ((m1.busy - m0.busy) / (m1.total - m0.total)) * cores : undefined;
  const scannedBytes = corpusBytes * passes;

  // The same text as one large attachment (a long log or export): catches work that grows faster
  // than the input, which many small samples would hide.
  const texts = samples.flatMap((s) => (s.text === undefined ? [] : [s.text]));
  const bigText = Array.from({ length: 40 }, () => texts.join('\n\n')).join('\n\n');
  const bigBytes = new TextEncoder().encode(bigText).length;
  const bigPasses = Math.ceil(plan.minBytes / bigBytes);
  log(`one document of ${round(bigBytes / MB, 1)} MB × ${bigPasses} passes`);
  const b0 = performance.now();
  for (let pass = 0; pass < bigPasses; pass += 1) sink += detectPhi({ text: bigText }).findings.length;
  const bigSeconds = (performance.now() - b0) / 1000;

  const out = {
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    corpus: {
      samples: samples.length,
      phiSamples: score.phiSamples,
      cleanSamples: score.cleanSamples,
      bytes: corpusBytes,
    },
    quality: {
      recall: score.recall,
      falsePositiveRate: score.falsePositiveRate,
      targets: { recall: 0.95, falsePositiveRate: 0.05 },
      perKindRecall: score.perKindRecall,
      misses: score.misses,
      falsePositives: score.falsePositives,
    },
    throughput: {
      scannedMB: round(scannedBytes / MB, 1),
      seconds: round(seconds, 2),
      MBps: round(scannedBytes / MB / seconds, 1),
      samplesPerSec: Math.round((samples.length * passes) / seconds),
      targetMBps: plan.targetMBps,
      cpuCores: round(ownCores, 2),
      otherCpuCores: machineCores === undefined ? null : round(Math.max(0, machineCores - ownCores), 2),
    },
    largeDocument: {
      MB: round(bigBytes / MB, 1),
      passes: bigPasses,
      MBps: round((bigBytes * bigPasses) / MB / bigSeconds, 1),
    },
    findingsSeen: sink,
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main();
