import type { Access, StaffCaller } from '../accounts/index.js';
import { findCwe } from '../assessment/index.js';
import type { Clock } from '../core/index.js';
import { type FieldProblem, NotFoundError, ValidationError } from '../core/index.js';
import type { Db } from '../db/index.js';
import { addDays, endOfLocalDay, isLocalDate, localDateOf } from '../deadlines/index.js';
import { computeFigures, type Figures } from './figures.js';
import { listMetricsRows } from './metrics-store.js';

/**
 * Program metrics for the programs a caller may read (`case.read`): deadlines kept, times to
 * acknowledge, verify and summarise, and volume by state, severity, product and CWE, over the
 * cases received in a period. Only clear columns are read; no report content is opened, so no
 * audit entry is written.
 *
 * The period is a range of calendar days, both ends included, each program's days in its own
 * time zone (the days its deadlines are counted in). Without `to` it ends today (UTC); without
 * `from` it spans the 90 days ending at `to`.
 */

/** Regulatory clocks of one regulation: submitted on time, missed, still running, decided not reportable. */
export interface RegulatoryFigure {
  regime: string;
  regulation: string;
  kept: number;
  missed: number;
  running: number;
  notReportable: number;
}

export interface Metrics extends Figures {
  period: { from: string; to: string };
  programs: string[];
  /** Every regulatory clock of the programs, whatever the period: they are few and long-lived. */
  regulatory: RegulatoryFigure[];
}

export const DEFAULT_PERIOD_DAYS = 90;
const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

export function createMetricsService(deps: {
  db: Db;
  clock: Clock;
  access: Pick<Access, 'programsFor'>;
  /** Kept and missed regulatory clocks per regulation (src/regulatory), over these programs. */
  regulatory?: (programIds: string[]) => Promise<RegulatoryFigure[]>;
}) {
  const { db, clock, access } = deps;

  return {
    async metrics(
      caller: StaffCaller,
      q: { program?: string[]; from?: string; to?: string },
    ): Promise<Metrics> {
      const problems: FieldProblem[] = [];
      const badDate = 'expected a real date as YYYY-MM-DD';
      if (q.from !== undefined && !isLocalDate(q.from)) problems.push({ path: 'from', message: badDate });
      if (q.to !== undefined && !isLocalDate(q.to)) problems.push({ path: 'to', message: badDate });
      const wanted = q.program ?? [];
      const badSlugs = wanted.filter((s) => !SLUG.test(s));
      if (badSlugs.length > 0) {
        problems.push({ path: 'program', message: `expected a program slug such as "acme-devices"` });
      }
      if (problems.length > 0) throw new ValidationError(problems);

      const now = clock.now();
      const to = q.to ?? localDateOf(now, 'UTC');
      const from = q.from ?? addDays(to, -(DEFAULT_PERIOD_DAYS - 1));
      if (from > to) throw new ValidationError([{ path: 'from', message: `is after to (${to})` }]);

      const visible = await access.programsFor(caller, 'case.read');
      let programs = visible;
      if (wanted.length > 0) {
        const missing = wanted.filter((s) => !visible.some((p) => p.slug === s));
        // A program the caller cannot see is answered like one that does not exist.
        if (missing.length > 0) throw new NotFoundError(`There is no program "${missing[0]}".`);
        programs = visible.filter((p) => wanted.includes(p.slug));
      }

      const rows = await listMetricsRows(
        db.kysely,
        programs.map((p) => {
          const tz = p.definition.calendar.timeZone;
          return {
            programId: p.id,
            start: new Date(endOfLocalDay(addDays(from, -1), tz).getTime() + 1).toISOString(),
            end: endOfLocalDay(to, tz).toISOString(),
          };
        }),
      );
      const productNames = new Map(
        programs.flatMap((p) => p.definition.scope.products.map((x) => [x.id, x.name])),
      );
      const figures = computeFigures(rows, now, {
        product: (id) => productNames.get(id),
        cwe: (id) => findCwe(id)?.name,
      });
      const regulatory = (await deps.regulatory?.(programs.map((p) => p.id))) ?? [];
      return { period: { from, to }, programs: programs.map((p) => p.slug), ...figures, regulatory };
    },
  };
}

export type MetricsService = ReturnType<typeof createMetricsService>;
