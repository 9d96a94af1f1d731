export { signCleartext } from './cleartext.js';
export { decryptMessage, decryptStream, OpenPgpDecryptError, type SignatureStatus } from './decrypt.js';
export {
  createDecryptBudget,
  type DecryptBudget,
  DecryptBudgetBusyError,
  decryptBudgetFor,
  useDecryptBudget,
} from './decrypt-budget.js';
export {
  createKeyService,
  type KeyService,
  type KeySummary,
  type PublishedKeyRecord,
  programKeyAddress,
  publishedKeyPath,
} from './key-service.js';
export { type OpenpgpRouteDeps, openpgpPlugin } from './plugin.js';
export {
  createSeipdV1StreamDecryptor,
  type SeipdStreamDecryptor,
  type StreamDecryptOutcome,
} from './seipd-stream.js';
export { wkdHash, wkdUrls, zbase32 } from './wkd.js';
