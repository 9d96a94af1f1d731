import type { TestVigil } from './test-vigil.js';

/** Every audit entry recorded as `action`, with its actor and parsed detail. */
export async function auditEntries(
  v: Pick<TestVigil, 'db'>,
  action: string,
): Promise<{ actor: string; detail: Record<string, unknown> }[]> {
  const rows = await v.db.kysely
    .selectFrom('audit_log')
    .select(['actor', 'detail'])
    .where('action', '=', action)
    .execute();
  return rows.map((r) => ({ actor: r.actor, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
