import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { systemClock } from '../src/core/index.js';
import { createProgramService, type ProgramService } from '../src/programs/index.js';
import { dialects, startTestVigil, type TestVigil } from './helpers/test-vigil.js';

/**
 * Program definitions are parsed once per revision and kept: a lookup reads each program's head
 * and fetches the definition only for a revision not parsed yet. Two services on one database
 * stand for two instances: what one saves, the other reads at its next lookup, by list and by slug.
 */
describe.each(dialects)('program definitions kept between lookups (%s)', (dialect) => {
  let v: TestVigil;
  let other: ProgramService;

  beforeAll(async () => {
    v = await startTestVigil(dialect);
    other = createProgramService({ db: v.db, clock: systemClock });
  });
  afterAll(async () => {
    await v?.destroy();
  });

  it('reads a revision another instance saved, and keeps the parse while nothing changes', async () => {
    const before = await other.list();
    const lakeside = before.find((p) => p.slug === 'lakeside-health');
    expect(lakeside).toBeDefined();
    // Unchanged: the very same parsed definition comes back, by list and by slug.
    expect((await other.list()).find((p) => p.slug === 'lakeside-health')?.definition).toBe(
      lakeside?.definition,
    );
    expect((await other.get('lakeside-health')).definition).toBe(lakeside?.definition);

    const def = parse(await v.services.programs.exportYaml('lakeside-health'));
    def.name = 'Lakeside Health (renamed)';
    await v.services.programs.importYaml(stringify(def), 'test');

    const byList = (await other.list()).find((p) => p.slug === 'lakeside-health');
    expect(byList?.revision).toBe((lakeside?.revision ?? 0) + 1);
    expect(byList?.definition.name).toBe('Lakeside Health (renamed)');
    expect((await other.list()).map((p) => p.slug).sort()).toEqual(before.map((p) => p.slug).sort());

    def.name = 'Lakeside Health (again)';
    await v.services.programs.importYaml(stringify(def), 'test');
    const bySlug = await other.get('lakeside-health');
    expect(bySlug.revision).toBe((lakeside?.revision ?? 0) + 2);
    expect(bySlug.definition.name).toBe('Lakeside Health (again)');
    await expect(other.get('no-such-program')).rejects.toThrow(/no program "no-such-program"/);
  });
});
