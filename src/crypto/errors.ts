/**
 * Raised when the master key material is missing, malformed or stored unsafely.
 * Messages describe the expected format but never echo key material.
 */
export class KeyringError extends Error {
  override name = 'KeyringError';
}

/**
 * Raised for every failure to open sealed data: tampering, truncation, wrong AAD, wrong or
 * missing master key. Deliberately carries no cryptographic detail beyond a short reason.
 */
export class DecryptionError extends Error {
  override name = 'DecryptionError';

  constructor(message = 'decryption failed') {
    super(message);
  }
}
