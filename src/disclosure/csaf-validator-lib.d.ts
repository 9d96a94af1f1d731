// Declarations for the parts of @secvisogram/csaf-validator-lib the CSAF check uses (the package
// ships JavaScript with JSDoc only). Each test module is read as a whole (`import * as`), so only
// the members named in code are declared; the rest are reached through the namespace object.

declare module '@secvisogram/csaf-validator-lib/validateStrict.js' {
  export interface CsafValidatorFinding {
    message: string;
    instancePath: string;
  }
  export interface CsafValidatorTestResult {
    name: string;
    isValid: boolean;
    errors: CsafValidatorFinding[];
    warnings: CsafValidatorFinding[];
    infos: CsafValidatorFinding[];
  }
  /** One test of the library; `validateStrict` refuses functions that are not the library's own. */
  export type CsafDocumentTest = (doc: unknown) => unknown;
  /** Run the tests in order; resolves to every test's result. */
  export default function validateStrict(
    tests: readonly CsafDocumentTest[],
    doc: unknown,
  ): Promise<{ isValid: boolean; tests: CsafValidatorTestResult[] }>;
}

/** The strict CSAF 2.0 schema test and every mandatory test (6.1.x). */
declare module '@secvisogram/csaf-validator-lib/basic.js' {
  import type { CsafDocumentTest } from '@secvisogram/csaf-validator-lib/validateStrict.js';
  export const csaf_2_0_strict: CsafDocumentTest;
}

/** The recommended ("optional") tests, 6.2.x. */
declare module '@secvisogram/csaf-validator-lib/optionalTests.js' {
  import type { CsafDocumentTest } from '@secvisogram/csaf-validator-lib/validateStrict.js';
  export const optionalTest_6_2_1: CsafDocumentTest;
}

/** The informative tests, 6.3.x; 6.3.6/6.3.7 fetch URLs and 6.3.8 runs hunspell. */
declare module '@secvisogram/csaf-validator-lib/informativeTests.js' {
  import type { CsafDocumentTest } from '@secvisogram/csaf-validator-lib/validateStrict.js';
  export const informativeTest_6_3_6: CsafDocumentTest;
  export const informativeTest_6_3_7: CsafDocumentTest;
  export const informativeTest_6_3_8: CsafDocumentTest;
}
