import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import {
  type AttachmentBlobRef,
  attachmentBlobRefs,
  BlobNotFoundError,
  type BlobStore,
  isBlobKey,
  type MigratableBlobStore,
  openLocalBlobStore,
  openS3Store,
} from '../../blobs/index.js';
import { loadKeyring } from '../../crypto/index.js';
import { attachmentAad } from '../../reports/index.js';
import type { CliContext } from '../context.js';

/** `blobs …`: the attachment store (moving a local store to S3, checking every blob). */
export function addBlobsCommands(program: Command, ctx: CliContext): void {
  const blobs = program.command('blobs').description('the encrypted attachment store');
  blobs
    .command('migrate')
    .description(
      'copy every blob of the local store (<VIGIL_DATA_DIR>/blobs) to the S3 bucket named by VIGIL_S3_*, ' +
        'as ciphertext, verifying each copy; safe to run again, and the local files stay in place',
    )
    .action(async () => {
      await migrateBlobs(ctx);
    });
  blobs
    .command('verify')
    .description(
      'check that every attachment in the database has its blob in the configured store, and that it ' +
        'decrypts to the SHA-256 recorded when it was stored; exits 1 naming any that does not',
    )
    .action(async () => {
      await verifyBlobs(ctx);
    });
}

/**
 * Reads every referenced blob back through the configured store, decrypting it as a download
 * does (bound to its attachment), and compares the plaintext's SHA-256 with the one recorded at
 * intake. Run after `migrate`, before removing the local files; or any time, as a check of the store.
 */
async function verifyBlobs(ctx: CliContext): Promise<void> {
  await ctx.withVigil(async (v) => {
    let checked = 0;
    const problems: string[] = [];
    for await (const ref of attachmentBlobRefs(v.db.kysely)) {
      const problem = await verifyOne(v.blobs, ref);
      if (problem !== undefined)
        problems.push(`attachment ${ref.attachmentId} (blob ${ref.blobKey}): ${problem}`);
      checked++;
      if (checked % PROGRESS_EVERY === 0)
        ctx.out(`  ${checked} attachments checked, ${problems.length} problem(s)`);
    }
    if (problems.length === 0) {
      ctx.out(`All ${checked} attachment blob(s) are present and decrypt to their recorded SHA-256.`);
      return;
    }
    for (const p of problems) ctx.io.stderr(`  ${p}\n`);
    ctx.io.stderr(
      `vigil: ${problems.length} of ${checked} attachment blob(s) are missing or do not decrypt to their recorded SHA-256 (listed above).\n`,
    );
    ctx.state.exitCode = 1;
  });
}

/** Undefined when the blob is there and whole; otherwise what is wrong with it. */
async function verifyOne(store: BlobStore, ref: AttachmentBlobRef): Promise<string | undefined> {
  if (!isBlobKey(ref.blobKey)) return 'the row names no valid blob key';
  const hash = createHash('sha256');
  try {
    for await (const chunk of store.get(ref.blobKey, attachmentAad(ref.attachmentId)))
      hash.update(chunk as Buffer);
  } catch (err) {
    if (err instanceof BlobNotFoundError) return 'missing from the store';
    return `cannot be read: ${err instanceof Error ? err.message : String(err)}`;
  }
  return hash.digest('hex') === ref.sha256 ? undefined : 'decrypts, but not to the recorded SHA-256';
}

/** What one migration run did. */
interface MigrationTally {
  copied: number;
  alreadyThere: number;
  /** Deleted from the local store while the run went on (an orphan sweep): nothing to copy. */
  vanished: number;
  failed: { key: string; why: string }[];
}

/** How often a long migration reports how far it has got. */
const PROGRESS_EVERY = 100;

/**
 * Copies the local store's blobs to S3 unchanged: a blob's ciphertext is bound to its key and its
 * owner, not to where it is kept, so it needs no decryption and no new encryption, and the key
 * stays the same, so the database needs no change. Each copy is read back and its SHA-256 compared
 * with the local file's; a blob already in the bucket with the same SHA-256 is skipped, so an
 * interrupted run is resumed by running it again.
 */
async function migrateBlobs(ctx: CliContext): Promise<void> {
  const config = ctx.config();
  if (config.blobStore.kind !== 's3') {
    ctx.io.stderr(
      'vigil: no S3 bucket is configured to migrate to; set VIGIL_S3_BUCKET (with VIGIL_S3_ENDPOINT, VIGIL_S3_REGION and credentials as your service needs) and run the command again.\n',
    );
    ctx.state.exitCode = 1;
    return;
  }
  const keyring = await loadKeyring({ masterKey: config.masterKey, dataDir: config.dataDir });
  const local = openLocalBlobStore({ dataDir: config.dataDir, keyring });
  // Probes the bucket first: a wrong bucket, key or endpoint ends here with a ConfigError (exit 3).
  const remote = await openS3Store(config.blobStore, keyring);
  const localRoot = path.join(config.dataDir, 'blobs');
  const target = `s3://${config.blobStore.bucket}/${config.blobStore.prefix}`;
  ctx.out(`Copying the blobs of ${localRoot} to ${target} (as ciphertext, each copy verified) ...`);

  const tally: MigrationTally = { copied: 0, alreadyThere: 0, vanished: 0, failed: [] };
  let seen = 0;
  for await (const key of local.list()) {
    try {
      await migrateOne(key, local, remote, tally);
    } catch (err) {
      tally.failed.push({ key, why: err instanceof Error ? err.message : String(err) });
    }
    seen++;
    if (seen % PROGRESS_EVERY === 0) ctx.out(`  ${seen} blobs so far: ${describeTally(tally)}`);
  }

  ctx.out(`Done, ${seen} blob(s) in the local store: ${describeTally(tally)}.`);
  ctx.out(
    `The local files in ${localRoot} were left in place. Start Vigil with the same VIGIL_S3_* settings, ` +
      `check that attachments open, then remove them (rm -r ${localRoot}). Blobs stored by a Vigil still ` +
      'running on the local store after this run are copied by running the command again.',
  );
  if (tally.failed.length > 0) {
    for (const f of tally.failed) ctx.io.stderr(`  blob ${f.key}: ${f.why}\n`);
    const first = tally.failed[0] as { key: string };
    ctx.io.stderr(
      `vigil: ${tally.failed.length} blob(s) could not be copied and verified (the first is ${first.key}); nothing was removed, so run the command again once the cause above is fixed.\n`,
    );
    ctx.state.exitCode = 1;
  }
}

/** Copies one blob unless the bucket already holds exactly its bytes, then verifies the copy. */
async function migrateOne(
  key: string,
  local: MigratableBlobStore,
  remote: MigratableBlobStore,
  tally: MigrationTally,
): Promise<void> {
  const localDigest = await digestOrMissing(local.readCiphertextForMigration(key));
  if (localDigest === undefined) {
    tally.vanished++;
    return;
  }
  if (
    (await remote.exists(key)) &&
    (await digestOrMissing(remote.readCiphertextForMigration(key))) === localDigest
  ) {
    tally.alreadyThere++;
    return;
  }
  await remote.writeCiphertextForMigration(key, local.readCiphertextForMigration(key));
  const copied = await digestOrMissing(remote.readCiphertextForMigration(key));
  if (copied !== localDigest) {
    throw new Error(
      copied === undefined
        ? 'the object is missing from the bucket right after it was written'
        : 'the object read back from the bucket differs from the local file',
    );
  }
  tally.copied++;
}

/** SHA-256 of a stream's bytes, or undefined when the blob is not there. */
async function digestOrMissing(stream: Readable): Promise<string | undefined> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of stream) hash.update(chunk as Buffer);
  } catch (err) {
    if (err instanceof BlobNotFoundError) return undefined;
    throw err;
  }
  return hash.digest('hex');
}

function describeTally(t: MigrationTally): string {
  const parts = [`${t.copied} copied`, `${t.alreadyThere} already in the bucket and verified`];
  if (t.vanished > 0) parts.push(`${t.vanished} deleted locally meanwhile`);
  parts.push(`${t.failed.length} failed`);
  return parts.join(', ');
}
