/**
 * Duplicate suggestions — pure scoring, no I/O. Features come from src/case-features (clear, for
 * the asked case, or keyed hashes from a stored digest, for candidates); the similar-cases
 * service reads them and this module scores pairs.
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
 *
 * Every comparison works on keys alone (equal keys, equal feature), so it scores hashed features
 * exactly as it scores clear ones. Reasons name only what the asked case holds; with hashed
 * features, `label` turns a key back into the asked case's own clear word.
 */

import type { CaseFeatures } from '../case-features/index.js';

export {
  type CaseFeatureInput,
  type CaseFeatures,
  extractEndpoints,
  extractFeatures,
  normaliseCwe,
  normalisePath,
  tokenize,
  versionTokens,
} from '../case-features/index.js';

export const WEIGHTS = { text: 0.4, endpoint: 0.25, product: 0.15, cwe: 0.12, version: 0.08 } as const;
export const SIMILARITY_THRESHOLD = 0.3;

export type ReasonKind = 'product' | 'version' | 'cwe' | 'endpoint' | 'text';
export interface Reason {
  kind: ReasonKind;
  detail: string;
}

/**
 * Feature keys as small integers, so document frequencies and weights live in typed arrays
 * indexed by id rather than in string-keyed maps rebuilt for every comparison. Words, word pairs
 * and endpoints are numbered apart (one id space, three maps), as a word and a pair never match.
 * The table only grows; past `INTERNER_CAP` ids a new one is started before the next scoring, and
 * features prepared under the old one are prepared again when next scored.
 */
interface Interner {
  terms: Map<string, number>;
  bigrams: Map<string, number>;
  endpoints: Map<string, number>;
  next: number;
}
const INTERNER_CAP = 1 << 19;
const newInterner = (): Interner => ({ terms: new Map(), bigrams: new Map(), endpoints: new Map(), next: 0 });
let interner = newInterner();

function currentInterner(): Interner {
  if (interner.next > INTERNER_CAP) interner = newInterner();
  return interner;
}

/**
 * A case's features as ids, in the features' own order (sums over them are added in the order the
 * maps were, so every weight, norm and cosine comes out bit for bit as over the maps), with each
 * word's sublinear term frequency 1 + ln tf. Made once per features object and interner: callers
 * that keep features between requests (the arrival's decoded-digest cache) prepare each case once.
 */
interface Prepared {
  interner: Interner;
  termKeys: string[];
  terms: Int32Array;
  termTf: Float64Array;
  bigrams: Int32Array;
  bigramTf: Float64Array;
  endpoints: Int32Array;
}
/** Features are never changed once scored; the sizes are checked all the same. */
const preparedOf = new WeakMap<CaseFeatures, Prepared>();

const idOf = (table: Map<string, number>, into: Interner, key: string) => {
  let id = table.get(key);
  if (id === undefined) {
    id = into.next++;
    table.set(key, id);
  }
  return id;
};

function prepare(c: CaseFeatures, into: Interner): Prepared {
  const hit = preparedOf.get(c);
  if (
    hit &&
    hit.interner === into &&
    hit.terms.length === c.terms.size &&
    hit.bigrams.length === c.bigrams.size &&
    hit.endpoints.length === c.endpoints.size
  )
    return hit;
  const termKeys: string[] = [];
  const terms = new Int32Array(c.terms.size);
  const termTf = new Float64Array(c.terms.size);
  let i = 0;
  for (const [t, tf] of c.terms) {
    termKeys.push(t);
    terms[i] = idOf(into.terms, into, t);
    termTf[i++] = 1 + Math.log(tf);
  }
  const bigrams = new Int32Array(c.bigrams.size);
  const bigramTf = new Float64Array(c.bigrams.size);
  i = 0;
  for (const [t, tf] of c.bigrams) {
    bigrams[i] = idOf(into.bigrams, into, t);
    bigramTf[i++] = 1 + Math.log(tf);
  }
  const endpoints = new Int32Array(c.endpoints.size);
  i = 0;
  for (const e of c.endpoints) endpoints[i++] = idOf(into.endpoints, into, e);
  const p: Prepared = { interner: into, termKeys, terms, termTf, bigrams, bigramTf, endpoints };
  preparedOf.set(c, p);
  return p;
}

/**
 * Document frequencies over a corpus of cases: how many hold each endpoint, word and word pair,
 * by id, and the idf of every possible frequency (0 to `size`), so a weight is two array reads.
 */
export interface Corpus {
  size: number;
  interner: Interner;
  df: Int32Array;
  /** idf by document frequency; a key no case holds counts as held by one. */
  idf: Float64Array;
}

function corpusOf(cases: Prepared[], into: Interner): Corpus {
  const df = new Int32Array(into.next);
  for (const p of cases) {
    for (const id of p.terms) df[id] = (df[id] as number) + 1;
    for (const id of p.bigrams) df[id] = (df[id] as number) + 1;
    for (const id of p.endpoints) df[id] = (df[id] as number) + 1;
  }
  const size = cases.length;
  const idf = new Float64Array(size + 1);
  for (let d = 0; d <= size; d++) idf[d] = Math.log((size + 1) / Math.max(1, d));
  return { size, interner: into, df, idf };
}

export function buildCorpus(cases: CaseFeatures[]): Corpus {
  const into = currentInterner();
  return corpusOf(
    cases.map((c) => prepare(c, into)),
    into,
  );
}

/** idf(f) = ln((N + 1) / df(f)), by id (an id the corpus has not counted is held by one). */
const idfOf = (corpus: Corpus, id: number) =>
  corpus.idf[id < corpus.df.length ? (corpus.df[id] as number) : 0] as number;

/** The asked case's TF-IDF weights, dense by id, with which ids it holds. */
interface Vector {
  weight: Float64Array;
  holds: Uint8Array;
  norm: number;
}

/**
 * The arrays a ranking's asked case is weighed into, kept between rankings (sized to the interner,
 * they would otherwise be allocated and zeroed per arrival); `clearVector` unmarks the case after.
 */
let vectorScratch: { weight: Float64Array; holds: Uint8Array } | null = null;

function tfidf(p: Prepared, corpus: Corpus, reuse = false): Vector {
  const n = Math.max(corpus.interner.next, corpus.df.length);
  if (reuse && (!vectorScratch || vectorScratch.holds.length < n))
    vectorScratch = { weight: new Float64Array(n), holds: new Uint8Array(n) };
  const weight = reuse && vectorScratch ? vectorScratch.weight : new Float64Array(n);
  const holds = reuse && vectorScratch ? vectorScratch.holds : new Uint8Array(n);
  let sum = 0;
  const weigh = (ids: Int32Array, tfs: Float64Array) => {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      const w = (tfs[i] as number) * idfOf(corpus, id);
      weight[id] = w;
      holds[id] = 1;
      sum += w * w;
    }
  };
  weigh(p.terms, p.termTf);
  weigh(p.bigrams, p.bigramTf);
  for (const id of p.endpoints) holds[id] = 1;
  return { weight, holds, norm: Math.sqrt(sum) };
}

function clearVector(v: Vector, p: Prepared): void {
  for (const ids of [p.terms, p.bigrams, p.endpoints]) for (const id of ids) v.holds[id] = 0;
}

/** Turns a feature key back into words for a reason; identity for clear features. */
export type Label = (key: string) => string;
const asIs: Label = (key) => key;
const byLabel = (label: Label) => (x: string, y: string) => {
  const lx = label(x);
  const ly = label(y);
  return lx < ly ? -1 : lx > ly ? 1 : 0;
};

/** The four heaviest shared words, ties by word: a linear pass, as most candidates share hundreds. */
function topWords(shared: [string, number][], label: Label): string[] {
  const order = byLabel(label);
  const before = (x: [string, number], y: [string, number]) =>
    x[1] > y[1] || (x[1] === y[1] && order(x[0], y[0]) < 0);
  const top: [string, number][] = [];
  for (const e of shared) {
    if (top.length === 4 && !before(e, top[3] as [string, number])) continue;
    let i = Math.min(top.length, 3);
    top[i] = e;
    while (i > 0 && before(e, top[i - 1] as [string, number])) {
      top[i] = top[i - 1] as [string, number];
      top[i - 1] = e;
      i--;
    }
  }
  return top.map(([t]) => label(t));
}

/**
 * Cosine of the two cases' TF-IDF vectors; with `shared`, the single words both hold and the
 * weight each adds to the overlap (for the explanation; a pair's words already appear among them).
 * `b`'s weights are computed on the fly, not stored: they change with the corpus.
 */
function textSimilarity(va: Vector, b: Prepared, corpus: Corpus, shared: [string, number][] | null): number {
  if (va.norm === 0) return 0;
  const { weight, holds } = va;
  let dot = 0;
  let sum = 0;
  const terms = b.terms;
  const termTf = b.termTf;
  for (let i = 0; i < terms.length; i++) {
    const id = terms[i] as number;
    const w = (termTf[i] as number) * idfOf(corpus, id);
    sum += w * w;
    if (id >= holds.length || holds[id] === 0) continue;
    const wa = weight[id] as number;
    dot += wa * w;
    if (shared) shared.push([b.termKeys[i] as string, wa * w]);
  }
  const bigrams = b.bigrams;
  const bigramTf = b.bigramTf;
  for (let i = 0; i < bigrams.length; i++) {
    const id = bigrams[i] as number;
    const w = (bigramTf[i] as number) * idfOf(corpus, id);
    sum += w * w;
    if (id >= holds.length || holds[id] === 0) continue;
    dot += (weight[id] as number) * w;
  }
  if (sum === 0) return 0;
  return dot / (va.norm * Math.sqrt(sum));
}

const ENDPOINT_ORDER = { path: 0, param: 1, host: 2 } as const;
const ENDPOINT_LABEL = { path: 'endpoint', param: 'query parameter', host: 'host' } as const;
const kindOf = (endpoint: string) => endpoint.slice(0, endpoint.indexOf(':')) as keyof typeof ENDPOINT_ORDER;

/**
 * Weighted Jaccard of the endpoint sets times the rarest shared endpoint's rarity. Sums run over
 * `a`'s endpoints in order, then `b`'s that `a` lacks, as over the union of the two sets; with
 * `notable`, the shared endpoints worth naming.
 */
function endpointSimilarity(
  a: CaseFeatures,
  pa: Prepared,
  va: Vector,
  b: CaseFeatures,
  pb: Prepared,
  corpus: Corpus,
  notable: { endpoint: string; rarity: number }[] | null,
): number {
  if (pa.endpoints.length === 0 && pb.endpoints.length === 0) return 0;
  // The rarest a shared endpoint can be is held by these two cases alone.
  const maxIdf = Math.log((corpus.size + 1) / 2);
  let shared = 0;
  let union = 0;
  let rarest = 0;
  let i = 0;
  for (const e of a.endpoints) {
    const w = idfOf(corpus, pa.endpoints[i++] as number);
    union += w;
    if (b.endpoints.has(e)) {
      shared += w;
      const rarity = maxIdf > 0 ? Math.min(1, w / maxIdf) : 0;
      rarest = Math.max(rarest, rarity);
      // Worth naming only if not (nearly) every case has it.
      if (notable && rarity >= 0.3) notable.push({ endpoint: e, rarity });
    }
  }
  const { holds } = va;
  for (const id of pb.endpoints) {
    if (id < holds.length && holds[id] === 1) continue;
    union += idfOf(corpus, id);
  }
  return union > 0 ? (shared / union) * rarest : 0;
}

export interface Similarity {
  score: number;
  reasons: Reason[];
}

/** Whether the two cases share a product, a version of a shared product, a CWE. */
function sharedFacts(a: CaseFeatures, b: CaseFeatures) {
  let product = false;
  let version = false;
  for (const [id, pa] of a.products) {
    const pb = b.products.get(id);
    if (!pb) continue;
    product = true;
    if (version) continue;
    for (const v of pa.versions)
      if (pb.versions.has(v)) {
        version = true;
        break;
      }
  }
  let cwe = false;
  for (const c of a.cwes)
    if (b.cwes.has(c)) {
      cwe = true;
      break;
    }
  return { product, version, cwe };
}

/**
 * The score alone, for ranking: the parts `scoreSimilarity` weighs, added in its order, without
 * the reasons (which only the few cases kept need).
 */
function scoreOnly(a: CaseFeatures, pa: Prepared, va: Vector, b: CaseFeatures, corpus: Corpus): number {
  const pb = prepare(b, corpus.interner);
  const facts = sharedFacts(a, b);
  let sum = 0;
  if (facts.product) {
    sum += WEIGHTS.product;
    if (facts.version) sum += WEIGHTS.version;
  }
  if (facts.cwe) sum += WEIGHTS.cwe;
  const ep = endpointSimilarity(a, pa, va, b, pb, corpus, null);
  if (ep > 0) sum += WEIGHTS.endpoint * ep;
  const text = textSimilarity(va, pb, corpus, null);
  if (text > 0) sum += WEIGHTS.text * text;
  return Math.round(sum * 1000) / 1000;
}

/**
 * How similar `b` is to `a`, with the reasons, strongest contribution first. Reasons name `a`'s
 * features (through `label`) and its product names.
 */
export function scoreSimilarity(
  a: CaseFeatures,
  b: CaseFeatures,
  corpus: Corpus,
  label: Label = asIs,
  targetVector?: Vector,
): Similarity {
  const parts: { weight: number; reasons: Reason[] }[] = [];
  const order = byLabel(label);
  const productName = (id: string) => a.products.get(id)?.name || label(id);
  const pa = prepare(a, corpus.interner);
  const pb = prepare(b, corpus.interner);
  const va = targetVector ?? tfidf(pa, corpus);

  const sharedProducts = [...a.products.keys()]
    .filter((id) => b.products.has(id))
    .sort((x, y) => order(x, y));
  if (sharedProducts.length > 0) {
    parts.push({
      weight: WEIGHTS.product,
      reasons: sharedProducts.map((id) => ({
        kind: 'product' as const,
        detail: `same product: ${productName(id)}`,
      })),
    });
    const versions: Reason[] = [];
    for (const id of sharedProducts) {
      const va = a.products.get(id)?.versions ?? new Set<string>();
      const vb = b.products.get(id)?.versions ?? new Set<string>();
      const common = [...va]
        .filter((v) => vb.has(v))
        .map(label)
        .sort();
      if (common.length > 0) {
        versions.push({ kind: 'version', detail: `same version: ${productName(id)} ${common.join(', ')}` });
      }
    }
    if (versions.length > 0) parts.push({ weight: WEIGHTS.version, reasons: versions });
  }

  const sharedCwes = [...a.cwes]
    .filter((c) => b.cwes.has(c))
    .map(label)
    .sort();
  if (sharedCwes.length > 0) {
    parts.push({
      weight: WEIGHTS.cwe,
      reasons: [{ kind: 'cwe', detail: `same weakness: ${sharedCwes.join(', ')}` }],
    });
  }

  const notable: { endpoint: string; rarity: number }[] = [];
  const ep = endpointSimilarity(a, pa, va, b, pb, corpus, notable);
  if (ep > 0) {
    notable.sort(
      (x, y) =>
        ENDPOINT_ORDER[kindOf(x.endpoint)] - ENDPOINT_ORDER[kindOf(y.endpoint)] ||
        y.rarity - x.rarity ||
        order(x.endpoint, y.endpoint),
    );
    parts.push({
      weight: WEIGHTS.endpoint * ep,
      reasons: notable.slice(0, 3).map(({ endpoint }) => {
        const clear = label(endpoint);
        return {
          kind: 'endpoint' as const,
          detail: `shared ${ENDPOINT_LABEL[kindOf(endpoint)]}: ${clear.slice(clear.indexOf(':') + 1)}`,
        };
      }),
    });
  }

  const shared: [string, number][] = [];
  const text = textSimilarity(va, pb, corpus, shared);
  // Below 0.15 the overlap is the vocabulary every report in the program uses: not a reason.
  if (text > 0) {
    parts.push({
      weight: WEIGHTS.text * text,
      reasons:
        text >= 0.15
          ? [
              {
                kind: 'text',
                detail: `similar text (${Math.round(text * 100)} %): ${topWords(shared, label).join(', ')}`,
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
 * The candidates' document frequencies, kept from one ranking to the next: arrivals in a program
 * compare against nearly the same cases (the previous arrival joins, the oldest leaves), so only
 * the cases that joined or left are counted in or out, rather than every word of every case
 * again. Cases are told apart by their prepared features (the same features object, the same
 * case). Rebuilt whole when most of the set changed, or the interner was started anew.
 */
let candidateCounts: { interner: Interner; members: Map<Prepared, number>; df: Int32Array } | null = null;

function countIn(df: Int32Array, p: Prepared, by: number) {
  for (const id of p.terms) df[id] = (df[id] as number) + by;
  for (const id of p.bigrams) df[id] = (df[id] as number) + by;
  for (const id of p.endpoints) df[id] = (df[id] as number) + by;
}

function candidateCorpus(cases: Prepared[], into: Interner): Corpus {
  const members = new Map<Prepared, number>();
  for (const p of cases) members.set(p, (members.get(p) ?? 0) + 1);
  let df: Int32Array;
  const prev = candidateCounts && candidateCounts.interner === into ? candidateCounts : null;
  const changes: [Prepared, number][] = [];
  if (prev) {
    for (const [p, n] of members)
      if (n !== (prev.members.get(p) ?? 0)) changes.push([p, n - (prev.members.get(p) ?? 0)]);
    for (const [p, n] of prev.members) if (!members.has(p)) changes.push([p, -n]);
  }
  if (prev && changes.length * 2 <= cases.length) {
    df = prev.df;
    if (df.length < into.next) {
      df = new Int32Array(Math.ceil(into.next * 1.5));
      df.set(prev.df);
    }
    for (const [p, by] of changes) countIn(df, p, by);
  } else {
    df = new Int32Array(Math.ceil(into.next * 1.5));
    for (const p of cases) countIn(df, p, 1);
  }
  candidateCounts = { interner: into, members, df };
  // One more case than the candidates: the asked case, which the caller counts in.
  const size = cases.length + 1;
  const idf = new Float64Array(size + 1);
  for (let d = 0; d <= size; d++) idf[d] = Math.log((size + 1) / Math.max(1, d));
  return { size, interner: into, df, idf };
}

/**
 * The most similar candidates to `target`, above the threshold, best first (ties: the order the
 * candidates were given in, which the service makes newest first). Every candidate is scored
 * without reasons; only those kept are explained.
 */
export function rankSimilar<T>(
  target: CaseFeatures,
  candidates: { item: T; features: CaseFeatures }[],
  opts: { limit: number; threshold?: number; label?: Label } = { limit: 5 },
): { item: T; score: number; reasons: Reason[] }[] {
  const into = currentInterner();
  const pa = prepare(target, into);
  const corpus = candidateCorpus(
    candidates.map((c) => prepare(c.features, into)),
    into,
  );
  // The asked case joins the corpus for this ranking only.
  const addTarget = (by: number) => {
    for (const ids of [pa.terms, pa.bigrams, pa.endpoints])
      for (const id of ids) corpus.df[id] = (corpus.df[id] as number) + by;
  };
  addTarget(1);
  try {
    return rankIn(target, pa, candidates, corpus, opts);
  } finally {
    addTarget(-1);
  }
}

function rankIn<T>(
  target: CaseFeatures,
  pa: Prepared,
  candidates: { item: T; features: CaseFeatures }[],
  corpus: Corpus,
  opts: { limit: number; threshold?: number; label?: Label },
): { item: T; score: number; reasons: Reason[] }[] {
  const targetVector = tfidf(pa, corpus, true);
  try {
    return rankWith(target, pa, targetVector, candidates, corpus, opts);
  } finally {
    clearVector(targetVector, pa);
  }
}

function rankWith<T>(
  target: CaseFeatures,
  pa: Prepared,
  targetVector: Vector,
  candidates: { item: T; features: CaseFeatures }[],
  corpus: Corpus,
  opts: { limit: number; threshold?: number; label?: Label },
): { item: T; score: number; reasons: Reason[] }[] {
  const threshold = opts.threshold ?? SIMILARITY_THRESHOLD;
  const label = opts.label ?? asIs;
  const kept: { i: number; score: number }[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const score = scoreOnly(
      target,
      pa,
      targetVector,
      (candidates[i] as { features: CaseFeatures }).features,
      corpus,
    );
    if (score > threshold) kept.push({ i, score });
  }
  return kept
    .sort((x, y) => y.score - x.score || x.i - y.i)
    .slice(0, opts.limit)
    .map(({ i }) => {
      const c = candidates[i] as { item: T; features: CaseFeatures };
      const { score, reasons } = scoreSimilarity(target, c.features, corpus, label, targetVector);
      return { item: c.item, score, reasons };
    });
}
