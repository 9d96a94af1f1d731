import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, createTempDatabase, pgQuery, repoRoot, runVigil } from './helpers/cli.js';
import { dialects } from './helpers/test-vigil.js';

/**
 * The `vigil` command as an operator runs it: a real child process per command, on a temporary
 * data directory (and, for PostgreSQL, a temporary database). Exit codes: 1 refused, 2 usage,
 * 3 configuration.
 */

const example = path.join(repoRoot, 'examples', 'programs', 'medical-device-maker.yaml');
const slug = 'northwind-medical';

/** Direct access to the audit table, to tamper with it behind Vigil's back. */
interface AuditTable {
  count(): Promise<number>;
  detail(seq: number): Promise<string>;
  setDetail(seq: number, detail: string): Promise<void>;
  remove(seq: number): Promise<void>;
}

function sqliteAudit(dataDir: string): AuditTable {
  const withDb = <T>(fn: (db: SQLite.Database) => T): T => {
    const db = new SQLite(path.join(dataDir, 'vigil.sqlite'));
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  return {
    count: async () =>
      withDb((db) => (db.prepare('select count(*) as n from audit_log').get() as { n: number }).n),
    detail: async (seq) =>
      withDb(
        (db) =>
          (db.prepare('select detail from audit_log where seq = ?').get(seq) as { detail: string }).detail,
      ),
    setDetail: async (seq, detail) =>
      void withDb((db) => db.prepare('update audit_log set detail = ? where seq = ?').run(detail, seq)),
    remove: async (seq) => void withDb((db) => db.prepare('delete from audit_log where seq = ?').run(seq)),
  };
}

function postgresAudit(url: string): AuditTable {
  return {
    count: async () =>
      Number((await pgQuery<{ n: string }>(url, 'select count(*) as n from audit_log'))[0]?.n),
    detail: async (seq) =>
      (await pgQuery<{ detail: string }>(url, 'select detail from audit_log where seq = $1', [seq]))[0]
        ?.detail as string,
    setDetail: async (seq, detail) =>
      void (await pgQuery(url, 'update audit_log set detail = $1 where seq = $2', [detail, seq])),
    remove: async (seq) => void (await pgQuery(url, 'delete from audit_log where seq = $1', [seq])),
  };
}

const show = (r: CliResult) => `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;

describe.concurrent('vigil CLI', () => {
  describe('usage and configuration', () => {
    let tmp: string;
    beforeAll(async () => {
      tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-cli-'));
    });
    afterAll(async () => {
      await fs.rm(tmp, { recursive: true, force: true });
    });

    it('exits 2 on usage errors and 3 on configuration problems, naming the variable', async () => {
      // A data directory that must not come into existence: bad input stops before any storage.
      const dataDir = path.join(tmp, 'never');
      const env = { VIGIL_DATA_DIR: dataDir };
      const [unknown, missingOption, badPort, badDb, several] = await Promise.all([
        runVigil(['frobnicate'], env),
        runVigil(['user', 'create', '--role', 'admin'], env),
        runVigil(['program', 'list'], { ...env, PORT: 'abc' }),
        runVigil(['migrate'], { ...env, DATABASE_URL: 'mysql://x' }),
        runVigil(['outbox', 'list'], { ...env, PORT: '70000', VIGIL_SMTP_URL: 'http://mail.example' }),
      ]);

      expect(unknown.code, show(unknown)).toBe(2);
      expect(unknown.stderr).toContain("unknown command 'frobnicate'");
      expect(missingOption.code, show(missingOption)).toBe(2);
      expect(missingOption.stderr).toContain('--email');

      expect(badPort.code, show(badPort)).toBe(3);
      expect(badPort.stderr).toContain('PORT must be a whole number');
      expect(badDb.code, show(badDb)).toBe(3);
      expect(badDb.stderr).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
      // Every problem at once.
      expect(several.code, show(several)).toBe(3);
      expect(several.stderr).toContain('PORT must be a whole number');
      expect(several.stderr).toContain('VIGIL_SMTP_URL must be an smtp:// or smtps:// URL');
      for (const r of [badPort, badDb, several]) {
        expect(r.stdout).toBe('');
        expect(r.stderr).not.toMatch(/^\s+at /m);
      }
      await expect(fs.stat(dataDir)).rejects.toThrow();
    });
  });

  describe.each(dialects)('on %s', (dialect) => {
    let dataDir: string;
    let env: Record<string, string>;
    let audit: AuditTable;
    let dropDatabase: (() => Promise<void>) | undefined;
    const vigil = (...args: string[]) => runVigil(args, env);

    beforeAll(async () => {
      dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-cli-'));
      env = { VIGIL_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
      if (dialect === 'postgres') {
        const db = await createTempDatabase('vigil_cli');
        dropDatabase = db.drop;
        env.DATABASE_URL = db.url;
        audit = postgresAudit(db.url);
      } else {
        audit = sqliteAudit(dataDir);
      }
    });
    afterAll(async () => {
      await fs.rm(dataDir, { recursive: true, force: true });
      await dropDatabase?.();
    });

    describe.sequential('one instance, step by step', () => {
      it('migrate applies the schema once, then reports it up to date', async () => {
        const first = await vigil('migrate');
        expect(first.code, show(first)).toBe(0);
        expect(first.stdout).toMatch(/^Applied \d+ migration\(s\): \S+/);
        const second = await vigil('migrate');
        expect(second.code, show(second)).toBe(0);
        expect(second.stdout).toBe('The database is up to date.\n');
      });

      it('outbox list on an empty instance says the outbox is empty', async () => {
        const r = await vigil('outbox', 'list');
        expect(r.code, show(r)).toBe(0);
        expect(r.stdout).toBe('The outbox is empty.\n');
      });

      it('program import creates, then updates with the next revision', async () => {
        const created = await vigil('program', 'import', example);
        expect(created.code, show(created)).toBe(0);
        expect(created.stdout).toBe(`Created program ${slug} (revision 1).\n`);
        const updated = await vigil('program', 'import', example);
        expect(updated.code, show(updated)).toBe(0);
        expect(updated.stdout).toBe(`Updated program ${slug} (revision 2).\n`);
      });

      it('program export round-trips: the export imports and exports again byte for byte', async () => {
        const first = await vigil('program', 'export', slug);
        expect(first.code, show(first)).toBe(0);
        expect(first.stdout).toContain(`slug: ${slug}\n`);
        const exported = path.join(dataDir, 'exported.yaml');
        await fs.writeFile(exported, first.stdout);

        const reimport = await vigil('program', 'import', exported);
        expect(reimport.code, show(reimport)).toBe(0);
        expect(reimport.stdout).toBe(`Updated program ${slug} (revision 3).\n`);

        const again = path.join(dataDir, 'again.yaml');
        const second = await vigil('program', 'export', slug, '--output', again);
        expect(second.code, show(second)).toBe(0);
        expect(second.stdout).toBe('');
        expect((await fs.readFile(again)).equals(Buffer.from(first.stdout))).toBe(true);
      });

      it('an invalid program is refused with every problem by path, and nothing is imported', async () => {
        const original = await fs.readFile(example, 'utf8');
        const broken = original
          // A new slug and prefix, so a wrongly accepted import would show up in the list.
          .replace(/^slug: .*$/m, 'slug: broken-copy')
          .replace(/^casePrefix: .*$/m, 'casePrefix: BRK\nsafeHarbour: true')
          .replace(/acknowledge: \{ businessDays: \d+ \}/, 'acknowledge: { businessDays: 0 }')
          .replace(/timeZone: .*$/m, 'timeZone: Mars/Olympus_Mons');
        expect(broken).not.toBe(original);
        const file = path.join(dataDir, 'broken.yaml');
        await fs.writeFile(file, broken);

        const r = await vigil('program', 'import', file);
        expect(r.code, show(r)).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toContain('3 problem(s)');
        expect(r.stderr).toContain('deadlines.acknowledge.businessDays: expected a positive integer');
        expect(r.stderr).toContain('safeHarbour: is not a known setting');
        expect(r.stderr).toContain('calendar.timeZone: unknown time zone "Mars/Olympus_Mons"');

        const after = await vigil('program', 'list');
        expect(after.code, show(after)).toBe(0);
        expect(after.stdout).toMatch(new RegExp(`^${slug}\tNWM\t[^\n]+\n$`));
      });

      it('a YAML syntax error is refused naming the line; a missing file with a sentence', async () => {
        const lines = (await fs.readFile(example, 'utf8')).split('\n');
        const at = lines.findIndex((l) => l.startsWith('  website:'));
        expect(at).toBeGreaterThan(0);
        lines.splice(at + 1, 0, ' misindented: true');
        const file = path.join(dataDir, 'syntax.yaml');
        await fs.writeFile(file, lines.join('\n'));
        const missing = path.join(dataDir, 'does-not-exist.yaml');

        // Neither writes anything, so they may run side by side.
        const [syntax, absent] = await Promise.all([
          vigil('program', 'import', file),
          vigil('program', 'import', missing),
        ]);
        expect(syntax.code, show(syntax)).toBe(1);
        expect(syntax.stderr).toContain(`YAML syntax error at line ${at + 2}`);
        expect(absent.code, show(absent)).not.toBe(0);
        expect(absent.stderr).toBe(`vigil: Cannot read ${missing}.\n`);
      });

      it('user create refuses a duplicate email and an unknown role', async () => {
        const created = await vigil('user', 'create', '--email', 'lead@vendor.example', '--role', 'admin');
        expect(created.code, show(created)).toBe(0);
        expect(created.stdout).toMatch(
          /^Created user lead@vendor\.example with role admin\.\nEnrolment link, .*\n {2}http:\/\/localhost:8080\/console\/setup#[\w-]{43}\n$/,
        );

        const [duplicate, badRole] = await Promise.all([
          vigil('user', 'create', '--email', 'Lead@Vendor.example', '--role', 'admin'),
          vigil('user', 'create', '--email', 'other@vendor.example', '--role', 'overlord'),
        ]);
        expect(duplicate.code, show(duplicate)).toBe(1);
        expect(duplicate.stderr).toContain('already exists');
        expect(badRole.code, show(badRole)).toBe(1);
        expect(badRole.stderr).toContain('role: expected one of: admin, lead, handler, viewer');
      });

      it('token create prints the secret once on stdout; revoke takes its id', async () => {
        const r = await vigil('token', 'create', '--user', 'lead@vendor.example', '--name', 'ci');
        expect(r.code, show(r)).toBe(0);
        expect(r.stdout).toMatch(/^vgl_[A-Za-z0-9_-]{40,}\n$/);
        const token = r.stdout.trim();
        expect(r.stderr).toContain('It is shown once');
        expect(r.stderr).not.toContain(token);
        const id = /Token (\S+) \(read\) created/.exec(r.stderr)?.[1];
        expect(id).toBeTruthy();

        const revoked = await vigil('token', 'revoke', id as string);
        expect(revoked.code, show(revoked)).toBe(0);
        expect(revoked.stdout).toBe(`Token ${id} revoked.\n`);
        expect(revoked.stdout + revoked.stderr).not.toContain(token);
      });

      it('audit verify counts every entry of an intact log', async () => {
        const entries = await audit.count();
        // program created + 2 updates, user created with its enrolment link, token created and revoked.
        expect(entries).toBe(7);
        const r = await vigil('audit', 'verify');
        expect(r.code, show(r)).toBe(0);
        expect(r.stdout).toBe(`Audit log intact: ${entries} entries verified.\n`);
      });

      it('audit verify names the first altered entry', async () => {
        const original = await audit.detail(2);
        await audit.setDetail(2, original.replace(/"revision":2/, '"revision":20'));
        expect(await audit.detail(2)).not.toBe(original);

        const r = await vigil('audit', 'verify');
        expect(r.code, show(r)).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(
          'Audit log broken at entry 2: entry content does not match its hash (1 entries verified before it).\n',
        );
        await audit.setDetail(2, original);
      });

      it('audit verify reports an entry deleted from the middle as missing', async () => {
        await audit.remove(3);
        const r = await vigil('audit', 'verify');
        expect(r.code, show(r)).toBe(1);
        expect(r.stderr).toBe(
          'Audit log broken at entry 3: entry is missing (2 entries verified before it).\n',
        );
      });
    });
  });
});
