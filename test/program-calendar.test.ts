import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { createManualClock } from '../src/core/clock.js';
import { ValidationError } from '../src/core/errors.js';
import type { Program } from '../src/programs/index.js';
import { validAnswers } from './helpers/reports.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * The Lakeside program's calendar through the real intake: date-holidays lists Easter Monday for
 * Ontario, where it is not a statutory holiday, and the program removes it in its YAML. A report
 * received on Thursday 25 March 2027 is due, with 2 business days, at the end of Tuesday 30 March
 * (Good Friday 26 March skipped, Easter Monday 29 March worked) — not a day later.
 */

const SLUG = 'lakeside-health';
// Thursday 25 March 2027, 11:00 in Toronto (EDT, UTC-4).
const RECEIVED = new Date('2027-03-25T15:00:00.000Z');
// End of Tuesday 30 March 2027 in Toronto.
const DUE = '2027-03-31T03:59:59.999Z';
// End of Wednesday 31 March, what the holiday data alone would give.
const DUE_UNCORRECTED = '2027-04-01T03:59:59.999Z';

describe.each(dialects)('program calendars through intake (%s)', (dialect) => {
  let v: TestVigil;
  let lakeside: Program;

  beforeAll(async () => {
    v = await startTestVigil(dialect, { clock: createManualClock(RECEIVED) });
    lakeside = await v.services.programs.get(SLUG);
  });
  afterAll(async () => {
    await v?.destroy();
  });

  const submit = (program: Program) =>
    v.app.inject({
      method: 'POST',
      url: `/api/v1/programs/${program.slug}/reports`,
      payload: { fields: validAnswers(program, 'stored XSS in the patient search') },
    });

  it('acknowledges a report of Thursday before Easter by the end of Tuesday, working Easter Monday', async () => {
    const res = await submit(lakeside);
    expect(res.statusCode, res.body).toBe(201);
    const receipt = res.json();
    expect(receipt.acknowledgeBy).toBe(DUE);
    expect(receipt.timeZone).toBe('America/Toronto');
    // The stored clock is the one the queue and the reporter see.
    const row = await v.db.kysely
      .selectFrom('reports')
      .select(['acknowledge_by', 'received_at'])
      .where('case_number', '=', receipt.caseNumber)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ acknowledge_by: DUE, received_at: RECEIVED.toISOString() });
    const page = await v.app.inject({
      method: 'GET',
      url: `${new URL(receipt.reporterUrl).pathname}?received=1`,
    });
    expect(page.body).toContain('Tuesday 30 March 2027, 23:59 EDT');
  });

  it('would be due a day later on the holiday data alone', async () => {
    const def = YAML.parse(await v.services.programs.exportYaml(SLUG));
    def.slug = 'lakeside-uncorrected';
    def.casePrefix = 'LHUNC';
    def.intake.emailAddresses = [];
    delete def.calendar.holidays.remove;
    const { program } = await v.services.programs.importYaml(YAML.stringify(def), 'test');
    const res = await submit(program);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().acknowledgeBy).toBe(DUE_UNCORRECTED);
  });

  it('exports the correction and takes it back unchanged', async () => {
    const exported = await v.services.programs.exportYaml(SLUG);
    expect(YAML.parse(exported).calendar.holidays).toEqual({
      country: 'CA',
      region: 'ON',
      remove: ['Easter Monday'],
    });
    const { program, created } = await v.services.programs.importYaml(exported, 'test');
    expect(created).toBe(false);
    expect(program.definition).toEqual(lakeside.definition);
    expect((await submit(program)).json().acknowledgeBy).toBe(DUE);
  });

  it('refuses a misspelt holiday name at import, naming the path, and changes nothing', async () => {
    const before = await v.services.programs.get(SLUG);
    const text = (await v.services.programs.exportYaml(SLUG)).replace('- Easter Monday', '- Easter Mon');
    const refusal = await v.services.programs.importYaml(text, 'test').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).fields).toEqual([
      {
        path: 'calendar.holidays.remove.0',
        message: expect.stringMatching(
          /^date-holidays gives CA-ON no holiday named "Easter Mon" between 2022 and 2032; the public holidays it names are: .*"Easter Monday"/,
        ),
      },
    ]);
    expect((await v.services.programs.get(SLUG)).revision).toBe(before.revision);
  });
});
