import { severityOf } from '../assessment/index.js';
import { ValidationError } from '../core/index.js';
import type { Product } from '../programs/index.js';
import type {
  AdvisoryRelease,
  Credit,
  CreditType,
  TlpLabel,
  VersionStatement,
  Vulnerability,
} from './advisory-model.js';

/**
 * CSAF 2.0 documents (`csaf_security_advisory`, `csaf_vex`) built from a released advisory.
 * Pure: the provider writes, hashes and signs them; `validateCsafDocument` (csaf-validate.ts)
 * runs the validator's schema and mandatory tests before anything is published.
 *
 * Decisions a reader should know:
 * - CSAF 2.0 has no CVSS v4 slot: scores carry `cvss_v3` only and a 4.0 vector stays out (it
 *   lives in the CVE record). A vulnerability scored with 4.0 alone has no CSAF score.
 * - TLP: CSAF 2.0 knows the TLP 1.0 labels. CLEAR becomes WHITE. AMBER+STRICT has no 1.0 label;
 *   it becomes RED — the one label that never lets a document travel further than its author
 *   allowed — and `distribution.text` states the original TLP 2.0 label so a recipient can see
 *   what was meant. Refusing instead would leave AMBER+STRICT advisories without a CSAF document
 *   for sharing with coordinators, which is exactly when they are used.
 * - Product ids are built from the program's product id and the version statement
 *   (`aurora-ip400@3.4.2`, `aurora-ip400@>=3.0|<3.4.2`), so they stay the same across revisions
 *   and across the vulnerabilities of one advisory.
 * - Ranges are `product_version_range` branches in the `vers` notation (CSAF recommends it;
 *   optional test 6.2.18 warns otherwise); exact versions and fixed-in versions are
 *   `product_version` branches.
 * - Case numbers never appear; credits appear exactly in the consented words.
 */

export type CsafCategory = 'csaf_security_advisory' | 'csaf_vex';

export interface CsafOptions {
  category: CsafCategory;
  /**
   * Base URL of the provider's directory distribution for this document's TLP level (e.g.
   * `https://vendor.example/.well-known/csaf/white`). With it the document gets its canonical
   * `self` reference (`<base>/<year of initial release>/<file name>`), as CSAF asks.
   */
  distributionBaseUrl?: string;
  /** The generating engine's version (`document.tracking.generator.engine.version`). */
  engineVersion?: string;
  /** When the document was generated; the revision's release date when absent. */
  generatedAt?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: CSAF documents are open JSON checked by the validator, not by these types.
export type CsafDocument = Record<string, any>;

const TLP_1_0: Record<TlpLabel, 'WHITE' | 'GREEN' | 'AMBER' | 'RED'> = {
  CLEAR: 'WHITE',
  GREEN: 'GREEN',
  AMBER: 'AMBER',
  'AMBER+STRICT': 'RED',
  RED: 'RED',
};

/** The CSAF 2.0 TLP label for a TLP 2.0 label (see the module comment for AMBER+STRICT). */
export const csafTlpLabel = (tlp: TlpLabel) => TLP_1_0[tlp];

/** CSAF file name rule: tracking id lower-cased, runs outside `[+\-a-z0-9]` → `_`, plus `.json`. */
export function csafFileName(trackingId: string): string {
  return `${trackingId.toLowerCase().replace(/[^+\-a-z0-9]+/g, '_')}.json`;
}

/** Where a document lives in a directory distribution: `<base>/<YYYY of initial release>/<file>`. */
export function csafCanonicalUrl(
  distributionBaseUrl: string,
  release: Pick<AdvisoryRelease, 'id' | 'initialReleaseDate'>,
) {
  const year = new Date(release.initialReleaseDate).getUTCFullYear();
  return `${distributionBaseUrl.replace(/\/+$/, '')}/${year}/${csafFileName(release.id)}`;
}

/** A version statement in the `vers` notation: `vers:generic/>=3.0|<3.4.2`, `vers:generic/*`. */
export function versOf(s: VersionStatement): string {
  const upper = s.lessThan ?? s.lessThanOrEqual;
  if (upper === undefined) return `vers:generic/${s.version}`;
  if (upper === '*') return s.version === '0' ? 'vers:generic/*' : `vers:generic/>=${s.version}`;
  const op = s.lessThan !== undefined ? '<' : '<=';
  return s.version === '0' ? `vers:generic/${op}${upper}` : `vers:generic/>=${s.version}|${op}${upper}`;
}

const isRange = (s: VersionStatement) => s.lessThan !== undefined || s.lessThanOrEqual !== undefined;
const versionKey = (s: VersionStatement) =>
  isRange(s) ? versOf(s).slice('vers:generic/'.length) : s.version;

interface Leaf {
  productId: string;
  productName: string;
  category: 'product_version' | 'product_version_range';
  name: string;
  id: string;
}

/** The product tree's leaves, collected once per advisory so equal statements share one id. */
class ProductCatalogue {
  readonly leaves = new Map<string, Leaf>();
  constructor(private readonly names: Map<string, string>) {}

  private add(
    productId: string,
    fallbackName: string,
    category: Leaf['category'],
    name: string,
    key: string,
  ) {
    const id = `${productId}@${key}`;
    if (!this.leaves.has(id)) {
      const productName = this.names.get(productId) ?? fallbackName;
      this.leaves.set(id, { productId, productName, category, name, id });
    }
    return id;
  }

  statement(productId: string, productName: string, s: VersionStatement): string {
    return isRange(s)
      ? this.add(productId, productName, 'product_version_range', versOf(s), versionKey(s))
      : this.add(productId, productName, 'product_version', s.version, s.version);
  }

  fixed(productId: string, productName: string, version: string): string {
    return this.add(productId, productName, 'product_version', version, version);
  }

  tree(vendor: string) {
    const byProduct = new Map<string, Leaf[]>();
    for (const leaf of this.leaves.values())
      byProduct.set(leaf.productId, [...(byProduct.get(leaf.productId) ?? []), leaf]);
    return {
      branches: [
        {
          category: 'vendor',
          name: vendor,
          branches: [...byProduct.values()].map((leaves) => ({
            category: 'product_name',
            name: leaves[0]?.productName,
            branches: leaves.map((l) => ({
              category: l.category,
              name: l.name,
              product: { product_id: l.id, name: `${l.productName} ${versionLabel(l)}` },
            })),
          })),
        },
      ],
    };
  }
}

const versionLabel = (l: Leaf) =>
  l.category === 'product_version' ? l.name : l.name.slice('vers:generic/'.length);

const CREDIT_SUMMARY: Record<CreditType, string> = {
  finder: 'finding the vulnerability',
  reporter: 'reporting the vulnerability',
  analyst: 'analysing the vulnerability',
  coordinator: 'coordinating the disclosure',
  'remediation developer': 'developing the fix',
  'remediation reviewer': 'reviewing the fix',
  'remediation verifier': 'verifying the fix',
  tool: 'the tool used to find the vulnerability',
  sponsor: 'sponsoring the work',
  other: 'contributing',
};

const acknowledgment = (c: Credit) => ({ names: [c.text], summary: CREDIT_SUMMARY[c.type] });

const unique = (ids: string[]) => [...new Set(ids)];

function vulnerabilityOf(
  v: Vulnerability,
  index: number,
  release: AdvisoryRelease,
  catalogue: ProductCatalogue,
  category: CsafCategory,
): CsafDocument {
  const affected: string[] = [];
  const notAffected: string[] = [];
  const fixed: string[] = [];
  const affectedByProduct = new Map<string, string[]>();
  for (const a of v.affected) {
    for (const s of a.versions) {
      const id = catalogue.statement(a.productId, a.productName, s);
      if (s.status === 'affected') {
        affected.push(id);
        affectedByProduct.set(a.productId, [...(affectedByProduct.get(a.productId) ?? []), id]);
      } else notAffected.push(id);
    }
    if (a.fixedIn) fixed.push(catalogue.fixed(a.productId, a.productName, a.fixedIn));
  }
  const knownAffected = unique(affected);
  const idsFor = (productIds?: string[]) =>
    productIds ? unique(productIds.flatMap((p) => affectedByProduct.get(p) ?? [])) : knownAffected;

  const remediations = v.remediations
    .map((r) => ({
      category: r.category,
      details: r.details,
      ...(r.url ? { url: r.url } : {}),
      product_ids: idsFor(r.productIds),
    }))
    .filter((r) => r.product_ids.length > 0);
  if (release.content.mitigations?.trim() && knownAffected.length > 0) {
    remediations.push({
      category: 'mitigation',
      details: release.content.mitigations.trim(),
      product_ids: knownAffected,
    });
  }
  // Every affected product gets an action statement (VEX requires one; advisories should): where
  // the advisory offers nothing for a product, it says so rather than staying silent.
  const covered = new Set(remediations.flatMap((r) => r.product_ids));
  const uncovered = knownAffected.filter((id) => !covered.has(id));
  if (uncovered.length > 0) {
    remediations.push({
      category: 'none_available',
      details: 'No fix is available yet.',
      product_ids: uncovered,
    });
  }

  const knownNotAffected = unique(notAffected);
  const scores = v.cvss31
    ? [
        {
          products: knownAffected,
          cvss_v3: {
            version: '3.1',
            vectorString: v.cvss31.vector,
            baseScore: v.cvss31.baseScore,
            baseSeverity: severityOf(v.cvss31.baseScore).toUpperCase(),
          },
        },
      ]
    : [];

  return {
    ...(v.cve
      ? { cve: v.cve }
      : { ids: [{ system_name: release.publisher.name, text: `${release.id}-${index + 1}` }] }),
    ...(v.cwe ? { cwe: { id: v.cwe.id, name: v.cwe.name } } : {}),
    title: v.title,
    notes: [{ category: 'description', title: 'Vulnerability description', text: v.description }],
    product_status: {
      ...(knownAffected.length > 0 ? { known_affected: knownAffected } : {}),
      ...(fixed.length > 0 ? { fixed: unique(fixed) } : {}),
      ...(knownNotAffected.length > 0 ? { known_not_affected: knownNotAffected } : {}),
    },
    ...(remediations.length > 0 ? { remediations } : {}),
    ...(scores.length > 0 && knownAffected.length > 0 ? { scores } : {}),
    // VEX asks for an impact statement for every product that is not affected.
    ...(knownNotAffected.length > 0 && category === 'csaf_vex'
      ? {
          threats: [
            {
              category: 'impact',
              details: 'These versions are not affected by this vulnerability.',
              product_ids: knownNotAffected,
            },
          ],
        }
      : {}),
    ...(v.credits.length > 0 ? { acknowledgments: v.credits.map(acknowledgment) } : {}),
  };
}

/**
 * Build the CSAF 2.0 document for a released advisory. `products` are the program's products,
 * whose current names the product tree uses. Throws a `ValidationError` when the release cannot
 * make a document (no revision history, a revision that is not in it).
 */
export function buildCsafAdvisory(
  release: AdvisoryRelease,
  products: readonly Pick<Product, 'id' | 'name'>[],
  opts: CsafOptions,
): CsafDocument {
  if (!release.history.some((h) => h.number === release.revision)) {
    throw new ValidationError([
      { path: 'history', message: `the revision history has no entry for revision ${release.revision}` },
    ]);
  }
  const catalogue = new ProductCatalogue(new Map(products.map((p) => [p.id, p.name])));
  const vulnerabilities = release.content.vulnerabilities.map((v, i) =>
    vulnerabilityOf(v, i, release, catalogue, opts.category),
  );

  const credits = release.content.vulnerabilities.flatMap((v) => v.credits);
  const acknowledgments = [
    ...new Map(credits.map((c) => [`${c.type}\n${c.text}`, acknowledgment(c)])).values(),
  ];
  const tlp = release.content.tlp;
  const references = [
    ...(opts.distributionBaseUrl
      ? [
          {
            category: 'self',
            summary: 'Canonical URL of this document',
            url: csafCanonicalUrl(opts.distributionBaseUrl, release),
          },
        ]
      : []),
    { category: 'self', summary: 'Advisory page', url: release.url },
    ...release.content.references.map((r) => ({
      category: 'external',
      summary: r.summary ?? r.url,
      url: r.url,
    })),
  ];

  return sortKeys({
    document: {
      category: opts.category,
      csaf_version: '2.0',
      title: release.content.title,
      lang: release.lang,
      publisher: {
        category: 'vendor',
        name: release.publisher.name,
        namespace: release.publisher.namespace,
        ...(release.publisher.contactDetails ? { contact_details: release.publisher.contactDetails } : {}),
      },
      distribution: {
        tlp: { label: csafTlpLabel(tlp), url: 'https://www.first.org/tlp/' },
        ...(tlp === 'AMBER+STRICT'
          ? { text: 'TLP:AMBER+STRICT (TLP 2.0): share only within your own organisation.' }
          : {}),
      },
      tracking: {
        id: release.id,
        status: release.status,
        version: release.revision,
        initial_release_date: release.initialReleaseDate,
        current_release_date: release.currentReleaseDate,
        revision_history: [...release.history]
          .sort((a, b) => Number(a.number) - Number(b.number))
          .map((h) => ({ date: h.date, number: h.number, summary: h.summary })),
        generator: {
          date: opts.generatedAt ?? release.currentReleaseDate,
          engine: { name: 'Vigil', ...(opts.engineVersion ? { version: opts.engineVersion } : {}) },
        },
      },
      notes: [{ category: 'summary', title: 'Summary', text: release.content.summary }],
      references,
      ...(acknowledgments.length > 0 ? { acknowledgments } : {}),
    },
    product_tree: catalogue.tree(release.publisher.name),
    vulnerabilities,
  });
}

/**
 * Every object's keys in alphabetical order, as CSAF recommends (optional test 6.2.13), so the
 * same content always serialises to the same bytes — which the provider's hashes rely on.
 */
function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, sortKeys(v)]),
  ) as T;
}
