import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, createTempDatabase, repoRoot, runVigil } from './helpers/cli.js';
import { dialects } from './helpers/test-vigil.js';
import { toolMissing } from './helpers/tools.js';

/**
 * `vigil keys` as an operator runs it: real child processes on a temporary data directory (and
 * database), with GnuPG on a private home to make and read keys the way a vendor's tools do.
 */

const example = path.join(repoRoot, 'examples', 'programs', 'medical-device-maker.yaml');
const slug = 'northwind-medical';
const address = 'psirt@northwind-medical.example';
const PASSPHRASE = 'correct horse battery staple';

const show = (r: CliResult) => `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;

/** `vigil <args>` with `input` piped to its standard input (not a terminal). */
async function runVigilWithInput(
  args: string[],
  env: Record<string, string>,
  input: string,
): Promise<CliResult> {
  const base: NodeJS.ProcessEnv = {};
  for (const [k, val] of Object.entries(process.env)) {
    if (k.startsWith('VIGIL_') || ['DATABASE_URL', 'PORT', 'HOST', 'LOG_LEVEL'].includes(k)) continue;
    base[k] = val;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/vigil.ts', ...args], {
    cwd: repoRoot,
    env: { ...base, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c));
  });
  return { code, stdout, stderr };
}

/** GnuPG on a private home directory. */
function gpgIn(home: string, args: string[], input?: string) {
  const r = spawnSync('gpg', ['--homedir', home, '--batch', '--no-tty', '--status-fd', '1', ...args], {
    input,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Import `armored` into a fresh home: fingerprint, algorithm id and size of each key, primary first. */
async function gpgInspect(armored: string): Promise<{ fingerprint: string; keys: string[] }> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-gpg-'));
  try {
    expect(gpgIn(home, ['--import'], armored).code).toBe(0);
    const listing = gpgIn(home, ['--with-colons', '--list-keys']).stdout;
    const fingerprint = /^fpr:{9}([0-9A-F]{40,64}):/m.exec(listing)?.[1] as string;
    // pub/sub records: field 3 is the size in bits, 4 the algorithm (1 RSA, 18 ECDH, 22 EdDSA), 17 the curve.
    const keys = listing
      .split('\n')
      .filter((l) => /^(pub|sub):/.test(l))
      .map((l) => {
        const f = l.split(':');
        return `${f[0]}:${f[3]}:${f[2]}${f[16] ? `:${f[16]}` : ''}`;
      });
    return { fingerprint, keys };
  } finally {
    spawnSync('gpgconf', ['--homedir', home, '--kill', 'all']);
    await fs.rm(home, { recursive: true, force: true });
  }
}

describe.skipIf(toolMissing('gpg')).each(dialects)('vigil keys (%s)', (dialect) => {
  let dataDir: string;
  let gpgHome: string;
  let env: Record<string, string>;
  let dropDatabase: (() => Promise<void>) | undefined;
  const vigil = (...args: string[]) => runVigil(args, env);
  const file = (name: string) => path.join(dataDir, name);

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-keys-'));
    gpgHome = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-gpg-'));
    env = { VIGIL_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    if (dialect === 'postgres') {
      const db = await createTempDatabase('vigil_keys');
      dropDatabase = db.drop;
      env.DATABASE_URL = db.url;
    }
    const imported = await vigil('program', 'import', example);
    expect(imported.code, show(imported)).toBe(0);
  });
  afterAll(async () => {
    spawnSync('gpgconf', ['--homedir', gpgHome, '--kill', 'all']);
    await fs.rm(gpgHome, { recursive: true, force: true });
    await fs.rm(dataDir, { recursive: true, force: true });
    await dropDatabase?.();
  });

  /**
   * A passphrase-protected key made by GnuPG for the program address, exported armored.
   * `algo`: GnuPG's `default` (RSA with an RSA subkey) or `future-default` (Ed25519 + Cv25519).
   */
  function gpgSecretKey(
    name: string,
    algo: 'default' | 'future-default',
  ): { fingerprint: string; armored: string } {
    const loopback = ['--pinentry-mode', 'loopback', '--passphrase', PASSPHRASE];
    const made = gpgIn(gpgHome, [
      ...loopback,
      '--quick-gen-key',
      `${name} <${address}>`,
      algo,
      'default',
      'never',
    ]);
    expect(made.code, made.stderr).toBe(0);
    const fingerprint = /^\[GNUPG:\] KEY_CREATED \S+ ([0-9A-F]{40,64})/m.exec(made.stdout)?.[1] as string;
    const exported = gpgIn(gpgHome, [...loopback, '--armor', '--export-secret-keys', fingerprint]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('-----BEGIN PGP PRIVATE KEY BLOCK-----');
    return { fingerprint, armored: exported.stdout };
  }

  describe.sequential('one instance, step by step', () => {
    it('lists no keys on a fresh instance', async () => {
      const r = await vigil('keys', 'list');
      expect(r.code, show(r)).toBe(0);
      expect(r.stdout).toBe('There are no OpenPGP keys yet.\n');
    });

    it('generates a Curve25519 key by default that GnuPG reads as EdDSA + ECDH cv25519', async () => {
      const r = await vigil('keys', 'generate', '--program', slug);
      expect(r.code, show(r)).toBe(0);
      const fpr =
        /^Generated key ([0-9A-F]{40}) \(([^)]+)\) for program northwind-medical; it is now published\.\n$/.exec(
          r.stdout,
        );
      expect(fpr, r.stdout).not.toBeNull();

      const exported = await vigil('keys', 'export', '--program', slug);
      expect(exported.code, show(exported)).toBe(0);
      expect(exported.stdout).toMatch(
        /^-----BEGIN PGP PUBLIC KEY BLOCK-----\n[\s\S]+-----END PGP PUBLIC KEY BLOCK-----\n$/,
      );
      const seen = await gpgInspect(exported.stdout);
      expect(seen.fingerprint).toBe(fpr?.[1]);
      expect(seen.keys).toEqual(['pub:22:255:ed25519', 'sub:18:255:cv25519']);
    });

    it('generates an RSA 4096 key with an expiry; list shows it active and the replaced key decrypting until a date', async () => {
      const r = await vigil('keys', 'generate', '--program', slug, '--rsa', '4096', '--valid-days', '30');
      expect(r.code, show(r)).toBe(0);
      const fpr = /^Generated key ([0-9A-F]{40}) \(rsa\w*4096\)/.exec(r.stdout)?.[1];
      expect(fpr, r.stdout).toBeTruthy();
      const exported = await vigil('keys', 'export', '--program', slug);
      const seen = await gpgInspect(exported.stdout);
      expect(seen.fingerprint).toBe(fpr);
      expect(seen.keys[0]).toBe('pub:1:4096');

      const list = await vigil('keys', 'list');
      expect(list.code, show(list)).toBe(0);
      const lines = list.stdout.trim().split('\n');
      expect(lines).toHaveLength(2);
      const active = lines.find((l) => l.startsWith(fpr as string)) as string;
      const [, program, state, algorithm, expires, decrypts] = active.split('\t');
      expect([program, state]).toEqual([slug, 'active']);
      expect(algorithm).toMatch(/4096/);
      const expiry = Date.parse((expires as string).replace('expires=', ''));
      expect(Math.abs(expiry - (Date.now() + 30 * 86_400_000))).toBeLessThan(3_600_000);
      expect(decrypts).toBe('decrypt-until=while-active');
      const retired = (lines.find((l) => l !== active) as string).split('\t');
      expect(retired[0]).toMatch(/^[0-9A-F]{40}$/);
      expect(retired.slice(1, 3)).toEqual([slug, 'retired']);
      expect(retired[4]).toBe('expires=never');
      expect(retired[5]).toMatch(/^decrypt-until=\d{4}-\d\d-\d\dT/);
    }, 120_000);

    it('generates the instance key without --program and exports it', async () => {
      const r = await vigil('keys', 'generate');
      expect(r.code, show(r)).toBe(0);
      const fpr = /^Generated key ([0-9A-F]{40}) .* for the instance;/.exec(r.stdout)?.[1];
      expect(fpr).toBeTruthy();
      const list = await vigil('keys', 'list');
      expect(list.stdout).toMatch(new RegExp(`^${fpr}\t\\(instance\\)\tactive\t`, 'm'));
      const exported = await vigil('keys', 'export');
      expect((await gpgInspect(exported.stdout)).fingerprint).toBe(fpr);
    });

    it('imports a passphrase-protected key made by GnuPG with --passphrase-file, refusing a wrong passphrase', async () => {
      const key = gpgSecretKey('Northwind PSIRT', 'default');
      await fs.writeFile(file('key.asc'), key.armored);
      await fs.writeFile(file('wrong.txt'), 'not the passphrase\n');
      await fs.writeFile(file('right.txt'), `${PASSPHRASE}\n`);

      const wrong = await vigil(
        'keys',
        'import',
        '--program',
        slug,
        file('key.asc'),
        '--passphrase-file',
        file('wrong.txt'),
      );
      expect(wrong.code, show(wrong)).toBe(1);
      expect(wrong.stdout).toBe('');
      expect(wrong.stderr).toContain('passphrase: the passphrase does not unlock this key');
      // No passphrase and nothing on standard input (not a terminal): refused, not hung.
      const none = await vigil('keys', 'import', '--program', slug, file('key.asc'));
      expect(none.code, show(none)).toBe(1);
      expect(none.stderr).toContain('the key is protected: give its passphrase');

      const right = await vigil(
        'keys',
        'import',
        '--program',
        slug,
        file('key.asc'),
        '--passphrase-file',
        file('right.txt'),
      );
      expect(right.code, show(right)).toBe(0);
      expect(right.stdout).toMatch(
        new RegExp(
          `^Imported key ${key.fingerprint} \\(\\S+\\) for program ${slug}; it is now published\\.\\n$`,
        ),
      );
      const exported = await vigil('keys', 'export', '--program', slug);
      expect((await gpgInspect(exported.stdout)).fingerprint).toBe(key.fingerprint);
      expect(exported.stdout).not.toContain('PRIVATE');
    }, 120_000);

    it('reads the passphrase from the first line of standard input when it is not a terminal', async () => {
      const key = gpgSecretKey('Northwind PSIRT (2027)', 'future-default');
      await fs.writeFile(file('key2.asc'), key.armored);
      const r = await runVigilWithInput(
        ['keys', 'import', '--program', slug, file('key2.asc')],
        env,
        `${PASSPHRASE}\nignored\n`,
      );
      expect(r.code, show(r)).toBe(0);
      expect(r.stdout).toContain(`Imported key ${key.fingerprint}`);
    }, 120_000);

    it('refuses a file that is not a key, a missing file and a bad option with a sentence', async () => {
      await fs.writeFile(file('notes.txt'), 'just some notes, no key here\n');
      const [notKey, missing, badRsa, unknownProgram] = await Promise.all([
        vigil('keys', 'import', '--program', slug, file('notes.txt')),
        vigil('keys', 'import', '--program', slug, file('absent.asc')),
        vigil('keys', 'generate', '--program', slug, '--rsa', '1024'),
        vigil('keys', 'export', '--program', 'no-such-program'),
      ]);
      expect(notKey.code, show(notKey)).toBe(1);
      expect(notKey.stderr).toContain('key: not an armored OpenPGP secret key');
      expect(missing.code, show(missing)).toBe(1);
      expect(missing.stderr).toBe(`vigil: Cannot read ${file('absent.asc')}.\n`);
      expect(badRsa.code, show(badRsa)).toBe(2);
      expect(badRsa.stderr).toContain('expected 2048, 3072 or 4096');
      expect(unknownProgram.code, show(unknownProgram)).toBe(1);
      for (const r of [notKey, missing, badRsa, unknownProgram]) {
        expect(r.stdout).toBe('');
        expect(r.stderr).not.toMatch(/^\s+at /m);
      }
      // Nothing refused was installed: still the program's four keys and the instance key.
      const list = await vigil('keys', 'list');
      expect(list.stdout.trim().split('\n')).toHaveLength(5);
    });
  });
});
