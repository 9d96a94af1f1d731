import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../http/index.js';
import type { Program, ProgramService } from './program-service.js';

/** The public description of a program: what a reporter or a tool needs to submit a report. */
const publicProgramSchema = z.object({
  slug: z.string(),
  name: z.string(),
  vendor: z.string(),
  languages: z.array(z.string()),
  timeZone: z.string(),
  deadlines: z.record(
    z.string(),
    z.object({ businessDays: z.number().optional(), calendarDays: z.number().optional() }),
  ),
  acceptsAttachments: z.boolean(),
  fields: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      label: z.string(),
      required: z.boolean(),
      help: z.string().optional(),
      options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
    }),
  ),
  products: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      versions: z.array(z.object({ versions: z.string(), inScope: z.boolean() })),
    }),
  ),
  outOfScope: z.array(z.object({ id: z.string(), name: z.string() })),
});

function publicProgram(p: Program): z.infer<typeof publicProgramSchema> {
  const d = p.definition;
  return {
    slug: p.slug,
    name: d.name,
    vendor: d.vendor.name,
    languages: d.languages,
    timeZone: d.calendar.timeZone,
    deadlines: Object.fromEntries(Object.entries(d.deadlines).filter(([, v]) => v !== undefined)) as Record<
      string,
      { businessDays?: number; calendarDays?: number }
    >,
    acceptsAttachments: d.form.attachments.allowed,
    fields: d.form.fields.map((f) => ({
      id: f.id,
      kind: f.kind,
      label: f.label,
      required: f.required,
      help: f.help,
      options:
        f.kind === 'product'
          ? [
              ...d.scope.products.map((x) => ({ value: x.id, label: x.name })),
              { value: 'other', label: 'Other' },
            ]
          : f.options,
    })),
    products: d.scope.products.map((x) => ({
      id: x.id,
      name: x.name,
      versions: x.versions.map((v) => ({ versions: v.versions, inScope: v.inScope })),
    })),
    outOfScope: d.scope.outOfScope.map((c) => ({ id: c.id, name: c.name })),
  };
}

export function registerProgramRoutes(app: FastifyInstance, deps: { programs: ProgramService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/programs',
    {
      schema: {
        operationId: 'listPrograms',
        tags: ['programs'],
        summary: 'Public programs and their report forms',
        response: { 200: z.object({ items: z.array(publicProgramSchema) }) },
      },
    },
    async () => ({
      items: (await deps.programs.list())
        .filter((p) => p.definition.policy.visibility === 'public')
        .map(publicProgram),
    }),
  );
  r.get(
    '/api/v1/programs/:slug',
    {
      schema: {
        operationId: 'getProgram',
        tags: ['programs'],
        summary: 'One program and its report form',
        params: z.object({ slug: z.string().max(64) }),
        response: { 200: publicProgramSchema, 404: errorBodySchema },
      },
    },
    async (request) => publicProgram(await deps.programs.get(request.params.slug)),
  );
}
