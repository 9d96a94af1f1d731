import { randomUUID } from 'node:crypto';

/** Row identifiers: random UUIDs, so ids reveal neither volume nor order. */
export function newId(): string {
  return randomUUID();
}
