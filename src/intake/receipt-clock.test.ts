import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatInstant } from '../core/index.js';
import { computeDeadlines, deadlineAfter } from '../deadlines/index.js';
import { createCalendarCache, type Program, parseProgramYaml } from '../programs/index.js';
import { createReceiptClock } from './receipt-clock.js';

const definition = parseProgramYaml(
  readFileSync(new URL('../../examples/programs/clinical-data-platform.yaml', import.meta.url), 'utf8'),
);

const program = (revision: number, timeZone = definition.calendar.timeZone): Program => ({
  id: `program-in-${timeZone}`,
  slug: definition.slug,
  revision,
  definition: { ...definition, calendar: { ...definition.calendar, timeZone } },
});

/** What intake computed per report before the clock: every figure from scratch. */
const calendars = createCalendarCache();
function fresh(p: Program, at: Date, urgent: boolean) {
  const calendar = calendars.forProgram(p);
  const dates = computeDeadlines(at, p.definition.deadlines, calendar);
  const rule = p.definition.privacy?.urgentAcknowledge;
  if (urgent && rule) {
    const soon = deadlineAfter(at, rule, calendar);
    if (!dates.acknowledge || soon < dates.acknowledge) dates.acknowledge = soon;
  }
  return Object.fromEntries(Object.entries(dates).map(([k, v]) => [k, (v as Date).toISOString()]));
}

describe('receipt clock', () => {
  // Around local midnights, across the DST changes of 2026 (US and Europe), and the new year.
  const zones = ['America/Chicago', 'Europe/Berlin', 'Pacific/Auckland', 'UTC'];
  const instants: Date[] = [];
  for (const day of ['2026-03-08', '2026-03-29', '2026-04-05', '2026-11-01', '2026-12-31', '2026-12-25'])
    for (let h = -30; h <= 30; h += 1)
      instants.push(new Date(Date.parse(`${day}T00:00:00Z`) + h * 3_600_000));
  for (const ms of [-1, 0, 1]) instants.push(new Date(Date.parse('2026-11-30T05:59:59.999Z') + ms));

  it.each(zones)('answers exactly what a fresh computation gives, instant by instant (%s)', (zone) => {
    const p = program(1, zone);
    const clock = createReceiptClock(createCalendarCache());
    for (const urgent of [false, true]) {
      // In order and out of order, so hits and misses of the day's entry are both exercised.
      for (const at of [...instants, ...[...instants].reverse()]) {
        const times = clock.at(p, at, urgent ? p.definition.privacy?.urgentAcknowledge : undefined);
        const expected = fresh(p, at, urgent);
        expect(times.deadlines, `${zone} ${at.toISOString()} urgent=${urgent}`).toEqual(expected);
        expect(times.acknowledgeBy).toBe(expected.acknowledge);
        expect(times.year).toBe(
          Number(new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: zone }).format(at)),
        );
        expect(times.acknowledgeText('en')).toBe(formatInstant(expected.acknowledge as string, zone, 'en'));
      }
    }
  });

  it('does not answer for a new revision of the program from the old one', () => {
    const clock = createReceiptClock(createCalendarCache());
    const at = new Date('2026-12-07T15:00:00Z');
    const before = clock.at(program(1), at, undefined);
    const changed: Program = {
      ...program(2),
      definition: {
        ...definition,
        deadlines: { ...definition.deadlines, acknowledge: { calendarDays: 30 } },
      },
    };
    const after = clock.at(changed, at, undefined);
    expect(after.acknowledgeBy).not.toBe(before.acknowledgeBy);
    expect(after.deadlines).toEqual(fresh(changed, at, false));
  });
});
