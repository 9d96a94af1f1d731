import fs from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { verifyAuditChain } from '../audit/index.js';
import { type Config, ConfigError, loadConfig } from '../config/index.js';
import { describeProblems, ValidationError, VigilError } from '../core/errors.js';
import { migrateToLatest, openDatabase } from '../db/index.js';
import { listOutbox } from '../jobs/index.js';
import { seedExamplePolicies } from '../policy/index.js';
import { createVigil, type Vigil } from '../server.js';
import { type CliIo, processIo } from './io.js';
import { askPassphrase } from './prompt.js';
import { serve, setupLinkText } from './serve.js';

/**
 * The `vigil` command. Every failure ends with a sentence on stderr and a non-zero exit code:
 * 1 for a refused operation, 2 for a usage error, 3 for a configuration problem.
 *
 * Everything a command reads or writes goes through its `CliIo` (environment, working folder,
 * streams), so `main` runs the same in-process, in a test, as from a shell.
 */

/** Commander accumulator for repeatable options (`--program a --program b`). */
const collect = (value: string, previous: string[]) => [...previous, value];

/** What a run leaves behind besides its output: the exit code a command asked for. */
interface RunState {
  exitCode: number;
}

export function buildCli(io: CliIo, state: RunState = { exitCode: 0 }): Command {
  const out = (s: string) => io.stdout(s.endsWith('\n') ? s : `${s}\n`);
  const config = (): Config => loadConfig(io.env, io.cwd);
  const here = (file: string) => path.resolve(io.cwd, file);
  /** Open Vigil without seeding or serving, for one-shot commands. */
  const withVigil = async <T>(fn: (v: Vigil) => Promise<T>): Promise<T> => {
    const v = await createVigil({ ...config(), seedExamples: false }, { logger: false, worker: false });
    try {
      return await fn(v);
    } finally {
      await v.close();
    }
  };

  const program = new Command('vigil')
    .description('Vigil: coordinated vulnerability disclosure for health-technology vendors')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError()
    .exitOverride();

  program
    .command('serve')
    .description('run the web server (and the outbox worker when VIGIL_SMTP_URL is set)')
    .action(async () => {
      await serve(config(), io);
    });

  program
    .command('setup-link')
    .description(
      'print a one-time link that makes its holder the first administrator (only while no user exists)',
    )
    .action(async () => {
      await withVigil(async (v) => {
        io.stdout(setupLinkText(await v.services.auth.enrolment.setupLink()));
      });
    });

  program
    .command('migrate')
    .description('bring the database schema up to date')
    .action(async () => {
      const c = config();
      const db = await openDatabase({ dataDir: c.dataDir, databaseUrl: c.databaseUrl });
      try {
        const applied = await migrateToLatest(db);
        out(
          applied.length
            ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
            : 'The database is up to date.',
        );
      } finally {
        await db.close();
      }
    });

  const prog = program.command('program').description('import, export and list programs');
  prog
    .command('import')
    .argument('<file>', 'program definition in YAML')
    .description('create or update a program from a YAML file (all or nothing)')
    .action(async (file: string) => {
      const text = await fs.readFile(here(file), 'utf8').catch(() => {
        throw new VigilError(400, 'file', `Cannot read ${file}.`);
      });
      await withVigil(async (v) => {
        const r = await v.services.programs.importYaml(text, 'cli');
        out(
          `${r.created ? 'Created' : 'Updated'} program ${r.program.slug} (revision ${r.program.revision}).`,
        );
      });
    });
  prog
    .command('export')
    .argument('<slug>', 'program slug')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .description('write a program definition as YAML')
    .action(async (slug: string, o: { output?: string }) => {
      await withVigil(async (v) => {
        const yaml = await v.services.programs.exportYaml(slug);
        if (o.output) await fs.writeFile(here(o.output), yaml);
        else io.stdout(yaml);
      });
    });
  prog
    .command('list')
    .description('list programs')
    .action(async () => {
      await withVigil(async (v) => {
        const programs = await v.services.programs.list();
        if (programs.length === 0)
          out('There are no programs yet; add one with `vigil program import FILE.yaml`.');
        for (const p of programs) out(`${p.slug}\t${p.definition.casePrefix}\t${p.definition.name}`);
      });
    });

  program
    .command('policy')
    .description('governed policy documents')
    .command('seed-examples')
    .option('--dir <folder>', 'folder of <program-slug>.md policies', 'examples/policies')
    .description("publish <slug>.md as version 1.0 of each program's disclosure policy (system actor)")
    .action(async (o: { dir: string }) => {
      await withVigil(async (v) => {
        const done = await seedExamplePolicies(v.services, here(o.dir));
        out(done.length ? `Published version 1.0 for: ${done.join(', ')}.` : 'Nothing to publish.');
      });
    });

  const user = program.command('user').description('manage staff users');
  user
    .command('create')
    .requiredOption('--email <email>', 'sign-in email')
    .option('--name <name>', 'display name')
    .option(
      '--role <role>',
      'admin alone: instance administrator; with --program: the role there (admin, lead, handler or viewer)',
    )
    .option('--program <slug>', 'grant --role in this program at once')
    .option('--duty <duty>', 'privacy or approver in --program (repeatable)', collect, [])
    .action(async (o: { email: string; name?: string; role?: string; program?: string; duty: string[] }) => {
      await withVigil(async (v) => {
        const u = await v.services.accounts.createUser({ ...o, duties: o.duty }, 'cli');
        if (u.membership)
          out(`Created user ${u.email} with role ${u.membership.role} in ${u.membership.program}.`);
        else if (u.role === 'admin') out(`Created user ${u.email} with role admin.`);
        else out(`Created user ${u.email}; it sees no program until granted one (vigil user grant).`);
        const link = await v.services.auth.enrolment.enrolmentLink(u.email, 'cli');
        out(enrolmentLinkText(link));
      });
    });
  user
    .command('enrol-link')
    .description('print a new enrolment link for a user (the previous one stops working)')
    .requiredOption('--email <email>', 'the user')
    .action(async (o: { email: string }) => {
      await withVigil(async (v) => {
        out(enrolmentLinkText(await v.services.auth.enrolment.enrolmentLink(o.email, 'cli')));
      });
    });
  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    user
      .command(name)
      .description(
        disabled
          ? 'stop a user: its sessions end, its tokens stop answering, sign-in is refused'
          : 'let a disabled user sign in again, with its memberships and tokens as they were',
      )
      .requiredOption('--email <email>', 'the user')
      .action(async (o: { email: string }) => {
        await withVigil(async (v) => {
          const { changed } = await v.services.accounts.setDisabled(o.email, disabled, 'cli');
          out(
            changed
              ? `${disabled ? 'Disabled' : 'Enabled'} ${o.email.trim().toLowerCase()}.`
              : `${o.email.trim().toLowerCase()} was already ${disabled ? 'disabled' : 'enabled'}.`,
          );
        });
      });
  }
  user
    .command('list')
    .description('list staff users: email, role and whether disabled')
    .action(async () => {
      await withVigil(async (v) => {
        const users = await v.services.accounts.listUsers();
        if (users.length === 0)
          out('There are no staff users yet; `vigil setup-link` makes the first administrator.');
        for (const u of users) out(`${u.email}\t${u.role}${u.disabled ? '\tdisabled' : ''}`);
      });
    });
  user
    .command('grant')
    .description('give a user a role (and duties) in a program, replacing the role it had there')
    .requiredOption('--email <email>', 'the user')
    .requiredOption('--program <slug>', 'the program')
    .requiredOption('--role <role>', 'admin, lead, handler or viewer')
    .option('--duty <duty>', 'privacy or approver (repeatable)', collect, [])
    .action(async (o: { email: string; program: string; role: string; duty: string[] }) => {
      await withVigil(async (v) => {
        const g = await v.services.accounts.grantRole(
          { userEmail: o.email, program: o.program, role: o.role, duties: o.duty },
          'cli',
        );
        const duties = g.duties.length ? ` with duties ${g.duties.join(', ')}` : '';
        out(`${g.email} is now ${g.role} in ${g.program}${duties}.`);
      });
    });
  user
    .command('revoke')
    .description("remove a user's membership of a program")
    .requiredOption('--email <email>', 'the user')
    .requiredOption('--program <slug>', 'the program')
    .action(async (o: { email: string; program: string }) => {
      await withVigil(async (v) => {
        await v.services.accounts.revokeRole({ userEmail: o.email, program: o.program }, 'cli');
        out(`${o.email.trim().toLowerCase()} no longer has a role in ${o.program}.`);
      });
    });

  const token = program.command('token').description('manage API tokens');
  token
    .command('create')
    .requiredOption('--user <email>', 'the user the token acts for')
    .option('--name <name>', 'what the token is for')
    .option('--scope <scope>', 'read or read-write', 'read')
    .option('--program <slug>', "limit the token to this program of the user's (repeatable)", collect, [])
    .action(async (o: { user: string; name?: string; scope: string; program: string[] }) => {
      await withVigil(async (v) => {
        const t = await v.services.accounts.createToken(
          {
            userEmail: o.user,
            name: o.name,
            scope: o.scope,
            programs: o.program.length ? o.program : undefined,
          },
          'cli',
        );
        const where = t.programs ? ` for ${t.programs.join(', ')}` : '';
        io.stderr(`Token ${t.id} (${t.scope})${where} created. It is shown once; store it now:\n`);
        out(t.token);
      });
    });
  token
    .command('revoke')
    .argument('<id>', 'token id')
    .action(async (id: string) => {
      await withVigil(async (v) => {
        await v.services.accounts.revokeToken(id, 'cli');
        out(`Token ${id} revoked.`);
      });
    });

  const keys = program.command('keys').description('OpenPGP keys of programs and of the instance');
  keys
    .command('generate')
    .option('--program <slug>', 'the program (without it: the instance key)')
    .option('--rsa <bits>', 'an RSA key of 2048, 3072 or 4096 bits instead of Curve25519', (s: string) => {
      if (!['2048', '3072', '4096'].includes(s))
        throw new InvalidArgumentError('expected 2048, 3072 or 4096.');
      return Number(s);
    })
    .option('--valid-days <n>', 'days until the key expires (default: never)', (s: string) => {
      if (!/^[1-9]\d{0,4}$/.test(s))
        throw new InvalidArgumentError('expected a whole number of days above 0.');
      return Number(s);
    })
    .description('generate a key and make it the published one; the previous key keeps decrypting')
    .action(async (o: { program?: string; rsa?: number; validDays?: number }) => {
      const { rsa: rsaBits, validDays } = o;
      await withVigil(async (v) => {
        const k = await v.services.keys.generate(o.program ?? null, { rsaBits, validDays, actor: 'cli' });
        out(
          `Generated key ${k.fingerprint} (${k.algorithm}) for ${keyOwner(k.program)}; it is now published.`,
        );
      });
    });
  keys
    .command('import')
    .argument('<file>', 'armored secret key (e.g. from gpg --export-secret-keys --armor)')
    .option('--program <slug>', 'the program (without it: the instance key)')
    .option('--passphrase-file <file>', 'file holding the passphrase of a protected key')
    .description('import a secret key and make it the published one; a protected key asks for its passphrase')
    .action(async (file: string, o: { program?: string; passphraseFile?: string }) => {
      const armored = await fs.readFile(here(file), 'utf8').catch(() => {
        throw new VigilError(400, 'file', `Cannot read ${file}.`);
      });
      let passphrase: string | undefined;
      if (o.passphraseFile) {
        const text = await fs.readFile(here(o.passphraseFile), 'utf8').catch(() => {
          throw new VigilError(400, 'file', `Cannot read ${o.passphraseFile}.`);
        });
        // One line, as written by `echo` or an editor: the final line break is not part of it.
        passphrase = text.replace(/\r?\n$/, '');
      }
      await withVigil(async (v) => {
        const slug = o.program ?? null;
        let k: Awaited<ReturnType<typeof v.services.keys.import>>;
        try {
          k = await v.services.keys.import(slug, armored, passphrase, 'cli');
        } catch (err) {
          // Ask only once the file is known to be a protected key, never for a file that is not one.
          const locked =
            passphrase === undefined &&
            err instanceof ValidationError &&
            err.fields[0]?.path === 'passphrase';
          if (!locked) throw err;
          k = await v.services.keys.import(
            slug,
            armored,
            await askPassphrase(io, 'Passphrase of the key: '),
            'cli',
          );
        }
        out(
          `Imported key ${k.fingerprint} (${k.algorithm}) for ${keyOwner(k.program)}; it is now published.`,
        );
      });
    });
  keys
    .command('list')
    .description('list keys: fingerprint, program, state, algorithm, expiry and how long each decrypts')
    .action(async () => {
      await withVigil(async (v) => {
        const all = await v.services.keys.list();
        if (all.length === 0) out('There are no OpenPGP keys yet.');
        for (const k of all) {
          const decrypts = k.state === 'active' ? 'while-active' : (k.decryptUntil ?? 'no');
          out(
            `${k.fingerprint}\t${k.program ?? '(instance)'}\t${k.state}\t${k.algorithm}\texpires=${k.expiresAt ?? 'never'}\tdecrypt-until=${decrypts}`,
          );
        }
      });
    });
  keys
    .command('export')
    .option('--program <slug>', 'the program (without it: the instance key)')
    .description('print the published public key, armored')
    .action(async (o: { program?: string }) => {
      await withVigil(async (v) => {
        const key = o.program
          ? await v.services.keys.publishedKeyOf(o.program)
          : await v.services.keys.publishedKey(null);
        if (!key) throw new VigilError(404, 'not_found', 'This instance has no OpenPGP key yet.');
        io.stdout(key.armored.endsWith('\n') ? key.armored : `${key.armored}\n`);
      });
    });

  program
    .command('cve')
    .description('CVE JSON 5 records of published advisories')
    .command('export')
    .argument('<cveId>', 'the CVE ID, e.g. CVE-2027-10001')
    .option('--out <file>', 'write the record to this file instead of standard output')
    .description('write the stored CVE record (as published with its advisory)')
    .action(async (cveId: string, o: { out?: string }) => {
      if (!/^CVE-\d{4}-\d{4,}$/.test(cveId))
        throw new VigilError(
          400,
          'invalid_cve_id',
          `"${cveId}" is not a CVE ID; expected one such as CVE-2027-10001.`,
        );
      await withVigil(async (v) => {
        const record = await v.services.artefacts.exportCve(cveId);
        if (record === undefined)
          throw new VigilError(
            404,
            'not_found',
            `No published advisory carries a CVE record for ${cveId}; publish an advisory naming it first.`,
          );
        if (o.out) {
          await fs.writeFile(here(o.out), record, { flag: 'w' });
          out(`Wrote the CVE record of ${cveId} to ${o.out}.`);
        } else io.stdout(record);
      });
    });

  program
    .command('outbox')
    .description('outgoing mail')
    .command('list')
    .option('--state <state>', 'pending, sending, sent or failed')
    .description('list queued and sent mail (never its content)')
    .action(async (o: { state?: string }) => {
      await withVigil(async (v) => {
        const rows = await listOutbox(v.db.kysely, { state: o.state });
        if (rows.length === 0) out('The outbox is empty.');
        for (const r of rows) {
          out(
            `${r.id}\t${r.kind}\t${r.state}\tattempts=${r.attempts}\tcreated=${r.created_at}\tnext=${r.next_attempt_at}${r.last_error ? `\terror=${r.last_error}` : ''}`,
          );
        }
      });
    });

  program
    .command('audit')
    .description('audit log')
    .command('verify')
    .description('check the hash chain of the audit log; exits 1 at the first broken link')
    .action(async () => {
      await withVigil(async (v) => {
        const r = await verifyAuditChain(v.db.kysely, 5000, v.db.dialect);
        if (r.ok) out(`Audit log intact: ${r.checked} entries verified.`);
        else {
          io.stderr(
            `Audit log broken at entry ${r.firstBroken?.seq}: ${r.firstBroken?.reason} (${r.checked} entries verified before it).\n`,
          );
          state.exitCode = 1;
        }
      });
    });

  return program;
}

const keyOwner = (slug: string | null) => (slug ? `program ${slug}` : 'the instance');

const enrolmentLinkText = (l: { url: string; expiresAt: string }) =>
  `Enrolment link, to choose a password and set up TOTP (valid until ${l.expiresAt}, once):\n  ${l.url}`;

/**
 * Run the `vigil` command with `args` (what follows the command name) and answer its exit code.
 * `serve` resolves once the server listens and keeps running.
 */
export async function main(args: string[], io: CliIo = processIo()): Promise<number> {
  const state: RunState = { exitCode: 0 };
  try {
    await buildCli(io, state).parseAsync(args, { from: 'user' });
    return state.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof ConfigError) {
      io.stderr(`${err.message}\n`);
      return 3;
    }
    if (err instanceof ValidationError) {
      io.stderr(
        `vigil: refused — ${err.fields.length} problem(s):\n${describeProblems(err.fields).replace(/^/gm, '  ')}\n`,
      );
      return 1;
    }
    io.stderr(`vigil: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
