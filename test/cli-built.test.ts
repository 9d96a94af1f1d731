import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildState } from '../scripts/build-state.mjs';
import { startChildServer, stopChildServer } from './helpers/child-server.js';
import { type CliResult, repoRoot, runBuiltVigil } from './helpers/cli.js';

/**
 * The compiled `vigil` command as an operator runs it: `node bin/vigil.js …` as a real process on
 * dist/, one smoke test per command group (the in-process CLI tests cover each command's
 * behaviour), and the README's documented invocations in a clean copy of the project.
 */

const show = (r: CliResult) => `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
const example = path.join(repoRoot, 'examples', 'programs', 'clinical-data-platform.yaml');

describe('the built CLI (node bin/vigil.js on dist/)', () => {
  let dataDir: string;
  let env: Record<string, string>;
  const vigil = (...args: string[]) => runBuiltVigil(args, env);

  beforeAll(async () => {
    // `npm test` builds first; alone, this builds when the sources changed (a no-op otherwise).
    const built = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs'), '--quiet'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`the build failed:\n${built.stdout}${built.stderr}`);
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-built-'));
    env = { VIGIL_DATA_DIR: dataDir, VIGIL_SEED_EXAMPLES: 'false', VIGIL_SMTP_LISTEN: 'false' };
  }, 300_000);
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('runs from dist/, built from these very sources', () => {
    expect(buildState()).toBe('fresh');
  });

  it('prints its help and exits 0; an unknown command exits 2 with the help', {
    timeout: 120_000,
  }, async () => {
    const help = await vigil('--help');
    expect(help.code, show(help)).toBe(0);
    expect(help.stdout).toContain(
      'Vigil: coordinated vulnerability disclosure for health-technology vendors',
    );
    for (const group of [
      'serve',
      'migrate',
      'program',
      'policy',
      'user',
      'token',
      'keys',
      'cve',
      'outbox',
      'audit',
    ])
      expect(help.stdout).toMatch(new RegExp(`^ {2}${group}\\b`, 'm'));
    const unknown = await vigil('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });

  // One instance, one command group after another, each command as its own process. Generous
  // timeouts: every call starts Node.js and loads the whole app, which takes seconds on a busy machine.
  describe.sequential('each command group on one data directory', { timeout: 120_000 }, () => {
    it('migrate, then program: an empty instance says so; import, list, export', async () => {
      const migrated = await vigil('migrate');
      expect(migrated.code, show(migrated)).toBe(0);
      expect(migrated.stdout).toMatch(/^Applied \d+ migration\(s\)/);
      const empty = await vigil('program', 'list');
      expect(empty.code, show(empty)).toBe(0);
      expect(empty.stdout).toBe(
        'There are no programs yet; add one with `vigil program import FILE.yaml`.\n',
      );
      const imported = await vigil('program', 'import', example);
      expect(imported.code, show(imported)).toBe(0);
      expect(imported.stdout).toBe('Created program lakeside-health (revision 1).\n');
      expect((await vigil('program', 'list')).stdout).toMatch(/^lakeside-health\tLHD\t/);
      const exported = await vigil('program', 'export', 'lakeside-health');
      expect(exported.stdout).toContain('slug: lakeside-health');
    });

    it('setup-link, user and token', async () => {
      const link = await vigil('setup-link');
      expect(link.code, show(link)).toBe(0);
      expect(link.stdout).toMatch(
        /first administrator .*\n {2}http:\/\/localhost:8080\/console\/setup#\S{20,}\n$/,
      );
      const created = await vigil('user', 'create', '--email', 'lead@vendor.example', '--role', 'admin');
      expect(created.code, show(created)).toBe(0);
      expect(created.stdout).toContain('Created user lead@vendor.example with role admin.');
      expect((await vigil('user', 'list')).stdout).toBe('lead@vendor.example\tadmin\n');
      const token = await vigil('token', 'create', '--user', 'lead@vendor.example', '--name', 'smoke');
      expect(token.code, show(token)).toBe(0);
      expect(token.stdout.trim()).toMatch(/^\S{30,}$/);
    });

    it('keys', async () => {
      const none = await vigil('keys', 'list');
      expect(none.stdout).toBe('There are no OpenPGP keys yet.\n');
      const key = await vigil('keys', 'generate', '--program', 'lakeside-health');
      expect(key.code, show(key)).toBe(0);
      expect(key.stdout).toMatch(/^Generated key [0-9A-F]{40,64} \(/);
      expect((await vigil('keys', 'export', '--program', 'lakeside-health')).stdout).toContain(
        '-----BEGIN PGP PUBLIC KEY BLOCK-----',
      );
    });

    it('policy and cve', async () => {
      const policy = await vigil('policy', 'seed-examples');
      expect(policy.code, show(policy)).toBe(0);
      expect(policy.stdout).toBe('Published version 1.0 for: lakeside-health.\n');
      const cve = await vigil('cve', 'export', 'CVE-2027-99999');
      expect(cve.code).toBe(1);
      expect(cve.stderr).toContain('No published advisory carries a CVE record for CVE-2027-99999');
    });

    it('outbox and audit', async () => {
      const outbox = await vigil('outbox', 'list');
      expect(outbox.code, show(outbox)).toBe(0);
      const audit = await vigil('audit', 'verify');
      expect(audit.code, show(audit)).toBe(0);
      expect(audit.stdout).toMatch(/^Audit log intact: \d+ entries verified\.\n$/);
    });

    it('serve: ready on /readyz, and exits 0 on SIGTERM', async () => {
      const server = await startChildServer({ dataDir });
      try {
        const ready = await fetch(`${server.url}/readyz`);
        expect(ready.status).toBe(200);
        expect(server.output()).toContain(`Vigil is running at https://vigil.test`);
      } finally {
        expect(await stopChildServer(server)).toEqual({ code: 0, signal: null });
      }
    });
  });
});

describe("the README's CLI invocations in a clean copy of the project", { timeout: 120_000 }, () => {
  let copy: string;
  let dataDir: string;
  beforeAll(async () => {
    // What a clone has: the project's files (tracked, or new and not ignored), no dist/, and the
    // node_modules an `npm install` makes (linked, not installed again).
    copy = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-clone-'));
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: repoRoot,
      encoding: 'utf8',
    })
      .split('\0')
      .filter(Boolean);
    for (const f of files) {
      const from = path.join(repoRoot, f);
      const stat = await fs.stat(from).catch(() => undefined);
      if (!stat?.isFile()) continue;
      await fs.mkdir(path.dirname(path.join(copy, f)), { recursive: true });
      await fs.copyFile(from, path.join(copy, f));
    }
    await fs.symlink(path.join(repoRoot, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-clone-data-'));
  }, 120_000);
  afterAll(async () => {
    await fs.rm(copy, { recursive: true, force: true });
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const env = () => ({ VIGIL_DATA_DIR: dataDir, VIGIL_SEED_EXAMPLES: 'false' });

  it('`npm run vigil -- --help` prints Vigil’s help', async () => {
    const r = spawnSync('npm', ['run', 'vigil', '--', '--help'], {
      cwd: copy,
      encoding: 'utf8',
      env: { ...process.env, ...env() },
    });
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    expect(r.stdout).toContain('Vigil: coordinated vulnerability disclosure for health-technology vendors');
    expect(r.stdout).toContain('Usage: vigil [options] [command]');
  });

  it('`node bin/vigil.js` runs the sources before any build, and `program list` says the instance is empty', async () => {
    await expect(fs.stat(path.join(copy, 'dist'))).rejects.toThrow();
    const help = await runBuiltVigil(['--help'], env(), copy);
    expect(help.code, show(help)).toBe(0);
    expect(help.stdout).toContain(
      'Vigil: coordinated vulnerability disclosure for health-technology vendors',
    );
    const list = await runBuiltVigil(['program', 'list'], env(), copy);
    expect(list.code, show(list)).toBe(0);
    expect(list.stdout).toBe('There are no programs yet; add one with `vigil program import FILE.yaml`.\n');
  });

  it('the README documents only these forms, never `npx vigil`', async () => {
    const readme = await fs.readFile(path.join(copy, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/npx (--no-install )?vigil\b/);
    expect(readme).toContain('npm run vigil -- ');
    expect(readme).toContain('node bin/vigil.js ');
  });
});
