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
