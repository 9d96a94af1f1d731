import type { Assessment } from '../assessment/index.js';
import { severityOf } from '../assessment/index.js';
import { type FieldProblem, ValidationError } from '../core/index.js';
import type { Product } from '../programs/index.js';
import {
  type AffectedProduct,
  type Credit,
  type CvssScore,
  type Remediation,
  type VersionStatement,
  type Vulnerability,
  vulnerabilitySchema,
} from './advisory-model.js';

/**
 * The assessment states affected versions as the team typed them (">= 3.0, < 3.4.2", "all",
 * "2.x"); every artefact needs them as CVE-style statements. Parsing happens once, when an
 * advisory is drafted, so an expression no artefact could express is refused in front of the
 * author instead of turning into a wrong CVE record later.
 *
 * Accepted, separated by commas or spaces:
 *   "3.1.0" / "= 3.1.0"           one exact version (several may be listed)
 *   ">= 3.0" followed by "< 3.4.2" or "<= 3.4.1"   a range
 *   "< 2.5" / "<= 1.9.3"          everything before (version "0", as CVE JSON 5 spells it)
 *   ">= 4.0" alone                 everything from 4.0 on (upper bound "*")
 *   "3.0 - 3.4.1"                  an inclusive range
 *   "2.x" / "3.1.x"                one branch: >= 2.0 < 3.0, >= 3.1.0 < 3.2.0
 *   "all" / "*"                    every version
 * Not accepted: ">" (CVE JSON 5 has no exclusive lower bound), "||", words such as "before".
 */

/**
 * A vendor version string: starts with a letter or digit, then letters, digits and `.+-_~`, and
 * holds at least one digit ("R2" and "SP1" are versions, "before" and "latest" are not).
 */
const VERSION = /^(?=[^\d]*\d)[0-9A-Za-z][0-9A-Za-z.+\-_~]*$/;
const BRANCH = /^(\d+(?:\.\d+)*)\.[xX*]$/;
const TERM = /^(>=|<=|<|>|=)?\s*(.*)$/;

/** Is this a single version (not a range, not a list)? Used for "fixed in" values. */
export function isPlainVersion(text: string): boolean {
  return VERSION.test(text.trim()) && !BRANCH.test(text.trim());
}

/**
 * Order two version strings when both are dotted numbers ("3.10" > "3.9"); `undefined` when
 * either is not, since a vendor's own scheme (e.g. "3.0b") has no order we could know.
 */
export function compareNumericVersions(a: string, b: string): number | undefined {
  if (!/^\d+(\.\d+)*$/.test(a) || !/^\d+(\.\d+)*$/.test(b)) return undefined;
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

function branchRange(prefix: string): VersionStatement {
  const parts = prefix.split('.').map(Number);
  const next = [...parts.slice(0, -1), (parts.at(-1) ?? 0) + 1];
  return { version: `${prefix}.0`, lessThan: `${next.join('.')}.0`, status: 'affected' };
}

/** Split "a, b c" into terms, keeping an operator with the version after it (">= 3.0"). */
function terms(text: string): string[] {
  return text
    .replace(/(>=|<=|<|>|=)\s+/g, '$1')
    .split(/[\s,;]+/)
    .filter((t) => t.length > 0);
}

/**
 * Parse one assessment version expression into affected-version statements.
 * Throws a `ValidationError` addressed to `path` that says what could not be read and why.
 */
export function parseVersionRanges(text: string, path = 'versions'): VersionStatement[] {
  const fail = (message: string): never => {
    throw new ValidationError([{ path, message: `${message} (in "${text.trim()}")` }]);
  };
  const source = text.trim();
  if (source === '') fail('name the affected versions, e.g. ">= 3.0, < 3.4.2"');
  if (/^(all|all versions|\*)$/i.test(source)) return [{ version: '0', lessThan: '*', status: 'affected' }];
  // An inclusive "A - B" range; the spaces keep it apart from pre-release versions like "3.0-rc1".
  const dash = /^(\S+)\s+-\s+(\S+)$/.exec(source);
  if (dash?.[1] && dash[2]) {
    return [closeRange(dash[1], { lessThanOrEqual: dash[2] }, fail)];
  }

  const out: VersionStatement[] = [];
  let lower: string | undefined;
  const flushLower = () => {
    if (lower !== undefined) out.push({ version: lower, lessThan: '*', status: 'affected' });
    lower = undefined;
  };
  for (const term of terms(source)) {
    const [, op = '', value = ''] = TERM.exec(term) ?? [];
    if (/^(all|\*)$/i.test(value)) fail('"all" cannot be combined with other versions');
    if (op === '>') fail(`"> ${value}" cannot be stated: write ">= " and the first affected version`);
    const branch = BRANCH.exec(value);
    if (branch?.[1]) {
      if (op !== '' && op !== '=') fail(`"${op}" cannot be combined with the branch "${value}"`);
      flushLower();
      out.push(branchRange(branch[1]));
      continue;
    }
    if (!VERSION.test(value)) fail(`"${term}" is not a version`);
    if (op === '>=') {
      flushLower();
      lower = value;
    } else if (op === '<' || op === '<=') {
      const bound = op === '<' ? { lessThan: value } : { lessThanOrEqual: value };
      out.push(closeRange(lower ?? '0', bound, fail));
      lower = undefined;
    } else {
      flushLower();
      out.push({ version: value, status: 'affected' });
    }
  }
  flushLower();
  if (out.length === 0) fail('name the affected versions, e.g. ">= 3.0, < 3.4.2"');
  // The same statement twice is a typo, and CVE JSON 5 refuses duplicates.
  const seen = new Set<string>();
  for (const s of out) {
    const key = JSON.stringify(s);
    if (seen.has(key)) fail(`"${s.version}" is listed twice`);
    seen.add(key);
  }
  return out;
}

function closeRange(
  from: string,
  bound: { lessThan: string } | { lessThanOrEqual: string },
  fail: (message: string) => never,
): VersionStatement {
  const to = 'lessThan' in bound ? bound.lessThan : bound.lessThanOrEqual;
  if (!VERSION.test(from)) fail(`"${from}" is not a version`);
  if (!VERSION.test(to)) fail(`"${to}" is not a version`);
  const order = compareNumericVersions(from, to);
  if (order !== undefined && (order > 0 || (order === 0 && 'lessThan' in bound))) {
    fail(`the range from ${from} to ${to} is empty`);
  }
  return { version: from, ...bound, status: 'affected' };
}

/** What a case contributes to an advisory draft. */
export interface AssessmentDraftInput {
  caseNumber: string;
  assessment: Pick<Assessment, 'cvss31' | 'cvss40' | 'cwe' | 'affected'>;
  /** The program's products (`scope.products`); names in the draft come from here. */
  products: readonly Pick<Product, 'id' | 'name'>[];
  /** Public title and description, written for the outside world (not the report's text). */
  title: string;
  description: string;
  cve?: string;
  /** Credits as the reporter consented to them; nothing else is ever copied in. */
  credits?: Credit[];
}

const scoreOf = (cvss: Assessment['cvss31']): CvssScore | undefined =>
  // The severity published beside a base score is the base score's band, not the rating of the
  // full vector (which may carry threat or environmental metrics).
  cvss ? { vector: cvss.vector, baseScore: cvss.baseScore, severity: severityOf(cvss.baseScore) } : undefined;

/**
 * Turn one case's assessment into a `Vulnerability` draft: scores, CWE, affected products with
 * parsed versions and a vendor-fix remediation per fixed-in version. Every problem (unknown
 * product, unreadable versions, no affected product) is reported at once in a `ValidationError`.
 */
export function draftVulnerabilityFromAssessment(input: AssessmentDraftInput): Vulnerability {
  const problems: FieldProblem[] = [];
  const byId = new Map(input.products.map((p) => [p.id, p]));
  const affected: AffectedProduct[] = [];
  const remediations: Remediation[] = [];
  if (input.assessment.affected.length === 0) {
    problems.push({ path: 'affected', message: 'the assessment names no affected product' });
  }
  input.assessment.affected.forEach((a, i) => {
    const product = byId.get(a.productId);
    if (!product) {
      problems.push({
        path: `affected.${i}.productId`,
        message: `"${a.productId}" is not a product of this program`,
      });
    }
    let versions: VersionStatement[] = [];
    try {
      versions = parseVersionRanges(a.versions, `affected.${i}.versions`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      problems.push(...e.fields);
    }
    const fixedIn = a.fixedIn?.trim() || undefined;
    if (fixedIn !== undefined && !isPlainVersion(fixedIn)) {
      problems.push({
        path: `affected.${i}.fixedIn`,
        message: `"${fixedIn}" is not a single version, e.g. "3.4.2"`,
      });
    }
    if (!product || versions.length === 0) return;
    // "From 3.0 on" (or "all") with a fixed-in version means "up to the fix": close open ranges
    // there, or the artefacts would call the fixed versions affected.
    if (fixedIn !== undefined && isPlainVersion(fixedIn)) {
      versions = versions.map((s) =>
        s.lessThan === '*' && compareNumericVersions(s.version, fixedIn) !== 1 && s.version !== fixedIn
          ? { ...s, lessThan: fixedIn }
          : s,
      );
    }
    affected.push({
      productId: product.id,
      productName: product.name,
      versions,
      fixedIn,
      defaultStatus: 'unaffected',
    });
    if (fixedIn) {
      remediations.push({
        category: 'vendor_fix',
        details: `Update ${product.name} to version ${fixedIn} or later.`,
        productIds: [product.id],
      });
    }
  });
  if (problems.length > 0) throw new ValidationError(problems);

  const parsed = vulnerabilitySchema.safeParse({
    cve: input.cve,
    title: input.title,
    description: input.description,
    cwe: input.assessment.cwe,
    cvss31: scoreOf(input.assessment.cvss31),
    cvss40: scoreOf(input.assessment.cvss40),
    affected,
    remediations,
    credits: input.credits ?? [],
    caseNumbers: [input.caseNumber],
  });
  if (!parsed.success) {
    throw new ValidationError(
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  return parsed.data;
}
