/**
 * SSVC supplier decision: "patch development priority" (CERT/CC Stakeholder-Specific
 * Vulnerability Categorization). Encoded from CERT/CC's published decision table
 * `supplier_patch_development_priority_1_0_0` (CERTCC/SSVC, data/csv/ssvc/), which combines
 * Exploitation v1.1.0, Utility v1.0.1, Technical Impact v1.0.0 and Public Safety Impact v2.0.1.
 * That is the SSVC v2 supplier tree, where the older five-level "Safety Impact" is collapsed into
 * Public Safety Impact with two values: minimal and significant.
 */

export const EXPLOITATION = ['none', 'public-poc', 'active'] as const;
export const UTILITY = ['laborious', 'efficient', 'super-effective'] as const;
export const TECHNICAL_IMPACT = ['partial', 'total'] as const;
export const PUBLIC_SAFETY_IMPACT = ['minimal', 'significant'] as const;
export const SSVC_DECISIONS = ['defer', 'scheduled', 'out-of-cycle', 'immediate'] as const;

export type Exploitation = (typeof EXPLOITATION)[number];
export type Utility = (typeof UTILITY)[number];
export type TechnicalImpact = (typeof TECHNICAL_IMPACT)[number];
export type PublicSafetyImpact = (typeof PUBLIC_SAFETY_IMPACT)[number];
export type SsvcDecision = (typeof SSVC_DECISIONS)[number];

export interface SsvcInput {
  exploitation: Exploitation;
  utility: Utility;
  technicalImpact: TechnicalImpact;
  publicSafetyImpact: PublicSafetyImpact;
}

type Pair = readonly [minimal: SsvcDecision, significant: SsvcDecision];

/**
 * Exploitation → Utility → Technical Impact → [Public Safety Impact minimal, significant].
 * Written as a tree so each branch reads like the published diagram.
 */
const TREE: Record<Exploitation, Record<Utility, Record<TechnicalImpact, Pair>>> = {
  none: {
    laborious: { partial: ['defer', 'scheduled'], total: ['scheduled', 'out-of-cycle'] },
    efficient: { partial: ['scheduled', 'out-of-cycle'], total: ['scheduled', 'out-of-cycle'] },
    'super-effective': { partial: ['scheduled', 'out-of-cycle'], total: ['out-of-cycle', 'out-of-cycle'] },
  },
  'public-poc': {
    laborious: { partial: ['scheduled', 'out-of-cycle'], total: ['scheduled', 'immediate'] },
    efficient: { partial: ['scheduled', 'immediate'], total: ['out-of-cycle', 'immediate'] },
    'super-effective': { partial: ['out-of-cycle', 'immediate'], total: ['out-of-cycle', 'immediate'] },
  },
  active: {
    laborious: { partial: ['out-of-cycle', 'immediate'], total: ['out-of-cycle', 'immediate'] },
    efficient: { partial: ['out-of-cycle', 'immediate'], total: ['out-of-cycle', 'immediate'] },
    'super-effective': { partial: ['immediate', 'immediate'], total: ['immediate', 'immediate'] },
  },
};

/** The supplier's patch development priority for one combination of decision points. */
export function ssvcDecision(input: SsvcInput): SsvcDecision {
  const pair = TREE[input.exploitation][input.utility][input.technicalImpact];
  return pair[input.publicSafetyImpact === 'minimal' ? 0 : 1];
}
