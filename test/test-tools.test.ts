import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planTools, suitesNeeding, TOOLS, type VitestReport, verdict } from '../scripts/test-tools.mjs';
import { repoRoot } from './helpers/cli.js';

/**
 * The test runner's provisioning: what it does on a machine without the programs the suites
 * drive. The machine is simulated by a PATH of an empty folder (and VIGIL_CHROMIUM pointing
 * nowhere); the scripts themselves run as real processes.
 */

function run(script: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'scripts', script)], {
      cwd: repoRoot,
      env: { HOME: os.tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out }));
  });
}

describe('test provisioning', () => {
  let bare: string;
  let bin: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    bare = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-bare-'));
    bin = path.join(bare, 'bin');
    await fs.mkdir(bin);
    env = { PATH: bin, VIGIL_CHROMIUM: path.join(bare, 'no-chromium') };
  });
  afterAll(async () => {
    await fs.rm(bare, { recursive: true, force: true });
  });

  it('finds the suites that declare each program', () => {
    expect(suitesNeeding('chromium')).toEqual(
      expect.arrayContaining(['test/e2e/console-smoke.test.ts', 'test/advisory-portal.test.ts']),
    );
    expect(suitesNeeding('swaks')).toEqual(
      expect.arrayContaining(['test/email-intake.test.ts', 'test/mail-threading.test.ts']),
    );
    expect(suitesNeeding('dovecot')).toEqual(
      expect.arrayContaining([
        'test/imap-poller.test.ts',
        'test/imap-dedupe.test.ts',
        'test/multi-instance.test.ts',
      ]),
    );
    for (const t of TOOLS) expect(suitesNeeding(t.id).length, t.id).toBeGreaterThan(0);
  });

  it('plans no install for someone who is not root, or who opts out, and lists what is missing', () => {
    const user = planTools({ env, uid: 1000 });
    expect(user.missing.map((t) => t.id)).toEqual(expect.arrayContaining(['chromium', 'swaks', 'gpg']));
    expect(user).toMatchObject({ install: [], canInstall: false, ci: false });
    expect(planTools({ env: { ...env, VIGIL_TEST_INSTALL: '0' }, uid: 0 }).install).toEqual([]);
    // Root without apt-get (not Debian) cannot install either.
    expect(planTools({ env, uid: 0 }).canInstall).toBe(false);
    expect(planTools({ env: { ...env, CI: 'true' }, uid: 1000 }).ci).toBe(true);
  });

  it('prints a notice naming each missing program, its package, its suites and the install command', async () => {
    const r = await run('test-tools.mjs', env);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('NOTICE: these programs are missing, so the suites that need them are SKIPPED');
    expect(r.out).toContain('- swaks (Debian package "swaks")');
    expect(r.out).toContain('skipped: test/email-intake.test.ts');
    expect(r.out).toContain('- chromium (Debian package "chromium")');
    expect(r.out).toContain('skipped: test/e2e/console-flow.test.ts');
    expect(r.out).toMatch(
      /Install them with: {2}sudo apt-get install -y .*\bchromium\b.*\bswaks\b.*\bgnupg\b/,
    );
  });

  it('with CI=true, a missing program fails: the check exits 1 and `npm test` stops before running anything', async () => {
    const check = await run('test-tools.mjs', { ...env, CI: 'true' });
    expect(check.code).toBe(1);
    expect(check.out).toContain('FAILED: CI=true and these programs are missing');
    const suite = await run('test.mjs', { ...env, CI: 'true' });
    expect(suite.code, suite.out).toBe(1);
    expect(suite.out).toContain('CI=true: a suite would skip, so the run stops here.');
    expect(suite.out).not.toContain('building dist/');
  });

  it.runIf(process.getuid?.() === 0)(
    'as root with apt-get, installs the missing packages, then names only what is still missing',
    async () => {
      // A stand-in apt-get that records its arguments and "installs" swaks and gpg into the PATH.
      const log = path.join(bare, 'apt-get.log');
      await fs.writeFile(
        path.join(bin, 'apt-get'),
        [
          '#!/bin/sh',
          `echo "$@" >> '${log}'`,
          'if [ "$1" = install ]; then',
          `  for t in swaks gpg; do printf '#!/bin/sh\\n' > '${bin}'/$t; /bin/chmod +x '${bin}'/$t; done`,
          'fi',
        ].join('\n'),
        { mode: 0o755 },
      );
      // CI=true: the runner stops after provisioning, because Chromium (moved by VIGIL_CHROMIUM) is still missing.
      const r = await run('test.mjs', { ...env, CI: 'true' });
      expect(r.code, r.out).toBe(1);
      const calls = (await fs.readFile(log, 'utf8')).trim().split('\n');
      expect(calls[0]).toBe('update -qq');
      expect(calls[1]).toMatch(/^install -y -qq /);
      expect(calls[1]?.split(' ')).toEqual(expect.arrayContaining(['swaks', 'gnupg']));
      // Installing the package would not put Chromium where VIGIL_CHROMIUM says.
      expect(calls[1]?.split(' ')).not.toContain('chromium');
      expect(r.out).toContain('- chromium (Debian package "chromium")');
      expect(r.out).not.toContain('- swaks (Debian package');
      expect(r.out).not.toContain('- gpg (Debian package');
    },
  );

  it('judges the run: failures, no tests at all, or with CI=true any skipped test fail it', () => {
    const report = (statuses: string[]): VitestReport => ({
      numPassedTests: statuses.filter((x) => x === 'passed').length,
      numFailedTests: statuses.filter((x) => x === 'failed').length,
      numPendingTests: statuses.filter((x) => x === 'skipped' || x === 'pending').length,
      numTodoTests: 0,
      testResults: [
        {
          name: path.join(repoRoot, 'test', 'x.test.ts'),
          assertionResults: statuses.map((status, i) => ({ status, fullName: `suite case ${i}` })),
        },
      ],
    });
    expect(verdict(report(['passed', 'passed'])).ok).toBe(true);
    expect(verdict(report(['passed', 'failed'])).ok).toBe(false);
    expect(verdict(report([])).ok).toBe(false);
    expect(verdict(undefined)).toMatchObject({ ok: false, failed: 1 });
    expect(verdict(report(['passed']), { exitCode: 1 }).ok).toBe(false);
    const skipping = report(['passed', 'skipped']);
    expect(verdict(skipping).ok).toBe(true);
    expect(verdict(skipping, { ci: true })).toMatchObject({
      ok: false,
      skipped: 1,
      skippedTests: ['test/x.test.ts > suite case 1'],
    });
  });
});
