import path from 'node:path';
import type { BlobStoreConfig } from '../config/index.js';
import type { Keyring } from '../crypto/index.js';
import { type BlobStore, createFileBlobStore } from './blob-store.js';

/** What `openBlobStore` needs besides the configured backend. */
export interface OpenBlobStoreOptions {
  dataDir: string;
  keyring: Keyring;
}

/**
 * The instance's blob store as configured: `<dataDir>/blobs` by default. A backend that cannot be
 * reached or refuses its settings fails here, at start-up, with one error naming the variable.
 */
export async function openBlobStore(config: BlobStoreConfig, opts: OpenBlobStoreOptions): Promise<BlobStore> {
  if (config.kind === 'file') {
    return createFileBlobStore({ root: path.join(opts.dataDir, 'blobs'), keyring: opts.keyring });
  }
  throw new Error('the S3 blob store is not available in this build');
}
