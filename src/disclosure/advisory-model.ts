import { z } from 'zod';

/**
 * The content of one advisory revision: what the team writes (drafted from one or more cases)
 * and what every published artefact is generated from — the portal page, the Atom feed, the
 * CVE JSON 5 records, the CSAF 2.0 document and the sharing packages. Nothing here is secret
 * report content: it is the text meant for the outside world once the embargo ends.
 *
 * Invariant: no field holds the reporter's contact details. Credits carry only the words the
 * reporter consented to; the case numbers are internal references that the public artefacts
 * never show.
 */

/** TLP 2.0 labels. CSAF 2.0 knows only the 1.0 labels; the CSAF builder maps CLEAR → WHITE. */
export const TLP_LABELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type TlpLabel = (typeof TLP_LABELS)[number];

/** CVE JSON 5 credit types (`credits[].type`). */
export const CREDIT_TYPES = [
  'finder',
  'reporter',
  'analyst',
  'coordinator',
  'remediation developer',
  'remediation reviewer',
  'remediation verifier',
  'tool',
  'sponsor',
  'other',
] as const;
export type CreditType = (typeof CREDIT_TYPES)[number];

/** CSAF 2.0 remediation categories. */
export const REMEDIATION_CATEGORIES = [
  'vendor_fix',
  'mitigation',
  'workaround',
  'none_available',
  'no_fix_planned',
] as const;
export type RemediationCategory = (typeof REMEDIATION_CATEGORIES)[number];

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const cveId = z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'expected a CVE ID such as CVE-2026-12345');
const cweId = z.string().regex(/^CWE-\d+$/, 'expected a CWE id such as CWE-79');
const https = z
  .string()
  .url('expected a URL')
  .refine((u) => /^https?:\/\//.test(u), 'expected an http(s) URL');

/**
 * One version statement about a product, in the CVE JSON 5 manner: an exact `version`, or a range
 * from `version` up to `lessThan` / `lessThanOrEqual`. `version: "0"` with `lessThan` means
 * "every version before". Version strings are the vendor's own (semver-like in practice).
 */
export const versionStatementSchema = z
  .strictObject({
    version: text(100),
    lessThan: text(100).optional(),
    lessThanOrEqual: text(100).optional(),
    status: z.enum(['affected', 'unaffected']),
  })
  .refine((v) => !(v.lessThan && v.lessThanOrEqual), {
    message: 'give lessThan or lessThanOrEqual, not both',
    path: ['lessThan'],
  });
export type VersionStatement = z.infer<typeof versionStatementSchema>;

/** A product of the program as the advisory speaks of it. */
export const affectedProductSchema = z.strictObject({
  /** The program's product id (`products[].id` in the program definition). */
  productId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a product id'),
  productName: text(200),
  versions: z.array(versionStatementSchema).min(1, 'state at least one version or range').max(50),
  /** The first version with the fix, when there is one. */
  fixedIn: text(100).optional(),
  /** Status of versions not listed (CVE `defaultStatus`). */
  defaultStatus: z.enum(['affected', 'unaffected', 'unknown']).default('unaffected'),
});
export type AffectedProduct = z.infer<typeof affectedProductSchema>;

export const cvssScoreSchema = z.strictObject({
  vector: text(400),
  baseScore: z.number().min(0).max(10),
  severity: z.enum(['none', 'low', 'medium', 'high', 'critical']),
});
export type CvssScore = z.infer<typeof cvssScoreSchema>;

export const remediationSchema = z.strictObject({
  category: z.enum(REMEDIATION_CATEGORIES),
  details: text(4000),
  url: https.optional(),
  /** Products it applies to (program product ids); all affected products when absent. */
  productIds: z.array(z.string()).optional(),
});
export type Remediation = z.infer<typeof remediationSchema>;

/** A credit as the reporter consented to it: their chosen words, never their contact details. */
export const creditSchema = z.strictObject({
  text: text(200),
  type: z.enum(CREDIT_TYPES).default('finder'),
  lang: z.string().default('en'),
});
export type Credit = z.infer<typeof creditSchema>;

export const vulnerabilitySchema = z.strictObject({
  /** The CVE ID, entered (reserved elsewhere) or reserved through CVE Services; none yet is allowed in a draft. */
  cve: cveId.optional(),
  title: text(300),
  /** Plain-language description; must not name people (credits go in `credits`). */
  description: text(4000),
  cwe: z.strictObject({ id: cweId, name: text(300) }).optional(),
  cvss31: cvssScoreSchema.optional(),
  cvss40: cvssScoreSchema.optional(),
  affected: z.array(affectedProductSchema).min(1, 'name at least one affected product').max(50),
  remediations: z.array(remediationSchema).max(20).default([]),
  credits: z.array(creditSchema).max(20).default([]),
  /** The cases this vulnerability was drafted from (internal; never published). */
  caseNumbers: z.array(z.string()).default([]),
});
export type Vulnerability = z.infer<typeof vulnerabilitySchema>;

export const referenceSchema = z.strictObject({
  url: https,
  summary: text(300).optional(),
});
export type Reference = z.infer<typeof referenceSchema>;

/** The whole content of an advisory revision. */
export const advisoryContentSchema = z.strictObject({
  title: text(300),
  /** Markdown, rendered with HTML off and sanitised wherever it is shown. */
  summary: text(8000),
  vulnerabilities: z.array(vulnerabilitySchema).min(1, 'describe at least one vulnerability').max(20),
  /** Mitigations and workarounds that apply to the whole advisory, in markdown. */
  mitigations: z.string().max(8000).optional(),
  references: z.array(referenceSchema).max(100).default([]),
  tlp: z.enum(TLP_LABELS).default('CLEAR'),
  /** The embargo: not published before this instant (ISO 8601 with offset). */
  publishNotBefore: z.string().datetime({ offset: true }).optional(),
});
export type AdvisoryContent = z.infer<typeof advisoryContentSchema>;

/** One entry of the revision history (CSAF `document.tracking.revision_history`). */
export interface AdvisoryRevisionEntry {
  /** "1", "2", … — integer versioning, as CSAF allows. */
  number: string;
  /** When the revision was published (ISO 8601 UTC). */
  date: string;
  summary: string;
}

/**
 * Everything the document builders need about a published (or about-to-be-published) revision,
 * beyond its content: identity, publisher and history. Pure data, so the CVE and CSAF builders
 * stay pure functions.
 */
export interface AdvisoryRelease {
  /** Stable public id, e.g. `ACME-SA-2026-0001`; the CSAF `tracking.id`. */
  id: string;
  content: AdvisoryContent;
  /** Revision number being built ("1" for the first publication). */
  revision: string;
  initialReleaseDate: string;
  currentReleaseDate: string;
  history: AdvisoryRevisionEntry[];
  status: 'draft' | 'interim' | 'final';
  publisher: {
    name: string;
    /** The vendor's web origin, e.g. https://acme-medical.example (CSAF `publisher.namespace`). */
    namespace: string;
    contactDetails?: string;
  };
  /** The advisory's public page (a reference in every artefact). */
  url: string;
  /** The program's language for the texts (BCP 47). */
  lang: string;
}
