import { describe, expect, it } from 'vitest';
import {
  buildCorpus,
  type CaseFeatures,
  extractFeatures,
  rankSimilar,
  scoreSimilarity,
  WEIGHTS,
} from './similarity.js';

// Reports of one program: a shared vocabulary, a few products, endpoints and CWEs, so scores
// cover every part (text, endpoint, product, version, CWE) and many ties of frequency.
const WORDS = (
  'infusion pump bolus dose library upload firmware signature bypass monitor alarm telemetry ' +
  'gateway token session cookie replay overflow parser dicom hl7 message injection header ' +
  'password default service menu reboot crash memory heap stack remote unauthenticated'
).split(' ');
const PRODUCTS = [
  { id: 'aurora-ip400', name: 'Aurora IP-400 Infusion Pump', versions: ['4.2', '4.3'] },
  { id: 'beacon-pm7', name: 'Beacon PM-7 Patient Monitor', versions: ['2.1'] },
];

function cases(count: number, seed: number): CaseFeatures[] {
  let s = seed;
  const next = (n: number) => {
    s = (s * 1103515245 + 12345) >>> 0;
    return (s >>> 16) % n;
  };
  const texts: string[][] = [];
  return Array.from({ length: count }, () => {
    // A third retell an earlier report with a few words more: near-duplicates in the text.
    const earlier = texts.length > 0 && next(3) === 0 ? texts[next(texts.length)] : undefined;
    const words = [
      ...(earlier ?? []),
      ...Array.from({ length: earlier ? 5 : 20 + next(60) }, () => WORDS[next(WORDS.length)] as string),
    ];
    texts.push(words);
    if (texts.length === 1 || next(3) === 0)
      words.push(`https://ehr.example.org/api/v1/${WORDS[next(WORDS.length)]}/upload?dose=1`);
    const p = PRODUCTS[next(PRODUCTS.length)] as (typeof PRODUCTS)[number];
    return extractFeatures({
      texts: [words.join(' ')],
      products: [{ id: p.id, name: p.name, versions: [p.versions[next(p.versions.length)] as string] }],
      cwes: next(2) === 0 ? [`CWE-${[79, 347, 287][next(3)]}`] : [],
    });
  });
}

const copy = (c: CaseFeatures): CaseFeatures => ({
  products: new Map([...c.products].map(([id, p]) => [id, { name: p.name, versions: new Set(p.versions) }])),
  cwes: new Set(c.cwes),
  endpoints: new Set(c.endpoints),
  terms: new Map(c.terms),
  bigrams: new Map(c.bigrams),
});

const textOnly = (terms: Record<string, number>, bigrams: Record<string, number> = {}): CaseFeatures => ({
  products: new Map(),
  cwes: new Set(),
  endpoints: new Set(),
  terms: new Map(Object.entries(terms)),
  bigrams: new Map(Object.entries(bigrams)),
});

describe('ranking and scoring agree', () => {
  it('ranks every candidate with the score and reasons scoreSimilarity gives it against the same corpus', () => {
    const [target, ...others] = cases(41, 7) as [CaseFeatures, ...CaseFeatures[]];
    // The same report again, as a resubmission would be.
    const rest = [...others.slice(0, 20), copy(target), ...others.slice(20)];
    const ranked = rankSimilar(
      target,
      rest.map((features, item) => ({ item, features })),
      { limit: rest.length, threshold: -1 },
    );
    expect(ranked).toHaveLength(rest.length);
    const corpus = buildCorpus([target, ...rest]);
    const expected = rest
      .map((c, item) => ({ item, ...scoreSimilarity(target, c, corpus) }))
      .sort((x, y) => y.score - x.score || x.item - y.item);
    expect(ranked).toEqual(expected);
    expect(new Set(ranked.map((r) => r.score)).size).toBeGreaterThan(10);
    expect(ranked.some((r) => r.reasons.some((x) => x.kind === 'endpoint'))).toBe(true);
    expect(ranked.some((r) => r.reasons.some((x) => x.kind === 'text'))).toBe(true);
  });

  it('scores the same features alike under one corpus and the next (nothing of a corpus is kept)', () => {
    const all = cases(60, 11);
    const target = all[0] as CaseFeatures;
    const first = all.slice(1, 40).map((features, item) => ({ item, features }));
    const second = all.slice(20).map((features, item) => ({ item, features }));
    const opts = { limit: 100, threshold: -1 };
    rankSimilar(target, first, opts);
    const again = rankSimilar(target, second, opts);
    const fresh = rankSimilar(
      copy(target),
      second.map((c) => ({ item: c.item, features: copy(c.features) })),
      opts,
    );
    expect(again).toEqual(fresh);
  });
  it('scores alike while the candidates change one case at a time, as arrivals do', () => {
    const all = cases(80, 23);
    const opts = { limit: 100, threshold: -1 };
    const windows = Array.from({ length: 12 }, (_, t) => {
      // The newest 40, a case joining and the oldest leaving each time; now and then one twice.
      const window = all.slice(t, t + 40).map((features, item) => ({ item, features }));
      if (t % 4 === 3) window.push({ item: 99, features: all[t] as CaseFeatures });
      return { target: all[70 + (t % 10)] as CaseFeatures, window };
    });
    // One after another, as arrivals are ranked; then each again from copies, as if first seen.
    const ranked = windows.map(({ target, window }) => rankSimilar(target, window, opts));
    const fresh = windows.map(({ target, window }) =>
      rankSimilar(
        copy(target),
        window.map((c) => ({ item: c.item, features: copy(c.features) })),
        opts,
      ),
    );
    expect(ranked).toEqual(fresh);
  });
});

describe('text similarity', () => {
  it('is the cosine of sublinear TF-IDF vectors over words and word pairs', () => {
    const a = textOnly({ bolus: 3, dose: 1, library: 2, pump: 1 }, { 'bolus dose': 1, 'dose library': 1 });
    const b = textOnly({ bolus: 1, library: 4, alarm: 2 }, { 'bolus dose': 2 });
    const c = textOnly({ pump: 2, alarm: 1 }, { 'dose library': 1 });
    const all = [a, b, c];
    const weights = (x: CaseFeatures) => {
      const w = new Map<string, number>();
      for (const kind of ['terms', 'bigrams'] as const)
        for (const [k, tf] of x[kind]) {
          const df = all.filter((y) => y[kind].has(k)).length;
          w.set(`${kind}/${k}`, (1 + Math.log(tf)) * Math.log((all.length + 1) / df));
        }
      return w;
    };
    const wa = weights(a);
    const wb = weights(b);
    let dot = 0;
    for (const [k, v] of wb) dot += (wa.get(k) ?? 0) * v;
    const norm = (w: Map<string, number>) => Math.sqrt([...w.values()].reduce((s, v) => s + v * v, 0));
    const cosine = dot / (norm(wa) * norm(wb));
    expect(cosine).toBeGreaterThan(0.1);
    const s = scoreSimilarity(a, b, buildCorpus(all));
    expect(s.score).toBe(Math.round(WEIGHTS.text * cosine * 1000) / 1000);
    expect(s.reasons[0]?.detail).toBe(`similar text (${Math.round(cosine * 100)} %): library, bolus`);
  });

  it('credits no arrival with the words of the one ranked before it', () => {
    const candidates = [
      { item: 'same words as the first', features: textOnly({ alpha: 2, beta: 1 }, { 'alpha beta': 1 }) },
      { item: 'same words as the second', features: textOnly({ gamma: 1, delta: 1 }) },
      { item: 'neither', features: textOnly({ other: 1 }) },
    ];
    const opts = { limit: 3, threshold: -1 };
    const first = rankSimilar(textOnly({ alpha: 1, beta: 1 }, { 'alpha beta': 1 }), candidates, opts);
    expect(first[0]?.item).toBe('same words as the first');
    const second = rankSimilar(textOnly({ gamma: 2 }), candidates, opts);
    expect(second.map((r) => [r.item, r.score > 0])).toEqual([
      ['same words as the second', true],
      ['same words as the first', false],
      ['neither', false],
    ]);
  });

  it('never matches a word with a word pair or an endpoint written the same', () => {
    const a = textOnly({ 'path:/x': 1, shared: 1 });
    const b: CaseFeatures = { ...textOnly({}, { 'path:/x': 1, shared: 1 }), endpoints: new Set(['path:/x']) };
    const corpus = buildCorpus([a, b, textOnly({ other: 1 })]);
    expect(scoreSimilarity(a, b, corpus)).toEqual({ score: 0, reasons: [] });
    expect(rankSimilar(a, [{ item: 'b', features: b }], { limit: 1, threshold: -1 })).toEqual([
      { item: 'b', score: 0, reasons: [] },
    ]);
  });
});
