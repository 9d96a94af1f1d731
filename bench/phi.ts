/**
 * PHI guard benchmark: quality of `detectPhi` on the labelled corpora (recall on PHI samples,
 * false-positive rate on clean ones, per kind and per generator family), its throughput on one
 * core, and its time on pathological inputs.
 *
 *   npm run bench:phi               (≈10–60 seconds; progress on stderr, one JSON document on stdout)
 *   npm run bench:phi -- --dev-only (skips the held-out split: for whoever works on the detectors)
 *   PHI_ADVERSARIAL_ONLY=1 npm run bench:phi (only the adversarial inputs)
 *
 * What the figures mean:
 *  - quality.dev: the development split (generate-corpus.ts), the one detectors are written against.
 *    recall: PHI samples with at least one finding ÷ PHI samples (target ≥ 0.95);
 *    falsePositiveRate: clean samples with any finding ÷ clean samples (target ≤ 0.05);
 *    perKindRecall: per labelled kind, the share of its samples where a finding of that very kind
 *    was reported (stricter than recall); perFamily: recall of each PHI family, false-positive
 *    rate of each clean family. Deterministic.
 *  - quality.check: the internal check split (check.jsonl, check-shapes.ts), written by the
 *    detectors' authors but never tuned on: per family, to show which layouts a change regressed.
 *  - quality.heldout: the held-out split (heldout2/heldout.jsonl), families from an independent
 *    generator that detectors are never tuned on. Aggregates and per-kind recall only; per family
 *    with PHI_HELDOUT_DETAIL=1 (for whoever owns the evaluation). No sample ids either way.
 *  - throughput: the corpus, decoded once, scanned on the main thread after three warm-up passes
 *    until ≥ 20 MB (10⁶ bytes; UTF-8 bytes of text, file bytes of DICOM). MBps = bytes ÷ wall
 *    time; cpuCores above 1.0 is the garbage collector's helper threads; otherCpuCores is what
 *    the rest of the machine used meanwhile (Linux /proc/stat) — near 0 for a fair figure.
 *  - largeDocument: every text sample joined into one ~5 MB text, scanned until ≥ 20 MB; guards
 *    against work that grows faster than the input (a whole log or export pasted at once).
 *  - adversarial: 1 MiB of each shape a detector's pattern could go super-linear on (nested
 *    brackets, runs of cue words, no separators, endless cells, an unclosed tag, repeated segment
 *    and tag openers); ms is the slowest of three scans, or of the first if it is already ten times
 *    over target (target < 250 ms each); fastestMs the fastest and cpuMs the least process CPU
 *    time of those scans, which a busy machine skews far less than wall time.
 */
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { PhiInput } from '../src/privacy/index.js';
import { detectPhi } from '../src/privacy/index.js';
import { type CorpusScore, loadSplit, sampleInput, scoreCorpus } from '../test/fixtures/phi/evaluate.js';

const MB = 1_000_000;
const MiB = 1024 * 1024;
const plan = { minBytes: 20 * MB, warmupPasses: 3, targetMBps: 5, adversarialTargetMs: 250 };

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

/** `unit` repeated to exactly `size` characters. */
const fill = (unit: string, size = MiB) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

/** Letters and digits with no space, punctuation or line break: one 1 MiB "word". */
function noSeparators(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let x = 0x2545f491;
  let out = '';
  for (let i = 0; i < MiB; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += alphabet[(x >>> 0) % alphabet.length];
  }
  return out;
}

/** One CSV header of 100,000 columns (patient-looking ones first) and one row under it. */
function wideHeader(): string {
  const columns = ['first_name', 'last_name', 'dob', ...Array.from({ length: 99_997 }, (_, i) => `c${i}`)];
  const row = ['Jane', 'Doe', '1957-11-04', ...Array.from({ length: 99_997 }, () => 'x')];
  return `${columns.join(',')}\n${row.join(',')}\n`;
}

/** Inputs shaped to make a detector's pattern backtrack or rescan: each should stay linear. */
function adversarialInputs(): { name: string; text: string }[] {
  return [
    { name: 'nested-brackets', text: fill('[') },
    { name: 'nested-braces', text: fill('{') },
    { name: 'dob-cue-run', text: fill('DOB ') },
    { name: 'patient-cue-run', text: fill('patient ') },
    { name: 'no-separators', text: noSeparators() },
    { name: 'digit-run', text: fill('1234567890') },
    { name: 'pipe-cells', text: fill('|') },
    { name: 'wide-header-100k-columns', text: wideHeader() },
    { name: 'unclosed-patient-tag', text: fill('<Patient ') },
    { name: 'resource-type-patient', text: `{${fill('"resourceType":"Patient",', MiB - 1)}` },
    { name: 'email-cue-run', text: fill('patient email: jane.doe@example.org ') },
    { name: 'pid-segment-run', text: fill('PID|') },
    { name: 'dicom-patient-name-tag-run', text: fill('(0010,0010)') },
    // Shapes of the SQL, vertical-row, document-store, e-mail and age readers.
    {
      name: 'insert-tuples-unclosed',
      text: `INSERT INTO t VALUES ${fill("('Jana', 'Kellerhals', '1957-04-11', ")}`,
    },
    {
      name: 'insert-tuples-by-value',
      text: `INSERT INTO t VALUES ${fill("('Jana','Kellerhals','1957-04-11'),")}`,
    },
    { name: 'copy-stdin-openers', text: fill('COPY t (a, b) FROM stdin;\n') },
    { name: 'copy-stdin-rows', text: `COPY t FROM stdin;\n${fill('Jana\tKellerhals\t1957-04-11\n')}` },
    { name: 'extended-json-date-nesting', text: fill('{"dob":{"$date":') },
    { name: 'redis-numbered-lines', text: fill('1) "dob"\n') },
    { name: 'vertical-rows', text: fill('first_name | Jana\ndob | 1957-04-11\n') },
    { name: 'spelled-out-email-signs', text: fill('a [at] b [dot] ') },
    { name: 'age-cue-run', text: fill('Jana Kellerhals, 45 y/o ') },
    { name: 'name-spaces-date-run', text: fill('Jana Kellerhals  1957-04-11  ') },
    // Not pathological, only dense: a 1 MiB list of people with their birth dates.
    { name: 'name-dob-list', text: fill('Anouk Berg, DOB 12-Mar-1945 ') },
    { name: 'x12-nm1-openers', text: fill('NM1*IL*1*') },
    { name: 'member-id-run', text: fill('Member ID: 1234567890 ') },
    { name: 'clinical-term-run', text: fill('insulin ') },
    { name: 'addresses-one-line', text: fill('a.b@c.example ') },
    { name: 'patient-owned-addresses', text: fill('as patient anouk.devries@ziggo.example ') },
    { name: 'patient-word-near-addresses', text: fill('the patient search a.b@c.example ') },
    {
      name: 'hex-dump-lines',
      text: fill('00000030  02 50 7c 31 7c 45 6d 69  6b 6f 20 76 61 6e 20 64  |.P|1|Emiko van d|\n'),
    },
    { name: 'named-people-with-medicines', text: fill('Amara Okonkwo insulin ') },
    { name: 'escaped-quote-run', text: fill('\\"') },
    {
      name: 'escaped-json-records',
      text: fill('{\\"name\\":\\"Varga Ilona\\",\\"dob\\":\\"1962-05-30\\"},'),
    },
    { name: 'base64-tokens', text: fill('QWxhZGRpbjpvcGVuIHNlc2FtZQ== ') },
    {
      name: 'fixed-width-record-lines',
      text: fill('0004084122SATO                AIRI           19641107M24990   \n'),
    },
    { name: 'emergency-contact-phone-run', text: fill('Emergency contact: (617) 555-0188 ') },
    { name: 'national-id-cue-run', text: fill('BSN: 1234 PESEL 4405 CPF 111. ') },
    { name: 'x12-subscribers', text: fill('NM1*IL*1*OKORO*EMEKA****MI*ZX77120045~DMG*D8*19700115*M~') },
    { name: 'json-array-rows', text: fill('["Varga","Ilona","1962-05-30"],') },
    { name: 'protobuf-fields-side-by-side', text: `{${fill('year: 1964 ')}}` },
    {
      name: 'form-data-parts',
      text: fill('Content-Disposition: form-data; name="dob"\r\n\r\n1962-05-30\r\n--B\r\n'),
    },
    { name: 'arrow-pairs-one-line', text: fill('name="dob" -> first -> a => b → ') },
    { name: 'caret-label-fields', text: fill('^VAN DER BERG^ANOUK^19610203') },
    { name: 'star-framed-labels-one-line', text: fill('*OKAFOR KWAME*04NOV1957') },
    {
      name: 'echoed-addresses',
      text: fill('appointment: We have sent a reset link to anouk.berg@mail.example '),
    },
    { name: 'typed-birth-dates', text: fill('Anouk Berg DOB {"$date":"1961-04-02T00:00:00Z"} ') },
    { name: 'lower-case-titles-with-terms', text: fill('il sig. Rossi diabete ') },
    { name: 'astm-patient-records', text: fill('\r1P|1||4471203||Okafor^Kwame||19700115|M') },
    {
      name: 'bound-sql-parameters',
      text: fill("nom=@p0, prenom=@p1, dob=@p2 @p0=N'Delaunoy',@p1=N'Thibaut',@p2='2001-12-24'\n"),
    },
    {
      name: 'redis-field-writes',
      text: fill('"HSET" "k" "imie" "Ryszard" "nazwisko" "Pietrzak" "ur" "1972-12-05"\n'),
    },
    { name: 'sql-where-quoted-values', text: fill("nachname = 'Hollweger' AND ") },
    { name: 'name-value-objects', text: fill('{"name": "dob", "value": "1961-01-02"},') },
    { name: 'addresses-spelled-at-dot', text: fill('patient email ab at cd dot example ') },
    {
      name: 'european-streets',
      text: fill('Lieferadresse der Patientin: Kastanienweg 48, 37018 Göttingen. '),
    },
    { name: 'capitalised-words-no-street', text: fill('Abcdefghijklmnopqrstuvwxyzabcdefghijklmn ') },
    { name: 'spoken-birth-dates', text: fill('DOB the twenty-fourth of November nineteen ') },
    { name: 'gdt-lines', text: fill('0143101Mustermeier\n017310317021948\n') },
    { name: 'xds-pid-values', text: fill('<rim:Value>PID-5|Brandauer^Ottilie^^^</rim:Value>') },
    {
      name: 'compound-care-words',
      text: `To: a.b@c.example
${fill('Laborbefund')}`,
    },
    // Slots the care-contact reader reads (src/privacy/care-contacts.ts), a megabyte of each,
    // most on one line: every candidate must read a bounded window, not the rest of the line.
    { name: 'mail-recipient-headers', text: fill('To: <a.b@c.example>\n') },
    { name: 'account-event-emails-one-line', text: fill('email=x.y@mail.example type=REGISTER ') },
    { name: 'reminder-recipients-one-line', text: fill('to=+4915112345678 appointment ') },
    { name: 'titled-names-one-line', text: fill('Mrs Edda Lindqvist ') },
    { name: 'greetings-one-line', text: fill('Hello Anna Berg ') },
    { name: 'patient-name-fields', text: fill('"patient_name": "Anna Berg", ') },
    { name: 'delivery-addresses-one-line', text: fill('delivery: Lindenweg 12, 10115 Berlin; ') },
    { name: 'caller-column-rows', text: `time;caller;note\n${fill('09:00;0171 2345678;Rezept\n')}` },
  ];
}

function timeAdversarial() {
  return adversarialInputs().map(({ name, text }) => {
    let slowest = 0;
    let fastest = Number.POSITIVE_INFINITY;
    let leastCpu = Number.POSITIVE_INFINITY;
    let findings = 0;
    // A shape already ten times over target has made its point; repeating it only costs minutes.
    for (let run = 0; run < 3 && slowest < 10 * plan.adversarialTargetMs; run += 1) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      findings = detectPhi({ text }).findings.length;
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      slowest = Math.max(slowest, ms);
      fastest = Math.min(fastest, ms);
      leastCpu = Math.min(leastCpu, (cpu.user + cpu.system) / 1000);
    }
    log(
      `adversarial ${name}: ${Math.round(slowest)} ms (fastest ${Math.round(fastest)}, CPU ${Math.round(leastCpu)})`,
    );
    return {
      name,
      chars: text.length,
      ms: Math.round(slowest),
      fastestMs: Math.round(fastest),
      cpuMs: Math.round(leastCpu),
      findings,
      withinTarget: slowest < plan.adversarialTargetMs,
    };
  });
}

function quality(score: CorpusScore, withFamilies: boolean) {
  return {
    phiSamples: score.phiSamples,
    cleanSamples: score.cleanSamples,
    recall: score.recall,
    falsePositiveRate: score.falsePositiveRate,
    perKindRecall: score.perKindRecall,
    ...(withFamilies ? { perFamily: score.perFamily } : {}),
  };
}

function main() {
  // PHI_ADVERSARIAL_ONLY=1: only the adversarial inputs (seconds instead of a minute), for whoever
  // works on a detector's speed.
  if (process.env.PHI_ADVERSARIAL_ONLY === '1') {
    log('adversarial inputs, 1 MiB each');
    const inputs = timeAdversarial();
    process.stdout.write(
      `${JSON.stringify({ node: process.version, adversarial: { targetMs: plan.adversarialTargetMs, inputs } }, null, 2)}\n`,
    );
    return;
  }
  const devOnly = process.argv.includes('--dev-only');
  const samples = loadSplit('dev');
  const check = loadSplit('check');
  const heldout = devOnly ? [] : loadSplit('heldout');
  log(`${samples.length} dev, ${check.length} check and ${heldout.length} held-out samples; scoring`);
  const score = scoreCorpus(samples);
  const checkScore = scoreCorpus(check);
  const heldoutScore = devOnly ? undefined : scoreCorpus(heldout);

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

  log('adversarial inputs, 1 MiB each');
  const adversarial = timeAdversarial();

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
      targets: { recall: 0.95, falsePositiveRate: 0.05 },
      dev: { ...quality(score, true), misses: score.misses, falsePositives: score.falsePositives },
      check: quality(checkScore, true),
      heldout: heldoutScore
        ? quality(heldoutScore, process.env.PHI_HELDOUT_DETAIL === '1')
        : 'skipped (--dev-only)',
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
    adversarial: { targetMs: plan.adversarialTargetMs, inputs: adversarial },
    findingsSeen: sink,
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main();
