// The outside programs some test suites drive (a real browser, a second SMTP client, a real IMAP
// server, GnuPG), how to tell whether each is here, and which Debian package brings it.
//
// `npm test` (scripts/test.mjs) asks `planTools` what to do: as root on Debian/Ubuntu it installs
// what is missing with apt-get, as CI does; elsewhere the suites that need a missing program skip,
// and the run says so loudly at its start and end. With CI=true nothing may skip: a missing
// program fails the run. Test files decide with `toolMissing` (test/helpers/tools.ts), which
// reads the same table, so the runner and the suites cannot disagree.
//
//   node scripts/test-tools.mjs          print what is missing and what would be done; exit 1
//                                        when CI=true and something is missing
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const executable = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Whether `name` is an executable file in one of the PATH's folders. */
export const onPath = (name, env = process.env) =>
  (env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && executable(path.join(dir, name)));

/** Where Debian puts gpg-wks-client (it is not on the PATH); undefined when it is absent. */
export const wksClientPath = () =>
  ['/usr/lib/gnupg/gpg-wks-client', '/usr/libexec/gpg-wks-client'].find((p) => executable(p));

/**
 * Each program: `id` (what suites name), the Debian `package`, what the suites use it `for`, and
 * how to find it (absolute paths may be moved with the variable named in `override`).
 */
export const TOOLS = [
  {
    id: 'chromium',
    package: 'chromium',
    for: 'browser tests: Playwright drives Debian’s Chromium (never a downloaded browser)',
    override: 'VIGIL_CHROMIUM',
    present: (env) => executable(env.VIGIL_CHROMIUM || '/usr/bin/chromium'),
  },
  {
    id: 'swaks',
    package: 'swaks',
    for: 'mail delivered by a second, independent SMTP client',
    present: (env) => onPath('swaks', env),
  },
  {
    id: 'dovecot',
    package: 'dovecot-imapd',
    for: 'the IMAP poller against a real IMAP server',
    present: () => executable('/usr/sbin/dovecot') && executable('/usr/lib/dovecot/imap'),
  },
  {
    id: 'gpg',
    package: 'gnupg',
    for: 'GnuPG as an outside OpenPGP client (encrypting, signing, verifying)',
    present: (env) => onPath('gpg', env),
  },
  {
    id: 'gpg-wks-client',
    package: 'gpg-wks-client',
    for: 'GnuPG’s Web Key Directory hash, to compare with Vigil’s',
    present: () => Boolean(wksClientPath()),
  },
];

export const toolById = (id) => {
  const tool = TOOLS.find((t) => t.id === id);
  if (!tool) throw new Error(`unknown test tool "${id}"; known: ${TOOLS.map((t) => t.id).join(', ')}`);
  return tool;
};

export const isCi = (env = process.env) => /^(1|true|yes)$/i.test(env.CI ?? '');

/** The test files (relative to the project) that declare they need `id`, by `toolMissing('id')`. */
export function suitesNeeding(id) {
  const found = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.test\.tsx?$/.test(e.name) && readFileSync(p, 'utf8').includes(`toolMissing('${id}')`))
        found.push(path.relative(root, p).split(path.sep).join('/'));
    }
  };
  for (const d of ['test', 'src']) if (existsSync(path.join(root, d))) walk(path.join(root, d));
  return found.sort();
}

/**
 * What to do about missing programs: `install` (Debian packages to install with apt-get, as root
 * on a machine that has it), `missing` (tools absent now), and `fail` (CI=true and something
 * would skip). `uid` and `env` are parameters so the decision can be tested without root.
 */
export function planTools({ env = process.env, uid = process.getuid?.() ?? -1 } = {}) {
  const missing = TOOLS.filter((t) => !t.present(env));
  const optOut = /^(0|false|no)$/i.test(env.VIGIL_TEST_INSTALL ?? '');
  const canInstall = uid === 0 && onPath('apt-get', env) && !optOut;
  // A tool moved with its variable is the caller's choice: installing the package would not bring it there.
  const installable = missing.filter((t) => !(t.override && env[t.override]));
  return {
    missing,
    install: canInstall ? [...new Set(installable.map((t) => t.package))] : [],
    canInstall,
    ci: isCi(env),
  };
}

/** The loud notice naming each missing program, the suites that skip for it and how to install it. */
export function missingNotice(missing, { ci = false } = {}) {
  if (missing.length === 0) return '';
  const packages = [...new Set(missing.map((t) => t.package))].join(' ');
  const lines = [
    '',
    '='.repeat(78),
    ci
      ? 'FAILED: CI=true and these programs are missing, so their suites cannot run:'
      : 'NOTICE: these programs are missing, so the suites that need them are SKIPPED:',
  ];
  for (const t of missing) {
    lines.push(`  - ${t.id} (Debian package "${t.package}"): ${t.for}`);
    for (const s of suitesNeeding(t.id)) lines.push(`      skipped: ${s}`);
  }
  lines.push(`  Install them with:  sudo apt-get install -y ${packages}`);
  lines.push('  (as root, `npm test` installs them itself; VIGIL_TEST_INSTALL=0 turns that off)');
  lines.push('='.repeat(78), '');
  return lines.join('\n');
}

/**
 * The run's verdict from Vitest's JSON report: counts, the names of skipped tests, and whether it
 * passed. With CI=true a skipped test fails the run too, so a suite cannot quietly stop running.
 */
export function verdict(report, { ci = false, exitCode = 0 } = {}) {
  if (!report) return { passed: 0, failed: 1, skipped: 0, skippedTests: [], ok: false };
  const passed = report.numPassedTests;
  const failed = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
  const skippedTests = report.testResults.flatMap((file) =>
    file.assertionResults
      .filter((a) => a.status === 'pending' || a.status === 'skipped' || a.status === 'todo')
      .map((a) => `${path.relative(root, file.name)} > ${a.fullName}`),
  );
  const skipped = report.numPendingTests + report.numTodoTests;
  const ok = exitCode === 0 && failed === 0 && passed > 0 && !(ci && skipped > 0);
  return { passed, failed, skipped, skippedTests, ok };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const plan = planTools();
  if (plan.missing.length === 0) process.stdout.write('All programs the test suites drive are installed.\n');
  else {
    if (plan.install.length > 0)
      process.stdout.write(`Would install with apt-get: ${plan.install.join(' ')}\n`);
    process.stdout.write(`${missingNotice(plan.missing, { ci: plan.ci })}\n`);
  }
  process.exit(plan.ci && plan.missing.length > 0 ? 1 : 0);
}
