import { BroadcastChannel, parentPort } from 'node:worker_threads';
import { detectPhi, type PhiInput } from '../../src/privacy/index.js';

/**
 * A PHI guard worker for tests (`scanWorkerUrl`): the real detector and the real protocol
 * (src/privacy-quarantine/scan-worker.ts), except that a job with an input of 1 MiB or more
 * announces itself on the `vigil-scan-gate` channel and waits there for `release`. A test can so
 * hold a pathological report's scan open for as long as it needs, whatever the machine's speed:
 * ordering, not timing. Smaller jobs pass straight through.
 */
const GATED_AT = 1024 * 1024;
const gate = new BroadcastChannel('vigil-scan-gate');
let released = false;
const waiting: (() => void)[] = [];
gate.onmessage = (e) => {
  if ((e as { data?: unknown }).data !== 'release') return;
  released = true;
  for (const go of waiting.splice(0)) go();
};
const sizeOf = (i: PhiInput) => ('text' in i ? i.text.length : i.bytes.length);

const port = parentPort;
port?.on('message', async (job: { id: number; inputs: PhiInput[]; options: object }) => {
  if (!released && job.inputs.some((i) => sizeOf(i) >= GATED_AT)) {
    gate.postMessage({ started: job.id });
    await new Promise<void>((go) => waiting.push(go));
  }
  for (const [index, input] of job.inputs.entries())
    port.postMessage({ id: job.id, index, result: detectPhi(input, job.options) });
  port.postMessage({ id: job.id, done: true });
});
