import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Keyring } from '../crypto/index.js';
import {
  beginRowRestore,
  type Db,
  inspectSqliteFile,
  knownMigrations,
  nonEmptyReason,
  type RowRestore,
} from '../db/index.js';
import { BackupFileError, DAMAGED, openArchive } from './archive.js';
import { type BackupManifest, type BackupTotals, parseManifest, parseTotals } from './manifest.js';
import { publishNoClobber, type RawBlobs } from './raw-blobs.js';
import { decodeRows } from './rows.js';

/** Where a backup is restored to. */
export interface RestoreTarget {
  /** VIGIL_DATA_DIR: holds the SQLite file (when no `database` is given) and the file blob store. */
  dataDir: string;
  /** The PostgreSQL database (DATABASE_URL) to restore into; absent for SQLite. */
  database?: Db;
  blobs: RawBlobs;
  keyring: Keyring;
}

/** What `restoreBackup` put back. */
export interface RestoreResult {
  cases: number;
  blobs: number;
  createdAt: string;
  keyId: string;
}

/** The data directory's own key file, which may (and for a key-file instance must) be there already. */
const KEY_FILE = 'master.key';
const STAGING_PREFIX = '.restore-';

/**
 * Restore `file` into an empty target, or refuse and leave the target untouched. Everything is
 * staged first (the SQLite file and blobs in a folder inside the data directory, PostgreSQL rows
 * in one open transaction) and put in place only after the whole file has been read and
 * authenticated to its last byte: a damaged or truncated file is found before anything is
 * visible.
 */
export async function restoreBackup(file: string, target: RestoreTarget): Promise<RestoreResult> {
  const reader = await openArchive(file, target.keyring);
  let staging: string | undefined;
  let rows: RowRestore | undefined;
  try {
    await refuseNonEmptyTarget(target);
    await mkdir(target.dataDir, { recursive: true, mode: 0o700 });
    staging = path.join(target.dataDir, `${STAGING_PREFIX}${randomBytes(6).toString('hex')}`);
    await mkdir(staging, { mode: 0o700 });
    const stagedBlobs = target.blobs.stage(staging);
    const stagedSqlite = path.join(staging, 'vigil.sqlite');
    let manifest: BackupManifest | undefined;
    let totals: BackupTotals | undefined;
    let sqliteSeen = false;
    const read: BackupTotals = { tables: {}, blobs: 0, blobBytes: 0 };
    for await (const record of reader.records()) {
      if (!manifest) {
        if (record.kind !== 'manifest') throw new BackupFileError(DAMAGED);
        manifest = parseManifest(await collect(record.body));
        refuseMismatchedDatabase(manifest, target);
        if (target.database) rows = await beginRowRestore(target.database, manifest.migrations);
        continue;
      }
      if (record.kind === 'sqlite' && manifest.database === 'sqlite-file' && !sqliteSeen) {
        await writeBody(stagedSqlite, record.body);
        sqliteSeen = true;
      } else if (record.kind === 'table' && rows) {
        const { columns, rows: values } = await decodeRows(record.body);
        read.tables[record.name] = await rows.table(record.name, columns, values);
      } else if (record.kind === 'blob') {
        await stagedBlobs.write(record.name, record.body);
        read.blobs++;
      } else if (record.kind === 'end') {
        totals = parseTotals(await collect(record.body));
      } else throw new BackupFileError(DAMAGED);
    }
    // The end record was read; reading on to the end of the file authenticates the last chunk.
    await reader.finish();
    if (!manifest || !totals || !sameCounts(totals, read) || totals.blobs !== manifest.blobs)
      throw new BackupFileError(DAMAGED);
    if (manifest.database === 'sqlite-file') {
      if (!sqliteSeen) throw new BackupFileError(DAMAGED);
      await refuseUnknownMigrations(inspectSqliteFile(stagedSqlite).migrations);
    }
    if (rows) await rows.commit();
    rows = undefined;
    await stagedBlobs.commit();
    if (manifest.database === 'sqlite-file')
      await publishNoClobber(stagedSqlite, path.join(target.dataDir, 'vigil.sqlite'));
    return { cases: manifest.cases, blobs: read.blobs, createdAt: manifest.createdAt, keyId: reader.keyId };
  } finally {
    await rows?.rollback();
    reader.close();
    if (staging) await rm(staging, { recursive: true, force: true });
  }
}

/**
 * The target must hold no Vigil data: no database file or tables, no blobs, nothing else in a
 * SQLite data directory but the key file. A folder left by an interrupted restore is removed.
 */
async function refuseNonEmptyTarget(target: RestoreTarget): Promise<void> {
  const entries = await readdir(target.dataDir).catch(() => [] as string[]);
  for (const stale of entries.filter((e) => e.startsWith(STAGING_PREFIX)))
    await rm(path.join(target.dataDir, stale), { recursive: true, force: true });
  if (target.database) {
    const reason = await nonEmptyReason(target.database);
    if (reason) throw new Error(`refusing to restore: ${reason}; restore only into an empty database`);
  } else {
    const others = entries.filter((e) => e !== KEY_FILE && e !== 'blobs' && !e.startsWith(STAGING_PREFIX));
    if (others.length > 0)
      throw new Error(
        `refusing to restore: the data directory ${target.dataDir} is not empty (it holds ${others.slice(0, 3).join(', ')}); restore only into an empty data directory`,
      );
  }
  if (!(await target.blobs.isEmpty()))
    throw new Error(
      'refusing to restore: the blob store already holds attachment files; restore only into an empty one',
    );
}

function refuseMismatchedDatabase(manifest: BackupManifest, target: RestoreTarget): void {
  if (manifest.database === 'sqlite-file' && target.database)
    throw new Error(
      'this backup holds a SQLite database; restore it without DATABASE_URL, into an empty VIGIL_DATA_DIR',
    );
  if (manifest.database === 'rows' && !target.database)
    throw new Error(
      'this backup holds a PostgreSQL database; restore it with DATABASE_URL naming an empty database',
    );
}

async function refuseUnknownMigrations(migrations: string[]): Promise<void> {
  const known = await knownMigrations();
  const unknown = migrations.find((m) => !known.includes(m));
  if (unknown)
    throw new Error(
      `the backup was made by a newer Vigil: its migration "${unknown}" is unknown to this version; upgrade Vigil first`,
    );
}

function sameCounts(written: BackupTotals, read: BackupTotals): boolean {
  const names = new Set([...Object.keys(written.tables), ...Object.keys(read.tables)]);
  for (const name of names) if (written.tables[name] !== read.tables[name]) return false;
  return written.blobs === read.blobs;
}

async function collect(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

async function writeBody(file: string, body: AsyncIterable<Buffer>): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  await pipeline(body, handle.createWriteStream({ flush: true }));
}
