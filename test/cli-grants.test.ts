import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, createTempDatabase, repoRoot, runVigil } from './helpers/cli.js';
import { dialects } from './helpers/test-vigil.js';

/**
 * Program memberships and program-limited tokens from the `vigil` command, as an operator runs
 * it (a real child process per command). A refused grant exits 1 and names the field at fault.
 */

const example = path.join(repoRoot, 'examples', 'programs', 'medical-device-maker.yaml');
const slug = 'northwind-medical';

const show = (r: CliResult) => `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;

describe.each(dialects)('vigil user grant / revoke and token create --program (%s)', (dialect) => {
  let dataDir: string;
  let env: Record<string, string>;
  let dropDatabase: (() => Promise<void>) | undefined;
  const vigil = (...args: string[]) => runVigil(args, env);

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-cli-grants-'));
    env = { VIGIL_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    if (dialect === 'postgres') {
      const db = await createTempDatabase('vigil_cli_grants');
      dropDatabase = db.drop;
      env.DATABASE_URL = db.url;
    }
    const imported = await vigil('program', 'import', example);
    expect(imported.code, show(imported)).toBe(0);
  });
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
    await dropDatabase?.();
  });

  describe.sequential('step by step', () => {
    it('user create grants a program role in one go; a non-admin role without --program is refused', async () => {
      const created = await vigil(
        'user',
        'create',
        '--email',
        'handler@vendor.example',
        '--role',
        'handler',
        '--program',
        slug,
      );
      expect(created.code, show(created)).toBe(0);
      expect(created.stdout.split('\n')[0]).toBe(
        `Created user handler@vendor.example with role handler in ${slug}.`,
      );
      expect(created.stdout).toMatch(/\/console\/setup#[\w-]{43}\n$/);

      const [noProgram, roleless] = await Promise.all([
        vigil('user', 'create', '--email', 'viewer@vendor.example', '--role', 'viewer'),
        vigil('user', 'create', '--email', 'later@vendor.example'),
      ]);
      expect(noProgram.code, show(noProgram)).toBe(1);
      expect(noProgram.stderr).toContain('program: is required for the role viewer');
      expect(roleless.code, show(roleless)).toBe(0);
      expect(roleless.stdout).toContain('sees no program until granted');
    });

    it('user grant refuses a bad program, role or duty, naming each field', async () => {
      const [badProgram, badRole, badDuty, badUser] = await Promise.all([
        vigil('user', 'grant', '--email', 'later@vendor.example', '--program', 'nope', '--role', 'lead'),
        vigil('user', 'grant', '--email', 'later@vendor.example', '--program', slug, '--role', 'overlord'),
        vigil(
          'user',
          'grant',
          '--email',
          'later@vendor.example',
          '--program',
          slug,
          '--role',
          'lead',
          '--duty',
          'sheriff',
        ),
        vigil('user', 'grant', '--email', 'ghost@vendor.example', '--program', slug, '--role', 'lead'),
      ]);
      expect(badProgram.code, show(badProgram)).toBe(1);
      expect(badProgram.stderr).toContain('program: there is no program "nope"');
      expect(badRole.code, show(badRole)).toBe(1);
      expect(badRole.stderr).toContain('role: expected one of: admin, lead, handler, viewer');
      expect(badDuty.code, show(badDuty)).toBe(1);
      expect(badDuty.stderr).toContain('duties: expected any of: privacy, approver');
      expect(badUser.code, show(badUser)).toBe(1);
      expect(badUser.stderr).toContain('There is no user with the email ghost@vendor.example.');
      for (const r of [badProgram, badRole, badDuty, badUser]) expect(r.stdout).toBe('');
    });

    it('user grant gives a role with duties; token create --program limits the token to it', async () => {
      const granted = await vigil(
        'user',
        'grant',
        '--email',
        'later@vendor.example',
        '--program',
        slug,
        '--role',
        'lead',
        '--duty',
        'privacy',
        '--duty',
        'approver',
      );
      expect(granted.code, show(granted)).toBe(0);
      expect(granted.stdout).toBe(
        `later@vendor.example is now lead in ${slug} with duties privacy, approver.\n`,
      );

      const t = await vigil(
        'token',
        'create',
        '--user',
        'later@vendor.example',
        '--program',
        slug,
        '--scope',
        'read-write',
      );
      expect(t.code, show(t)).toBe(0);
      expect(t.stdout).toMatch(/^vgl_[A-Za-z0-9_-]{40,}\n$/);
      expect(t.stderr).toMatch(new RegExp(`Token \\S+ \\(read-write\\) for ${slug} created`));
    });

    it('token create --program refuses an unknown program and one the user is not a member of', async () => {
      const outsider = await vigil('user', 'create', '--email', 'outsider@vendor.example');
      expect(outsider.code, show(outsider)).toBe(0);
      const [unknown, outside] = await Promise.all([
        vigil('token', 'create', '--user', 'later@vendor.example', '--program', 'nope'),
        vigil('token', 'create', '--user', 'outsider@vendor.example', '--program', slug),
      ]);
      expect(unknown.code, show(unknown)).toBe(1);
      expect(unknown.stderr).toContain('programs: there is no program "nope"');
      expect(unknown.stdout).toBe('');
      expect(outside.code, show(outside)).toBe(1);
      expect(outside.stderr).toContain(`programs: outsider@vendor.example is not a member of ${slug}`);
      expect(outside.stdout).toBe('');
    });

    it('user revoke removes the membership; revoking again, or a token for it, is refused', async () => {
      const revoked = await vigil('user', 'revoke', '--email', 'later@vendor.example', '--program', slug);
      expect(revoked.code, show(revoked)).toBe(0);
      expect(revoked.stdout).toBe(`later@vendor.example no longer has a role in ${slug}.\n`);

      const [again, badProgram, token] = await Promise.all([
        vigil('user', 'revoke', '--email', 'later@vendor.example', '--program', slug),
        vigil('user', 'revoke', '--email', 'later@vendor.example', '--program', 'nope'),
        vigil('token', 'create', '--user', 'later@vendor.example', '--program', slug),
      ]);
      expect(again.code, show(again)).toBe(1);
      expect(again.stderr).toContain(`later@vendor.example is not a member of ${slug}.`);
      expect(badProgram.code, show(badProgram)).toBe(1);
      expect(badProgram.stderr).toContain('program: there is no program "nope"');
      expect(token.code, show(token)).toBe(1);
      expect(token.stderr).toContain(`programs: later@vendor.example is not a member of ${slug}`);
    });
  });
});
