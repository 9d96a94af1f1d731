import type { Program } from '../programs/index.js';
import type { Answers } from '../reports/index.js';
import { answersFeatureInput, extractFeatures } from './extraction.js';
import { type DigestKey, encodeDigest, hashFeatures } from './feature-digest.js';

/**
 * The stored digest of a report's answers. Only the answers count, not the assessment: the
 * assessment is clear JSON on the row and is read fresh when scoring, so assessing a case never
 * has to touch its digest. Fields in `withheld` (held in PHI quarantine) are left out: a field is
 * only ever put on hold when its report arrives, so a digest made at intake or later never holds
 * anything still in quarantine.
 */
export function caseDigest(
  key: DigestKey,
  program: Program,
  answers: Answers,
  withheld: ReadonlySet<string> = new Set(),
): Buffer {
  return encodeDigest(
    hashFeatures(extractFeatures(answersFeatureInput(program, answers, withheld)), key).hashed,
  );
}
