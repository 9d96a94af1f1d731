import type { Kysely } from 'kysely';
import { ConflictError, newId } from '../core/index.js';
import type { AdvisoryArtefactRow, Database } from '../db/index.js';
import type { PreparedArtefacts } from './artefacts.js';

/**
 * SQL for the stored artefacts of published revisions and for CVE Services publications. Rows are
 * inserted once and never updated: what was signed is what is served, for good.
 */

type Q = Kysely<Database>;

export interface ArtefactOwner {
  advisoryId: string;
  revisionId: string;
  revisionNumber: number;
  programId: string;
}

/**
 * Write a revision's prepared artefacts (inside the publishing transaction). Refuses when the
 * revision already has artefacts: they are immutable once written.
 */
export async function storeArtefacts(
  trx: Q,
  owner: ArtefactOwner,
  prepared: PreparedArtefacts,
): Promise<void> {
  const existing = await trx
    .selectFrom('advisory_artefacts')
    .select('id')
    .where('advisory_id', '=', owner.advisoryId)
    .where('revision_number', '=', owner.revisionNumber)
    .executeTakeFirst();
  if (existing)
    throw new ConflictError(
      `The documents of revision ${owner.revisionNumber} are already stored and never change; publish a correction instead.`,
    );
  if (prepared.artefacts.length === 0) return;
  await trx
    .insertInto('advisory_artefacts')
    .values(
      prepared.artefacts.map((a) => ({
        id: newId(),
        advisory_id: owner.advisoryId,
        revision_id: owner.revisionId,
        revision_number: owner.revisionNumber,
        program_id: owner.programId,
        kind: a.kind,
        name: a.name,
        year: a.year,
        tlp: a.tlp,
        title: a.title,
        body: a.body,
        sha256: a.sha256,
        sha512: a.sha512,
        signature: a.signature,
        signer_fingerprint: a.signerFingerprint,
        initial_release_at: prepared.initialReleaseAt,
        current_release_at: prepared.currentReleaseAt,
        created_at: prepared.currentReleaseAt,
      })),
    )
    .execute();
}

/** Every artefact of an advisory, newest revision first. */
export async function artefactsOf(db: Q, advisoryId: string): Promise<AdvisoryArtefactRow[]> {
  return db
    .selectFrom('advisory_artefacts')
    .selectAll()
    .where('advisory_id', '=', advisoryId)
    .orderBy('revision_number', 'desc')
    .orderBy('kind')
    .orderBy('name')
    .execute();
}

/** The stored record of a CVE in an advisory (its newest published revision), if any. */
export async function findCveRecord(
  db: Q,
  advisoryId: string,
  cveId: string,
): Promise<AdvisoryArtefactRow | undefined> {
  return db
    .selectFrom('advisory_artefacts')
    .selectAll()
    .where('advisory_id', '=', advisoryId)
    .where('kind', '=', 'cve_record')
    .where('name', '=', cveId)
    .orderBy('revision_number', 'desc')
    .executeTakeFirst();
}

/** The newest stored record of a CVE in any advisory (for the CLI, which knows only the CVE ID). */
export async function findLatestCveRecord(db: Q, cveId: string): Promise<AdvisoryArtefactRow | undefined> {
  return db
    .selectFrom('advisory_artefacts')
    .selectAll()
    .where('kind', '=', 'cve_record')
    .where('name', '=', cveId)
    .orderBy('current_release_at', 'desc')
    .orderBy('revision_number', 'desc')
    .executeTakeFirst();
}

/**
 * The CSAF documents of published advisories as they stand now: for each advisory and kind the
 * newest revision's document, whatever its TLP (the caller filters; a document whose latest
 * revision is no longer TLP:WHITE must not be served from an older WHITE revision).
 */
export async function currentCsafDocuments(db: Q): Promise<AdvisoryArtefactRow[]> {
  const rows = await db
    .selectFrom('advisory_artefacts')
    .innerJoin('advisories', 'advisories.id', 'advisory_artefacts.advisory_id')
    .selectAll('advisory_artefacts')
    .where('advisories.state', '=', 'published')
    .where('advisory_artefacts.kind', 'in', ['csaf_security_advisory', 'csaf_vex'])
    .orderBy('advisory_artefacts.revision_number', 'desc')
    .execute();
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = `${r.advisory_id}\n${r.kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether a CVE was sent to CVE Services before (then the next send is an update). */
export async function wasCvePublished(db: Q, cveId: string): Promise<boolean> {
  const row = await db
    .selectFrom('cve_publications')
    .select('id')
    .where('cve_id', '=', cveId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function recordCvePublication(
  db: Q,
  row: { cveId: string; artefactId: string; by: string; at: string },
): Promise<void> {
  await db
    .insertInto('cve_publications')
    .values({
      id: newId(),
      cve_id: row.cveId,
      artefact_id: row.artefactId,
      published_by: row.by,
      published_at: row.at,
    })
    .execute();
}
