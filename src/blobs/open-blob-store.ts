import path from 'node:path';
import { type BlobStoreConfig, ConfigError } from '../config/index.js';
import type { Keyring } from '../crypto/index.js';
import { type BlobStore, createFileBlobStore, type MigratableBlobStore } from './blob-store.js';

/** What `openBlobStore` needs besides the configured backend. */
export interface OpenBlobStoreOptions {
  dataDir: string;
  keyring: Keyring;
}

/** The S3 part of the blob store configuration (`VIGIL_S3_*`). */
export type S3StoreConfig = Extract<BlobStoreConfig, { kind: 's3' }>;

/**
 * The instance's blob store as configured: `<dataDir>/blobs` by default. A backend that cannot be
 * reached or refuses its settings fails here, at start-up, with one error naming the variable.
 */
export async function openBlobStore(config: BlobStoreConfig, opts: OpenBlobStoreOptions): Promise<BlobStore> {
  if (config.kind === 'file') return openLocalBlobStore(opts);
  return openS3Store(config, opts.keyring);
}

/** The local store, `<dataDir>/blobs`, whatever is configured (the source of `vigil blobs migrate`). */
export function openLocalBlobStore(opts: OpenBlobStoreOptions): MigratableBlobStore {
  return createFileBlobStore({ root: path.join(opts.dataDir, 'blobs'), keyring: opts.keyring });
}

/**
 * The configured S3 store, after a start-up probe (bucket, credentials, a small write and delete).
 * The AWS SDK is loaded here, on first use, so an instance on the file store never pays its memory.
 * A probe failure is a ConfigError whose one line names the VIGIL_S3_* variable to fix.
 */
export async function openS3Store(
  config: S3StoreConfig,
  keyring: Keyring,
  opts: { probeTimeoutMs?: number } = {},
): Promise<MigratableBlobStore> {
  const s3 = await import('./s3-blob-store.js');
  try {
    return await s3.openS3BlobStore(config, keyring, opts);
  } catch (err) {
    if (err instanceof s3.S3ProbeError) throw new ConfigError([err.message]);
    throw err;
  }
}
