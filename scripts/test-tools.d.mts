// Types of test-tools.mjs, for the test helpers written in TypeScript.
export interface TestTool {
  id: string;
  package: string;
  for: string;
  override?: string;
  present(env: NodeJS.ProcessEnv): boolean;
}
export const TOOLS: TestTool[];
export function wksClientPath(): string | undefined;
export function onPath(name: string, env?: NodeJS.ProcessEnv): boolean;
export function toolById(id: string): TestTool;
export function isCi(env?: NodeJS.ProcessEnv): boolean;
export function suitesNeeding(id: string): string[];
export function planTools(opts?: { env?: NodeJS.ProcessEnv; uid?: number }): {
  missing: TestTool[];
  install: string[];
  canInstall: boolean;
  ci: boolean;
};
export function missingNotice(missing: TestTool[], opts?: { ci?: boolean }): string;
export interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numRuntimeErrorTestSuites?: number;
  testResults: { name: string; assertionResults: { status: string; fullName: string }[] }[];
}
export function verdict(
  report: VitestReport | undefined,
  opts?: { ci?: boolean; exitCode?: number | null },
): { passed: number; failed: number; skipped: number; skippedTests: string[]; ok: boolean };
