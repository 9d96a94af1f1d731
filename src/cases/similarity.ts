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
 * Document frequencies over a corpus of cases: how many hold each endpoint, word and word pair
 * (one map per kind, so no key is ever built by concatenation on the hot path).
 */
export interface Corpus {
  size: number;
  endpoints: Map<string, number>;
  terms: Map<string, number>;
  bigrams: Map<string, number>;
}

export function buildCorpus(cases: CaseFeatures[]): Corpus {
  const corpus: Corpus = { size: cases.length, endpoints: new Map(), terms: new Map(), bigrams: new Map() };
  const count = (df: Map<string, number>, keys: Iterable<string>) => {
    for (const k of keys) df.set(k, (df.get(k) ?? 0) + 1);
  };
  for (const c of cases) {
    count(corpus.endpoints, c.endpoints);
    count(corpus.terms, c.terms.keys());
    count(corpus.bigrams, c.bigrams.keys());
  }
  return corpus;
}

const idf = (size: number, df: Map<string, number>, key: string) =>
  Math.log((size + 1) / Math.max(1, df.get(key) ?? 1));

interface Vector {
  terms: Map<string, number>;
  bigrams: Map<string, number>;
  norm: number;
}

function tfidf(c: CaseFeatures, corpus: Corpus): Vector {
  let sum = 0;
  const weigh = (counts: Map<string, number>, df: Map<string, number>) => {
    const out = new Map<string, number>();
    for (const [t, tf] of counts) {
      const w = (1 + Math.log(tf)) * idf(corpus.size, df, t);
      out.set(t, w);
      sum += w * w;
    }
    return out;
  };
  const terms = weigh(c.terms, corpus.terms);
  const bigrams = weigh(c.bigrams, corpus.bigrams);
  return { terms, bigrams, norm: Math.sqrt(sum) };
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
 * Cosine of the two cases' TF-IDF vectors, with the words that weigh most in the overlap. `b`'s
 * weights are computed on the fly, not stored: this runs once per candidate.
 */
function textSimilarity(va: Vector, b: CaseFeatures, corpus: Corpus, label: Label) {
  if (va.norm === 0) return { value: 0, top: [] as string[] };
  const shared: [string, number][] = [];
  let dot = 0;
  let sum = 0;
  const walk = (
    counts: Map<string, number>,
    df: Map<string, number>,
    weights: Map<string, number>,
    words: boolean,
  ) => {
    for (const [t, tf] of counts) {
      const w = (1 + Math.log(tf)) * idf(corpus.size, df, t);
      sum += w * w;
      const wa = weights.get(t);
      if (wa === undefined) continue;
      dot += wa * w;
      if (words) shared.push([t, wa * w]);
    }
  };
  // Single words for the explanation; a pair's words already appear among them.
  walk(b.terms, corpus.terms, va.terms, true);
  walk(b.bigrams, corpus.bigrams, va.bigrams, false);
  if (sum === 0) return { value: 0, top: [] as string[] };
  return { value: dot / (va.norm * Math.sqrt(sum)), top: topWords(shared, label) };
}

const ENDPOINT_ORDER = { path: 0, param: 1, host: 2 } as const;
const ENDPOINT_LABEL = { path: 'endpoint', param: 'query parameter', host: 'host' } as const;
const kindOf = (endpoint: string) => endpoint.slice(0, endpoint.indexOf(':')) as keyof typeof ENDPOINT_ORDER;

function endpointSimilarity(a: CaseFeatures, b: CaseFeatures, corpus: Corpus, label: Label) {
  // The rarest a shared endpoint can be is held by these two cases alone.
  const maxIdf = Math.log((corpus.size + 1) / 2);
  let shared = 0;
  let union = 0;
  let rarest = 0;
  const notable: { endpoint: string; rarity: number }[] = [];
  for (const e of new Set([...a.endpoints, ...b.endpoints])) {
    const w = idf(corpus.size, corpus.endpoints, e);
    union += w;
    if (a.endpoints.has(e) && b.endpoints.has(e)) {
      shared += w;
      const rarity = maxIdf > 0 ? Math.min(1, w / maxIdf) : 0;
      rarest = Math.max(rarest, rarity);
      // Worth naming only if not (nearly) every case has it.
      if (rarity >= 0.3) notable.push({ endpoint: e, rarity });
    }
  }
  const order = byLabel(label);
  notable.sort(
    (x, y) =>
      ENDPOINT_ORDER[kindOf(x.endpoint)] - ENDPOINT_ORDER[kindOf(y.endpoint)] ||
      y.rarity - x.rarity ||
      order(x.endpoint, y.endpoint),
  );
  return { value: union > 0 ? (shared / union) * rarest : 0, notable: notable.slice(0, 3) };
}

export interface Similarity {
  score: number;
  reasons: Reason[];
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

  const ep = endpointSimilarity(a, b, corpus, label);
  if (ep.value > 0) {
    parts.push({
      weight: WEIGHTS.endpoint * ep.value,
      reasons: ep.notable.map(({ endpoint }) => {
        const clear = label(endpoint);
        return {
          kind: 'endpoint' as const,
          detail: `shared ${ENDPOINT_LABEL[kindOf(endpoint)]}: ${clear.slice(clear.indexOf(':') + 1)}`,
        };
      }),
    });
  }

  const text = textSimilarity(targetVector ?? tfidf(a, corpus), b, corpus, label);
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
  opts: { limit: number; threshold?: number; label?: Label } = { limit: 5 },
): { item: T; score: number; reasons: Reason[] }[] {
  const corpus = buildCorpus([target, ...candidates.map((c) => c.features)]);
  const threshold = opts.threshold ?? SIMILARITY_THRESHOLD;
  const label = opts.label ?? asIs;
  const targetVector = tfidf(target, corpus);
  return candidates
    .map((c, i) => ({
      i,
      item: c.item,
      ...scoreSimilarity(target, c.features, corpus, label, targetVector),
    }))
    .filter((s) => s.score > threshold)
    .sort((x, y) => y.score - x.score || x.i - y.i)
    .slice(0, opts.limit)
    .map(({ item, score, reasons }) => ({ item, score, reasons }));
}
