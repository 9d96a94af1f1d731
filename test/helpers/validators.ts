import { loadCveRecordCheck, validateCsafOffThread } from '../../src/disclosure/index.js';
import { officialCveSchema } from './cve-schema.js';

/**
 * Start and compile the validators publication uses — the CSAF validator on its worker thread
 * (its schemas take seconds of CPU, many more on a busy machine) and the official CVE schema
 * where it is here — so that work lands in a suite's `beforeAll`, not inside the first test that
 * drafts, approves or publishes. In a worker that already ran such a suite, this is immediate.
 */
export async function warmValidators(): Promise<void> {
  await validateCsafOffThread({});
  const schema = officialCveSchema();
  if (schema) loadCveRecordCheck(schema);
}

/** How long a suite's `beforeAll` that warms the validators may take on a busy machine. */
export const WARM_TIMEOUT = 240_000;
