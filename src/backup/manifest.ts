import { BackupFileError, DAMAGED } from './archive.js';

/** The identifier inside every manifest, so a JSON file of another kind is never taken for one. */
export const MANIFEST_FORMAT = 'vigil-backup/1';

/** The first record of a backup: what it holds and what restoring it needs. */
export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  createdAt: string;
  /** `sqlite-file`: one SQLite database file; `rows`: PostgreSQL tables as JSON lines. */
  database: 'sqlite-file' | 'rows';
  /** Migrations applied in the backed-up database, in order. */
  migrations: string[];
  cases: number;
  blobs: number;
  /** Id of the master key the file (and every sealed value in it) is wrapped under. */
  masterKey: string;
}

/** The last record: counts of what was written, checked by restore against what it read. */
export interface BackupTotals {
  tables: Record<string, number>;
  blobs: number;
  blobBytes: number;
}

/** Parse and check the manifest record's body. */
export function parseManifest(body: Buffer): BackupManifest {
  const m = parseJson(body) as Partial<BackupManifest>;
  if (
    m.format !== MANIFEST_FORMAT ||
    (m.database !== 'sqlite-file' && m.database !== 'rows') ||
    !Array.isArray(m.migrations) ||
    typeof m.cases !== 'number' ||
    typeof m.blobs !== 'number'
  )
    throw new BackupFileError(DAMAGED);
  return m as BackupManifest;
}

/** Parse and check the end record's body. */
export function parseTotals(body: Buffer): BackupTotals {
  const t = parseJson(body) as Partial<BackupTotals>;
  if (typeof t.tables !== 'object' || t.tables === null || typeof t.blobs !== 'number')
    throw new BackupFileError(DAMAGED);
  return t as BackupTotals;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new BackupFileError(DAMAGED);
  }
}
