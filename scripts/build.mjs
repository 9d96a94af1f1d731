#!/usr/bin/env node
// Build dist/ (server, staff console, portal PHI guard) unless it already matches the sources.
//   node scripts/build.mjs           build only when the sources changed since the last build
//   node scripts/build.mjs --force   build in any case (what `npm run build` runs)
// `npm start` runs the first form, so a second start goes straight to the server.
//
// Before the console is built, the OpenAPI document and the console's types are regenerated from
// the route schemas (scripts/openapi.ts), so a console can never be built against stale types.
// Under CI=true they are only compared, and the build fails when the committed copies differ: a CI
// build that rewrote them would hide the drift from test/openapi-drift.test.ts.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildState, forgetBuild, inputFingerprint, recordBuild, root } from './build-state.mjs';

const force = process.argv.includes('--force') || /^(1|true|yes)$/i.test(process.env.VIGIL_REBUILD ?? '');
const quiet = process.argv.includes('--quiet');
const ci = /^(1|true|yes)$/i.test(process.env.CI ?? '');
const say = (s) => quiet || process.stdout.write(`${s}\n`);

if (!force && buildState() === 'fresh') {
  say('vigil: dist/ is up to date with the sources; skipping the build (npm run build forces one).');
  process.exit(0);
}

const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file);
const steps = [
  ['server', bin('typescript', 'bin/tsc'), ['-p', 'tsconfig.build.json']],
  [
    'OpenAPI document and console types',
    bin('tsx', 'dist/cli.mjs'),
    ['scripts/openapi.ts', ci ? '--check' : '--quiet'],
  ],
  ['console types', bin('typescript', 'bin/tsc'), ['-p', 'web/tsconfig.json']],
  ['console', bin('vite', 'bin/vite.js'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']],
  [
    'portal PHI guard',
    bin('vite', 'bin/vite.js'),
    ['build', '--config', 'web/vite.phi.config.ts', '--logLevel', 'warn'],
  ],
];

// The fingerprint is taken before building: an edit made while the build runs makes the next start build again.
const fingerprint = inputFingerprint();
forgetBuild();
say('vigil: building dist/ (server, staff console, portal) …');
const started = Date.now();
for (const [what, script, args] of steps) {
  const r = spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`vigil: the build of the ${what} failed (see above); dist/ is not usable.\n`);
    process.exit(1);
  }
}
recordBuild(fingerprint);
say(`vigil: built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
