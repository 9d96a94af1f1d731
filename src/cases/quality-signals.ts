import type { Program } from '../programs/index.js';
import type { Answers } from '../reports/index.js';

/**
 * Quality signals of a new report — pure, no I/O. They are computed once, on arrival, from the
 * plaintext answers before they are sealed (src/intake/intake-service.ts calls `assessArrival`
 * in quality-arrival.ts, which adds the two signals that need the database: similar cases and
 * the reporter's standing). What is stored is flags, counts and explanations in words, never a
 * word of the report: every explanation names only the program's own configuration (products,
 * components, out-of-scope categories, form options), case numbers and counts.
 *
 * The signals only order the "needs triage" lane (queue.ts, `sort=triage`) and inform the team;
 * nothing is ever closed or answered because of them.
 *
 * Linear in the input: each text is walked once, character by character, for words (looked up in
 * one word trie built from the program's products, components and out-of-scope categories,
 * `buildScopeMatcher`) and once for line starts (sticky patterns with bounded repetition, tried
 * only where a line's first character could begin them), so no pattern can backtrack over the
 * text and no component costs a pass of its own. The one whole-text pattern (a version cue in
 * free text) has bounded gaps too.
 *
 * The triage score (0–100, higher means triage sooner) is `BASE` plus the points of each signal,
 * clamped; the weights, in `POINTS`, reward what a genuine report carries and junk rarely does:
 *   known in-scope product named                 +12
 *   version named: in scope +8 · range unknown +5 · out of support −10
 *   reproduction: numbered steps +8 · code, HTTP request or command +8 · PoC-like attachment +6
 *     (at most +20 together)
 *   in-scope endpoints, parameters or components named: +5 each, at most +20
 *   similar to an existing case: score ≥ 0.6 −12 · above the suggestion threshold (0.3) −6
 *   out-of-scope categories matched: −10 each, at most −20
 *   declared AI use: "generated" −5 (any other answer 0: declaring is not penalised)
 *   standing: earlier reports ending invalid, spam, out of scope or not reproducible −6 each
 *     (at most −24); earlier confirmed reports +6 each (at most +12)
 * The same inputs always give the same score (no clock, no randomness).
 */

export const SIGNALS_VERSION = 1;
export const BASE = 40;
export const POINTS = {
  product: 12,
  versionInScope: 8,
  versionUnknownRange: 5,
  versionOutOfScope: -10,
  steps: 8,
  code: 8,
  pocAttachment: 6,
  reproductionCap: 20,
  component: 5,
  componentCap: 20,
  similarStrong: -12,
  similar: -6,
  outOfScope: -10,
  outOfScopeCap: -20,
  aiGenerated: -5,
  standingBad: -6,
  standingBadCap: -24,
  standingGood: 6,
  standingGoodCap: 12,
} as const;
/** Similarity at or above this counts as a likely duplicate (the strong penalty). */
export const STRONG_SIMILARITY = 0.6;

export const SIGNAL_KINDS = [
  'product',
  'version',
  'reproduction',
  'components',
  'similar',
  'outOfScope',
  'aiUse',
  'standing',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];
export type SignalTone = 'good' | 'bad' | 'neutral';

export interface SignalItem {
  kind: SignalKind;
  tone: SignalTone;
  /** What this signal added to (or took from) the score. */
  points: number;
  /** The signal in words, e.g. "no version named" — never the report's own words. */
  explanation: string;
}

/** Counts of a reporter's earlier reports in this program, by the state each is in now. */
export interface Standing {
  /** What identifies the reporter: a key proven by a signature, or an address as given. */
  basis: 'signing-key' | 'address';
  earlier: number;
  byOutcome: Record<string, number>;
}

export interface QualitySignals {
  version: number;
  score: number;
  items: SignalItem[];
  /** The most similar existing case, if any scored above the suggestion threshold. */
  similar: { caseNumber: string; score: number } | null;
  /** Ids of the program's out-of-scope categories the text matches. */
  outOfScope: string[];
  /** The reporter's answer to the AI-use question (an option value), or null. */
  aiUse: string | null;
  standing: Standing | null;
}

/** What the pure part reads: the program, the answers and what the database already told. */
export interface SignalInput {
  program: Program;
  /** The answers other than contact details. */
  content: Answers;
  /** Attachment names and types as received (only their kinds are judged, nothing is kept). */
  files: { name: string; contentType: string }[];
  similar: { caseNumber: string; score: number } | null;
  standing: Standing | null;
}

// ---------------------------------------------------------------------------------------------
// One matcher for the program's scope words.

type Target =
  | { kind: 'product'; id: string }
  | { kind: 'component'; productId: string; name: string }
  | { kind: 'outOfScope'; id: string };

interface TrieNode {
  next: Map<string, TrieNode>;
  targets: Target[];
}

export interface ScopeMatcher {
  root: TrieNode;
  /** The longest phrase, in words: how far a match is followed from a word. */
  depth: number;
  /**
   * (first character code × 256 + length) of every phrase's first word: a word of the text that
   * is not among them starts no phrase, and is passed over without making a string of it.
   */
  firsts: Set<number>;
}

/**
 * Words a category is known by, beyond its own name and id: the out-of-scope categories programs
 * commonly list. A category with another id is matched by its name and id alone.
 */
const CATEGORY_WORDS: Record<string, string[]> = {
  'denial-of-service': [
    'denial of service',
    'dos attack',
    'ddos',
    'flood the',
    'flooding',
    'resource exhaustion',
    'load test',
    'stress test',
  ],
  'physical-testing': ['physical access', 'physical testing', 'tailgating', 'lock picking', 'usb drop'],
  'social-engineering': [
    'social engineering',
    'phishing',
    'spear phishing',
    'pretexting',
    'vishing',
    'smishing',
  ],
  spam: ['spam', 'unsolicited email'],
  clickjacking: ['clickjacking', 'ui redressing'],
  'missing-headers': ['missing security header', 'missing security headers', 'x frame options'],
  'self-xss': ['self xss'],
};

const MAX_PHRASE_WORDS = 8;

/** Lower-case words as the text scanner cuts them (letters, digits and `_`; other scripts whole). */
export function wordsOf(s: string): string[] {
  const lower = s.toLowerCase();
  const out: string[] = [];
  scanWords(lower, (a, b) => out.push(lower.slice(a, b)));
  return out;
}

/** The program's products, components and out-of-scope categories as one word trie. */
export function buildScopeMatcher(program: Program): ScopeMatcher {
  const root: TrieNode = { next: new Map(), targets: [] };
  let depth = 1;
  const firsts = new Set<number>();
  const add = (phrase: string, target: Target) => {
    const words = wordsOf(phrase).slice(0, MAX_PHRASE_WORDS);
    if (words.length === 0) return;
    // A single short word ("ui", "v2") is too common to mean anything on its own.
    if (words.length === 1 && (words[0] as string).length < 3) return;
    firsts.add(shape((words[0] as string).charCodeAt(0), (words[0] as string).length));
    let node = root;
    for (const w of words) {
      let child = node.next.get(w);
      if (!child) {
        child = { next: new Map(), targets: [] };
        node.next.set(w, child);
      }
      node = child;
    }
    node.targets.push(target);
    depth = Math.max(depth, words.length);
  };
  const scope = program.definition.scope;
  for (const p of scope.products) {
    add(p.name, { kind: 'product', id: p.id });
    add(p.id, { kind: 'product', id: p.id });
    // A model name is how people write a device: "Aurora IP-400" for "Aurora IP-400 Infusion Pump".
    const words = wordsOf(p.name);
    const model = words.findIndex((w) => /\d/.test(w));
    if (model >= 1 && model < words.length - 1)
      add(words.slice(0, model + 1).join(' '), { kind: 'product', id: p.id });
    for (const c of p.components ?? []) add(c, { kind: 'component', productId: p.id, name: c });
  }
  for (const c of scope.outOfScope) {
    add(c.name, { kind: 'outOfScope', id: c.id });
    add(c.id, { kind: 'outOfScope', id: c.id });
    for (const w of CATEGORY_WORDS[c.id] ?? []) add(w, { kind: 'outOfScope', id: c.id });
  }
  return { root, depth, firsts };
}

const shape = (firstCode: number, length: number) => firstCode * 256 + Math.min(length, 255);

const isWordCode = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 0xc0;

/**
 * Calls `onWord` with each word of `s` as [start, end) offsets, in order, in one pass over the
 * character codes (no pattern, no allocation per word).
 */
function scanWords(s: string, onWord: (start: number, end: number) => void): void {
  let start = -1;
  const n = s.length;
  for (let i = 0; i <= n; i++) {
    if (i < n && isWordCode(s.charCodeAt(i))) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      onWord(start, i);
      start = -1;
    }
  }
}

/** What the matcher found in some texts: distinct targets, by kind. */
export interface ScopeHits {
  products: Set<string>;
  /** `productId\u0000component name` */
  components: Set<string>;
  outOfScope: Set<string>;
}

/**
 * Every scope phrase named in `texts`. Each word is looked up once, and a match is followed at
 * most `depth` words ahead: O(words × depth), depth being the longest phrase (at most 8).
 */
export function matchScope(m: ScopeMatcher, texts: string[]): ScopeHits {
  const hits: ScopeHits = { products: new Set(), components: new Set(), outOfScope: new Set() };
  // The active partial matches: nodes reached by the words so far, at most `depth` of them.
  let active: TrieNode[] = [];
  const record = (node: TrieNode) => {
    for (const t of node.targets) {
      if (t.kind === 'product') hits.products.add(t.id);
      else if (t.kind === 'component') hits.components.add(`${t.productId}\u0000${t.name}`);
      else hits.outOfScope.add(t.id);
    }
  };
  for (const text of texts) {
    const lower = text.toLowerCase();
    active = [];
    // The word scan of `scanWords`, inlined: this loop runs once per character of the report.
    const n = lower.length;
    let start = -1;
    for (let i = 0; i <= n; i++) {
      if (i < n && isWordCode(lower.charCodeAt(i))) {
        if (start < 0) start = i;
        continue;
      }
      if (start < 0) continue;
      const a = start;
      start = -1;
      // Most words start no phrase and continue none: passed over without making a string.
      if (active.length === 0 && !m.firsts.has(shape(lower.charCodeAt(a), i - a))) continue;
      const w = lower.slice(a, i);
      const next: TrieNode[] = [];
      for (const node of active) {
        const child = node.next.get(w);
        if (child) {
          record(child);
          if (child.next.size > 0) next.push(child);
        }
      }
      const first = m.root.next.get(w);
      if (first) {
        record(first);
        if (first.next.size > 0) next.push(first);
      }
      active = next;
    }
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------
// Structure: steps, code, requests.

// Sticky patterns tried at a line's start only, each bounded (no unbounded repetition), so a line
// costs the same however long it is. `(?=\r?\n|$)` ends a line without splitting the text.
const NUMBERED_STEP = /[ \t>*-]{0,6}(?:\(?\d{1,2}[.):]|step[ \t]{0,3}\d{1,2}\b)/iy;
const FENCE = /[ \t]{0,3}(?:```|~~~)/y;
const HTTP_REQUEST =
  /[ \t]{0,4}(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)[ \t]{1,4}[^\s]{1,250}(?:[ \t]{1,4}HTTP\/\d(?:\.\d)?)?[ \t]{0,8}(?=\r?\n|$)/y;
const HTTP_RESPONSE = /[ \t]{0,4}HTTP\/\d(?:\.\d)?[ \t]{1,4}\d{3}\b/y;
const COMMAND =
  /[ \t]{0,4}(?:[$#>][ \t]{0,3})?(?:curl|wget|python3?|node|nmap|sqlmap|nc|ncat|openssl|ssh|msfconsole|burp|ffuf|nuclei|hydra|mitmproxy|tcpdump|tshark|gdb|frida|adb)\b/iy;
const INDENTED_CODE = /(?: {4}|\t)\S/y;

const at = (re: RegExp, text: string, from: number) => {
  re.lastIndex = from;
  return re.test(text);
};

export interface Structure {
  numberedSteps: number;
  codeLines: number;
  httpRequests: number;
}

/**
 * Lines that look like steps, code, HTTP requests or commands: one pass over the lines, each line
 * judged by its first characters (a blank line, the commonest, costs one comparison).
 */
export function findStructure(texts: string[]): Structure {
  const s: Structure = { numberedSteps: 0, codeLines: 0, httpRequests: 0 };
  for (const text of texts) {
    let inFence = false;
    let from = 0;
    const n = text.length;
    while (from <= n) {
      let end = text.indexOf('\n', from);
      if (end < 0) end = n;
      const start = from;
      from = end + 1;
      // The first character that is not a space or tab, within the few that may lead.
      let i = start;
      while (i < end && i - start < 6 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (i >= end || text.charCodeAt(i) === 13) continue;
      const c = text.charCodeAt(i);
      if (c === 96 || c === 126) {
        if (at(FENCE, text, start)) {
          if (!inFence) s.codeLines++;
          inFence = !inFence;
          continue;
        }
      }
      if (inFence) {
        s.codeLines++;
        continue;
      }
      if ((i - start >= 4 || text.charCodeAt(start) === 9) && at(INDENTED_CODE, text, start)) {
        s.codeLines++;
        continue;
      }
      // Each pattern only where the line's first character could begin it.
      const digit = c >= 48 && c <= 57;
      const upper = c >= 65 && c <= 90;
      const lower = c >= 97 && c <= 122;
      if (
        (digit || c === 40 || c === 62 || c === 42 || c === 45 || c === 115 || c === 83) &&
        at(NUMBERED_STEP, text, start)
      )
        s.numberedSteps++;
      if (upper && (at(HTTP_REQUEST, text, start) || at(HTTP_RESPONSE, text, start))) s.httpRequests++;
      else if ((lower || upper || c === 36 || c === 35 || c === 62) && at(COMMAND, text, start))
        s.codeLines++;
    }
  }
  return s;
}

const POC_EXTENSIONS = new Set([
  'py',
  'sh',
  'js',
  'ts',
  'rb',
  'go',
  'c',
  'cpp',
  'java',
  'ps1',
  'pl',
  'php',
  'html',
  'http',
  'har',
  'pcap',
  'pcapng',
  'cap',
  'saz',
  'mp4',
  'webm',
  'mov',
  'nse',
  'yaml',
  'json',
  'xml',
]);
const POC_TYPES = /^(?:application\/vnd\.tcpdump\.pcap|video\/|text\/x-(?:python|shellscript|c|script))/i;

/** The kinds (extensions) of attachments that look like a proof of concept, a trace or a recording. */
export function pocAttachments(files: { name: string; contentType: string }[]): string[] {
  const kinds = new Set<string>();
  for (const f of files) {
    const dot = f.name.lastIndexOf('.');
    const ext = dot >= 0 ? f.name.slice(dot + 1, dot + 9).toLowerCase() : '';
    if (f.name === 'original-message.eml') continue;
    if (POC_EXTENSIONS.has(ext)) kinds.add(`.${ext}`);
    else if (POC_TYPES.test(f.contentType)) kinds.add(f.contentType.toLowerCase().split(';')[0] as string);
  }
  return [...kinds].sort();
}

// ---------------------------------------------------------------------------------------------
// Versions.

const VERSION_NUMBER = /\d{1,6}(?:\.\d{1,6}){0,3}/;
// A version named in free text: a cue word, then a number with at least one dot (bounded gaps).
const VERSION_IN_TEXT =
  /\b(?:v|version|firmware|fw|software|release|build|rev)[ \t]{0,2}[:=]?[ \t]{0,2}(\d{1,6}(?:\.\d{1,6}){1,3})\b/i;

/** Numeric parts of a version; `x` and missing parts compare as 0 (or as "any", in ranges). */
const partsOf = (v: string) => v.split('.').map((p) => Number(p));

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Whether `version` falls in a scope range such as ">= 3.0", "firmware < 3.0", "4.x and earlier",
 * "2.1" or "all"; null when the range names no number (e.g. "current production release").
 */
export function inRange(version: string, range: string): boolean | null {
  const r = range.toLowerCase();
  if (/^\s*(?:all|any|\*)\s*$/.test(r)) return true;
  const m = /(>=|<=|>|<|=)?[ \t]{0,3}(\d{1,6}(?:\.(?:\d{1,6}|x)){0,3})/.exec(r);
  if (!m) return null;
  const v = partsOf(version);
  const bound = (m[2] as string).split('.').filter((p) => p !== 'x');
  const b = bound.map(Number);
  let op = m[1] ?? '';
  if (!op) {
    if (/\band (?:earlier|older|below|before)\b/.test(r)) op = '<=~';
    else if (/\band (?:later|newer|above|after)\b|\+/.test(r)) op = '>=';
    else op = '=~';
  }
  const c = compare(v, b);
  // Compared on the bound's own length: "4.x and earlier" holds 4.9.1, "= 2.1" holds 2.1.5.
  const prefix = compare(v.slice(0, b.length), b);
  switch (op) {
    case '>=':
      return c >= 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '<':
      return c < 0;
    case '<=~':
      return prefix <= 0;
    default:
      return prefix === 0;
  }
}

/** A named version against the product's ranges: in scope, out of scope, or not decidable. */
export function versionStanding(
  version: string,
  ranges: { versions: string; inScope: boolean }[],
): 'in' | 'out' | 'unknown' {
  let verdict: 'in' | 'unknown' = 'unknown';
  for (const r of ranges) {
    const hit = inRange(version, r.versions);
    if (hit === true && !r.inScope) return 'out';
    if (hit === true) verdict = 'in';
  }
  return verdict;
}

// ---------------------------------------------------------------------------------------------
// The signals.

const asText = (v: Answers[string] | undefined): string =>
  typeof v === 'string' ? v : Array.isArray(v) ? v.join('\n') : '';

const NEGATIVE_OUTCOMES = new Set(['invalid', 'spam', 'out_of_scope', 'not_reproducible']);
const POSITIVE_OUTCOMES = new Set(['confirmed', 'in_remediation', 'disclosed']);

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** Every signal of a new report, explained, and the triage score. */
export function computeSignals(
  input: SignalInput,
  matcher = buildScopeMatcher(input.program),
): QualitySignals {
  const def = input.program.definition;
  const fields = def.form.fields.filter((f) => !f.contact);
  const byPurpose = (purpose: string) => fields.find((f) => f.purpose === purpose);
  const texts: string[] = [];
  for (const f of fields) {
    if (f.purpose === 'aiUse' || f.purpose === 'version' || f.kind === 'product') continue;
    const t = asText(input.content[f.id]);
    if (t) texts.push(t);
  }
  // Message reports (email) have no form: their subject and message are the text.
  if (fields.every((f) => input.content[f.id] === undefined))
    for (const v of Object.values(input.content)) {
      const t = asText(v);
      if (t) texts.push(t);
    }
  const items: SignalItem[] = [];
  const hits = matchScope(matcher, texts);
  const productsById = new Map(def.scope.products.map((p) => [p.id, p]));

  // Product: the form's product answer, else a product named in the text.
  const productField = fields.find((f) => f.kind === 'product' || f.purpose === 'product');
  const answered = asText(input.content[productField?.id ?? '']).trim();
  const product = productsById.get(answered) ?? [...hits.products].map((id) => productsById.get(id))[0];
  items.push(
    product
      ? {
          kind: 'product',
          tone: 'good',
          points: POINTS.product,
          explanation: `product named: ${product.name}`,
        }
      : {
          kind: 'product',
          tone: 'bad',
          points: 0,
          explanation: answered === 'other' ? 'no known product named ("other")' : 'no known product named',
        },
  );

  // Version: the version answer, else a cue such as "firmware 3.2" in the text.
  const versionAnswer = asText(input.content[byPurpose('version')?.id ?? '']);
  let version = VERSION_NUMBER.exec(versionAnswer)?.[0];
  if (!version)
    for (const t of texts) {
      version = VERSION_IN_TEXT.exec(t)?.[1];
      if (version) break;
    }
  if (!version) items.push({ kind: 'version', tone: 'bad', points: 0, explanation: 'no version named' });
  else if (!product)
    items.push({
      kind: 'version',
      tone: 'neutral',
      points: POINTS.versionUnknownRange,
      explanation: 'a version named, for no known product',
    });
  else {
    const v = versionStanding(version, product.versions);
    items.push(
      v === 'in'
        ? {
            kind: 'version',
            tone: 'good',
            points: POINTS.versionInScope,
            explanation: `a version in scope of ${product.name} named`,
          }
        : v === 'out'
          ? {
              kind: 'version',
              tone: 'bad',
              points: POINTS.versionOutOfScope,
              explanation: `the version named is outside the supported range of ${product.name}`,
            }
          : {
              kind: 'version',
              tone: 'neutral',
              points: POINTS.versionUnknownRange,
              explanation: `a version named (not comparable with the scope of ${product.name})`,
            },
    );
  }

  // Reproduction: steps, code or requests, proof-of-concept files.
  const st = findStructure(texts);
  const poc = pocAttachments(input.files);
  const found: string[] = [];
  let repro = 0;
  if (st.numberedSteps >= 2) {
    repro += POINTS.steps;
    found.push(plural(st.numberedSteps, 'numbered step'));
  }
  if (st.httpRequests > 0 || st.codeLines >= 2) {
    repro += POINTS.code;
    if (st.httpRequests > 0) found.push(plural(st.httpRequests, 'HTTP request or response line'));
    if (st.codeLines >= 2)
      found.push(plural(st.codeLines, 'line of code or commands', 'lines of code or commands'));
  }
  if (poc.length > 0) {
    repro += POINTS.pocAttachment;
    found.push(`proof-of-concept attachment (${poc.join(', ')})`);
  }
  repro = Math.min(repro, POINTS.reproductionCap);
  items.push(
    found.length > 0
      ? {
          kind: 'reproduction',
          tone: 'good',
          points: repro,
          explanation: `reproduction: ${found.join('; ')}`,
        }
      : {
          kind: 'reproduction',
          tone: 'bad',
          points: 0,
          explanation: 'no steps to reproduce, code, requests or proof-of-concept files',
        },
  );

  // Components: the product's (or any product's) endpoints, parameters and components named.
  const components = [...hits.components].map((k) => k.split('\u0000') as [string, string]);
  const own = product ? components.filter(([pid]) => pid === product.id) : components;
  const named = [...new Set((own.length > 0 ? own : components).map(([, name]) => name))].sort();
  const listed = product ? (product.components ?? []).length : 0;
  items.push(
    named.length > 0
      ? {
          kind: 'components',
          tone: 'good',
          points: Math.min(named.length * POINTS.component, POINTS.componentCap),
          explanation: `${plural(named.length, 'in-scope endpoint or component', 'in-scope endpoints or components')} mentioned: ${named.slice(0, 6).join(', ')}${named.length > 6 ? ', …' : ''}`,
        }
      : {
          kind: 'components',
          tone: listed > 0 || !product ? 'bad' : 'neutral',
          points: 0,
          explanation:
            product && listed === 0
              ? `0 in-scope endpoints mentioned (the program lists none for ${product.name})`
              : '0 in-scope endpoints mentioned',
        },
  );

  // Similar cases (found by the caller from the feature digests).
  const sim = input.similar;
  if (sim)
    items.push({
      kind: 'similar',
      tone: 'bad',
      points: sim.score >= STRONG_SIMILARITY ? POINTS.similarStrong : POINTS.similar,
      explanation: `similar to ${sim.caseNumber} (score ${sim.score.toFixed(2)})`,
    });
  else items.push({ kind: 'similar', tone: 'neutral', points: 0, explanation: 'no similar case' });

  // Out-of-scope categories.
  const outOfScope = def.scope.outOfScope.filter((c) => hits.outOfScope.has(c.id));
  if (outOfScope.length > 0)
    items.push({
      kind: 'outOfScope',
      tone: 'bad',
      points: Math.max(outOfScope.length * POINTS.outOfScope, POINTS.outOfScopeCap),
      explanation: `matches out-of-scope ${outOfScope.length === 1 ? 'category' : 'categories'}: ${outOfScope.map((c) => c.name).join(', ')}`,
    });
  else if (def.scope.outOfScope.length > 0)
    items.push({
      kind: 'outOfScope',
      tone: 'neutral',
      points: 0,
      explanation: 'no out-of-scope category matched',
    });

  // Declared AI use: shown as declared; only "generated" weighs, and lightly.
  const aiField = byPurpose('aiUse');
  let aiUse: string | null = null;
  if (aiField) {
    const answer = asText(input.content[aiField.id]).trim();
    aiUse = answer || null;
    const label = aiField.options?.find((o) => o.value === answer)?.label;
    items.push(
      !answer
        ? { kind: 'aiUse', tone: 'neutral', points: 0, explanation: 'AI use not declared' }
        : {
            kind: 'aiUse',
            tone: answer === 'generated' ? 'bad' : 'neutral',
            points: answer === 'generated' ? POINTS.aiGenerated : 0,
            explanation: `declared AI use: ${label ?? answer}`,
          },
    );
  }

  // Standing: earlier reports of the same reporter in this program, by what became of them.
  const standing = input.standing;
  if (standing) {
    let bad = 0;
    let good = 0;
    for (const [outcome, n] of Object.entries(standing.byOutcome)) {
      if (NEGATIVE_OUTCOMES.has(outcome)) bad += n;
      if (POSITIVE_OUTCOMES.has(outcome)) good += n;
    }
    const points =
      Math.max(bad * POINTS.standingBad, POINTS.standingBadCap) +
      Math.min(good * POINTS.standingGood, POINTS.standingGoodCap);
    const who = standing.basis === 'signing-key' ? 'by signing key' : 'by address, unverified';
    const counts = Object.entries(standing.byOutcome)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([o, n]) => `${n} ${o.replace(/_/g, ' ')}`)
      .join(', ');
    items.push({
      kind: 'standing',
      tone: points < 0 ? 'bad' : points > 0 ? 'good' : 'neutral',
      points,
      explanation:
        standing.earlier === 0
          ? `no earlier reports from this reporter (${who})`
          : `${plural(standing.earlier, 'earlier report')} from this reporter (${who}): ${counts}`,
    });
  }

  const score = clamp(Math.round(items.reduce((s, i) => s + i.points, BASE)), 0, 100);
  return {
    version: SIGNALS_VERSION,
    score,
    items,
    similar: sim,
    outOfScope: outOfScope.map((c) => c.id),
    aiUse,
    standing,
  };
}

/** The signals as one line: "no version named; 0 in-scope endpoints mentioned; …". */
export function summarizeSignals(s: Pick<QualitySignals, 'items'>): string {
  return s.items.map((i) => i.explanation).join('; ');
}
