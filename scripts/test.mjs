#!/usr/bin/env node
// `npm test`: the whole test suite, once, on a machine that may be fresh.
//  1. The outside programs some suites drive (Chromium, swaks, Dovecot, GnuPG): as root on
//     Debian/Ubuntu, missing ones are installed with apt-get; elsewhere their suites skip and a
//     notice names each one, at the start and again at the end. With CI=true nothing may skip.
//  2. dist/ is built when the sources changed since the last build (the CLI smoke tests run it,
//     the browser tests load the console and the portal bundle from it).
//  3. Vitest runs on SQLite always, and on PostgreSQL too when VIGIL_TEST_DATABASE_URL is set.
// It ends with one line: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCi, missingNotice, planTools, verdict } from './test-tools.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ci = isCi();
const say = (s) => process.stdout.write(`${s}\n`);
const notices = [];

// 1. Outside programs.
let plan = planTools();
if (plan.install.length > 0) {
  // dpkg's progress runs to hundreds of lines: it goes to a log, shown only when something fails.
  mkdirSync(path.join(root, 'test-results'), { recursive: true });
  const log = path.join(root, 'test-results', 'apt-get.log');
  say(`Installing what the test suites need with apt-get: ${plan.install.join(' ')} (log: ${log})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => {
    const r = spawnSync('apt-get', args, { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    appendFileSync(log, `$ apt-get ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}\n`);
    return r;
  };
  writeFileSync(log, '');
  const update = apt(['update', '-qq']);
  const install = update.status === 0 ? apt(['install', '-y', '-qq', ...plan.install]) : update;
  if (install.status !== 0) {
    const tail = readFileSync(log, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
    say(`${tail}\napt-get could not install them (above, the end of ${log}); their suites will skip.`);
  } else say('Installed.');
  plan = planTools();
}
if (plan.missing.length > 0) notices.push(missingNotice(plan.missing, { ci }));

// The official CVE record schema is test data beside the checkout, not part of Vigil.
const cveSchema = path.resolve(root, '..', 'shared', 'standards', 'cve', 'CVE_Record_Format_bundled.json');
const haveCveSchema = existsSync(cveSchema);
if (!haveCveSchema)
  notices.push(
    [
      '',
      '='.repeat(78),
      `${ci ? 'FAILED' : 'NOTICE'}: the official CVE JSON 5 schema is not at ${cveSchema};`,
      '  CVE records are checked with Vigil’s own rules only, and the comparisons with the',
      '  official schema are SKIPPED (src/disclosure/cve-record.test.ts). CI must have it.',
      '='.repeat(78),
      '',
    ].join('\n'),
  );

const pg = process.env.VIGIL_TEST_DATABASE_URL;
if (pg) say(`Vigil tests: SQLite and PostgreSQL (${pg.replace(/\/\/[^@/]*@/, '//***@')}).`);
else
  notices.push(
    'NOTICE: VIGIL_TEST_DATABASE_URL is not set, so the PostgreSQL run is SKIPPED; only SQLite is tested.\n' +
      '        Set it, e.g. VIGIL_TEST_DATABASE_URL=postgres://127.0.0.1:5432/test npm test',
  );
for (const n of notices) say(n);
if (ci && (plan.missing.length > 0 || !haveCveSchema)) {
  say('CI=true: a suite would skip, so the run stops here.');
  process.exit(1);
}

// 2. dist/, built only when the sources changed.
const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) {
  say('\nFAILED: dist/ did not build (see above); the CLI smoke and browser tests need it.');
  process.exit(1);
}

// 3. Vitest.
mkdirSync(path.join(root, 'test-results'), { recursive: true });
const reportFile = path.join(root, 'test-results', 'vitest.json');
// A report left by an earlier run must never stand in for this one.
rmSync(reportFile, { force: true });
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const run = spawnSync(
  process.execPath,
  [
    vitest,
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportFile}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env: process.env },
);

let report;
try {
  report = JSON.parse(readFileSync(reportFile, 'utf8'));
} catch {
  report = undefined;
}
const result = verdict(report, { ci, exitCode: run.status });
// The notices again, where a reader of the end of the log sees them.
for (const n of notices) say(n);
if (plan.missing.length === 0) say('All outside programs the suites drive were here.');
if (ci && result.skipped > 0)
  say(
    `FAILED: CI=true and ${result.skipped} test(s) skipped:\n${result.skippedTests.map((t) => `  - ${t}`).join('\n')}`,
  );
say(`\n${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`);
process.exit(result.ok ? 0 : 1);
