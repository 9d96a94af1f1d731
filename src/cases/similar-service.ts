import type { Access } from '../accounts/index.js';
import { actorOf, type StaffCaller } from '../accounts/index.js';
import { appendAudit } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Db } from '../db/index.js';
import { heldPartsOf, partKey } from '../privacy-quarantine/index.js';
import type { Program } from '../programs/index.js';
import type { Answers } from '../reports/index.js';
import { reportAad } from '../reports/index.js';
import { listSimilarCandidates } from './similar-store.js';
import { type CaseFeatureInput, extractFeatures, type Reason, rankSimilar } from './similarity.js';

/**
 * Duplicate suggestions for a case: the open and recently closed cases of its program that look
 * most like it (scoring in similarity.ts). Only the asked case's program is searched, and the
 * caller needs `case.read` there, so nothing of a program the caller cannot read is ever
 * scored, let alone returned.
 *
 * Candidates' content is opened in memory to be compared; of each suggestion only its title (the
 * first line of the report's title, summary or details answer) leaves the server. The read is
 * audited once, on the asked case, naming the suggested case numbers.
 *
 * Fields held in PHI quarantine take no part, for anyone: they are dropped from the asked case
 * and from every candidate before scoring, so neither a score, a reason nor a title can carry
 * what they hold.
 */

export interface SimilarCase {
  caseNumber: string;
  title: string;
  state: string;
  receivedAt: string;
  score: number;
  reasons: Reason[];
}

const DAY = 86_400_000;
/** Closed cases are suggested for this long after closing. */
export const SIMILAR_CLOSED_WITHIN_DAYS = 180;
const RECENT_CANDIDATES = 500;
const RELATED_CANDIDATES = 500;
const SUGGESTIONS = 5;
const TITLE_LENGTH = 120;

/** Answers that describe the reporter or the credit, not the vulnerability. */
const NOT_DESCRIPTIVE = new Set([
  'product',
  'version',
  'cwe',
  'credit',
  'creditText',
  'phiAccessed',
  'disclosedTo',
]);
const TEXT_KINDS = new Set(['text', 'textarea', 'url', 'urls']);

interface StoredAssessment {
  cwe?: { id?: unknown };
  affected?: { productId?: unknown; versions?: unknown }[];
}

function parseAssessment(json: string): StoredAssessment {
  try {
    const v = JSON.parse(json || '{}') as unknown;
    return v && typeof v === 'object' ? (v as StoredAssessment) : {};
  } catch {
    return {};
  }
}

const asText = (v: Answers[string] | undefined): string =>
  typeof v === 'string' ? v : Array.isArray(v) ? v.join('\n') : '';

/** What the scorer needs of a case: its free text, products with versions, and CWEs. */
export function featureInput(program: Program, answers: Answers, assessmentJson: string): CaseFeatureInput {
  const fields = program.definition.form.fields.filter((f) => !f.contact);
  const scope = new Map(program.definition.scope.products.map((p) => [p.id, p.name]));
  const texts: string[] = [];
  const products: CaseFeatureInput['products'] = [];
  const cwes: string[] = [];
  const version = asText(answers[fields.find((f) => f.purpose === 'version')?.id ?? '']);
  for (const f of fields) {
    const value = asText(answers[f.id]).trim();
    if (!value) continue;
    if (f.kind === 'product' || f.purpose === 'product') {
      const name = scope.get(value);
      if (name) products.push({ id: value, name, versions: version ? [version] : [] });
    } else if (f.purpose === 'cwe') cwes.push(value);
    else if (TEXT_KINDS.has(f.kind) && !NOT_DESCRIPTIVE.has(f.purpose ?? '')) texts.push(value);
  }
  const assessment = parseAssessment(assessmentJson);
  if (typeof assessment.cwe?.id === 'string') cwes.push(assessment.cwe.id);
  for (const a of Array.isArray(assessment.affected) ? assessment.affected : []) {
    if (typeof a.productId !== 'string') continue;
    products.push({
      id: a.productId,
      name: scope.get(a.productId) ?? a.productId,
      versions: typeof a.versions === 'string' ? [a.versions] : [],
    });
  }
  return { texts, products, cwes };
}

/** A one-line title: the first line of the title, summary or details answer. */
export function caseTitle(program: Program, answers: Answers): string {
  for (const purpose of ['title', 'summary', 'details'] as const) {
    const field = program.definition.form.fields.find((f) => f.purpose === purpose);
    const line = asText(answers[field?.id ?? ''])
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l.length > 0);
    if (line) return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1).trimEnd()}…` : line;
  }
  return '';
}

export function createSimilarService(deps: {
  db: Db;
  sealer: Sealer;
  clock: Clock;
  access: Pick<Access, 'caseFor'>;
}) {
  const { db, sealer, clock, access } = deps;
  const k = db.kysely;

  return {
    async similar(caller: StaffCaller, caseNumber: string): Promise<{ similar: SimilarCase[] }> {
      const { row, program } = await access.caseFor(caller, caseNumber, 'case.read');
      const held = await heldPartsOf(k, [row.id]);
      const open = (id: string, sealed: Buffer) => {
        const answers = sealer.openJson<Answers>(sealed, reportAad(id, 'content'));
        const parts = held.get(id);
        if (parts)
          for (const f of Object.keys(answers)) if (parts.has(partKey('field', f))) delete answers[f];
        return answers;
      };
      const target = featureInput(program, open(row.id, row.content_sealed), row.assessment);
      const storedCwe = parseAssessment(row.assessment).cwe?.id;
      const now = clock.now();
      const candidates = await listSimilarCandidates(k, {
        programId: program.id,
        excludeId: row.id,
        closedSince: new Date(now.getTime() - SIMILAR_CLOSED_WITHIN_DAYS * DAY).toISOString(),
        recent: RECENT_CANDIDATES,
        related: RELATED_CANDIDATES,
        productIds: [...new Set(target.products.map((p) => p.id))],
        cwe: typeof storedCwe === 'string' ? storedCwe : null,
      });
      for (const [id, parts] of await heldPartsOf(
        k,
        candidates.map((c) => c.id),
      ))
        held.set(id, parts);
      const scored = candidates
        // Cases already marked as duplicates of this one are settled, not suggestions.
        .filter((c) => c.duplicate_of !== row.id)
        .map((c) => {
          const answers = open(c.id, c.content_sealed);
          return {
            item: { c, answers },
            features: extractFeatures(featureInput(program, answers, c.assessment)),
          };
        });
      const ranked = rankSimilar(extractFeatures(target), scored, { limit: SUGGESTIONS });
      const similar = ranked.map(({ item: { c, answers }, score, reasons }) => ({
        caseNumber: c.case_number,
        title: caseTitle(program, answers),
        state: c.state,
        receivedAt: c.received_at,
        score,
        reasons,
      }));
      await k.transaction().execute((trx) =>
        appendAudit(
          trx,
          {
            actor: actorOf(caller),
            action: 'report.similar',
            programId: program.id,
            reportId: row.id,
            // Content of the asked case and of the candidates was compared; only the suggested
            // cases' titles left the server.
            detail: { compared: scored.length, suggested: similar.map((s) => s.caseNumber) },
          },
          now,
        ),
      );
      return { similar };
    },
  };
}

export type SimilarService = ReturnType<typeof createSimilarService>;
