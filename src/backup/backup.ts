import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Keyring } from '../crypto/index.js';
import { type BlobReference, type Db, type SnapshotFacts, snapshotDatabase } from '../db/index.js';
import { writeArchive } from './archive.js';
import { type BackupManifest, type BackupTotals, MANIFEST_FORMAT } from './manifest.js';
import { isMissingBlob, type RawBlobs } from './raw-blobs.js';
import { encodeRows } from './rows.js';

/** What `writeBackup` wrote. */
export interface BackupResult {
  file: string;
  bytes: number;
  cases: number;
  blobs: number;
  /** The master key needed to restore the file. */
  keyId: string;
}

/** What a backup is made from: the open database, the blob files as stored, the master key. */
export interface BackupSource {
  db: Db;
  blobs: RawBlobs;
  keyring: Keyring;
  now?: () => Date;
}

/**
 * Write an encrypted, consistent backup of the database and every attachment file it refers
 * to into `file`, while Vigil keeps serving. The database is snapshotted first; the blobs the
 * snapshot names are then copied as stored. Blobs are written before their rows are committed
 * (src/reports), so a blob the snapshot names exists unless it was deleted afterwards (a
 * redaction): then the backup fails, naming the attachment, rather than producing a file that
 * restores to cases without their attachments. Run it again.
 */
export async function writeBackup(source: BackupSource, file: string): Promise<BackupResult> {
  const { db, blobs, keyring } = source;
  const work = await mkdtemp(path.join(path.dirname(file), '.vigil-backup-'));
  let facts: SnapshotFacts | undefined;
  const totals: BackupTotals = { tables: {}, blobs: 0, blobBytes: 0 };
  try {
    const bytes = await writeArchive(file, keyring, async (w) => {
      facts = await snapshotDatabase(db, work, {
        facts: async (f) => {
          const manifest: BackupManifest = {
            format: MANIFEST_FORMAT,
            createdAt: (source.now?.() ?? new Date()).toISOString(),
            database: f.format,
            migrations: f.migrations,
            cases: f.cases,
            blobs: f.blobs.length,
            masterKey: keyring.activeKeyId,
          };
          await w.record('manifest', '', Buffer.from(JSON.stringify(manifest), 'utf8'));
        },
        file: (filePath) => w.record('sqlite', 'vigil.sqlite', createReadStream(filePath)),
        table: (name, columns, rows) =>
          w.record(
            'table',
            name,
            encodeRows(columns, rows, (n) => {
              totals.tables[name] = n;
            }),
          ),
      });
      for (const ref of facts.blobs) {
        totals.blobBytes += await copyBlob(w.record.bind(w), blobs, ref);
        totals.blobs++;
      }
      await w.record('end', '', Buffer.from(JSON.stringify(totals), 'utf8'));
    });
    return {
      file,
      bytes,
      cases: facts?.cases ?? 0,
      blobs: totals.blobs,
      keyId: keyring.activeKeyId,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function copyBlob(
  record: (kind: 'blob', name: string, body: AsyncIterable<Buffer>) => Promise<void>,
  blobs: RawBlobs,
  ref: BlobReference,
): Promise<number> {
  let size = 0;
  const counted = async function* (stream: AsyncIterable<Buffer>) {
    for await (const chunk of stream) {
      size += chunk.length;
      yield chunk;
    }
  };
  try {
    await record('blob', ref.blobKey, counted(blobs.read(ref.blobKey)));
  } catch (err) {
    if (isMissingBlob(err))
      throw new Error(
        `the file of attachment ${ref.attachmentId} (blob ${ref.blobKey}) is missing from the blob store, so no backup was written; if it was just redacted, run the backup again, otherwise restore the blob store first`,
      );
    throw err;
  }
  return size;
}
