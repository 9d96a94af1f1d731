import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Program } from '../src/programs/index.js';
import { validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * The best similar case on arrival is scored from candidates' digests that intake keeps decoded
 * between arrivals (src/cases/quality-arrival.ts). A candidate whose stored digest changed since
 * (a redaction recomputes it) must be scored from the new digest at the next arrival.
 */

const DETAILS = `The appointment export endpoint returns other tenants' appointments.

1. Sign in as a scheduler of clinic A.
2. Call GET /api/v3/appointments/export?clinicId=B on portal.lakeside-health.example.
3. The response lists clinic B's appointments with patient initials and times.`;

const UNRELATED = `Crash of the bedside monitor firmware after a malformed HL7 ORU message over MLLP:
the parser reads past the end of OBX-5 when the repetition separator ends the segment, and the
monitor reboots within seconds. Reproduced on the 4.2 firmware with a fuzzed message.`;

describe.each(dialects)('similar case on arrival after a candidate changes (%s)', (dialect) => {
  let v: TestVigil;
  let lakeside: Program;

  const submit = async (fields: Record<string, string>): Promise<string> => {
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${lakeside.slug}/reports`,
      headers: { 'content-type': 'application/json' },
      payload: { fields },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().caseNumber as string;
  };

  const similarOf = async (caseNumber: string): Promise<{ caseNumber: string; score: number } | null> => {
    const row = await v.db.kysely
      .selectFrom('quality_signals')
      .innerJoin('reports', 'reports.id', 'quality_signals.report_id')
      .select('quality_signals.signals')
      .where('reports.case_number', '=', caseNumber)
      .executeTakeFirstOrThrow();
    return (JSON.parse(row.signals) as { similar: { caseNumber: string; score: number } | null }).similar;
  };

  const digestOf = async (caseNumber: string): Promise<Buffer> =>
    (
      await v.db.kysely
        .selectFrom('reports')
        .select('feature_digest')
        .where('case_number', '=', caseNumber)
        .executeTakeFirstOrThrow()
    ).feature_digest as Buffer;

  beforeAll(async () => {
    v = await startTestVigil(dialect, {
      env: { VIGIL_POW_QUIET_PER_HOUR: '100000', VIGIL_POW_ADDRESS_FREE_PER_HOUR: '100000' },
    });
    lakeside = await v.services.programs.get('lakeside-health');
  });

  afterAll(async () => {
    await v?.destroy();
  });

  it('scores a candidate from its digest as stored now, not as first decoded', async () => {
    const report = { ...validAnswers(lakeside, 'x'), details: DETAILS };
    const unrelated = await submit({
      ...validAnswers(lakeside, 'y', 'other@example.org'),
      details: UNRELATED,
    });
    const first = await submit(report);
    // The second copy finds the first: the first's digest is now decoded and kept.
    const second = await submit(report);
    expect((await similarOf(second))?.caseNumber).toBe(first);

    // Both copies' digests become the unrelated report's (as a redaction would rewrite them).
    const other = await digestOf(unrelated);
    await v.db.kysely
      .updateTable('reports')
      .set({ feature_digest: other })
      .where('case_number', 'in', [first, second])
      .execute();

    // A third copy is like neither any more.
    const third = await submit(report);
    const similar = await similarOf(third);
    expect(similar?.caseNumber ?? null).not.toBe(first);
    expect(similar?.caseNumber ?? null).not.toBe(second);
  });
});
