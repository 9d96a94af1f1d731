import type { Assessment } from '../assessment/index.js';
import { cvssProblems, findCwe, scoreCvss, severityOf } from '../assessment/index.js';
import { type FieldProblem, ValidationError } from '../core/index.js';
import type { Program } from '../programs/index.js';
import type { AdvisoryContent, Credit, Vulnerability } from './advisory-model.js';
import { draftVulnerabilityFromAssessment } from './version-ranges.js';

/**
 * The pure parts of drafting an advisory: a vulnerability prefilled from a case's assessment (with
 * the credit its reporter consents to, from src/credit-consent), and the checks an advisory's
 * content must pass beyond its schema (products of the program, CWE ids of the catalogue, scoring
 * vectors, consented credits).
 */

/** What one case contributes to a draft: its number, its assessment and the consented credit. */
export interface CaseSource {
  caseNumber: string;
  assessment: Assessment;
  credit?: Credit;
}

const cut = (s: string, max: number) => ([...s].length > max ? `${[...s].slice(0, max - 1).join('')}…` : s);

/**
 * A vulnerability prefilled from one case's assessment (scores, CWE, affected products with
 * parsed version ranges, a vendor-fix remediation per fixed product — see
 * `draftVulnerabilityFromAssessment`) and the consented credit. The title and description are
 * plain placeholders from the CWE and products: the reporter's own text is never copied, since it
 * may carry what must not be published. Unreadable versions throw a ValidationError.
 */
export function vulnerabilityFromCase(program: Program, source: CaseSource): Vulnerability {
  const a = source.assessment;
  const products = [...new Set(a.affected.map((p) => p.productName))].join(', ');
  return draftVulnerabilityFromAssessment({
    caseNumber: source.caseNumber,
    assessment: a,
    products: program.definition.scope.products,
    title: cut(a.cwe ? `${a.cwe.name} in ${products}` : `Vulnerability in ${products}`, 300),
    description: cut(
      a.cwe
        ? `A weakness of the kind ${a.cwe.id} (${a.cwe.name}) affects ${products}.`
        : `A vulnerability affects ${products}.`,
      4000,
    ),
    credits: source.credit ? [source.credit] : [],
  });
}

/** Case states in which a vulnerability is confirmed (or was, for a closed case). */
const CONFIRMED_STATES = ['confirmed', 'in_remediation', 'disclosed', 'closed'];

/** A case offered for a draft, with what drafting needs to know about it. */
export interface DraftCase extends CaseSource {
  state: string;
  program: Pick<Program, 'id' | 'slug'>;
}

/**
 * The vulnerabilities of a new advisory, one per case, and every reason a case cannot be one
 * (another program, not confirmed, nothing assessed, unreadable versions), each at `cases.<i>`,
 * all in one pass so a request with several bad cases hears about all of them.
 */
export function vulnerabilitiesFromCases(
  program: Program,
  cases: DraftCase[],
): { vulnerabilities: Vulnerability[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const vulnerabilities: Vulnerability[] = [];
  for (const [i, c] of cases.entries()) {
    const refuse = (message: string) => {
      problems.push({ path: `cases.${i}`, message });
    };
    if (c.program.id !== program.id) {
      refuse(
        `${c.caseNumber} belongs to ${c.program.slug}, not ${program.slug}: an advisory speaks for one program`,
      );
      continue;
    }
    if (!CONFIRMED_STATES.includes(c.state)) {
      refuse(
        `${c.caseNumber} is ${c.state.replace(/_/g, ' ')}; only a confirmed vulnerability goes into an advisory`,
      );
      continue;
    }
    if (c.assessment.affected.length === 0) {
      refuse(`${c.caseNumber} names no affected product in its assessment; assess it first`);
      continue;
    }
    try {
      vulnerabilities.push(vulnerabilityFromCase(program, c));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // The assessment's own words cannot become an advisory: name the case and its field.
      for (const f of err.fields)
        refuse(`${c.caseNumber}: assessment ${f.path}: ${f.message}; correct the assessment first`);
    }
  }
  return { vulnerabilities, problems };
}

/** The first draft of an advisory from its cases (each case one vulnerability). */
export function draftContent(program: Program, vulnerabilities: Vulnerability[]): AdvisoryContent {
  const products = [...new Set(vulnerabilities.flatMap((v) => v.affected.map((p) => p.productName)))];
  const only = vulnerabilities.length === 1 ? vulnerabilities[0] : undefined;
  return {
    title: only
      ? only.title
      : cut(`${vulnerabilities.length} vulnerabilities in ${products.join(', ')}`, 300),
    summary: `${program.definition.vendor.name} has confirmed ${vulnerabilities.length === 1 ? 'a vulnerability' : `${vulnerabilities.length} vulnerabilities`} in ${products.join(', ')}. Affected versions and remediations are listed below.`,
    vulnerabilities,
    references: [],
    tlp: 'CLEAR',
  };
}

/**
 * Problems of valid-shaped content that only the program and the cases can reveal, each at its
 * path. CVSS scores and severities are recomputed from the vectors (the vector is the source of
 * truth), and CWE names taken from the catalogue; the normalised content is returned.
 */
export function checkContent(
  program: Program,
  content: AdvisoryContent,
  ctx: { caseNumbers: string[]; consentedCredits: string[] },
): { content: AdvisoryContent; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const productIds = new Set(program.definition.scope.products.map((p) => p.id));
  const vulnerabilities = content.vulnerabilities.map((v, i) => {
    const at = `vulnerabilities.${i}`;
    const out: Vulnerability = { ...v };
    v.affected.forEach((p, j) => {
      if (!productIds.has(p.productId))
        problems.push({
          path: `${at}.affected.${j}.productId`,
          message: `"${p.productId}" is not a product of ${program.slug}; expected one of: ${[...productIds].join(', ')}`,
        });
    });
    if (v.cwe) {
      const known = findCwe(v.cwe.id);
      if (!known) problems.push({ path: `${at}.cwe.id`, message: `${v.cwe.id} is not in the CWE catalogue` });
      else out.cwe = { id: known.id, name: cut(known.name, 300) };
    }
    for (const [key, version] of [
      ['cvss31', '3.1'],
      ['cvss40', '4.0'],
    ] as const) {
      const s = v[key];
      if (!s) continue;
      const found = cvssProblems(version, s.vector);
      if (found.length > 0) {
        problems.push({ path: `${at}.${key}.vector`, message: found.join('; ') });
        continue;
      }
      const r = scoreCvss(version, s.vector);
      out[key] = { vector: r.vector, baseScore: r.baseScore, severity: severityOf(r.baseScore) };
    }
    v.credits.forEach((c, j) => {
      if (!ctx.consentedCredits.includes(c.text))
        problems.push({
          path: `${at}.credits.${j}.text`,
          message:
            "is not a credit a reporter of this advisory's cases consented to; credits are the reporter's own words, taken from their case",
        });
    });
    v.caseNumbers.forEach((n, j) => {
      if (!ctx.caseNumbers.includes(n))
        problems.push({
          path: `${at}.caseNumbers.${j}`,
          message: `${n} is not one of the cases this advisory was drafted from`,
        });
    });
    return out;
  });
  return { content: { ...content, vulnerabilities }, problems };
}
