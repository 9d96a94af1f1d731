import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/helpers/seeded-random.js';
import {
  BIGRAM_CAP,
  type CaseFeatures,
  type DigestKey,
  decodeDigest,
  digestKeyId,
  encodeDigest,
  extractFeatures,
  hashFeatures,
  TERM_CAP,
} from '../case-features/index.js';
import { rankSimilar } from './similarity.js';

/**
 * Duplicate suggestions from digests against suggestions from clear text, on generated reports:
 * the digest path must find the same clear duplicates and leave out the same clear
 * non-duplicates, and a digest must carry no word of the report.
 */

const keyOf = (bytes: Buffer): DigestKey => ({ key: bytes, id: digestKeyId(bytes) });

interface Generated {
  topic: number;
  features: CaseFeatures;
  words: string[];
}

/**
 * `topics` vulnerabilities, each reported `copies` times in different words drawn from its own
 * vocabulary (with its endpoint, product and version), mixed with a shared program vocabulary.
 * `words` sets the length: 60 for a form report, 3000 for a long write-up past the digest caps.
 */
function generate(seed: number, topics: number, copies: number, words: number): Generated[] {
  const random = seededRandom(seed);
  const syllables = 'ka ri to mu se na lo pe vi du ra ne so mi tu ge ba lu fo de'.split(' ');
  const word = () =>
    Array.from({ length: 3 + Math.floor(random() * 3) }, () => syllables[Math.floor(random() * 20)]).join('');
  const common = Array.from({ length: 3000 }, word);
  const out: Generated[] = [];
  for (let t = 0; t < topics; t++) {
    const own = Array.from({ length: Math.min(300, words) }, word);
    const endpoint = `/api/v1/${word()}/${word()}`;
    for (let c = 0; c < copies; c++) {
      const text: string[] = [];
      for (let i = 0; i < words; i++)
        text.push(
          random() < 0.5
            ? (own[Math.floor(random() * own.length)] as string)
            : (common[Math.floor(common.length * random() ** 3)] as string),
        );
      text.splice(10, 0, `see https://pump.northwind.example${endpoint}?id=1`);
      out.push({
        topic: t,
        words: text,
        features: extractFeatures({
          texts: [text.join(' ')],
          products: [{ id: `product-${t % 4}`, name: `Product ${t % 4}`, versions: [`${1 + (t % 3)}.0`] }],
          cwes: [`CWE-${20 + (t % 7)}`],
        }),
      });
    }
  }
  return out;
}

function compare(cases: Generated[], key: DigestKey) {
  const digests = cases.map((c) => decodeDigest(encodeDigest(hashFeatures(c.features, key).hashed)));
  return cases.map((target, i) => {
    const others = cases.map((c, j) => ({ c, j })).filter(({ j }) => j !== i);
    const clear = rankSimilar(
      target.features,
      others.map(({ c, j }) => ({ item: j, features: c.features })),
      { limit: 5 },
    );
    const asked = hashFeatures(target.features, key);
    const hashed = rankSimilar(
      asked.hashed.features,
      others.map(({ j }) => ({ item: j, features: digests[j]?.features as CaseFeatures })),
      { limit: 5, label: (h) => asked.labels.get(h) ?? h },
    );
    return { target, clear, hashed };
  });
}

const siblings = (cases: Generated[], i: number) =>
  cases.flatMap((c, j) => (j !== i && c.topic === (cases[i] as Generated).topic ? [j] : []));

describe('digest ranking against text ranking', () => {
  const key = keyOf(randomBytes(32));

  it('form-sized reports: the same suggestions, scores and reasons', () => {
    const cases = generate(1, 12, 3, 60);
    for (const { clear, hashed } of compare(cases, key)) {
      expect(hashed.map((r) => r.item)).toEqual(clear.map((r) => r.item));
      // Below the caps a digest is the whole report: only a 32-bit collision could differ.
      expect(hashed.map((r) => r.score)).toEqual(clear.map((r) => r.score));
      expect(hashed.map((r) => r.reasons)).toEqual(clear.map((r) => r.reasons));
    }
  });

  it('long reports past the caps: clear duplicates found, clear non-duplicates left out', () => {
    const cases = generate(2, 10, 3, 3000);
    expect(cases[0]?.features.terms.size).toBeGreaterThan(TERM_CAP);
    expect(cases[0]?.features.bigrams.size).toBeGreaterThan(BIGRAM_CAP);
    compare(cases, key).forEach(({ clear, hashed }, i) => {
      const dupes = siblings(cases, i).sort();
      // Both find exactly the other copies, and nothing of another topic.
      expect(clear.map((r) => r.item).sort()).toEqual(dupes);
      expect(hashed.map((r) => r.item).sort()).toEqual(dupes);
      for (const r of hashed) {
        const c = clear.find((x) => x.item === r.item);
        // The sample keeps a report's most frequent words, which copies share: a copy scores at
        // least as high from digests as from the whole text (about 0.13 higher here).
        expect(r.score).toBeGreaterThanOrEqual((c?.score ?? 0) - 0.02);
        expect(r.reasons.map((x) => x.kind).sort()).toEqual(c?.reasons.map((x) => x.kind).sort());
      }
    });
  });

  it('a digest holds no word, path or product of the report, and is bounded', () => {
    const cases = generate(3, 2, 1, 3000);
    for (const c of cases) {
      const bytes = encodeDigest(hashFeatures(c.features, key).hashed);
      const raw = bytes.toString('latin1');
      for (const w of new Set(c.words)) if (w.length >= 4) expect(raw).not.toContain(w);
      expect(raw).not.toContain('northwind');
      expect(raw).not.toContain('product-');
      expect(bytes.length).toBeLessThan(5 + 6 * (TERM_CAP + BIGRAM_CAP) + 2_000);
    }
  });

  it('under another key nothing matches: digests of two programs cannot be compared', () => {
    const [a, b] = generate(4, 1, 2, 60);
    const other = keyOf(randomBytes(32));
    const mine = hashFeatures(a?.features as CaseFeatures, key).hashed.features;
    const theirs = hashFeatures(b?.features as CaseFeatures, other).hashed.features;
    expect(rankSimilar(mine, [{ item: 'b', features: theirs }], { limit: 5 })).toEqual([]);
    const same = hashFeatures(b?.features as CaseFeatures, key).hashed.features;
    expect(rankSimilar(mine, [{ item: 'b', features: same }], { limit: 5 }).map((r) => r.item)).toEqual([
      'b',
    ]);
  });

  it('a damaged or unknown-format digest reads as missing', () => {
    const bytes = encodeDigest(hashFeatures(generate(5, 1, 1, 60)[0]?.features as CaseFeatures, key).hashed);
    expect(decodeDigest(bytes.subarray(0, bytes.length - 3))).toBeNull();
    expect(decodeDigest(Buffer.concat([Buffer.from([9]), bytes.subarray(1)]))).toBeNull();
    expect(decodeDigest(bytes)?.keyId).toBe(key.id);
  });
});
