import { createRequire } from 'node:module';
import type cvssCalculatorModule from 'ae-cvss-calculator';
import { ValidationError } from '../core/index.js';

/**
 * CVSS 3.1 and 4.0 vectors: strict parsing, the normalised vector and the score.
 *
 * ae-cvss-calculator computes the scores, but it is lenient on input (it drops a missing prefix,
 * lets a later duplicate win and reads "CVSS:3.0" as 3.1), so the syntax is checked here first
 * against the metric table the library itself registers. Order is not enforced: the 4.0
 * specification is not consistent about it and pasted vectors often come reordered; the
 * normalised vector always uses the specification's order and leaves out "X" (Not Defined),
 * which means the same as an absent metric.
 */

// The package is a webpack UMD bundle (CommonJS to Node). It is loaded on the first vector, not at
// start-up: an idle instance would otherwise hold its 190 KB of source and what it builds.
let calculator: typeof cvssCalculatorModule | undefined;
const calc = (): typeof cvssCalculatorModule =>
  (calculator ??= createRequire(import.meta.url)('ae-cvss-calculator') as typeof cvssCalculatorModule);

export const CVSS_VERSIONS = ['3.1', '4.0'] as const;
export type CvssVersion = (typeof CVSS_VERSIONS)[number];

export const SEVERITIES = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface CvssResult {
  version: CvssVersion;
  /** The vector in the specification's metric order, without Not Defined ("X") metrics. */
  vector: string;
  /** Score of the base metrics alone. */
  baseScore: number;
  /** Score of the whole vector (with temporal/threat and environmental metrics when present). */
  score: number;
  /** Qualitative rating of `score`. */
  severity: Severity;
  /** CVSS 4.0 nomenclature of `score`: CVSS-B, CVSS-BT, CVSS-BE or CVSS-BTE. */
  nomenclature?: string;
  /** Every metric given, by its abbreviation (e.g. { AV: 'N', ... }). */
  metrics: Record<string, string>;
}

/** The qualitative severity rating scale, identical in CVSS 3.1 and 4.0. */
export function severityOf(score: number): Severity {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

interface MetricSpec {
  key: string;
  name: string;
  values: string[];
  base: boolean;
}

/** The metrics the library registers, in the specification's vector order. */
function metricTable(version: CvssVersion): MetricSpec[] {
  const probe = version === '3.1' ? new (calc().Cvss3P1)() : new (calc().Cvss4P0)();
  const categories =
    probe instanceof calc().Cvss4P0
      ? probe.getVectorStringOrderProperties()
      : probe.getRegisteredComponents();
  const out: MetricSpec[] = [];
  for (const [category, components] of categories) {
    for (const c of components) {
      out.push({
        key: c.shortName,
        name: c.name,
        // Hidden values (e.g. "S" on the 4.0 base subsequent-system metrics) are not valid input.
        values: c.values.filter((v) => !v.hide).map((v) => v.shortName),
        base: category.name === 'base',
      });
    }
  }
  return out;
}

/** Each version's metric table, read from the library once, on the first vector of that version. */
const tables = new Map<CvssVersion, MetricSpec[]>();
const tableOf = (version: CvssVersion): MetricSpec[] => {
  let table = tables.get(version);
  if (!table) {
    table = metricTable(version);
    tables.set(version, table);
  }
  return table;
};

const EXAMPLES: Record<CvssVersion, string> = {
  '3.1': 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  '4.0': 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
};

/** Every problem with a vector, in words a person can act on; empty when it is valid. */
export function cvssProblems(version: CvssVersion, input: string): string[] {
  const text = input.trim();
  const prefix = `CVSS:${version}/`;
  if (!text.startsWith(prefix)) {
    const other = /^CVSS:(\d+\.\d+)\//.exec(text)?.[1];
    return [
      other
        ? `is a CVSS ${other} vector; expected CVSS ${version}, e.g. ${EXAMPLES[version]}`
        : `must start with "${prefix}", e.g. ${EXAMPLES[version]}`,
    ];
  }
  const table = tableOf(version);
  const problems: string[] = [];
  const seen = new Map<string, string>();
  // A base metric with a bad value is reported once, not also as missing.
  const flagged = new Set<string>();
  for (const part of text.slice(prefix.length).split('/')) {
    const m = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part);
    if (!m) {
      problems.push(`"${part}" is not a metric; write each as NAME:VALUE, separated by "/"`);
      continue;
    }
    const [, key, value] = m as unknown as [string, string, string];
    const spec = table.find((s) => s.key === key);
    if (!spec) {
      problems.push(`"${key}" is not a CVSS ${version} metric`);
      continue;
    }
    flagged.add(key);
    if (seen.has(key)) {
      problems.push(`${key} (${spec.name}) appears more than once`);
      continue;
    }
    if (!spec.values.includes(value)) {
      problems.push(`${key}:${value} is not allowed; ${spec.name} takes ${spec.values.join(', ')}`);
      continue;
    }
    if (spec.base && value === 'X') {
      problems.push(`${key} (${spec.name}) is a base metric and must have a value, not X`);
      continue;
    }
    flagged.delete(key);
    seen.set(key, value);
  }
  const missing = table.filter((s) => s.base && !seen.has(s.key) && !flagged.has(s.key));
  if (missing.length > 0) {
    problems.push(
      `misses the base metric${missing.length > 1 ? 's' : ''} ${missing.map((s) => s.key).join(', ')}`,
    );
  }
  return problems;
}

/** Parse a vector that `cvssProblems` accepted (throws a plain Error otherwise). */
function parseValid(version: CvssVersion, input: string): CvssResult {
  const given = new Map(
    input
      .trim()
      .slice(`CVSS:${version}/`.length)
      .split('/')
      .map((p) => p.split(':') as [string, string]),
  );
  const metrics: Record<string, string> = {};
  const parts = [`CVSS:${version}`];
  for (const spec of tableOf(version)) {
    const value = given.get(spec.key);
    if (value === undefined || value === 'X') continue;
    metrics[spec.key] = value;
    parts.push(`${spec.key}:${value}`);
  }
  const vector = parts.join('/');
  if (version === '3.1') {
    const scores = new (calc().Cvss3P1)(vector).calculateScores();
    const score = scores.overall;
    return { version, vector, baseScore: scores.base ?? score, score, severity: severityOf(score), metrics };
  }
  const v = new (calc().Cvss4P0)(vector);
  const scores = v.calculateScores();
  return {
    version,
    vector,
    baseScore: scores.baseMetricsOnly ?? scores.overall,
    score: scores.overall,
    severity: severityOf(scores.overall),
    nomenclature: v.getNomenclature(),
    metrics,
  };
}

/**
 * Validate and score a vector. An invalid one throws a ValidationError on `field` (default: the
 * version's own field name) listing every problem.
 */
export function scoreCvss(version: CvssVersion, input: string, field = fieldFor(version)): CvssResult {
  const problems = cvssProblems(version, input);
  if (problems.length > 0) throw new ValidationError([{ path: field, message: problems.join('; ') }]);
  return parseValid(version, input);
}

export const fieldFor = (version: CvssVersion) => (version === '3.1' ? 'cvss31' : 'cvss40');
