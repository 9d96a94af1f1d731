/** What a case is about for duplicate suggestions: its features, and their keyed digest. */
export { caseDigest } from './case-digest.js';
export { openDigestKey } from './digest-keys.js';
export { writeFeatureDigest } from './digest-store.js';
export {
  answersFeatureInput,
  assessmentCwe,
  assessmentFeatureInput,
  type CaseFeatureInput,
  type CaseFeatures,
  extractEndpoints,
  extractFeatures,
  mergeFeatures,
  normaliseCwe,
  normalisePath,
  tokenize,
  versionTokens,
} from './extraction.js';
export {
  BIGRAM_CAP,
  type DigestKey,
  decodeDigest,
  digestKeyId,
  encodeDigest,
  type HashedFeatures,
  hashFeatures,
  TERM_CAP,
} from './feature-digest.js';
