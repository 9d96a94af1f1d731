import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from '../accounts/index.js';
import { staffCaller } from '../accounts/index.js';
import { CASE_CLOCKS } from '../cases/index.js';
import { errorBodySchema } from '../http/index.js';
import { metricsCsv } from './csv.js';
import type { MetricsService } from './metrics-service.js';

const perClock = <T extends z.ZodTypeAny>(item: T) =>
  z.object(Object.fromEntries(CASE_CLOCKS.map((c) => [c, item])) as Record<(typeof CASE_CLOCKS)[number], T>);
const breakdown = z.array(z.object({ key: z.string(), count: z.number(), label: z.string().optional() }));

const metricsSchema = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  programs: z.array(z.string()),
  cases: z.number().describe('Cases received in the period.'),
  deadlines: perClock(
    z.object({
      due: z.number().describe('Cases with this clock.'),
      kept: z.number().describe('Stopped on or before the due instant.'),
      missed: z.number().describe('Stopped after it, or still running past it.'),
      open: z.number().describe('Running, not yet due.'),
      notApplicable: z
        .number()
        .describe('Stopped by a triage outcome (invalid / spam, forwarded to support) before its step.'),
      keptShare: z.number().nullable().describe('kept / (kept + missed); null when none is decided.'),
    }),
  ),
  durations: perClock(
    z.object({
      count: z.number().describe('Cases in which the step happened.'),
      medianHours: z.number().nullable(),
      p90Hours: z.number().nullable(),
    }),
  ),
  byState: breakdown,
  bySeverity: breakdown,
  byProduct: breakdown.describe('`label`: the product name.'),
  byCwe: breakdown.describe('`label`: the CWE name.'),
  regulatory: z
    .array(
      z.object({
        regime: z.string(),
        regulation: z.string(),
        kept: z.number().describe('Reports submitted on or before their due instant.'),
        missed: z.number().describe('Submitted late, or past due with nothing on record.'),
        running: z.number().describe('Not yet due, or waiting for the fact that starts them.'),
        notReportable: z.number().describe('Closed by an approved "not reportable" decision.'),
      }),
    )
    .describe('Regulatory clocks per regulation, over every case of the programs (not only the period).'),
});

const query = z.object({
  program: z
    .union([z.string().max(100), z.array(z.string().max(100)).max(50)])
    .optional()
    .describe('A program slug; repeat for several. Default: every program the caller may read.'),
  from: z
    .string()
    .max(32)
    .optional()
    .describe('First day received, YYYY-MM-DD (default: 89 days before `to`).'),
  to: z.string().max(32).optional().describe('Last day received, YYYY-MM-DD (default: today, UTC).'),
});

const DESCRIPTION =
  "Cases received in [from, to] (each program's days in its own time zone). A clock is kept when " +
  'stopped (its step, or closing) on or before its due instant, missed when stopped later or still ' +
  'running past it, open while running and not yet due, not applicable when a triage outcome ' +
  '(invalid / spam, forwarded to support) closed the case before its step. Durations are hours from receipt to the ' +
  'step itself. A bad `from`, `to` or `program` answers 400 naming it; a program the caller cannot ' +
  'read answers 404.';

export function registerMetricsRoutes(
  app: FastifyInstance,
  deps: { metrics: MetricsService; accounts: AccountService },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];
  const asList = (v: string | string[] | undefined) =>
    v === undefined ? undefined : Array.isArray(v) ? v : [v];

  r.get(
    '/api/v1/metrics',
    {
      schema: {
        operationId: 'getMetrics',
        tags: ['metrics'],
        summary: 'Deadlines kept, times to acknowledge/verify/summarise, and volume, per period',
        description: DESCRIPTION,
        security,
        querystring: query,
        response: { 200: metricsSchema, 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) => {
      const caller = await staffCaller(deps.accounts, request);
      const q = request.query;
      return deps.metrics.metrics(caller, { program: asList(q.program), from: q.from, to: q.to });
    },
  );

  r.get(
    '/api/v1/metrics.csv',
    {
      schema: {
        operationId: 'getMetricsCsv',
        tags: ['metrics'],
        summary: 'The same figures as CSV (section,key,value), as a download',
        description: `${DESCRIPTION} One figure per row; the layout is described in src/metrics/csv.ts.`,
        security,
        querystring: query,
        response: { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      const q = request.query;
      const m = await deps.metrics.metrics(caller, { program: asList(q.program), from: q.from, to: q.to });
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'Content-Disposition',
          `attachment; filename="vigil-metrics-${m.period.from}-${m.period.to}.csv"`,
        )
        .header('Cache-Control', 'no-store')
        .send(metricsCsv(m) as never); // text, not one of the JSON bodies the schema types
    },
  );
}
