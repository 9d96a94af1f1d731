/** Background jobs: the durable outbox and the worker that sends it. */
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
  describeError,
  type OutboxWorker,
  type OutboxWorkerDeps,
  retryDelayMs,
  type WorkerLogger,
} from './outbox-worker.js';
