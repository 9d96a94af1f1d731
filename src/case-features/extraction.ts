import type { Program } from '../programs/index.js';
import type { Answers } from '../reports/index.js';

/**
 * What a case is about, as the duplicate suggestions compare it — pure, no I/O. Scoring lives
 * in src/cases/similarity.ts; the keyed digest of these features in feature-digest.ts.
 *
 * Features of a case:
 * - products (by program product id) with their versions: from the reporter's product and
 *   version answers, and from the assessment's affected list;
 * - CWE ids: the reporter's CWE answer and the assessment's CWE;
 * - endpoints: URL paths (numeric, UUID and long hex segments folded to `{id}`), query-parameter
 *   names and hostnames, from URLs and bare paths in the report text;
 * - text: normalised word tokens and word bigrams of the free-text answers, URLs removed.
 */

/** What the service knows about a case, before extraction. */
export interface CaseFeatureInput {
  /** Free-text answers (descriptions, steps, related URLs …). */
  texts: string[];
  /** Products by program product id, with their display name and any versions named. */
  products: { id: string; name: string; versions: string[] }[];
  /** CWE ids as given (`CWE-79`, `79`, `cwe 79`). */
  cwes: string[];
}

export interface CaseFeatures {
  products: Map<string, { name: string; versions: Set<string> }>;
  cwes: Set<string>;
  /** `path:/api/v1/patients/{id}`, `param:patientid`, `host:ehr.example.org`. */
  endpoints: Set<string>;
  /** Term frequencies of word tokens. */
  terms: Map<string, number>;
  /** Term frequencies of word bigrams (`bolus dose`). */
  bigrams: Map<string, number>;
}

// A small English stop list: words that say nothing about which vulnerability this is.
const STOP_WORDS = new Set(
  (
    'the and for are but not you your yours our ours this that these those with from into onto ' +
    'was were been being have has had having can could would should will shall may might must ' +
    "there their them they then than its it's which what when where who whom why how all any " +
    'each some such only also very just about above after again against before below between ' +
    'both during further here more most other over same own too under until while does did doing ' +
    'use used using via per one two able found find please report reported reporting issue ' +
    'vulnerability vulnerabilities answer'
  ).split(' '),
);

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`)\]}]+/gi;
// A bare path: a slash at the start or after whitespace/punctuation, at least one named segment.
const PATH_PATTERN =
  /(?:^|[\s("'`=:,;[])(\/[A-Za-z0-9._~%{}:@!$&*+-]+(?:\/[A-Za-z0-9._~%{}:@!$&*+-]*)*(?:\?[^\s"'`<>)\]]*)?)/g;
// A bare hostname needs two dots (`ehr.hospital.example`), so file names and versions are not taken.
const HOST_PATTERN =
  /(?:^|[\s("'`=:,;[@])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){2,}[a-z]{2,24})(?=$|[\s)"'`:/,;.\]])/gi;
const ID_SEGMENT = /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,})$/i;
const VERSION_TOKEN = /\d+(?:\.(?:\d+|x))+(?:[-+][0-9a-z.]+)?|\b\d+\b/gi;

/** A path as compared: lower case, no trailing slash, identifier segments folded to `{id}`. */
export function normalisePath(path: string): string | null {
  const clean = path.split(/[?#]/)[0] ?? '';
  const segments = clean
    .toLowerCase()
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      let decoded = s;
      try {
        decoded = decodeURIComponent(s);
      } catch {
        // Keep a malformed escape as written.
      }
      return ID_SEGMENT.test(decoded) ? '{id}' : decoded;
    });
  // A lone short segment (`/a`, `/x1`) or a lone identifier says nothing about an endpoint.
  if (segments.length === 0) return null;
  if (segments.length === 1 && ((segments[0] as string).length < 3 || segments[0] === '{id}')) return null;
  return `/${segments.join('/')}`;
}

function queryParams(query: string): string[] {
  return query
    .split('&')
    .map((p) => (p.split('=')[0] ?? '').trim().toLowerCase())
    .filter((p) => /^[a-z_][a-z0-9_.[\]-]{0,63}$/.test(p));
}

const normaliseHost = (host: string) =>
  host
    .toLowerCase()
    .replace(/^www\./, '')
    .replace(/\.$/, '');

/** Endpoints named in a text, and the text with its URLs taken out (for tokenising). */
export function extractEndpoints(text: string): { endpoints: Set<string>; rest: string } {
  const endpoints = new Set<string>();
  const addPath = (raw: string) => {
    const path = normalisePath(raw);
    if (path) endpoints.add(`path:${path}`);
    const q = raw.indexOf('?');
    if (q >= 0)
      for (const p of queryParams(raw.slice(q + 1).split('#')[0] ?? '')) endpoints.add(`param:${p}`);
  };
  const rest = text.replace(URL_PATTERN, (match) => {
    const trimmed = match.replace(/[.,;:!?]+$/, '');
    try {
      const url = new URL(trimmed);
      endpoints.add(`host:${normaliseHost(url.hostname)}`);
      addPath(`${url.pathname}${url.search}`);
    } catch {
      // Not a URL after all; leave it to the tokeniser.
      return match;
    }
    return ' ';
  });
  for (const m of rest.matchAll(PATH_PATTERN)) addPath((m[1] as string).replace(/[.,;:!?]+$/, ''));
  for (const m of rest.matchAll(HOST_PATTERN)) endpoints.add(`host:${normaliseHost(m[1] as string)}`);
  return { endpoints, rest: rest.replace(PATH_PATTERN, ' ') };
}

/** Lower-case word tokens (NFKC, diacritics kept), without stop words, numbers or 1–2 letter words. */
export function tokenize(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}_]+/gu) ?? []
  ).filter((t) => t.length >= 3 && !STOP_WORDS.has(t) && !/^\d+$/.test(t));
}

/** `CWE-79` from `CWE-79`, `cwe 79` or `79`; null for anything else. */
export function normaliseCwe(value: string): string | null {
  const m = /^\s*(?:cwe[\s-]*)?(\d{1,5})\s*$/i.exec(value);
  return m ? `CWE-${Number(m[1])}` : null;
}

/** Version numbers named in a version answer or range (`>= 3.0, < 3.4.2` → 3.0, 3.4.2). */
export function versionTokens(value: string): string[] {
  return [...new Set((value.toLowerCase().match(VERSION_TOKEN) ?? []).map((v) => v.replace(/^v/, '')))];
}

export function extractFeatures(input: CaseFeatureInput): CaseFeatures {
  const products = new Map<string, { name: string; versions: Set<string> }>();
  for (const p of input.products) {
    const entry = products.get(p.id) ?? { name: p.name, versions: new Set<string>() };
    for (const v of p.versions) for (const t of versionTokens(v)) entry.versions.add(t);
    products.set(p.id, entry);
  }
  const cwes = new Set(input.cwes.map(normaliseCwe).filter((c): c is string => c !== null));
  const endpoints = new Set<string>();
  const terms = new Map<string, number>();
  const bigrams = new Map<string, number>();
  for (const text of input.texts) {
    const found = extractEndpoints(text);
    for (const e of found.endpoints) endpoints.add(e);
    const tokens = tokenize(found.rest);
    tokens.forEach((t, i) => {
      terms.set(t, (terms.get(t) ?? 0) + 1);
      if (i > 0) {
        const b = `${tokens[i - 1]} ${t}`;
        bigrams.set(b, (bigrams.get(b) ?? 0) + 1);
      }
    });
  }
  return { products, cwes, endpoints, terms, bigrams };
}

/** Features of two sources (the report's answers and the assessment) as one case. */
export function mergeFeatures(a: CaseFeatures, b: CaseFeatures): CaseFeatures {
  const products = new Map<string, { name: string; versions: Set<string> }>();
  for (const [id, p] of [...a.products, ...b.products]) {
    const entry = products.get(id) ?? { name: p.name, versions: new Set<string>() };
    if (!entry.name) entry.name = p.name;
    for (const v of p.versions) entry.versions.add(v);
    products.set(id, entry);
  }
  const add = (x: Map<string, number>, y: Map<string, number>) => {
    const out = new Map(x);
    for (const [k, n] of y) out.set(k, (out.get(k) ?? 0) + n);
    return out;
  };
  return {
    products,
    cwes: new Set([...a.cwes, ...b.cwes]),
    endpoints: new Set([...a.endpoints, ...b.endpoints]),
    terms: add(a.terms, b.terms),
    bigrams: add(a.bigrams, b.bigrams),
  };
}

/** Answers that describe the reporter or the credit, not the vulnerability. */
const NOT_DESCRIPTIVE = new Set([
  'product',
  'version',
  'cwe',
  'credit',
  'creditText',
  'phiAccessed',
  'disclosedTo',
]);
const TEXT_KINDS = new Set(['text', 'textarea', 'url', 'urls']);

const asText = (v: Answers[string] | undefined): string =>
  typeof v === 'string' ? v : Array.isArray(v) ? v.join('\n') : '';

/**
 * What the reporter's answers say: free text, the product with the version answered, the CWE
 * answered. Fields in `withheld` (held in PHI quarantine) take no part.
 */
export function answersFeatureInput(
  program: Program,
  answers: Answers,
  withheld: ReadonlySet<string> = new Set(),
): CaseFeatureInput {
  const fields = program.definition.form.fields.filter((f) => !f.contact && !withheld.has(f.id));
  const scope = new Map(program.definition.scope.products.map((p) => [p.id, p.name]));
  const texts: string[] = [];
  const products: CaseFeatureInput['products'] = [];
  const cwes: string[] = [];
  const version = asText(answers[fields.find((f) => f.purpose === 'version')?.id ?? '']);
  for (const f of fields) {
    const value = asText(answers[f.id]).trim();
    if (!value) continue;
    if (f.kind === 'product' || f.purpose === 'product') {
      const name = scope.get(value);
      if (name) products.push({ id: value, name, versions: version ? [version] : [] });
    } else if (f.purpose === 'cwe') cwes.push(value);
    else if (TEXT_KINDS.has(f.kind) && !NOT_DESCRIPTIVE.has(f.purpose ?? '')) texts.push(value);
  }
  return { texts, products, cwes };
}

interface StoredAssessment {
  cwe?: { id?: unknown };
  affected?: { productId?: unknown; versions?: unknown }[];
}

/** The assessment's CWE, if it names one (the clear `reports.assessment` JSON). */
export function assessmentCwe(assessmentJson: string): string | null {
  const id = parseAssessment(assessmentJson).cwe?.id;
  return typeof id === 'string' ? id : null;
}

function parseAssessment(json: string): StoredAssessment {
  try {
    const v = JSON.parse(json || '{}') as unknown;
    return v && typeof v === 'object' ? (v as StoredAssessment) : {};
  } catch {
    return {};
  }
}

/** What the team's assessment says: affected products with versions, and the CWE. */
export function assessmentFeatureInput(program: Program, assessmentJson: string): CaseFeatureInput {
  const scope = new Map(program.definition.scope.products.map((p) => [p.id, p.name]));
  const assessment = parseAssessment(assessmentJson);
  const products: CaseFeatureInput['products'] = [];
  for (const a of Array.isArray(assessment.affected) ? assessment.affected : []) {
    if (typeof a.productId !== 'string') continue;
    products.push({
      id: a.productId,
      name: scope.get(a.productId) ?? a.productId,
      versions: typeof a.versions === 'string' ? [a.versions] : [],
    });
  }
  const cwe = assessmentCwe(assessmentJson);
  return { texts: [], products, cwes: cwe ? [cwe] : [] };
}
