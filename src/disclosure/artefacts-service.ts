import type { Kysely } from 'kysely';
import type { Access } from '../accounts/index.js';
import { actorOf, type StaffCaller } from '../accounts/index.js';
import { programAuditor } from '../audit/index.js';
import type { Config } from '../config/index.js';
import type { Clock } from '../core/index.js';
import { ConflictError, ForbiddenError, NotFoundError, VigilError } from '../core/index.js';
import type { AdvisoryRevisionRow, AdvisoryRow, Database, Db } from '../db/index.js';
import type { KeyService } from '../openpgp/index.js';
import type { Program, ProgramService } from '../programs/index.js';
import { historyOf, parseContent } from './advisory-read-model.js';
import * as advisoryStore from './advisory-store.js';
import {
  type ArtefactChecks,
  type ArtefactInput,
  artefactRefusal,
  checkArtefacts,
  type PreparedArtefacts,
  prepareArtefacts,
} from './artefacts.js';
import * as store from './artefacts-store.js';
import { warmCsafValidator } from './artefacts-validator.js';
import { CVE_DATA_VERSION, type CveRecord } from './cve-record.js';
import { createCveServicesClient } from './cve-services.js';

/**
 * Artefacts around the advisory life cycle: the checks an author sees on a draft, the guard the
 * approval and publication paths run, the prepared (signed) documents the publishing transaction
 * stores, the stored CVE records for staff and the CLI, and the CNA's calls to CVE Services
 * (reserving IDs; publishing a record only once its advisory is public).
 */

export class CveServicesUnavailableError extends VigilError {
  constructor() {
    super(
      503,
      'cve_services_not_configured',
      'CVE Services is not configured on this instance: set VIGIL_CVE_API_URL, VIGIL_CVE_API_USER, VIGIL_CVE_API_KEY and VIGIL_CVE_ORG_ID.',
    );
  }
}

export interface ArtefactChecksView extends ArtefactChecks {
  revision: number;
  /** The artefacts publication would produce (kind and file name or CVE ID). */
  artefacts: { kind: string; name: string }[];
}

export function createArtefactService(deps: {
  db: Db;
  clock: Clock;
  keys: Pick<KeyService, 'signingKey'>;
  access: Pick<Access, 'can'>;
  programs: Pick<ProgramService, 'list'>;
  config: Pick<Config, 'publicUrl' | 'cve'>;
  engineVersion?: string;
  /** CVE Services request timeout (tests shorten it). */
  cveTimeoutMs?: number;
}) {
  const { db, clock } = deps;
  const k = db.kysely;

  async function programOf(id: string): Promise<Program> {
    const p = (await deps.programs.list()).find((x) => x.id === id);
    if (!p) throw new NotFoundError('The program of this advisory no longer exists.');
    return p;
  }

  async function readable(caller: StaffCaller, publicId: string, permission: 'case.read' | 'case.write') {
    const row = await advisoryStore.findAdvisory(k, publicId);
    const program = row ? await programOf(row.program_id) : undefined;
    if (!row || !program || !(await deps.access.can(caller, program, 'case.read')))
      throw new NotFoundError(`There is no advisory ${publicId}.`);
    if (permission === 'case.write' && !(await deps.access.can(caller, program, 'case.write')))
      throw new ForbiddenError(
        caller.scope === 'read'
          ? 'This API token is read-only; this needs a read-write token.'
          : `Your role in ${program.slug} does not allow this: it needs the case team (case.write).`,
      );
    return { row, program };
  }

  /** What the builders need to make the revision's artefacts as publication at `now` would. */
  async function inputOf(program: Program, row: AdvisoryRow, rev: AdvisoryRevisionRow, now: Date) {
    const fresh = (await advisoryStore.findAdvisoryById(k, row.id)) ?? row;
    const revisions = await advisoryStore.listRevisions(k, row.id);
    return {
      program,
      publicId: fresh.public_id,
      revision: { number: Number(rev.number), summary: rev.summary },
      content: parseContent(rev.content),
      history: historyOf(revisions).filter((h) => Number(h.number) < Number(rev.number)),
      initialReleaseAt: fresh.initial_release_at,
      now,
      publicUrl: deps.config.publicUrl,
      cveOrgId: deps.config.cve.orgId,
      cveSchemaPath: deps.config.cve.schemaPath,
      engineVersion: deps.engineVersion,
    } satisfies ArtefactInput;
  }

  function cveClient(program: Program) {
    const api = deps.config.cve.api;
    if (!api || !deps.config.cve.orgId) throw new CveServicesUnavailableError();
    const cna = program.definition.disclosure.cna;
    if (!cna.enabled || !cna.shortName)
      throw new ConflictError(
        `${program.slug} is not a CNA in Vigil: set disclosure.cna.enabled and disclosure.cna.shortName in its definition.`,
      );
    return createCveServicesClient({ ...api, org: cna.shortName, timeoutMs: deps.cveTimeoutMs });
  }

  const audit = programAuditor(clock);

  return {
    /**
     * Start the CSAF validator's worker (its schemas take seconds of CPU to compile, off the main
     * thread): called on the first advisory request, so the approval that follows a draft does not
     * wait for it, while processes that never touch advisories never pay for it.
     */
    warm: warmCsafValidator,

    /**
     * Refuse (ValidationError with the validators' messages) when the revision's artefacts would
     * fail: before approval and before publication. Nothing is written.
     */
    async guard(
      program: Program,
      row: AdvisoryRow,
      rev: AdvisoryRevisionRow,
      now = clock.now(),
    ): Promise<void> {
      const { errors } = await checkArtefacts(await inputOf(program, row, rev, now));
      if (errors.length > 0) throw artefactRefusal(errors);
    },

    /** Build, check, hash and sign the artefacts of a publication at `now` (outside any transaction). */
    async prepare(
      program: Program,
      row: AdvisoryRow,
      rev: AdvisoryRevisionRow,
      now: Date,
    ): Promise<PreparedArtefacts> {
      return prepareArtefacts(await inputOf(program, row, rev, now), await deps.keys.signingKey(program.id));
    },

    /** Write prepared artefacts in the publishing transaction. */
    store: (trx: Kysely<Database>, row: AdvisoryRow, rev: AdvisoryRevisionRow, prepared: PreparedArtefacts) =>
      store.storeArtefacts(
        trx,
        {
          advisoryId: row.id,
          revisionId: rev.id,
          revisionNumber: Number(rev.number),
          programId: row.program_id,
        },
        prepared,
      ),

    /** The author's view: what publishing this revision now would produce, with errors and warnings. */
    async checks(caller: StaffCaller, publicId: string, number: number): Promise<ArtefactChecksView> {
      const { row, program } = await readable(caller, publicId, 'case.read');
      const rev = await advisoryStore.findRevision(k, row.id, number);
      if (!rev) throw new NotFoundError(`Advisory ${publicId} has no revision ${number}.`);
      const now = rev.published_at ? new Date(rev.published_at) : clock.now();
      const { built, errors, warnings } = await checkArtefacts(await inputOf(program, row, rev, now));
      return {
        revision: number,
        artefacts: built.map((a) => ({ kind: a.kind, name: a.name })),
        errors,
        warnings,
      };
    },

    /**
     * A stored CVE record of an advisory (the case team and its viewers), as its exact bytes: those
     * hashed and signed at publication, the same that `exportCve` writes. Never parsed and
     * serialised again, which could change them.
     */
    async cveRecord(caller: StaffCaller, publicId: string, cveId: string): Promise<string> {
      const { row } = await readable(caller, publicId, 'case.read');
      const found = await store.findCveRecord(k, row.id, cveId);
      if (!found) throw new NotFoundError(`Advisory ${publicId} has no published CVE record for ${cveId}.`);
      return found.body;
    },

    /**
     * The newest stored CSAF documents of every published advisory, whatever their TLP, as the
     * rows holding their exact bytes; the public provider filters what it may serve.
     */
    async publicCsafDocuments() {
      return store.currentCsafDocuments(k);
    },

    /** The newest stored record of a CVE, as its exact bytes (the CLI's export). */
    async exportCve(cveId: string): Promise<string | undefined> {
      return (await store.findLatestCveRecord(k, cveId))?.body;
    },

    /** Reserve CVE IDs through CVE Services for the advisory's program (the case team). */
    async reserve(
      caller: StaffCaller,
      publicId: string,
      input: { amount: number; year?: number },
    ): Promise<{ cveIds: string[] }> {
      const { program } = await readable(caller, publicId, 'case.write');
      const client = cveClient(program);
      const year = input.year ?? clock.now().getUTCFullYear();
      const ids = await client.reserve(input.amount, year);
      await k.transaction().execute((trx) =>
        audit(trx, actorOf(caller), 'cve.reserved', program, {
          advisory: publicId,
          cveIds: ids.map((i) => i.cveId),
        }),
      );
      return { cveIds: ids.map((i) => i.cveId) };
    },

    /**
     * Send the stored record of a CVE to CVE Services: a creation the first time, an update after.
     * Refused until the advisory is public — a CVE record must not be the first disclosure.
     */
    async publishCve(
      caller: StaffCaller,
      publicId: string,
      cveId: string,
    ): Promise<{ cveId: string; action: 'created' | 'updated'; dataVersion: string }> {
      const { row, program } = await readable(caller, publicId, 'case.write');
      const client = cveClient(program);
      const found = await store.findCveRecord(k, row.id, cveId);
      if (row.state !== 'published' || !found)
        throw new ConflictError(
          row.state !== 'published'
            ? `${publicId} is not public yet; a CVE record may only be published after its advisory.`
            : `${publicId} has no published CVE record for ${cveId}; add the CVE ID in a revision and publish it first.`,
        );
      const record = JSON.parse(found.body) as CveRecord;
      const update = await store.wasCvePublished(k, cveId);
      if (update) await client.update(cveId, record.containers.cna);
      else await client.publish(cveId, record.containers.cna);
      const at = clock.now().toISOString();
      await k.transaction().execute(async (trx) => {
        await store.recordCvePublication(trx, { cveId, artefactId: found.id, by: actorOf(caller), at });
        await audit(trx, actorOf(caller), update ? 'cve.updated' : 'cve.published', program, {
          advisory: publicId,
          cveId,
          revision: Number(found.revision_number),
        });
      });
      return { cveId, action: update ? 'updated' : 'created', dataVersion: CVE_DATA_VERSION };
    },
  };
}

export type ArtefactService = ReturnType<typeof createArtefactService>;
