import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AccountService, staffCaller } from '../accounts/index.js';
import { attachmentDisposition, errorBodySchema } from '../http/index.js';
import { type CaseExport, type CaseExportService, caseExportSchema, EXPORT_FORMATS } from './case-export.js';

export function registerCaseExportRoutes(
  app: FastifyInstance,
  deps: { accounts: AccountService; caseExports: CaseExportService },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const exports = deps.caseExports;

  r.get(
    '/api/v1/reports/:caseNumber/export',
    {
      schema: {
        operationId: 'exportReport',
        tags: ['cases'],
        summary: 'The case as one file for records and hand-over, as the caller may see it (audited)',
        description:
          'A download (`<case-number>.json`, or `.md` with `format=md`): metadata, deadlines and clocks, ' +
          'state history, content, contact details (case team only), messages and internal notes ' +
          'with authors, attachments with SHA-256 (no bytes), assessment, privacy escalation and ' +
          'quarantine summaries. Parts held in PHI quarantine are left out for callers without the ' +
          'privacy duty and listed under `withheld`. One `report.exported` audit entry names the ' +
          'parts that left.',
        security: [{ bearer: [] }],
        params: z.object({
          caseNumber: z
            .string()
            .regex(/^[A-Z][A-Z0-9]{1,9}-\d{4}-\d{4,}$/, 'expected a case number such as ACME-2026-0007'),
        }),
        querystring: z.object({ format: z.enum(EXPORT_FORMATS).default('json') }),
        response: {
          // The JSON document's shape, for clients; it is sent as the file's bytes, not re-serialised.
          200: caseExportSchema.describe(
            'The export (`format=json`); `format=md` renders the same as markdown.',
          ),
          400: errorBodySchema,
          401: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const caller = await staffCaller(deps.accounts, request);
      const { caseNumber } = request.params;
      const format = request.query.format;
      const doc = await exports.export(caller, caseNumber, format);
      const body = Buffer.from(
        format === 'md' ? exportMarkdown(doc) : `${JSON.stringify(doc, null, 2)}\n`,
        'utf8',
      );
      return attachmentDisposition(reply, { name: `${caseNumber}.${format}`, size: body.length })
        .header(
          'Content-Type',
          format === 'md' ? 'text/markdown; charset=utf-8' : 'application/json; charset=utf-8',
        )
        .send(body);
    },
  );
}

/**
 * The export as readable markdown, for people rather than programs. Everything the reporter or
 * staff wrote goes inside a fence longer than any backtick run in it, and one-line values are
 * escaped, so report text cannot forge headings or links in the record.
 */
function exportMarkdown(doc: CaseExport): string {
  const out: string[] = [];
  const line = (s = '') => out.push(s);
  const who = (u: { email: string } | null) => (u ? inline(u.email) : '—');
  const c = doc.case;
  line(`# ${inline(c.caseNumber)} (${inline(c.program)})`);
  line();
  line(`Exported ${doc.exportedAt} by ${inline(doc.exportedBy.email)}.`);
  const w = doc.withheld;
  const held = [...w.fields.map((f) => `field ${f}`), ...w.messages.map((m) => `message ${m}`)]
    .concat(w.attachments.map((a) => `attachment ${a}`))
    .concat(w.contact ? ['contact details'] : []);
  if (held.length > 0) line(`Withheld from this export: ${held.map(inline).join(', ')}.`);
  line();
  line('## Case');
  for (const [k, v] of [
    ['State', c.state],
    ['Channel', c.channel],
    ['Received', c.receivedAt],
    ['Severity', c.severity],
    ['Product', c.product],
    ['Assignee', c.assignee?.email ?? null],
    ['Contact person', c.contactPerson],
    ['Acknowledge by', doc.deadlines.acknowledgeBy],
    ['Next due', doc.deadlines.nextDueAt],
  ] as const)
    line(`- ${k}: ${v === null ? '—' : inline(v)}`);
  for (const k of doc.deadlines.clocks)
    line(
      `- Clock ${inline(k.name)}: due ${k.due}, ${k.state}${k.stoppedAt ? ` (stopped ${k.stoppedAt})` : ''}`,
    );
  line();
  line('## History');
  for (const h of doc.history) {
    const what = h.type === 'assignment' ? 'assigned' : inline(h.action ?? '');
    const change = h.from
      ? ` (${inline(h.from)} → ${inline(h.to ?? '—')})`
      : h.to && h.type === 'assignment'
        ? ` to ${inline(h.to)}`
        : '';
    line(`- ${h.at} ${what}${change}${h.by ? ` by ${who(h.by)}` : ''}`);
  }
  line();
  line('## Report');
  for (const [id, v] of Object.entries(doc.content)) {
    line(`### ${inline(id)}`);
    line(fence(Array.isArray(v) ? v.join('\n') : String(v)));
  }
  if (doc.contact) {
    line('## Contact');
    for (const [id, v] of Object.entries(doc.contact))
      line(`- ${inline(id)}: ${inline(Array.isArray(v) ? v.join(', ') : String(v))}`);
  }
  line();
  line('## Messages');
  for (const m of doc.messages) {
    const by = m.author === 'staff' ? `staff ${who(m.staff)}` : 'reporter';
    line(`### ${m.at} — ${by}${m.visibility === 'internal' ? ' (internal note)' : ''}`);
    line(m.withheld ? '_Held in privacy quarantine; withheld._' : fence(m.body));
  }
  line();
  line('## Attachments');
  for (const a of doc.attachments)
    line(
      `- ${a.redacted ? '_redacted_' : inline(a.name)}${a.withheld ? ' (withheld)' : ''}, ` +
        `${a.size} bytes, sha256 ${a.sha256 ?? '—'}`,
    );
  line();
  line('## Assessment');
  line(fence(JSON.stringify(doc.assessment, null, 2)));
  if (doc.privacyEscalation) {
    const e = doc.privacyEscalation;
    line('## Privacy escalation');
    line(
      `Opened ${e.openedAt} (${inline(e.reason)}), due ${e.dueAt}, ${e.open ? 'open' : `closed ${e.closedAt}`}.`,
    );
    for (const i of e.checklist) line(`- [${i.done ? 'x' : ' '}] ${inline(i.label)}`);
    line();
  }
  const reg = doc.regulatory;
  if (reg.triggers.length > 0 || reg.adverseEvent) {
    line('## Regulatory duties');
    for (const t of reg.triggers)
      line(
        `- trigger ${inline(String(t.kind))}, aware ${String(t.awareAt)}: ${inline(String(t.reason ?? 'recorded by the assessment'))}`,
      );
    for (const c of reg.clocks)
      line(
        `- ${inline(String(c.title))} (${inline(String(c.article))}): ${inline(String(c.state))}, ` +
          `due ${String(c.dueAt ?? '—')}${c.reference ? `, reference ${inline(String(c.reference))}` : ''}`,
      );
    for (const d of reg.decisions)
      line(
        `- not reportable under ${inline(String(d.regulation))}: ${inline(String(d.state))}; ${inline(String(d.reason))}`,
      );
    if (reg.fdaException)
      line(
        `- FDA reporting exception: ${reg.fdaException.applies ? 'applies' : `lost (${inline(reg.fdaException.lost.join('; '))})`}`,
      );
    if (reg.adverseEvent) line(`- adverse-event record ${inline(reg.adverseEvent.number)}`);
    line();
  }
  line('## Privacy quarantine');
  const q = doc.quarantine.counts;
  line(`Held ${q.quarantined}, redacted ${q.redacted}, released ${q.released}.`);
  for (const h of doc.quarantine.held) line(`- held ${h.kind} ${inline(h.ref)}`);
  return `${out.join('\n')}\n`;
}

/** One line of untrusted text, with markdown's punctuation escaped. */
const inline = (s: string) => s.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]()<>#!|~]/g, '\\$&');

/** A fenced block that the text cannot close: one backtick longer than its longest run. */
function fence(s: string): string {
  const longest = Math.max(2, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const f = '`'.repeat(longest + 1);
  return `${f}text\n${s}\n${f}\n`;
}
