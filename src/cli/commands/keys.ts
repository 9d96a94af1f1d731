import { type Command, InvalidArgumentError } from 'commander';
import { masterKeyUse, openRawBlobs, type RewrapProgress, rewrapAll } from '../../backup/index.js';
import { ValidationError, VigilError } from '../../core/index.js';
import {
  createSealer,
  finishRotation,
  isActiveKey,
  keyringHolds,
  loadKeyring,
  removeKeyFromFile,
  rotateKeyFile,
  startRotation,
  unfinishedRotation,
} from '../../crypto/index.js';
import { openDatabase } from '../../db/index.js';
import { type CliContext, readCliFile } from '../context.js';
import { askPassphrase } from '../prompt.js';

/**
 * `keys generate|import|list|export`: the OpenPGP keys of programs and of the instance;
 * `keys rotate-master`: a new master key (KEK) for the data at rest.
 */
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
  addRotateMaster(keys, ctx);
  addRetireMaster(keys, ctx);
}

/**
 * Test hook: a rotation stops after this many batches, says so on stdout and waits to be killed,
 * so a test can interrupt it at a known point and prove that a second run finishes the work.
 */
const PAUSE_AFTER_BATCHES = 'VIGIL_TEST_ROTATION_PAUSE_AFTER_BATCHES';

function addRotateMaster(keys: Command, ctx: CliContext): void {
  keys
    .command('rotate-master')
    .description(
      'make a new master key active and re-wrap every sealed value and attachment file under it (resumable: run again to finish)',
    )
    .option(
      '--rewrap-only',
      'add no key; re-wrap what is not yet under the active key (after a restart with a new key)',
    )
    .option('--add-only', 'add the new key and stop; restart every instance, then run with --rewrap-only')
    .option('--batch-size <n>', 'values or files per batch (default 200)', (s: string) => {
      if (!/^[1-9]\d{0,5}$/.test(s)) throw new InvalidArgumentError('expected a whole number above 0.');
      return Number(s);
    })
    .action(async (o: { rewrapOnly?: boolean; addOnly?: boolean; batchSize?: number }) => {
      const c = ctx.config();
      if (o.rewrapOnly && o.addOnly)
        throw new VigilError(400, 'usage', '--rewrap-only and --add-only exclude each other.');
      if (!o.rewrapOnly) {
        if (c.masterKey !== undefined)
          throw new VigilError(
            409,
            'master_key_from_environment',
            'The master keys come from VIGIL_MASTER_KEY, which Vigil cannot change: append a new key to that comma-separated list (the active key last), restart every Vigil instance with it, then run `vigil keys rotate-master --rewrap-only`.',
          );
        // A rotation cut short (even by kill -9) is resumed, not followed by yet another key.
        const resumed = await unfinishedRotation(c.dataDir);
        const current = (await loadKeyring({ dataDir: c.dataDir })).activeKeyId;
        if (resumed !== undefined && resumed === current) {
          ctx.out(`Resuming the unfinished rotation to master key ${current}; no key was added.`);
        } else {
          const id = await rotateKeyFile(c.dataDir);
          await startRotation(c.dataDir, id);
          ctx.out(`Added master key ${id} to ${c.dataDir}/master.key; it is the active key from now on.`);
        }
        if (o.addOnly) {
          ctx.out(
            'Restart every Vigil instance so each loads it, then run `vigil keys rotate-master --rewrap-only`.',
          );
          return;
        }
      }
      const keyring = await loadKeyring({ masterKey: c.masterKey, dataDir: c.dataDir });
      const blobs = await openRawBlobs(c.blobStore, { dataDir: c.dataDir, keyring });
      const db = await openDatabase({
        dataDir: c.dataDir,
        databaseUrl: c.databaseUrl,
        schema: c.databaseSchema,
      });
      const pauseAfter = Number(ctx.io.env[PAUSE_AFTER_BATCHES] ?? 0);
      try {
        const r = await rewrapAll({
          db,
          blobs,
          keyring,
          sealer: createSealer(keyring),
          batchSize: o.batchSize,
          onBatch: async (p: RewrapProgress) => {
            ctx.out(`Batch ${p.batch}: re-wrapped ${p.rewrapped} in ${p.where}.`);
            if (p.batch === pauseAfter) {
              ctx.out(`Paused after batch ${p.batch}.`);
              await new Promise(() => {});
            }
          },
        });
        if (c.masterKey === undefined && (await unfinishedRotation(c.dataDir)) === r.activeKeyId)
          await finishRotation(c.dataDir);
        const older = keyring.keyIds().filter((id) => id !== r.activeKeyId);
        ctx.out(
          `Re-wrapped ${r.values} sealed value(s) in ${r.columns} column(s) and ${r.blobs} attachment file(s) under master key ${r.activeKeyId}; nothing stored is under another key now.`,
        );
        ctx.out(
          older.length > 0
            ? `Once every Vigil instance has restarted with ${r.activeKeyId} active, run \`vigil keys rotate-master --rewrap-only\` once more (an instance started before the rotation may have written under the old key meanwhile); then ${older.join(', ')} can be retired, kept only as long as backups made under it.`
            : 'There is no older master key to retire.',
        );
      } finally {
        await db.close();
      }
    });
}

function addRetireMaster(keys: Command, ctx: CliContext): void {
  keys
    .command('retire-master')
    .argument('<id>', 'the id of an older master key, e.g. v1-0a1b2c3d (as rotate-master printed it)')
    .description('remove an older master key once nothing stored uses it (refuses otherwise)')
    .action(async (id: string) => {
      const c = ctx.config();
      const keyring = await loadKeyring({ masterKey: c.masterKey, dataDir: c.dataDir });
      if (!keyringHolds(keyring, id))
        throw new VigilError(404, 'not_found', `Master key ${id} is not among this instance's keys.`);
      if (isActiveKey(keyring, id))
        throw new VigilError(
          409,
          'active_key',
          `${id} is the active master key; run \`vigil keys rotate-master\` before retiring it.`,
        );
      const blobs = await openRawBlobs(c.blobStore, { dataDir: c.dataDir, keyring });
      const db = await openDatabase({
        dataDir: c.dataDir,
        databaseUrl: c.databaseUrl,
        schema: c.databaseSchema,
      });
      try {
        const use = await masterKeyUse({ db, blobs }, id);
        if (use.values > 0 || use.blobs > 0)
          throw new VigilError(
            409,
            'key_in_use',
            `${use.values} sealed value(s) and ${use.blobs} attachment file(s) still use master key ${id}; run \`vigil keys rotate-master --rewrap-only\` (after every instance has restarted with the new key) and try again.`,
          );
      } finally {
        await db.close();
      }
      if (c.masterKey !== undefined) {
        ctx.out(
          `Nothing stored uses master key ${id} any more: remove it from VIGIL_MASTER_KEY and restart every instance. Keep it in escrow as long as you keep backups made under it.`,
        );
        return;
      }
      await removeKeyFromFile(c.dataDir, id);
      ctx.out(
        `Removed master key ${id} from ${c.dataDir}/master.key. Keep it in escrow as long as you keep backups made under it.`,
      );
    });
}

const keyOwner = (slug: string | null) => (slug ? `program ${slug}` : 'the instance');
