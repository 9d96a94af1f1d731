import type { Access } from '../accounts/index.js';
import { actorOf, type StaffCaller } from '../accounts/index.js';
import { appendAudit } from '../audit/index.js';
import {
  answersFeatureInput,
  assessmentCwe,
  assessmentFeatureInput,
  type CaseFeatures,
  type DigestKey,
  decodeDigest,
  extractFeatures,
  hashFeatures,
  mergeFeatures,
  openDigestKey,
} from '../case-features/index.js';
import type { Clock } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Db } from '../db/index.js';
import { heldPartsOf, partKey } from '../privacy-quarantine/index.js';
import type { Program } from '../programs/index.js';
import type { Answers } from '../reports/index.js';
import { reportAad } from '../reports/index.js';
import { listSimilarCandidates, type SimilarCandidateRow, sealedContentOf } from './similar-store.js';
import { type Reason, rankSimilar } from './similarity.js';

/**
 * Duplicate suggestions for a case: the open and recently closed cases of its program that look
 * most like it (scoring in similarity.ts). Only the asked case's program is searched, and the
 * caller needs `case.read` there, so nothing of a program the caller cannot read is ever
 * scored, let alone returned.
 *
 * Bounded work per request, whatever the program's size: the asked case is opened (one unseal),
 * at most `CANDIDATE_CAP` candidates are scored from their stored feature digests (keyed hashes,
 * src/case-features) without opening any of them, and only the at most `SUGGESTIONS` suggested
 * cases are opened, for their titles. A candidate without a digest yet (a case from before
 * digests, until the backfill reaches it) is left out and counted in the audit entry.
 *
 * Of each suggestion only its title (the first line of the report's title, summary or details
 * answer) leaves the server; reasons name the asked case's own features. The read is audited
 * once, on the asked case, naming the suggested case numbers.
 *
 * Fields held in PHI quarantine take no part, for anyone: they are dropped from the asked case
 * and from the suggestions' titles here, and digests are made without them (case-features), so
 * neither a score, a reason nor a title can carry what they hold.
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
/** The most candidates one request scores. */
export const CANDIDATE_CAP = RECENT_CANDIDATES + RELATED_CANDIDATES;
export const SUGGESTIONS = 5;
const TITLE_LENGTH = 120;

const asText = (v: Answers[string] | undefined): string =>
  typeof v === 'string' ? v : Array.isArray(v) ? v.join('\n') : '';

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

/** The form fields of a case held in quarantine, by field id. */
export function heldFields(parts: Set<string> | undefined): Set<string> {
  const out = new Set<string>();
  for (const p of parts ?? [])
    if (p.startsWith(partKey('field', ''))) out.add(p.slice(partKey('field', '').length));
  return out;
}

/** The answers of a case without its held fields. */
export function openAnswers(
  sealer: Pick<Sealer, 'openJson'>,
  id: string,
  sealed: Buffer,
  held: Set<string>,
): Answers {
  const answers = sealer.openJson<Answers>(sealed, reportAad(id, 'content'));
  for (const f of held) delete answers[f];
  return answers;
}

/** The shared candidate query of the asked case (the digest path and the bench's text path). */
export function candidatesOf(
  db: Db,
  program: Program,
  row: { id: string; assessment: string },
  target: CaseFeatures,
  now: Date,
): Promise<SimilarCandidateRow[]> {
  return listSimilarCandidates(db.kysely, {
    programId: program.id,
    excludeId: row.id,
    closedSince: new Date(now.getTime() - SIMILAR_CLOSED_WITHIN_DAYS * DAY).toISOString(),
    recent: RECENT_CANDIDATES,
    related: RELATED_CANDIDATES,
    productIds: [...target.products.keys()],
    cwe: assessmentCwe(row.assessment),
  });
}

/**
 * A candidate's hashed features: its digest plus its (clear) assessment, hashed alike; null for a
 * digest made under another key (or in an older format), as good as missing until recomputed.
 */
export function candidateFeatures(
  program: Program,
  key: DigestKey,
  c: Pick<SimilarCandidateRow, 'feature_digest' | 'assessment'>,
): CaseFeatures | null {
  const decoded = c.feature_digest ? decodeDigest(c.feature_digest) : null;
  if (!decoded || decoded.keyId !== key.id) return null;
  if (c.assessment === '{}' || c.assessment === '') return decoded.features;
  const assessed = hashFeatures(extractFeatures(assessmentFeatureInput(program, c.assessment)), key);
  return mergeFeatures(decoded.features, assessed.hashed.features);
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
      const now = clock.now();
      const held = heldFields((await heldPartsOf(k, [row.id])).get(row.id));
      const answers = openAnswers(sealer, row.id, row.content_sealed, held);
      const clear = mergeFeatures(
        extractFeatures(answersFeatureInput(program, answers)),
        extractFeatures(assessmentFeatureInput(program, row.assessment)),
      );
      const key = await openDigestKey(k, sealer, program.id, now);
      // The asked case hashed like the digests, sample caps included, so a copy of it scores as one.
      const target = hashFeatures(clear, key);
      const candidates = await candidatesOf(db, program, row, clear, now);
      let undigested = 0;
      const scored: { item: SimilarCandidateRow; features: CaseFeatures }[] = [];
      for (const c of candidates) {
        // Cases already marked as duplicates of this one are settled, not suggestions.
        if (c.duplicate_of === row.id) continue;
        const features = candidateFeatures(program, key, c);
        if (features) scored.push({ item: c, features });
        else undigested++;
      }
      const ranked = rankSimilar(target.hashed.features, scored, {
        limit: SUGGESTIONS,
        label: (h) => target.labels.get(h) ?? h,
      });
      // Only the suggestions are opened, for their titles, without their held fields.
      const ids = ranked.map((r) => r.item.id);
      const contents = await sealedContentOf(k, ids);
      const heldOf = await heldPartsOf(k, ids);
      const similar = ranked.map(({ item: c, score, reasons }) => ({
        caseNumber: c.case_number,
        title: caseTitle(
          program,
          openAnswers(sealer, c.id, contents.get(c.id) as Buffer, heldFields(heldOf.get(c.id))),
        ),
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
            // Content of the asked case and the digests of the candidates were compared; only the
            // suggested cases' titles left the server.
            detail: {
              compared: scored.length,
              ...(undigested > 0 ? { undigested } : {}),
              suggested: similar.map((s) => s.caseNumber),
            },
          },
          now,
        ),
      );
      return { similar };
    },
  };
}

export type SimilarService = ReturnType<typeof createSimilarService>;
