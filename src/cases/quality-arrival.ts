import { createHmac } from 'node:crypto';
import { type CaseFeatures, type DigestKey, decodeDigest } from '../case-features/index.js';
import type { Database, Kysely } from '../db/index.js';
import { reporterContact } from '../privacy-quarantine/index.js';
import type { Program } from '../programs/index.js';
import type { Answers } from '../reports/index.js';
import { computeSignals, type QualitySignals, type Standing } from './quality-signals.js';
import { insertQualitySignals, reporterOutcomes } from './quality-signals-store.js';
import { candidateFeatures, SIMILAR_CLOSED_WITHIN_DAYS } from './similar-service.js';
import { listSimilarCandidates, type SimilarCandidateRow } from './similar-store.js';
import { rankSimilar } from './similarity.js';

/**
 * The quality signals of a report on arrival: what only the database knows (the most similar
 * existing case, the reporter's earlier reports) read before the intake transaction, then the
 * pure signals (quality-signals.ts). Intake calls `assessArrival` next to the PHI guard and the
 * feature digest, and `recordQualitySignals` in its transaction.
 *
 * Similarity reuses the duplicate suggestions' machinery on the digest intake just computed: the
 * same candidate query and scoring (similar-service.ts, similarity.ts), over fewer candidates
 * (`ARRIVAL_RECENT` newest plus `ARRIVAL_RELATED` older ones of the same product), so a flood
 * costs each submission a bounded read. Only the best match's case number and score are kept.
 *
 * Standing counts the reporter's earlier reports in this program by the state each is in now.
 * The reporter is known by a keyed hash (HMAC-SHA256 under the program's digest key, domain
 * `vigil/reporter-standing`) of, in order of proof: the fingerprint of a key whose signature
 * verified on the mail (the sender holds that key), else the email address as given, which
 * proves nothing and is labelled so. The address never leaves the sealed contact; the hash
 * cannot be tested against a guessed address without the master key, and is per program, so
 * standing in one program says nothing in another.
 */

const ARRIVAL_RECENT = 200;
const ARRIVAL_RELATED = 100;
/** Earlier reports counted at most, per reporter. */
const STANDING_CAP = 1000;
const DAY = 86_400_000;
const SIGNED = new Set(['valid', 'valid-part', 'self-supplied-key']);

export interface ArrivalInput {
  program: Program;
  /** The id the new report will have (it is left out of its own comparisons). */
  reportId: string;
  content: Answers;
  contact: Answers;
  files: { name: string; contentType: string }[];
  /** What the channel learned (an email's signature, with the signing key's fingerprint). */
  intakeMeta?: Record<string, unknown>;
  /** The feature digest intake just computed, and the key it was made under. */
  digest: Buffer;
  key: DigestKey;
  now: Date;
}

export interface ArrivalSignals {
  reportId: string;
  programId: string;
  signals: QualitySignals;
  reporterKey: string | null;
  computedAt: string;
}

/** Who the reporter is, for standing: a proven signing key, else the address as given. */
export function reporterIdentity(
  program: Program,
  contact: Answers,
  intakeMeta: Record<string, unknown> | undefined,
): { basis: Standing['basis']; value: string } | null {
  const sig = intakeMeta?.signature as { status?: unknown; fingerprint?: unknown } | undefined;
  if (sig && typeof sig.status === 'string' && SIGNED.has(sig.status) && typeof sig.fingerprint === 'string')
    return { basis: 'signing-key', value: `key:${sig.fingerprint.replace(/\s+/g, '').toUpperCase()}` };
  const email = reporterContact(program, contact).emails?.[0]?.trim().toLowerCase();
  return email ? { basis: 'address', value: `email:${email}` } : null;
}

/** The reporter's identity as stored: hex HMAC-SHA256 under the program's digest key. */
export function reporterKeyOf(key: DigestKey, identity: string): string {
  return createHmac('sha256', key.key).update('vigil/reporter-standing\u0000').update(identity).digest('hex');
}

/** The clear product id the reporter chose, if it is one of the program's. */
function answeredProducts(program: Program, content: Answers): string[] {
  const ids = new Set(program.definition.scope.products.map((p) => p.id));
  return program.definition.form.fields
    .filter((f) => !f.contact && (f.kind === 'product' || f.purpose === 'product'))
    .map((f) => content[f.id])
    .filter((v): v is string => typeof v === 'string' && ids.has(v));
}

/**
 * Candidates' features as last decoded, by report id. Arrivals in a program one after another
 * compare against nearly the same few hundred cases, and decoding every digest again (a few
 * hundred Map entries each) was a large share of an arrival's CPU and garbage. An entry is used
 * only while the row's digest bytes and assessment, the key and the program revision are the ones
 * it was made from, so a redaction or a new assessment is seen at once. Holds about one
 * arrival's worth of candidates (the least recently used go first); entries are never changed.
 */
const decoded = new Map<
  string,
  {
    digest: Buffer | null;
    assessment: string;
    keyId: number;
    revision: string;
    features: CaseFeatures | null;
  }
>();
const DECODED_CAP = ARRIVAL_RECENT + ARRIVAL_RELATED;

function decodedCandidate(program: Program, key: DigestKey, c: SimilarCandidateRow): CaseFeatures | null {
  const revision = `${program.id}:${program.revision}`;
  const hit = decoded.get(c.id);
  decoded.delete(c.id);
  if (
    hit &&
    hit.keyId === key.id &&
    hit.revision === revision &&
    hit.assessment === c.assessment &&
    (hit.digest === null ? c.feature_digest === null : c.feature_digest?.equals(hit.digest) === true)
  ) {
    decoded.set(c.id, hit);
    return hit.features;
  }
  const features = candidateFeatures(program, key, c);
  decoded.set(c.id, {
    digest: c.feature_digest,
    assessment: c.assessment,
    keyId: key.id,
    revision,
    features,
  });
  return features;
}

/**
 * Drops the least recently used entries over the cap. Called after a whole arrival's candidates
 * were looked up, never during: evicting while walking them would drop the entries the same walk
 * needs next (each walk goes newest first, and so finds the previous walk's newest least recent).
 */
function trimDecoded(): void {
  for (const id of decoded.keys()) {
    if (decoded.size <= DECODED_CAP) break;
    decoded.delete(id);
  }
}

/** The most similar open or recently closed case, above the suggestion threshold, or null. */
async function bestMatch(
  db: Kysely<Database>,
  input: ArrivalInput,
): Promise<{ caseNumber: string; score: number } | null> {
  const target = decodeDigest(input.digest);
  if (!target) return null;
  const candidates = await listSimilarCandidates(db, {
    programId: input.program.id,
    excludeId: input.reportId,
    closedSince: new Date(input.now.getTime() - SIMILAR_CLOSED_WITHIN_DAYS * DAY).toISOString(),
    recent: ARRIVAL_RECENT,
    related: ARRIVAL_RELATED,
    productIds: answeredProducts(input.program, input.content),
    cwe: null,
  });
  const scored: { item: SimilarCandidateRow; features: CaseFeatures }[] = [];
  for (const c of candidates) {
    const features = decodedCandidate(input.program, input.key, c);
    if (features) scored.push({ item: c, features });
  }
  trimDecoded();
  const [best] = rankSimilar(target.features, scored, { limit: 1 });
  return best ? { caseNumber: best.item.case_number, score: best.score } : null;
}

/** Reads what the signals need from the database and computes them (before the transaction). */
export async function assessArrival(db: Kysely<Database>, input: ArrivalInput): Promise<ArrivalSignals> {
  const identity = reporterIdentity(input.program, input.contact, input.intakeMeta);
  const reporterKey = identity ? reporterKeyOf(input.key, identity.value) : null;
  let standing: Standing | null = null;
  if (identity && reporterKey) {
    const outcomes = await reporterOutcomes(db, {
      programId: input.program.id,
      reporterKey,
      cap: STANDING_CAP,
    });
    let earlier = 0;
    for (const n of outcomes.values()) earlier += n;
    standing = { basis: identity.basis, earlier, byOutcome: Object.fromEntries(outcomes) };
  }
  const similar = await bestMatch(db, input);
  const signals = computeSignals({
    program: input.program,
    content: input.content,
    files: input.files,
    similar,
    standing,
  });
  return {
    reportId: input.reportId,
    programId: input.program.id,
    signals,
    reporterKey,
    computedAt: input.now.toISOString(),
  };
}

/** Stores the signals with the new report (in the intake transaction, after the report row). */
export async function recordQualitySignals(db: Kysely<Database>, a: ArrivalSignals): Promise<void> {
  await insertQualitySignals(db, {
    report_id: a.reportId,
    program_id: a.programId,
    score: a.signals.score,
    signals: JSON.stringify(a.signals),
    reporter_key: a.reporterKey,
    computed_at: a.computedAt,
  });
}
