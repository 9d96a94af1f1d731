/** Public crypto API: master keys, envelope encryption for fields, streaming encryption for files, tokens. */
export { createSealer, type Sealer, sealedKeyId } from './envelope.js';
export { DecryptionError, KeyringError } from './errors.js';
export {
  isActiveKey,
  keyringHolds,
  MAX_STREAM_HEADER_BYTES,
  parseStreamHeader,
  rewrapStreamHeader,
  type StreamHeader,
  sameKey,
  wrappedKeyId,
} from './key-ids.js';
export {
  KEY_FILE_NAME,
  type Keyring,
  type LoadKeyringOptions,
  loadKeyring,
  rotateKeyFile,
} from './keyring.js';
export { removeKeyFromFile } from './retire-key.js';
export { finishRotation, startRotation, unfinishedRotation } from './rotation-marker.js';
export { createDecryptStream, createEncryptStream, STREAM_CHUNK_BYTES } from './stream.js';
export { hashToken, newCapabilityToken, safeEqualHex } from './tokens.js';
