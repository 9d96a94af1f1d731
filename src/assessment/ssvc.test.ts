import { describe, expect, it } from 'vitest';
import {
  EXPLOITATION,
  PUBLIC_SAFETY_IMPACT,
  type SsvcInput,
  ssvcDecision,
  TECHNICAL_IMPACT,
  UTILITY,
} from './ssvc.js';

/**
 * CERT/CC's published table `supplier_patch_development_priority_1_0_0.csv`, transcribed row by
 * row (row, exploitation, utility, technical impact, public safety impact, decision) independently
 * of the tree in ssvc.ts.
 */
const PUBLISHED = `
0,none,laborious,partial,minimal,defer
1,none,laborious,partial,significant,scheduled
2,none,laborious,total,minimal,scheduled
3,none,laborious,total,significant,out-of-cycle
4,none,efficient,partial,minimal,scheduled
5,none,efficient,partial,significant,out-of-cycle
6,none,efficient,total,minimal,scheduled
7,none,efficient,total,significant,out-of-cycle
8,none,super effective,partial,minimal,scheduled
9,none,super effective,partial,significant,out-of-cycle
10,none,super effective,total,minimal,out-of-cycle
11,none,super effective,total,significant,out-of-cycle
12,public poc,laborious,partial,minimal,scheduled
13,public poc,laborious,partial,significant,out-of-cycle
14,public poc,laborious,total,minimal,scheduled
15,public poc,laborious,total,significant,immediate
16,public poc,efficient,partial,minimal,scheduled
17,public poc,efficient,partial,significant,immediate
18,public poc,efficient,total,minimal,out-of-cycle
19,public poc,efficient,total,significant,immediate
20,public poc,super effective,partial,minimal,out-of-cycle
21,public poc,super effective,partial,significant,immediate
22,public poc,super effective,total,minimal,out-of-cycle
23,public poc,super effective,total,significant,immediate
24,active,laborious,partial,minimal,out-of-cycle
25,active,laborious,partial,significant,immediate
26,active,laborious,total,minimal,out-of-cycle
27,active,laborious,total,significant,immediate
28,active,efficient,partial,minimal,out-of-cycle
29,active,efficient,partial,significant,immediate
30,active,efficient,total,minimal,out-of-cycle
31,active,efficient,total,significant,immediate
32,active,super effective,partial,minimal,immediate
33,active,super effective,partial,significant,immediate
34,active,super effective,total,minimal,immediate
35,active,super effective,total,significant,immediate
`
  .trim()
  .split('\n')
  .map((line) => line.split(','));

// The published labels use spaces; our API ids use hyphens.
const id = (label: string) => label.replace(/ /g, '-');

describe('SSVC supplier patch development priority', () => {
  it('has all 36 published rows, covering every combination once', () => {
    expect(PUBLISHED).toHaveLength(36);
    const combos = new Set(PUBLISHED.map((r) => r.slice(1, 5).join('|')));
    expect(combos.size).toBe(
      EXPLOITATION.length * UTILITY.length * TECHNICAL_IMPACT.length * PUBLIC_SAFETY_IMPACT.length,
    );
  });

  it.each(PUBLISHED)('row %s: %s, %s, %s, %s → %s', (_row, e, u, t, p, decision) => {
    const input = {
      exploitation: id(e as string),
      utility: id(u as string),
      technicalImpact: t,
      publicSafetyImpact: p,
    } as SsvcInput;
    expect(ssvcDecision(input)).toBe(decision);
  });

  it('never lowers the priority when any decision point gets worse', () => {
    const rank = ['defer', 'scheduled', 'out-of-cycle', 'immediate'];
    const at = (e: number, u: number, t: number, p: number) =>
      rank.indexOf(
        ssvcDecision({
          exploitation: EXPLOITATION[e] as SsvcInput['exploitation'],
          utility: UTILITY[u] as SsvcInput['utility'],
          technicalImpact: TECHNICAL_IMPACT[t] as SsvcInput['technicalImpact'],
          publicSafetyImpact: PUBLIC_SAFETY_IMPACT[p] as SsvcInput['publicSafetyImpact'],
        }),
      );
    for (let e = 0; e < 3; e++)
      for (let u = 0; u < 3; u++)
        for (let t = 0; t < 2; t++)
          for (let p = 0; p < 2; p++) {
            const here = at(e, u, t, p);
            if (e < 2) expect(at(e + 1, u, t, p)).toBeGreaterThanOrEqual(here);
            if (u < 2) expect(at(e, u + 1, t, p)).toBeGreaterThanOrEqual(here);
            if (t < 1) expect(at(e, u, t + 1, p)).toBeGreaterThanOrEqual(here);
            if (p < 1) expect(at(e, u, t, p + 1)).toBeGreaterThanOrEqual(here);
          }
  });
});
