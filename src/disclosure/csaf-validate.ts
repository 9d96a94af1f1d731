import type {
  CsafDocumentTest,
  CsafValidatorTestResult,
} from '@secvisogram/csaf-validator-lib/validateStrict.js';
import { ValidationError } from '../core/index.js';

/**
 * Run the CSAF validator on a generated document, the way publishing needs it: the strict schema
 * and the mandatory tests decide (any error refuses publication, with the validator's own
 * messages); the recommended (6.2.x) and informative (6.3.x) tests only advise the author.
 *
 * Offline on purpose: informative tests 6.3.6 and 6.3.7 fetch every URL in the document and 6.3.8
 * spawns hunspell — a publish step must not depend on the network or a spell checker, so those
 * three are left out. `validateStrict` is the library's guard that only its own tests run.
 *
 * The library compiles its schemas when imported, which costs seconds of CPU; it is loaded on
 * first use (Node caches the modules afterwards) so that importing the disclosure capability —
 * the server, the CLI — does not pay for it.
 */

export interface CsafFinding {
  /** The validator's test, e.g. `mandatoryTest_6_1_9` or `csaf_2_0_strict`. */
  test: string;
  /** JSON pointer into the document. */
  path: string;
  message: string;
}

export interface CsafValidation {
  /** Schema and mandatory tests all pass: the document may be published. */
  valid: boolean;
  /** Schema and mandatory test errors: the reasons to refuse. */
  errors: CsafFinding[];
  /** Findings of the recommended and informative tests, and any warnings of the others. */
  warnings: CsafFinding[];
}

const ONLINE = new Set(['informativeTest_6_3_6', 'informativeTest_6_3_7', 'informativeTest_6_3_8']);

export interface CsafTestSuites {
  /** Tests that decide whether a document may be published: strict schema + mandatory. */
  blocking: readonly CsafDocumentTest[];
  /** Tests that advise: recommended and informative, minus those that need network or hunspell. */
  advisory: readonly CsafDocumentTest[];
  validateStrict: (
    tests: readonly CsafDocumentTest[],
    doc: unknown,
  ) => Promise<{ isValid: boolean; tests: CsafValidatorTestResult[] }>;
}

/** Load the validator's test suites (on first use; later calls reuse Node's module cache). */
export async function loadCsafTests(): Promise<CsafTestSuites> {
  const [basic, optional, informative, strict] = await Promise.all([
    import('@secvisogram/csaf-validator-lib/basic.js'),
    import('@secvisogram/csaf-validator-lib/optionalTests.js'),
    import('@secvisogram/csaf-validator-lib/informativeTests.js'),
    import('@secvisogram/csaf-validator-lib/validateStrict.js'),
  ]);
  // A module namespace holds the tests as functions (TypeScript also imagines a `default`).
  const testsOf = (entries: [string, unknown][]) =>
    entries
      .filter(([name, test]) => typeof test === 'function' && !ONLINE.has(name))
      .map(([, test]) => test as CsafDocumentTest);
  return {
    blocking: testsOf(Object.entries(basic)),
    advisory: testsOf([...Object.entries(optional), ...Object.entries(informative)]),
    validateStrict: strict.default,
  };
}

const findings = (
  results: CsafValidatorTestResult[],
  pick: (r: CsafValidatorTestResult) => { message: string; instancePath: string }[],
) => results.flatMap((r) => pick(r).map((f) => ({ test: r.name, path: f.instancePath, message: f.message })));

/** Validate a CSAF 2.0 document: schema + mandatory tests as errors, the rest as warnings. */
export async function validateCsafDocument(doc: unknown): Promise<CsafValidation> {
  const suites = await loadCsafTests();
  const blocking = await suites.validateStrict(suites.blocking, doc);
  const advisory = await suites.validateStrict(suites.advisory, doc);
  const errors = findings(blocking.tests, (r) => r.errors);
  // A failing test without a message would otherwise refuse silently.
  for (const r of blocking.tests) {
    if (!r.isValid && r.errors.length === 0)
      errors.push({ test: r.name, path: '', message: 'the test failed' });
  }
  return {
    valid: blocking.isValid && errors.length === 0,
    errors,
    warnings: [
      ...findings(blocking.tests, (r) => r.warnings),
      ...findings(advisory.tests, (r) => [...r.errors, ...r.warnings, ...r.infos]),
    ],
  };
}

/**
 * The refusal as a `ValidationError` (a 400 with one field per finding, addressed `csaf/<pointer>`),
 * for the publish path: the author sees the validator's own messages.
 */
export function csafRefusal(errors: CsafFinding[]): ValidationError {
  return new ValidationError(
    errors.map((e) => ({ path: `csaf${e.path}`, message: `${e.message} (${e.test})` })),
    `The CSAF document fails the CSAF 2.0 validator:\n${describeCsafErrors(errors)}`,
  );
}

/** The refusal as one message per line, e.g. for a 4xx body or the CLI. */
export const describeCsafErrors = (errors: CsafFinding[]) =>
  errors.map((e) => `${e.path || '/'}: ${e.message} (${e.test})`).join('\n');
