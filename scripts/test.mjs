#!/usr/bin/env node
// Runs the whole test suite once: on SQLite always, and on PostgreSQL too when
// VIGIL_TEST_DATABASE_URL is set (database-backed suites loop over both dialects).
// Prints a closing "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

const pg = process.env.VIGIL_TEST_DATABASE_URL;
if (pg) {
  process.stdout.write(`Vigil tests: SQLite and PostgreSQL (${pg.replace(/\/\/[^@/]*@/, '//***@')}).\n`);
} else {
  process.stdout.write(
    'NOTICE: VIGIL_TEST_DATABASE_URL is not set, so the PostgreSQL run is SKIPPED; only SQLite is tested.\n' +
      '        Set it, e.g. VIGIL_TEST_DATABASE_URL=postgres://127.0.0.1:5432/test npm test\n',
  );
}

// The browser tests load the staff console from dist/console: build it first (Vite, a few seconds).
const consoleBuild = spawnSync(
  'npx',
  ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
  {
    stdio: 'inherit',
    env: process.env,
  },
);
if (consoleBuild.status !== 0) {
  process.stderr.write(
    '\nFAILED: the staff console did not build (npx vite build --config web/vite.config.ts); see the errors above.\n' +
      '        The console tests need dist/console, so the test run stops here.\n',
  );
  process.exit(1);
}

// The portal's browser tests load the PHI guard from dist/portal: bundle it too (Vite, a second).
const portalBuild = spawnSync(
  'npx',
  ['vite', 'build', '--config', 'web/vite.phi.config.ts', '--logLevel', 'warn'],
  { stdio: 'inherit', env: process.env },
);
if (portalBuild.status !== 0) {
  process.stderr.write(
    '\nFAILED: the portal PHI guard did not build (npx vite build --config web/vite.phi.config.ts); see the errors above.\n',
  );
  process.exit(1);
}

mkdirSync('test-results', { recursive: true });
const report = 'test-results/vitest.json';
const args = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
];
const run = spawnSync('npx', args, { stdio: 'inherit', env: process.env });

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
  skipped = r.numPendingTests + r.numTodoTests;
} catch {
  failed = Math.max(failed, 1);
}
if (!pg) process.stdout.write('NOTICE: PostgreSQL run skipped (VIGIL_TEST_DATABASE_URL not set).\n');
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
