/** Background jobs: the durable outbox and the worker that sends it. */

export { acquireLease, leaseHolder, releaseLease } from './lease-store.js';
export { enqueueMail, outboxAad } from './outbox.js';
export {
  countOutboxByState,
  insertOutbox,
  listOutbox,
  type OutboxState,
  type OutboxSummary,
} from './outbox-store.js';
export {
  createOutboxWorker,
  type OutboxWorker,
  type OutboxWorkerDeps,
  retryDelayMs,
} from './outbox-worker.js';
export { createPeriodicPass } from './periodic-pass.js';
