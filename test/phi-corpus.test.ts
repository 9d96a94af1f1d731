/**
 * Quality of the PHI guard on its labelled corpora: recall on samples that carry PHI and
 * false-positive rate on clean vulnerability-report material.
 *
 * - The development split (test/fixtures/phi/generate-corpus.ts) is what detectors are written against;
 *   its targets come from issue 6, and misses and false positives are printed so a regression says
 *   where.
 * - The held-out split (test/fixtures/phi/heldout2/heldout.jsonl) comes from an independent
 *   generator with families the detectors were not developed on. It is never tuned on: only its
 *   aggregate figures are printed (per family with PHI_HELDOUT_DETAIL=1, for whoever owns the
 *   evaluation), and its floor only says the detector has not fallen back. The first held-out
 *   split (heldout/) was retired into the dev corpus once its misses had been described.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectPhi, PHI_KINDS } from '../src/privacy/index.js';
import { parseCorpus, sampleInput, scoreCorpus } from './fixtures/phi/evaluate.js';
import { freshCheckSamples } from './fixtures/phi/fresh-shapes.js';
import { corpusJsonl, generateCorpus } from './fixtures/phi/generate-corpus.js';
import { generateHeldout2 } from './fixtures/phi/heldout2/generate-heldout2.js';

const generated = corpusJsonl(generateCorpus());
const samples = parseCorpus(generated);

const heldoutFile = new URL('./fixtures/phi/heldout2/heldout.jsonl', import.meta.url);
const heldoutCommitted = readFileSync(heldoutFile, 'utf8');
const heldout = parseCorpus(heldoutCommitted);

/**
 * What the detector must still reach on the held-out split. The first split (now in dev) went from
 * recall 0.098 to 0.925; the second, written apart from the detectors and measured the first time
 * on 2026-12-07 after the fourth outside batch had been tuned on, gave recall 0.936 at a
 * false-positive rate of 0.032. The floor sits under that and only says the detector has not
 * fallen back; it stays loose on purpose, since a floor at the measured value would invite tuning
 * on held-out samples.
 */
const HELDOUT_FLOOR = { recall: 0.9, falsePositiveRate: 0.05 };

describe('PHI corpus', () => {
  it('is the same on every run of its generator (seeded, no clock, no randomness of its own)', () => {
    expect(generated === corpusJsonl(generateCorpus())).toBe(true);
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
    expect(samples.every((s) => s.split === 'dev' && s.family !== '')).toBe(true);
  });

  it('meets the quality targets: recall ≥ 0.95 on PHI samples, false-positive rate ≤ 0.05 on clean ones', () => {
    const score = scoreCorpus(samples);
    const report = {
      recall: score.recall,
      falsePositiveRate: score.falsePositiveRate,
      perKindRecall: score.perKindRecall,
      perFamily: score.perFamily,
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
    for (const sample of [...samples, ...heldout]) {
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

describe('PHI check corpus', () => {
  const checkCommitted = readFileSync(new URL('./fixtures/phi/check.jsonl', import.meta.url), 'utf8');
  const check = parseCorpus(checkCommitted);

  it('is what its generator writes (regenerate with `npx tsx test/fixtures/phi/fresh-shapes.ts`)', () => {
    expect(checkCommitted === corpusJsonl(freshCheckSamples())).toBe(true);
  });

  it('has families of its own, each all PHI or all clean', () => {
    const devFamilies = new Set(samples.map((s) => s.family));
    expect(check.filter((s) => devFamilies.has(s.family)).map((s) => s.family)).toEqual([]);
    expect(check.every((s) => s.split === 'check')).toBe(true);
    // scoreCorpus throws on a family that mixes PHI and clean samples.
    const score = scoreCorpus(check);
    console.log(
      `PHI check score (never tuned on): ${JSON.stringify({ recall: score.recall, falsePositiveRate: score.falsePositiveRate, perFamily: score.perFamily }, null, 2)}`,
    );
    expect(score.phiSamples).toBeGreaterThan(0);
    expect(score.cleanSamples).toBeGreaterThan(0);
  });
});

describe('PHI held-out corpus', () => {
  it('is what its generator writes (regenerate with `npx tsx test/fixtures/phi/heldout2/generate-heldout2.ts`)', () => {
    expect(heldoutCommitted === corpusJsonl(generateHeldout2())).toBe(true);
  });

  it('has at least 250 samples, about half with PHI, in families of its own', () => {
    expect(heldout.length).toBeGreaterThanOrEqual(250);
    const phi = heldout.filter((s) => s.phi);
    expect(phi.length / heldout.length).toBeGreaterThan(0.45);
    expect(phi.length / heldout.length).toBeLessThan(0.55);
    expect(heldout.every((s) => s.split === 'heldout')).toBe(true);
    const ids = new Set([...samples, ...heldout].map((s) => s.id));
    expect(ids.size).toBe(samples.length + heldout.length);
    const devFamilies = new Set(samples.map((s) => s.family));
    expect(heldout.filter((s) => devFamilies.has(s.family)).map((s) => s.family)).toEqual([]);
    for (const sample of phi) {
      expect(sample.kinds.length, sample.id).toBeGreaterThan(0);
      for (const kind of sample.kinds) expect(PHI_KINDS, sample.id).toContain(kind);
    }
    expect(heldout.filter((s) => !s.phi).every((s) => s.kinds.length === 0)).toBe(true);
    const labelled = new Set(phi.flatMap((s) => s.kinds));
    for (const kind of [
      'patient-table',
      'patient-record',
      'dicom-dump',
      'national-health-id',
      'person-clinical',
    ]) {
      expect(labelled, kind).toContain(kind);
    }
  });

  it(`stays above its floor: recall ≥ ${HELDOUT_FLOOR.recall}, false-positive rate ≤ ${HELDOUT_FLOOR.falsePositiveRate}`, () => {
    const score = scoreCorpus(heldout);
    const report = {
      samples: { phi: score.phiSamples, clean: score.cleanSamples },
      recall: score.recall,
      falsePositiveRate: score.falsePositiveRate,
      floor: HELDOUT_FLOOR,
      perKindRecall: score.perKindRecall,
      // Sample ids and texts are not printed: they would turn the held-out split into a dev one.
      ...(process.env.PHI_HELDOUT_DETAIL === '1' ? { perFamily: score.perFamily } : {}),
    };
    console.log(`PHI held-out score: ${JSON.stringify(report, null, 2)}`);
    expect(score.recall).toBeGreaterThanOrEqual(HELDOUT_FLOOR.recall);
    expect(score.falsePositiveRate).toBeLessThanOrEqual(HELDOUT_FLOOR.falsePositiveRate);
  });
});
