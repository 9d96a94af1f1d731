/**
 * Quality of the PHI guard on its labelled corpus (test/fixtures/phi/corpus.jsonl): recall on
 * samples that carry PHI and false-positive rate on clean vulnerability-report material. The
 * targets come from issue 6; misses and false positives are printed so a regression says where.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectPhi, PHI_KINDS } from '../src/privacy/index.js';
import { parseCorpus, sampleInput, scoreCorpus } from './fixtures/phi/evaluate.js';
import { corpusJsonl, generateCorpus } from './fixtures/phi/generate-corpus.js';

const corpusFile = new URL('./fixtures/phi/corpus.jsonl', import.meta.url);
const committed = readFileSync(corpusFile, 'utf8');
const samples = parseCorpus(committed);

describe('PHI corpus', () => {
  it('is what the generator writes (regenerate with `npx tsx test/fixtures/phi/generate-corpus.ts`)', () => {
    expect(committed === corpusJsonl(generateCorpus())).toBe(true);
  });

  it('has at least 300 labelled samples, roughly half with PHI, covering every kind', () => {
    expect(samples.length).toBeGreaterThanOrEqual(300);
    const phi = samples.filter((s) => s.phi);
    expect(phi.length / samples.length).toBeGreaterThan(0.4);
    expect(phi.length / samples.length).toBeLessThan(0.6);
    expect(new Set(samples.map((s) => s.id)).size).toBe(samples.length);
    const labelled = new Set(phi.flatMap((s) => s.kinds));
    expect([...labelled].sort()).toEqual([...PHI_KINDS].sort());
    expect(samples.filter((s) => !s.phi).every((s) => s.kinds.length === 0)).toBe(true);
  });

  it('meets the quality targets: recall ≥ 0.95 on PHI samples, false-positive rate ≤ 0.05 on clean ones', () => {
    const score = scoreCorpus(samples);
    const report = {
      recall: score.recall,
      falsePositiveRate: score.falsePositiveRate,
      perKindRecall: score.perKindRecall,
      misses: score.misses,
      falsePositives: score.falsePositives,
    };
    console.log(`PHI corpus score: ${JSON.stringify(report, null, 2)}`);
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
    expect(score.falsePositiveRate).toBeLessThanOrEqual(0.05);
  });

  it('does not report the kinds a sample marks as absent (known mislabels stay fixed)', () => {
    const guarded = samples.filter((s) => s.absentKinds?.length);
    expect(guarded.length).toBeGreaterThanOrEqual(8);
    for (const sample of guarded) {
      const found = detectPhi(sampleInput(sample), { reporter: sample.reporter }).findings.map((f) => f.kind);
      for (const kind of sample.absentKinds ?? []) expect(found, sample.id).not.toContain(kind);
      for (const kind of sample.kinds) expect(found, sample.id).toContain(kind);
    }
  });

  it('gives every finding a span inside the input and an excerpt that does not repeat what it found', () => {
    let checked = 0;
    for (const sample of samples) {
      const input = sampleInput(sample);
      const size = 'bytes' in input ? input.bytes.length : input.text.length;
      for (const finding of detectPhi(input, { reporter: sample.reporter }).findings) {
        expect(finding.start, sample.id).toBeGreaterThanOrEqual(0);
        expect(finding.end, sample.id).toBeGreaterThan(finding.start);
        expect(finding.end, sample.id).toBeLessThanOrEqual(size);
        expect(finding.unit).toBe('bytes' in input ? 'byte' : 'char');
        if ('text' in input) {
          const found = input.text.slice(finding.start, finding.end);
          expect(finding.excerpt.includes(found), `${sample.id}: ${finding.excerpt}`).toBe(false);
        }
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(150);
  });
});
