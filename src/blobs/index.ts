/** Public blob storage API: encrypted, streaming attachment storage (local folder or S3). */
export { type AttachmentBlobRef, attachmentBlobRefs } from './attachment-refs-store.js';
export {
  type BlobMigrationAccess,
  BlobNotFoundError,
  type BlobStore,
  BlobTooLargeError,
  createFileBlobStore,
  type FileBlobStoreOptions,
  InvalidBlobKeyError,
  isBlobKey,
  type MigratableBlobStore,
  newBlobKey,
  type PutOptions,
  type PutResult,
} from './blob-store.js';
export { BLOB_STORE_RETRY_AFTER_SECONDS, BlobStoreUnavailableError } from './errors.js';
export {
  type OpenBlobStoreOptions,
  openBlobStore,
  openLocalBlobStore,
  openS3Store,
  type S3StoreConfig,
} from './open-blob-store.js';
