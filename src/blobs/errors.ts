import { VigilError } from '../core/index.js';

/** Thrown by `put` as soon as the plaintext exceeds `maxBytes`; nothing is left in the store. */
export class BlobTooLargeError extends Error {
  override name = 'BlobTooLargeError';
  readonly limit: number;

  constructor(limit: number) {
    super(`blob exceeds the limit of ${limit} bytes`);
    this.limit = limit;
  }
}

/** Emitted by `get` when no blob with the key exists. */
export class BlobNotFoundError extends Error {
  override name = 'BlobNotFoundError';
  readonly key: string;

  constructor(key: string) {
    super(`blob ${key} not found`);
    this.key = key;
  }
}

/** Thrown for a key that is not 32 lowercase hex characters (the value is not echoed). */
export class InvalidBlobKeyError extends Error {
  override name = 'InvalidBlobKeyError';

  constructor() {
    super('invalid blob key: expected 32 lowercase hex characters');
  }
}

/** Seconds a client is asked to wait when the blob store cannot take a file. */
export const BLOB_STORE_RETRY_AFTER_SECONDS = 30;

/**
 * The blob store could not take a file for a reason that is not the request's: the S3 service
 * refused or could not be reached, or the disk is full, read-only or failing. The submission is
 * answered `503` with `Retry-After` and nothing of it is kept; the same request succeeds once the
 * store is back. `cause` holds the store's own error for the log.
 */
export class BlobStoreUnavailableError extends VigilError {
  readonly retryAfterSeconds = BLOB_STORE_RETRY_AFTER_SECONDS;

  constructor(cause: unknown) {
    super(
      503,
      'storage_unavailable',
      `The file store cannot take files at the moment, so this submission was not stored. Try again in ${BLOB_STORE_RETRY_AFTER_SECONDS} seconds.`,
    );
    this.cause = cause;
  }
}

/** File-system errors that say the disk, not the request, is at fault. */
const DISK_FAULTS = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EACCES', 'EPERM', 'EMFILE', 'ENFILE']);

/** Whether a file-system error is the disk's (full, read-only, failing), not the request's. */
export function isDiskFault(code: string | undefined): boolean {
  return code !== undefined && DISK_FAULTS.has(code);
}
