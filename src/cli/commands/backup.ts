import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { archiveKeyId, openRawBlobs, restoreBackup, writeBackup } from '../../backup/index.js';
import type { Config } from '../../config/index.js';
import { KEY_FILE_NAME, type Keyring, loadKeyring } from '../../crypto/index.js';
import { openDatabase } from '../../db/index.js';
import type { CliContext } from '../context.js';

/** `backup` and `restore`: encrypted snapshots of the database and blobs. */
export function addBackupCommands(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description(
      'write an encrypted snapshot of the database and attachment files while Vigil runs; it opens only with the master key',
    )
    .requiredOption('--out <file>', 'the backup file to create (must not exist yet)')
    .action(async (o: { out: string }) => {
      const c = ctx.config();
      const keyring = await existingKeyring(c, 'there is nothing to back up');
      const blobs = await openRawBlobs(c.blobStore, { dataDir: c.dataDir, keyring });
      const db = await openDatabase({
        dataDir: c.dataDir,
        databaseUrl: c.databaseUrl,
        schema: c.databaseSchema,
      });
      try {
        const r = await writeBackup({ db, blobs, keyring }, ctx.here(o.out));
        ctx.out(
          `Backup written to ${o.out}: ${r.cases} case(s), ${r.blobs} attachment file(s), ${r.bytes} bytes. ` +
            `Restoring it needs master key ${r.keyId}; keep that key apart from the backup.`,
        );
      } finally {
        await db.close();
      }
    });

  program
    .command('restore')
    .description('restore a backup into an empty data directory (and empty database); refuses anything else')
    .argument('<file>', 'a file written by `vigil backup`')
    .action(async (file: string) => {
      const c = ctx.config();
      const source = ctx.here(file);
      const keyId = await archiveKeyId(source);
      const keyring = await existingKeyring(
        c,
        `restoring needs the master key the backup was made with (${keyId})`,
      );
      const blobs = await openRawBlobs(c.blobStore, { dataDir: c.dataDir, keyring });
      const database = c.databaseUrl
        ? await openDatabase({ dataDir: c.dataDir, databaseUrl: c.databaseUrl, schema: c.databaseSchema })
        : undefined;
      try {
        const r = await restoreBackup(source, { dataDir: c.dataDir, database, blobs, keyring });
        ctx.out(
          `Restored ${r.cases} case(s) and ${r.blobs} attachment file(s) from the backup of ${r.createdAt}. ` +
            'Start Vigil on it; `vigil audit verify` checks the audit log.',
        );
      } finally {
        await database?.close();
      }
    });
}

/**
 * The instance's master keys, never a new one: `loadKeyring` creates a key file on first start,
 * which here would hide the real problem (a key that was not put in place) behind a new key.
 */
async function existingKeyring(c: Config, why: string): Promise<Keyring> {
  const file = path.join(c.dataDir, KEY_FILE_NAME);
  if (
    c.masterKey === undefined &&
    !(await access(file).then(
      () => true,
      () => false,
    ))
  )
    throw new Error(`VIGIL_MASTER_KEY is not set and ${file} does not exist: ${why}`);
  return loadKeyring({ masterKey: c.masterKey, dataDir: c.dataDir });
}
