/**
 * The assessment the advisory tests give a confirmed Lakeside case: an SQL injection in Health
 * Server 4.0 to 4.2.0, fixed in 4.2.1.
 */
export const LAKESIDE_ASSESSMENT = {
  cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  cwe: 'CWE-89',
  affected: [{ productId: 'lakeside-health-server', versions: '>= 4.0, < 4.2.1', fixedIn: '4.2.1' }],
};

/** A test's "call the API as `who` and expect success" function. */
type CallOk = (who: string, method: 'POST' | 'PUT', url: string, payload: object) => Promise<unknown>;

/**
 * Take a new case through the workflow as its program's `lead` — acknowledged with Lee Lead as the
 * named contact, verification started, confirmed — then record `assessment` (none when null), so
 * the case can go into an advisory.
 */
export async function confirmCase(
  ok: CallOk,
  caseNumber: string,
  assessment: object | null = LAKESIDE_ASSESSMENT,
): Promise<void> {
  const url = `/api/v1/reports/${caseNumber}`;
  await ok('lead', 'POST', `${url}/acknowledge`, { contactPerson: 'Lee Lead' });
  await ok('lead', 'POST', `${url}/start-verification`, {});
  await ok('lead', 'POST', `${url}/confirm`, {});
  if (assessment) await ok('lead', 'PUT', `${url}/assessment`, assessment);
}
