import type { Clock } from '../core/index.js';
import type { Database, Kysely } from '../db/index.js';
import { type AuditEntry, appendAudit } from './audit-store.js';

/**
 * The two shapes in which services write audit entries, built once per service from its clock.
 * Each call still runs inside the caller's transaction, like `appendAudit` itself.
 */

/** `audit(trx, entry)`: the entry, stamped with the clock's present. */
export function auditor(clock: Clock) {
  return (trx: Kysely<Database>, entry: AuditEntry): Promise<void> => appendAudit(trx, entry, clock.now());
}

/**
 * `audit(trx, actor, action, program, detail, at?)`: a change to one program's own records
 * (policies, advisories, customers, coordinators, CVE records), stamped `at` or the clock's present.
 */
export function programAuditor(clock: Clock) {
  return (
    trx: Kysely<Database>,
    actor: string,
    action: string,
    program: { id: string },
    detail: Record<string, unknown>,
    at: Date = clock.now(),
  ): Promise<void> => appendAudit(trx, { actor, action, programId: program.id, detail }, at);
}
