/**
 * Data at rest as a whole: encrypted backups of the database and blobs, restoring them, and
 * re-wrapping every stored data key after a master-key rotation.
 */
export { archiveKeyId, BackupFileError } from './archive.js';
export { type BackupResult, type BackupSource, writeBackup } from './backup.js';
export type { BackupManifest } from './manifest.js';
export { MissingBlobError, openRawBlobs, type RawBlobs } from './raw-blobs.js';
export { type RestoreResult, type RestoreTarget, restoreBackup } from './restore.js';
export {
  type KeyUse,
  masterKeyUse,
  type RewrapOptions,
  type RewrapProgress,
  type RewrapResult,
  rewrapAll,
} from './rewrap.js';
