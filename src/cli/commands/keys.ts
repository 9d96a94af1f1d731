import { type Command, InvalidArgumentError } from 'commander';
import { ValidationError, VigilError } from '../../core/index.js';
import { type CliContext, readCliFile } from '../context.js';
import { askPassphrase } from '../prompt.js';

/** `keys generate|import|list|export`: the OpenPGP keys of programs and of the instance. */
export function addKeysCommands(program: Command, ctx: CliContext): void {
  const { io, out, withVigil } = ctx;
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
      const armored = await readCliFile(ctx, file);
      let passphrase: string | undefined;
      if (o.passphraseFile) {
        // One line, as written by `echo` or an editor: the final line break is not part of it.
        passphrase = (await readCliFile(ctx, o.passphraseFile)).replace(/\r?\n$/, '');
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
}

const keyOwner = (slug: string | null) => (slug ? `program ${slug}` : 'the instance');
