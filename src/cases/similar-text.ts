import type { Access, StaffCaller } from '../accounts/index.js';
import {
  answersFeatureInput,
  assessmentFeatureInput,
  extractFeatures,
  mergeFeatures,
} from '../case-features/index.js';
import type { Clock } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Db } from '../db/index.js';
import { heldPartsOf } from '../privacy-quarantine/index.js';
import {
  candidatesOf,
  caseTitle,
  heldFields,
  openAnswers,
  type SimilarCase,
  SUGGESTIONS,
} from './similar-service.js';
import { sealedContentOf } from './similar-store.js';
import { rankSimilar } from './similarity.js';

/**
 * Duplicate suggestions the way they were made before feature digests: every candidate opened
 * and tokenised on each request. Not served; kept so `bench/similar.ts` can measure what the
 * digests saved, against the same candidates and the same scoring. Not audited.
 */
export async function similarByText(
  deps: { db: Db; sealer: Sealer; clock: Clock; access: Pick<Access, 'caseFor'> },
  caller: StaffCaller,
  caseNumber: string,
): Promise<{ similar: SimilarCase[] }> {
  const { db, sealer } = deps;
  const k = db.kysely;
  const { row, program } = await deps.access.caseFor(caller, caseNumber, 'case.read');
  const featuresOf = (id: string, sealed: Buffer, assessment: string, held: Set<string>) => {
    const answers = openAnswers(sealer, id, sealed, held);
    const features = mergeFeatures(
      extractFeatures(answersFeatureInput(program, answers)),
      extractFeatures(assessmentFeatureInput(program, assessment)),
    );
    return { answers, features };
  };
  const target = featuresOf(
    row.id,
    row.content_sealed,
    row.assessment,
    heldFields((await heldPartsOf(k, [row.id])).get(row.id)),
  );
  const candidates = (await candidatesOf(db, program, row, target.features, deps.clock.now())).filter(
    (c) => c.duplicate_of !== row.id,
  );
  const ids = candidates.map((c) => c.id);
  const contents = await sealedContentOf(k, ids);
  const held = await heldPartsOf(k, ids);
  const scored = candidates.map((c) => {
    const { answers, features } = featuresOf(
      c.id,
      contents.get(c.id) as Buffer,
      c.assessment,
      heldFields(held.get(c.id)),
    );
    return { item: { c, answers }, features };
  });
  const ranked = rankSimilar(target.features, scored, { limit: SUGGESTIONS });
  return {
    similar: ranked.map(({ item: { c, answers }, score, reasons }) => ({
      caseNumber: c.case_number,
      title: caseTitle(program, answers),
      state: c.state,
      receivedAt: c.received_at,
      score,
      reasons,
    })),
  };
}
