/** Public blob storage API: encrypted, streaming attachment storage. */
export {
  BlobNotFoundError,
  type BlobStore,
  BlobTooLargeError,
  createFileBlobStore,
  type FileBlobStoreOptions,
  InvalidBlobKeyError,
  isBlobKey,
  newBlobKey,
  type PutOptions,
  type PutResult,
} from './blob-store.js';
export { type OpenBlobStoreOptions, openBlobStore } from './open-blob-store.js';
