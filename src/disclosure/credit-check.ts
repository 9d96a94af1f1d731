import type { Kysely } from 'kysely';
import { VigilError } from '../core/index.js';
import { creditStatuses } from '../credit-consent/index.js';
import type { Sealer } from '../crypto/index.js';
import type { AdvisoryRevisionRow, AdvisoryRow, Database } from '../db/index.js';
import type { Program } from '../programs/index.js';
import type { Credit } from './advisory-model.js';
import { parseContent } from './advisory-read-model.js';
import { casesOf } from './advisory-store.js';

/**
 * The credits each case's reporter consents to now, in their words: only a consent whose latest
 * record says `given` (see src/credit-consent). Opened in memory, never stored elsewhere.
 */
export async function consentedCredits(
  q: Kysely<Database>,
  sealer: Sealer,
  program: Program,
  reports: Parameters<typeof creditStatuses>[3],
): Promise<{ caseNumber: string; credit?: Credit }[]> {
  const statuses = await creditStatuses(q, sealer, program, reports);
  return reports.map((r) => {
    const s = statuses.get(r.id);
    return {
      caseNumber: r.case_number,
      credit:
        s?.status === 'given'
          ? { text: s.text, type: 'finder', lang: program.definition.languages[0] ?? 'en' }
          : undefined,
    };
  });
}

/**
 * A revision may name only reporters who consent now: a withdrawal after the draft was written
 * stops its approval and publication — by staff or by the embargo job — with a 409 naming each
 * credit (`credit_consent_lapsed`), so no one is credited against their latest word.
 */
export async function expectCreditsConsented(
  q: Kysely<Database>,
  sealer: Sealer,
  program: Program,
  row: AdvisoryRow,
  rev: AdvisoryRevisionRow,
): Promise<void> {
  const consented = new Set(
    (await consentedCredits(q, sealer, program, await casesOf(q, row.id))).flatMap((c) =>
      c.credit ? [c.credit.text] : [],
    ),
  );
  const lapsed = [
    ...new Set(
      parseContent(rev.content)
        .vulnerabilities.flatMap((v) => v.credits)
        .filter((c) => !consented.has(c.text))
        .map((c) => `"${c.text}"`),
    ),
  ];
  if (lapsed.length > 0)
    throw new VigilError(
      409,
      'credit_consent_lapsed',
      `Revision ${rev.number} credits ${lapsed.join(', ')}, which no reporter of its cases consents to now (consent was withdrawn or changed): remove or correct the credit in a draft before it is approved or published.`,
    );
}
