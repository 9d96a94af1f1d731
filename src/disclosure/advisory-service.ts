import type { Access } from '../accounts/index.js';
import { actorOf, type StaffCaller } from '../accounts/index.js';
import { readStored } from '../assessment/index.js';
import { programAuditor } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  newId,
  ValidationError,
  zodProblems,
} from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { AdvisoryRevisionRow, AdvisoryRow, Db, ReportRow } from '../db/index.js';
import type { Program, ProgramService } from '../programs/index.js';
import { advisoryContentSchema } from './advisory-model.js';
import { checkContent, draftContent, vulnerabilitiesFromCases } from './advisory-prefill.js';
import {
  type AdvisoryDetail,
  type AdvisorySummary,
  detailOf,
  type PublicAdvisory,
  parseContent,
  publicAdvisories,
  type RevisionState,
  summaryOf,
} from './advisory-read-model.js';
import * as store from './advisory-store.js';
import { type Move, moveRevision, newRevision, publishRevision } from './advisory-transitions.js';
import type { ArtefactService } from './artefacts-service.js';
import { consentedCredits, expectCreditsConsented } from './credit-check.js';
import { queueAdvisoryNotifications } from './notifications.js';

/**
 * Advisories: drafted from confirmed cases, edited as whole content, submitted, approved by a
 * holder of the `approver` duty who neither wrote nor edited the revision, then published — at
 * once, or by the embargo job when `publishNotBefore` passes. A published revision never changes;
 * a correction is the next revision, copied from it, with a change summary, approved again.
 *
 * Every check happens before the transaction, so a refusal changes nothing; every change and its
 * audit entry commit together. Credits are only those the reporters consented to, in their words.
 */

export function createAdvisoryService(deps: {
  db: Db;
  clock: Clock;
  sealer: Sealer;
  access: Pick<Access, 'caseFor' | 'roleIn' | 'can' | 'programsFor'>;
  programs: Pick<ProgramService, 'list'>;
  publicUrl: string;
  /** CSAF documents and CVE records: checked before approval and publication, stored when published. */
  artefacts?: Pick<ArtefactService, 'guard' | 'prepare'>;
}) {
  const { db, clock, access, sealer, publicUrl } = deps;
  const k = db.kysely;

  const audit = programAuditor(clock);

  async function programOf(id: string): Promise<Program> {
    const p = (await deps.programs.list()).find((x) => x.id === id);
    if (!p) throw new NotFoundError('The program of this advisory no longer exists.');
    return p;
  }

  /** The advisory, if the caller may read its program's cases; 404 otherwise, like a missing one. */
  async function readable(caller: StaffCaller, publicId: string) {
    const row = await store.findAdvisory(k, publicId);
    const program = row ? await programOf(row.program_id) : undefined;
    if (!row || !program || !(await access.can(caller, program, 'case.read')))
      throw new NotFoundError(`There is no advisory ${publicId}.`);
    return { row, program };
  }

  /** Drafting, editing and publishing belong to the case team (`case.write`), with a read-write token. */
  async function writable(caller: StaffCaller, publicId: string, what: string, orApprover = false) {
    const r = await readable(caller, publicId);
    const approver =
      orApprover &&
      caller.scope !== 'read' &&
      ((await access.roleIn(caller, r.program))?.duties.includes('approver') ?? false);
    if (!approver && !(await access.can(caller, r.program, 'case.write')))
      throw new ForbiddenError(
        caller.scope === 'read'
          ? 'This API token is read-only; advisory changes need a read-write token.'
          : `Your role in ${r.program.slug} does not allow you to ${what}.`,
      );
    return r;
  }

  async function revisionOf(row: AdvisoryRow, number: number): Promise<AdvisoryRevisionRow> {
    const rev = await store.findRevision(k, row.id, number);
    if (!rev) throw new NotFoundError(`Advisory ${row.public_id} has no revision ${number}.`);
    return rev;
  }

  const expectState = (rev: AdvisoryRevisionRow, states: RevisionState[], doing: string) => {
    if (!states.includes(rev.state as RevisionState))
      throw new ConflictError(
        rev.state === 'published'
          ? `Revision ${rev.number} is published and can no longer change; start a correction (a new revision) instead.`
          : `Revision ${rev.number} is ${rev.state.replace('_', ' ')}; only a revision ${states.map((s) => s.replace('_', ' ')).join(' or ')} can be ${doing}.`,
      );
  };

  const creditsOf = (program: Program, reports: ReportRow[]) => consentedCredits(k, sealer, program, reports);

  const detail = (row: AdvisoryRow, program: Program) => detailOf(k, row, program, publicUrl);

  const move = (
    actor: string,
    program: Program,
    row: AdvisoryRow,
    rev: AdvisoryRevisionRow,
    action: string,
    to: RevisionState,
    set: Move['set'],
  ) => moveRevision(db, { actor, program, row, rev, action, to, set, now: clock.now() });

  return {
    /** Advisories of the programs the caller may read (or of one of them), newest first. */
    async list(caller: StaffCaller, programSlug?: string): Promise<AdvisorySummary[]> {
      let programs = await access.programsFor(caller, 'case.read');
      if (programSlug !== undefined) {
        programs = programs.filter((p) => p.slug === programSlug);
        if (programs.length === 0) throw new NotFoundError(`There is no program ${programSlug}.`);
      }
      const byId = new Map(programs.map((p) => [p.id, p]));
      const rows = await store.listAdvisories(k, [...byId.keys()]);
      return Promise.all(
        rows.map(async (r) =>
          summaryOf(r, byId.get(r.program_id) as Program, await store.listRevisions(k, r.id)),
        ),
      );
    },

    async get(caller: StaffCaller, publicId: string): Promise<AdvisoryDetail> {
      const { row, program } = await readable(caller, publicId);
      return detail(row, program);
    },

    /**
     * A new advisory drafted from confirmed cases of one program: one vulnerability per case,
     * prefilled from its assessment, with the credit its reporter consented to.
     */
    async draft(caller: StaffCaller, input: { cases: string[] }): Promise<AdvisoryDetail> {
      const numbers = [...new Set(input.cases)];
      const found: Awaited<ReturnType<Access['caseFor']>>[] = [];
      for (const n of numbers) found.push(await access.caseFor(caller, n, 'case.write'));
      const program = found[0]?.program;
      if (!program) throw new ValidationError([{ path: 'cases', message: 'name at least one case' }]);
      const credits = await creditsOf(
        program,
        found.map((f) => f.row).filter((r) => r.program_id === program.id),
      );
      const { vulnerabilities, problems } = vulnerabilitiesFromCases(
        program,
        found.map(({ row, program: p }) => ({
          caseNumber: row.case_number,
          state: row.state,
          program: p,
          assessment: readStored(row.assessment),
          credit: credits.find((c) => c.caseNumber === row.case_number)?.credit,
        })),
      );
      if (problems.length > 0) throw new ValidationError(problems);
      const content = advisoryContentSchema.parse(draftContent(program, vulnerabilities));
      const now = clock.now();
      const nowIso = now.toISOString();
      const year = Number(
        new Intl.DateTimeFormat('en-CA', {
          timeZone: program.definition.calendar.timeZone,
          year: 'numeric',
        }).format(now),
      );
      const row = await k.transaction().execute(async (trx) => {
        const n = await store.nextAdvisoryNumber(trx, program.id, year);
        const advisory: AdvisoryRow = {
          id: newId(),
          program_id: program.id,
          public_id: `${program.definition.casePrefix}-SA-${year}-${String(n).padStart(4, '0')}`,
          state: 'draft',
          published_revision: null,
          initial_release_at: null,
          current_release_at: null,
          created_at: nowIso,
          created_by: actorOf(caller),
          updated_at: nowIso,
        };
        await store.insertAdvisory(trx, advisory);
        await store.insertRevision(
          trx,
          newRevision(advisory.id, 1, content, 'Initial release.', caller.userId, nowIso),
        );
        await store.linkCases(
          trx,
          advisory.id,
          found.map((f) => f.row.id),
          nowIso,
        );
        await audit(
          trx,
          actorOf(caller),
          'advisory.drafted',
          program,
          { advisory: advisory.public_id, revision: 1, cases: numbers },
          now,
        );
        return advisory;
      });
      return detail(row, program);
    },

    /** Replace a draft revision's whole content; 400 naming each bad field, and nothing kept. */
    async edit(
      caller: StaffCaller,
      publicId: string,
      number: number,
      input: unknown,
    ): Promise<AdvisoryDetail> {
      const { row, program } = await writable(caller, publicId, 'edit advisories');
      const rev = await revisionOf(row, number);
      expectState(rev, ['draft'], 'edited');
      const parsed = advisoryContentSchema.safeParse(input);
      if (!parsed.success) throw new ValidationError(zodProblems(parsed.error));
      const reports = await store.casesOf(k, row.id);
      const checked = checkContent(program, parsed.data, {
        caseNumbers: reports.map((r) => r.case_number),
        consentedCredits: (await creditsOf(program, reports)).flatMap((c) =>
          c.credit ? [c.credit.text] : [],
        ),
      });
      if (checked.problems.length > 0) throw new ValidationError(checked.problems);
      const editors = new Set(JSON.parse(rev.editors) as string[]).add(caller.userId);
      await move(actorOf(caller), program, row, rev, 'advisory.edited', 'draft', (nowIso) => ({
        content: JSON.stringify(checked.content),
        editors: JSON.stringify([...editors]),
        updated_at: nowIso,
      }));
      return detail(row, program);
    },

    async submit(caller: StaffCaller, publicId: string, number: number): Promise<AdvisoryDetail> {
      const { row, program } = await writable(caller, publicId, 'submit advisories for approval');
      const rev = await revisionOf(row, number);
      expectState(rev, ['draft'], 'submitted for approval');
      await move(actorOf(caller), program, row, rev, 'advisory.submitted', 'in_review', (now) => ({
        submitted_at: now,
      }));
      return detail(row, program);
    },

    /**
     * Send a revision in review, approved or scheduled back to draft for changes: the case team,
     * or an approver declining to approve it.
     */
    async returnToDraft(caller: StaffCaller, publicId: string, number: number): Promise<AdvisoryDetail> {
      const { row, program } = await writable(caller, publicId, 'return advisories to draft', true);
      const rev = await revisionOf(row, number);
      expectState(rev, ['in_review', 'approved', 'scheduled'], 'returned to draft');
      await move(actorOf(caller), program, row, rev, 'advisory.returned', 'draft', () => ({
        submitted_at: null,
        approved_at: null,
        approved_by: null,
        publish_not_before: null,
        scheduled_at: null,
      }));
      return detail(row, program);
    },

    /** The approver's sign-off: a holder of the `approver` duty who neither wrote nor edited it. */
    async approve(caller: StaffCaller, publicId: string, number: number): Promise<AdvisoryDetail> {
      const { row, program } = await readable(caller, publicId);
      const membership = await access.roleIn(caller, program);
      if (caller.scope === 'read')
        throw new ForbiddenError('This API token is read-only; approving needs a read-write token.');
      if (!membership?.duties.includes('approver'))
        throw new ForbiddenError(
          `Only a holder of the approver duty in ${program.slug} may approve advisories.`,
        );
      const rev = await revisionOf(row, number);
      expectState(rev, ['in_review'], 'approved');
      const editors = JSON.parse(rev.editors) as string[];
      if (rev.author_id === caller.userId || editors.includes(caller.userId))
        throw new ForbiddenError(
          `You ${rev.author_id === caller.userId ? 'wrote' : 'edited'} revision ${number}, so you cannot approve it: another holder of the approver duty must.`,
        );
      await expectCreditsConsented(k, sealer, program, row, rev);
      await deps.artefacts?.guard(program, row, rev);
      await move(actorOf(caller), program, row, rev, 'advisory.approved', 'approved', (now) => ({
        approved_at: now,
        approved_by: caller.userId,
      }));
      return detail(row, program);
    },

    /**
     * Publish an approved revision: at once, or — when its `publishNotBefore` is still ahead —
     * scheduled, for the embargo job to publish when the time comes.
     */
    async publish(caller: StaffCaller, publicId: string, number: number): Promise<AdvisoryDetail> {
      const { row, program } = await writable(caller, publicId, 'publish advisories');
      const rev = await revisionOf(row, number);
      expectState(rev, ['approved'], 'published');
      await expectCreditsConsented(k, sealer, program, row, rev);
      const content = parseContent(rev.content);
      const now = clock.now();
      const embargo = content.publishNotBefore ? new Date(content.publishNotBefore) : undefined;
      if (embargo && embargo.getTime() > now.getTime()) {
        await deps.artefacts?.guard(program, row, rev, embargo);
        await moveRevision(db, {
          actor: actorOf(caller),
          program,
          row,
          rev,
          action: 'advisory.scheduled',
          to: 'scheduled',
          set: (nowIso) => ({ publish_not_before: embargo.toISOString(), scheduled_at: nowIso }),
          // Pre-notification (when the program enables it): customers hear of it under embargo.
          extra: async (trx) => {
            await queueAdvisoryNotifications(
              trx,
              { sealer, clock, publicUrl },
              { program, advisory: row, revision: rev, cases: [], stage: 'pre-notification', now },
            );
          },
          now,
        });
      } else {
        const artefacts = await deps.artefacts?.prepare(program, row, rev, now);
        await publishRevision(db, {
          actor: actorOf(caller),
          program,
          row,
          rev,
          now,
          artefacts,
          notify: { sealer, clock, publicUrl },
        });
      }
      return detail(row, program);
    },

    /** A correction: revision n+1 as a draft copied from the published one, with what changes. */
    async correct(
      caller: StaffCaller,
      publicId: string,
      input: { summary: string },
    ): Promise<AdvisoryDetail> {
      const { row, program } = await writable(caller, publicId, 'correct advisories');
      const revisions = await store.listRevisions(k, row.id);
      const open = revisions.find((r) => (store.OPEN_REVISION_STATES as readonly string[]).includes(r.state));
      if (open)
        throw new ConflictError(
          `Revision ${open.number} is still ${open.state.replace('_', ' ')}; continue that one instead.`,
        );
      const published = revisions.find((r) => Number(r.number) === Number(row.published_revision));
      if (!published) throw new ConflictError(`${publicId} is not published yet; edit its draft instead.`);
      // The embargo of the first release is over: a correction is public once published.
      const { publishNotBefore: _over, ...content } = parseContent(published.content);
      const number = Number(revisions.at(-1)?.number ?? 0) + 1;
      const now = clock.now();
      const nowIso = now.toISOString();
      await k
        .transaction()
        .execute(async (trx) => {
          await store.insertRevision(
            trx,
            newRevision(row.id, number, content, input.summary.trim(), caller.userId, nowIso),
          );
          await store.updateAdvisory(trx, row.id, { updated_at: nowIso });
          await audit(
            trx,
            actorOf(caller),
            'advisory.correction_started',
            program,
            { advisory: publicId, revision: number },
            now,
          );
        })
        .catch(async (err: unknown) => {
          // One open revision per advisory is enforced by the database too: a concurrent one won.
          if ((await store.listRevisions(k, row.id)).some((r) => r.state === 'draft'))
            throw new ConflictError('A correction was started meanwhile; continue that one instead.');
          throw err;
        });
      return detail(row, program);
    },

    /** Published TLP:CLEAR advisories of some programs (default: every program), newest first. */
    async publicList(programs?: Program[]): Promise<PublicAdvisory[]> {
      return publicAdvisories(k, programs ?? (await deps.programs.list()), publicUrl);
    },

    /** One published TLP:CLEAR advisory of a program; undefined for anything else. */
    async publicAdvisory(program: Program, publicId: string): Promise<PublicAdvisory | undefined> {
      return (await publicAdvisories(k, [program], publicUrl)).find((a) => a.id === publicId);
    },
  };
}

export type AdvisoryService = ReturnType<typeof createAdvisoryService>;
