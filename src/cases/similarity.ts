/**
 * Duplicate suggestions — pure scoring, no I/O. The similar-cases service reads and opens the
 * cases; this module turns each into features and scores pairs.
 *
 * Features of a case:
 * - products (by program product id) with their versions: from the assessment's affected list
 *   and the reporter's product and version answers;
 * - CWE ids: the assessment's CWE and the reporter's CWE answer;
 * - endpoints: URL paths (numeric, UUID and long hex segments folded to `{id}`), query-parameter
 *   names and hostnames, from URLs and bare paths in the report text;
 * - text: normalised word tokens and word bigrams of the free-text answers, URLs removed.
 *
 * Scoring. Both the endpoint and the text comparisons are weighted by rarity within the corpus
 * the service scores against (the asked case and its candidates): idf(f) = ln((N + 1) / df(f))
 * where N is the number of cases and df(f) the cases holding f. A hostname every report names
 * (the vendor's own site) or form boilerplate is worth almost nothing; a path only two reports
 * mention is worth a lot. The +1 keeps a feature held by every case slightly positive, so a
 * program with just two cases can still pair them.
 * - text: cosine of sublinear TF-IDF vectors (1 + ln tf) over tokens and bigrams. Cosine rather
 *   than Jaccard because reports differ a lot in length; bigrams reward the same phrasing.
 * - endpoint: weighted Jaccard of the endpoint sets, times the rarity of the rarest shared
 *   endpoint (its idf over the idf of an endpoint only these two cases hold, ln((N + 1) / 2)),
 *   so sharing only what everybody shares counts for little.
 * - product, cwe: 1 when shared. version: 1 when a shared product has a shared version.
 * The score is the weighted sum (weights in `WEIGHTS`, summing to 1) rounded to three decimals;
 * a case is suggested when it scores above `SIMILARITY_THRESHOLD`. A shared product alone (0.15)
 * or product and CWE (0.27) do not reach it; adding the same version, an endpoint only these
 * cases share or clearly similar text does.
 */

export const WEIGHTS = { text: 0.4, endpoint: 0.25, product: 0.15, cwe: 0.12, version: 0.08 } as const;
export const SIMILARITY_THRESHOLD = 0.3;

export type ReasonKind = 'product' | 'version' | 'cwe' | 'endpoint' | 'text';
export interface Reason {
  kind: ReasonKind;
  detail: string;
}

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
  /** Term frequencies of tokens and bigrams (`a b`). */
  terms: Map<string, number>;
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
  const count = (t: string) => terms.set(t, (terms.get(t) ?? 0) + 1);
  for (const text of input.texts) {
    const found = extractEndpoints(text);
    for (const e of found.endpoints) endpoints.add(e);
    const tokens = tokenize(found.rest);
    tokens.forEach((t, i) => {
      count(t);
      if (i > 0) count(`${tokens[i - 1]} ${t}`);
    });
  }
  return { products, cwes, endpoints, terms };
}

/** Document frequencies over a corpus of cases: how many hold each endpoint and term. */
export interface Corpus {
  size: number;
  df: Map<string, number>;
}

export function buildCorpus(cases: CaseFeatures[]): Corpus {
  const df = new Map<string, number>();
  for (const c of cases) {
    for (const e of c.endpoints) df.set(`e:${e}`, (df.get(`e:${e}`) ?? 0) + 1);
    for (const t of c.terms.keys()) df.set(`t:${t}`, (df.get(`t:${t}`) ?? 0) + 1);
  }
  return { size: cases.length, df };
}

const idf = (corpus: Corpus, key: string) =>
  Math.log((corpus.size + 1) / Math.max(1, corpus.df.get(key) ?? 1));

function tfidf(c: CaseFeatures, corpus: Corpus): { vector: Map<string, number>; norm: number } {
  const vector = new Map<string, number>();
  let sum = 0;
  for (const [t, tf] of c.terms) {
    const w = (1 + Math.log(tf)) * idf(corpus, `t:${t}`);
    vector.set(t, w);
    sum += w * w;
  }
  return { vector, norm: Math.sqrt(sum) };
}

/** Cosine of the two cases' TF-IDF vectors, with the terms that weigh most in the overlap. */
function textSimilarity(a: CaseFeatures, b: CaseFeatures, corpus: Corpus) {
  const va = tfidf(a, corpus);
  const vb = tfidf(b, corpus);
  if (va.norm === 0 || vb.norm === 0) return { value: 0, top: [] as string[] };
  const shared: [string, number][] = [];
  let dot = 0;
  for (const [t, wa] of va.vector) {
    const wb = vb.vector.get(t);
    if (wb === undefined) continue;
    dot += wa * wb;
    shared.push([t, wa * wb]);
  }
  shared.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  // Single words for the explanation; a bigram's words already appear among them.
  const top = shared
    .filter(([t]) => !t.includes(' '))
    .slice(0, 4)
    .map(([t]) => t);
  return { value: dot / (va.norm * vb.norm), top };
}

const ENDPOINT_ORDER = { path: 0, param: 1, host: 2 } as const;
const ENDPOINT_LABEL = { path: 'endpoint', param: 'query parameter', host: 'host' } as const;

function endpointSimilarity(a: CaseFeatures, b: CaseFeatures, corpus: Corpus) {
  // The rarest a shared endpoint can be is held by these two cases alone.
  const maxIdf = Math.log((corpus.size + 1) / 2);
  let shared = 0;
  let union = 0;
  let rarest = 0;
  const notable: { endpoint: string; rarity: number }[] = [];
  for (const e of new Set([...a.endpoints, ...b.endpoints])) {
    const w = idf(corpus, `e:${e}`);
    union += w;
    if (a.endpoints.has(e) && b.endpoints.has(e)) {
      shared += w;
      const rarity = maxIdf > 0 ? Math.min(1, w / maxIdf) : 0;
      rarest = Math.max(rarest, rarity);
      // Worth naming only if not (nearly) every case has it.
      if (rarity >= 0.3) notable.push({ endpoint: e, rarity });
    }
  }
  notable.sort((x, y) => {
    const kx = x.endpoint.slice(0, x.endpoint.indexOf(':')) as keyof typeof ENDPOINT_ORDER;
    const ky = y.endpoint.slice(0, y.endpoint.indexOf(':')) as keyof typeof ENDPOINT_ORDER;
    return (
      ENDPOINT_ORDER[kx] - ENDPOINT_ORDER[ky] || y.rarity - x.rarity || (x.endpoint < y.endpoint ? -1 : 1)
    );
  });
  return { value: union > 0 ? (shared / union) * rarest : 0, notable: notable.slice(0, 3) };
}

export interface Similarity {
  score: number;
  reasons: Reason[];
}

/** How similar `b` is to `a`, with the reasons, strongest contribution first. */
export function scoreSimilarity(a: CaseFeatures, b: CaseFeatures, corpus: Corpus): Similarity {
  const parts: { weight: number; reasons: Reason[] }[] = [];

  const sharedProducts = [...a.products.keys()].filter((id) => b.products.has(id)).sort();
  if (sharedProducts.length > 0) {
    parts.push({
      weight: WEIGHTS.product,
      reasons: sharedProducts.map((id) => ({
        kind: 'product' as const,
        detail: `same product: ${a.products.get(id)?.name ?? id}`,
      })),
    });
    const versions: Reason[] = [];
    for (const id of sharedProducts) {
      const va = a.products.get(id)?.versions ?? new Set<string>();
      const vb = b.products.get(id)?.versions ?? new Set<string>();
      const common = [...va].filter((v) => vb.has(v)).sort();
      if (common.length > 0) {
        versions.push({
          kind: 'version',
          detail: `same version: ${a.products.get(id)?.name ?? id} ${common.join(', ')}`,
        });
      }
    }
    if (versions.length > 0) parts.push({ weight: WEIGHTS.version, reasons: versions });
  }

  const sharedCwes = [...a.cwes].filter((c) => b.cwes.has(c)).sort();
  if (sharedCwes.length > 0) {
    parts.push({
      weight: WEIGHTS.cwe,
      reasons: [{ kind: 'cwe', detail: `same weakness: ${sharedCwes.join(', ')}` }],
    });
  }

  const ep = endpointSimilarity(a, b, corpus);
  if (ep.value > 0) {
    parts.push({
      weight: WEIGHTS.endpoint * ep.value,
      reasons: ep.notable.map(({ endpoint }) => {
        const kind = endpoint.slice(0, endpoint.indexOf(':')) as keyof typeof ENDPOINT_LABEL;
        return {
          kind: 'endpoint' as const,
          detail: `shared ${ENDPOINT_LABEL[kind]}: ${endpoint.slice(endpoint.indexOf(':') + 1)}`,
        };
      }),
    });
  }

  const text = textSimilarity(a, b, corpus);
  // Below 0.15 the overlap is the vocabulary every report in the program uses: not a reason.
  if (text.value > 0) {
    parts.push({
      weight: WEIGHTS.text * text.value,
      reasons:
        text.value >= 0.15
          ? [
              {
                kind: 'text',
                detail: `similar text (${Math.round(text.value * 100)} %): ${text.top.join(', ')}`,
              },
            ]
          : [],
    });
  }

  const score = Math.round(parts.reduce((s, p) => s + p.weight, 0) * 1000) / 1000;
  const reasons = parts
    .filter((p) => p.reasons.length > 0)
    .sort((x, y) => y.weight - x.weight)
    .flatMap((p) => p.reasons);
  return { score, reasons };
}

/**
 * The most similar candidates to `target`, above the threshold, best first (ties: the order the
 * candidates were given in, which the service makes newest first).
 */
export function rankSimilar<T>(
  target: CaseFeatures,
  candidates: { item: T; features: CaseFeatures }[],
  opts: { limit: number; threshold?: number } = { limit: 5 },
): { item: T; score: number; reasons: Reason[] }[] {
  const corpus = buildCorpus([target, ...candidates.map((c) => c.features)]);
  const threshold = opts.threshold ?? SIMILARITY_THRESHOLD;
  return candidates
    .map((c, i) => ({ i, item: c.item, ...scoreSimilarity(target, c.features, corpus) }))
    .filter((s) => s.score > threshold)
    .sort((x, y) => y.score - x.score || x.i - y.i)
    .slice(0, opts.limit)
    .map(({ item, score, reasons }) => ({ item, score, reasons }));
}
