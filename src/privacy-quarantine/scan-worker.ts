import { parentPort } from 'node:worker_threads';
import { detectPhi, type PhiDetectOptions, type PhiInput } from '../privacy/index.js';

/**
 * The PHI guard's worker thread (started by scan-pool.ts): runs `detectPhi` on each input of a
 * job and answers each result as soon as it has it, so that a job stopped at its budget still
 * tells the pool which of its inputs were checked. Nothing here logs or keeps content.
 */

/** One job: the inputs of one arrival that go together, with the reporter's own contact. */
export interface ScanRequest {
  id: number;
  inputs: PhiInput[];
  options: PhiDetectOptions;
}

/** One input's result (`index` into the job's inputs), a failure, or the end of the job. */
export type ScanAnswer =
  | { id: number; index: number; result: ReturnType<typeof detectPhi> }
  | { id: number; index: number; error: string }
  | { id: number; done: true };

const port = parentPort;
if (port) {
  port.on('message', (job: ScanRequest) => {
    for (let index = 0; index < job.inputs.length; index += 1) {
      try {
        port.postMessage({
          id: job.id,
          index,
          result: detectPhi(job.inputs[index] as PhiInput, job.options),
        });
      } catch (err) {
        // A detector bug: the input counts as not checked (and is held), the job goes on.
        port.postMessage({ id: job.id, index, error: err instanceof Error ? err.name : 'error' });
      }
    }
    port.postMessage({ id: job.id, done: true });
  });
  port.postMessage({ ready: true });
}
