import type { Kysely } from 'kysely';
import type { Access } from '../accounts/index.js';
import { actorOf, type Duty, type StaffCaller } from '../accounts/index.js';
import { programAuditor } from '../audit/index.js';
import type { Clock } from '../core/index.js';
import { ConflictError, ForbiddenError, NotFoundError, newId, ValidationError } from '../core/index.js';
import type { Database, Db, PolicyDocumentRow, PolicyVersionRow } from '../db/index.js';
import type { Program, ProgramService } from '../programs/index.js';
import { localDate, nextVersionLabel, OPEN_STATES, type PolicyState } from './policy-rules.js';
import * as store from './policy-store.js';
import {
  documentDetail,
  documentSummary,
  type PolicyDocumentDetail,
  type PolicyDocumentSummary,
  type PolicyReviewStatus,
  publicPolicyOf,
} from './policy-views.js';

/**
 * Policy governance: a program's policy documents and their versions, from draft through review
 * (the privacy & security officer, `privacy` duty) and approval (`approver` duty) to publication,
 * and the annual review that changes nothing but is signed off all the same.
 *
 * Invariants enforced here, whatever the channel: review and approval of one version (or of one
 * review without change) are done by two different people; nobody who wrote or edited a version
 * (its editors, recorded per version) reviews, sends back or approves it; only a draft can be edited, so what was reviewed is what gets published; every change is
 * audited in its own transaction. A privacy officer may send a version in review back to draft
 * with a note on what must change: its sign-offs are cleared, so the next round is reviewed and
 * approved afresh under the same rules.
 */

export interface DraftInput {
  version?: string;
  /** `published`: start from the text of the current published version. */
  from?: 'published';
  body?: string;
  changes: string;
  effectiveDate?: string;
}

/** Who acts: a staff caller, or the system (the example seed), which holds no duties. */
type Actor = { kind: 'staff'; caller: StaffCaller; userId: string } | { kind: 'system'; name: string };

export function createPolicyService(deps: {
  db: Db;
  clock: Clock;
  access: Pick<Access, 'roleIn' | 'programsFor'>;
  programs: Pick<ProgramService, 'find'>;
}) {
  const { db, clock, access } = deps;
  const k = db.kysely;

  const audit = programAuditor(clock);

  /** The program, if the caller has any role in it; 404 otherwise, exactly like a missing one. */
  async function programFor(caller: StaffCaller, slug: string) {
    const program = await deps.programs.find(slug);
    const membership = program ? await access.roleIn(caller, program) : null;
    if (!program || !membership) throw new NotFoundError(`There is no program ${slug}.`);
    return { program, membership };
  }

  async function documentOf(program: Program, kind: string): Promise<PolicyDocumentRow> {
    const doc = await store.findDocument(k, program.id, kind);
    if (!doc) throw new NotFoundError(`${program.slug} has no policy document "${kind}".`);
    return doc;
  }

  async function versionOf(doc: PolicyDocumentRow, version: string): Promise<PolicyVersionRow> {
    const row = await store.findVersion(k, doc.id, version);
    if (!row) throw new NotFoundError(`The policy "${doc.kind}" has no version ${version}.`);
    return row;
  }

  const writable = (caller: StaffCaller) => {
    if (caller.scope === 'read')
      throw new ForbiddenError('This API token is read-only; policy changes need a read-write token.');
  };

  /** Authoring and publishing belong to the program's owners: its admins and leads. */
  async function asOwner(caller: StaffCaller, slug: string, what: string) {
    const r = await programFor(caller, slug);
    writable(caller);
    if (r.membership.role !== 'admin' && r.membership.role !== 'lead')
      throw new ForbiddenError(`Only an admin or lead of ${slug} may ${what}.`);
    return r.program;
  }

  /** Review and approval belong to the holders of a duty, whatever their role. */
  async function withDuty(caller: StaffCaller, slug: string, duty: Duty, what: string) {
    const r = await programFor(caller, slug);
    writable(caller);
    if (!r.membership.duties.includes(duty))
      throw new ForbiddenError(
        `Only a holder of the ${duty === 'privacy' ? 'privacy (privacy & security officer)' : 'approver'} duty in ${slug} may ${what}.`,
      );
    return r.program;
  }

  const staff = (caller: StaffCaller): Actor => ({ kind: 'staff', caller, userId: caller.userId });
  const actorName = (a: Actor) => (a.kind === 'staff' ? actorOf(a.caller) : a.name);

  const summaryOf = (doc: PolicyDocumentRow, versions?: PolicyVersionRow[]) =>
    documentSummary(k, clock.now(), doc, versions);
  const detailOf = (program: Program, doc: PolicyDocumentRow) => documentDetail(k, clock.now(), program, doc);

  /**
   * Move a version from one state to another in one transaction with its audit entry. `guard`
   * re-checks, inside the transaction, what the rule was decided on.
   */
  async function move(
    actor: Actor,
    program: Program,
    doc: PolicyDocumentRow,
    v: PolicyVersionRow,
    action: string,
    to: PolicyState,
    set: (nowIso: string) => Partial<PolicyVersionRow>,
    extra?: (trx: Kysely<Database>, nowIso: string) => Promise<void>,
  ) {
    const now = clock.now();
    const nowIso = now.toISOString();
    await k.transaction().execute(async (trx) => {
      const moved = await store.updateVersion(trx, v.id, v.state, {
        ...set(nowIso),
        state: to,
        updated_at: nowIso,
      });
      if (!moved)
        throw new ConflictError(
          `Version ${v.version} changed while this was applied; reload it and try again.`,
        );
      await extra?.(trx, nowIso);
      await audit(
        trx,
        actorName(actor),
        action,
        program,
        { document: doc.kind, version: v.version, from: v.state, to },
        now,
      );
    });
    return detailOf(program, doc);
  }

  /**
   * The rule that review and approval are someone else's: refused to anyone who wrote or edited
   * the version (the author counts, also for versions from before editors were recorded).
   */
  async function expectNotEditor(caller: StaffCaller, v: PolicyVersionRow, doing: string) {
    const editors = await store.editorsOf(k, v.id);
    if (v.author_id === caller.userId || editors.includes(caller.userId))
      throw new ForbiddenError(
        `${v.author_id === caller.userId ? 'You wrote this draft' : `You edited version ${v.version}`}, so you cannot ${doing}: nobody who wrote or edited a policy version may review, send back or approve it.`,
      );
  }

  const expectState = (v: PolicyVersionRow, state: PolicyState, doing: string) => {
    if (v.state !== state)
      throw new ConflictError(
        `Version ${v.version} is ${v.state.replace('_', ' ')}; only a version ${state.replace('_', ' ')} can be ${doing}.`,
      );
  };

  async function createDraftAs(actor: Actor, program: Program, doc: PolicyDocumentRow, input: DraftInput) {
    const versions = await store.listVersions(k, doc.id);
    const open = versions.find((v) => OPEN_STATES.includes(v.state as PolicyState));
    if (open)
      throw new ConflictError(
        `Version ${open.version} is still ${open.state.replace('_', ' ')}; publish it or continue it before starting another.`,
      );
    const published = versions.find((v) => v.state === 'published');
    const problems: { path: string; message: string }[] = [];
    if (input.from === 'published' && !published)
      problems.push({ path: 'from', message: 'there is no published version to start from' });
    if (input.from === 'published' && input.body !== undefined)
      problems.push({ path: 'body', message: 'give either body or from: "published", not both' });
    if (input.from === undefined && input.body === undefined)
      problems.push({ path: 'body', message: 'is required unless from is "published"' });
    const version = input.version ?? nextVersionLabel(versions.map((v) => v.version));
    if (versions.some((v) => v.version === version))
      problems.push({ path: 'version', message: `version ${version} already exists` });
    if (problems.length) throw new ValidationError(problems);
    const now = clock.now();
    const nowIso = now.toISOString();
    const id = newId();
    const insert = k.transaction().execute(async (trx) => {
      await store.insertVersion(trx, {
        id,
        document_id: doc.id,
        version,
        state: 'draft',
        body: input.body ?? published?.body ?? '',
        changes: input.changes,
        effective_date: input.effectiveDate ?? null,
        author_id: actor.kind === 'staff' ? actor.userId : null,
        created_at: nowIso,
        updated_at: nowIso,
        submitted_at: null,
        reviewed_at: null,
        reviewed_by: null,
        approved_at: null,
        approved_by: null,
        published_at: null,
        published_by: null,
        superseded_at: null,
      });
      if (actor.kind === 'staff') await store.addEditor(trx, id, actor.userId, nowIso);
      await audit(
        trx,
        actorName(actor),
        'policy.draft_created',
        program,
        { document: doc.kind, version, from: input.from ?? null },
        now,
      );
    });
    await insert.catch(async (err: unknown) => {
      // The database allows one open version per document: a concurrent draft got there first.
      const raced = await store.findVersionInState(k, doc.id, OPEN_STATES);
      if (raced)
        throw new ConflictError(`Version ${raced.version} was started meanwhile; continue that one instead.`);
      throw err;
    });
    return version;
  }

  async function publishAs(
    actor: Actor,
    program: Program,
    doc: PolicyDocumentRow,
    v: PolicyVersionRow,
    input: { effectiveDate?: string },
  ) {
    expectState(v, 'approved', 'published');
    const current = await store.findVersionInState(k, doc.id, ['published']);
    const effective =
      input.effectiveDate ?? v.effective_date ?? localDate(clock.now(), program.definition.calendar.timeZone);
    return move(
      actor,
      program,
      doc,
      v,
      'policy.published',
      'published',
      (now) => ({
        published_at: now,
        published_by: actorName(actor),
        effective_date: effective,
      }),
      async (trx, now) => {
        if (
          current &&
          !(await store.updateVersion(trx, current.id, 'published', {
            state: 'superseded',
            superseded_at: now,
          }))
        )
          throw new ConflictError(
            'The published version changed while this was applied; reload and try again.',
          );
        await store.setDocumentReviewed(trx, doc.id, now);
      },
    );
  }

  return {
    /** The program's policy documents with their review due dates and overdue flags. */
    async listDocuments(caller: StaffCaller, slug: string): Promise<PolicyDocumentSummary[]> {
      const { program } = await programFor(caller, slug);
      const docs = await store.listDocuments(k, program.id);
      return Promise.all(docs.map((d) => summaryOf(d)));
    },

    /**
     * Every policy document of every program the caller may read, with its review status:
     * overdue first, then by due date; documents never published (no due date) last.
     */
    async listReviewStatus(
      caller: StaffCaller,
      filter: { overdue?: boolean } = {},
    ): Promise<PolicyReviewStatus[]> {
      const programs = await access.programsFor(caller, 'case.read');
      const byId = new Map(programs.map((p) => [p.id, p]));
      const docs = await store.listDocumentsOf(k, [...byId.keys()]);
      const rows: PolicyReviewStatus[] = [];
      for (const d of docs) {
        const program = byId.get(d.program_id) as Program;
        const summary = await summaryOf(d);
        if (filter.overdue !== undefined && summary.overdue !== filter.overdue) continue;
        rows.push({ program: { slug: program.slug, name: program.definition.name }, ...summary });
      }
      const key = (r: PolicyReviewStatus) => `${r.overdue ? 0 : 1}${r.reviewDueAt ?? '~'}`;
      return rows.sort(
        (a, b) => key(a).localeCompare(key(b)) || a.program.slug.localeCompare(b.program.slug),
      );
    },

    async getDocument(caller: StaffCaller, slug: string, kind: string): Promise<PolicyDocumentDetail> {
      const { program } = await programFor(caller, slug);
      return detailOf(program, await documentOf(program, kind));
    },

    async createDocument(
      caller: StaffCaller,
      slug: string,
      input: { kind: string; title: string; reviewIntervalDays?: number },
    ): Promise<PolicyDocumentDetail> {
      const program = await asOwner(caller, slug, 'create policy documents');
      if (await store.findDocument(k, program.id, input.kind))
        throw new ConflictError(`${slug} already has a policy document "${input.kind}".`);
      const now = clock.now();
      const row: PolicyDocumentRow = {
        id: newId(),
        program_id: program.id,
        kind: input.kind,
        title: input.title,
        review_interval_days: input.reviewIntervalDays ?? 365,
        last_reviewed_at: null,
        created_at: now.toISOString(),
        created_by: actorOf(caller),
      };
      await k.transaction().execute(async (trx) => {
        await store.insertDocument(trx, row);
        await audit(trx, actorOf(caller), 'policy.document_created', program, { document: row.kind }, now);
      });
      return detailOf(program, row);
    },

    /** A new draft: from scratch, or from the text of the current published version. */
    async createDraft(caller: StaffCaller, slug: string, kind: string, input: DraftInput) {
      const program = await asOwner(caller, slug, 'draft policy versions');
      const doc = await documentOf(program, kind);
      await createDraftAs(staff(caller), program, doc, input);
      return detailOf(program, doc);
    },

    async editDraft(
      caller: StaffCaller,
      slug: string,
      kind: string,
      version: string,
      input: { body?: string; changes?: string; effectiveDate?: string | null },
    ) {
      const program = await asOwner(caller, slug, 'edit policy drafts');
      const doc = await documentOf(program, kind);
      const v = await versionOf(doc, version);
      expectState(v, 'draft', 'edited');
      return move(
        staff(caller),
        program,
        doc,
        v,
        'policy.draft_edited',
        'draft',
        () => ({
          ...(input.body !== undefined ? { body: input.body } : {}),
          ...(input.changes !== undefined ? { changes: input.changes } : {}),
          ...(input.effectiveDate !== undefined ? { effective_date: input.effectiveDate } : {}),
        }),
        // Recorded with the edit: whoever changed the words may not sign them off.
        (trx, now) => store.addEditor(trx, v.id, caller.userId, now),
      );
    },

    async submit(caller: StaffCaller, slug: string, kind: string, version: string) {
      const program = await asOwner(caller, slug, 'submit policy drafts for review');
      const doc = await documentOf(program, kind);
      const v = await versionOf(doc, version);
      expectState(v, 'draft', 'submitted for review');
      if (v.body.trim() === '')
        throw new ConflictError(
          `Version ${version} has no text yet; write it before submitting it for review.`,
        );
      return move(staff(caller), program, doc, v, 'policy.submitted', 'in_review', (now) => ({
        submitted_at: now,
      }));
    },

    /** The privacy & security officer's review; the version stays in review until approved. */
    async review(caller: StaffCaller, slug: string, kind: string, version: string) {
      const program = await withDuty(caller, slug, 'privacy', 'review policy versions');
      const doc = await documentOf(program, kind);
      const v = await versionOf(doc, version);
      expectState(v, 'in_review', 'reviewed');
      if (v.reviewed_by !== null) throw new ConflictError(`Version ${version} has already been reviewed.`);
      await expectNotEditor(caller, v, 'review it');
      return move(staff(caller), program, doc, v, 'policy.reviewed', 'in_review', (now) => ({
        reviewed_at: now,
        reviewed_by: caller.userId,
      }));
    },

    /**
     * A privacy officer sends a version in review back to its author as a draft, with a note on
     * what must change. Any review sign-off is cleared: the next submission is reviewed and
     * approved afresh, by the same two-person rules.
     */
    async sendBack(
      caller: StaffCaller,
      slug: string,
      kind: string,
      version: string,
      input: { note: string },
    ) {
      const program = await withDuty(caller, slug, 'privacy', 'send policy versions back to draft');
      const note = input.note.trim();
      if (note === '')
        throw new ValidationError([
          { path: 'note', message: 'say what must change before it is resubmitted' },
        ]);
      const doc = await documentOf(program, kind);
      const v = await versionOf(doc, version);
      expectState(v, 'in_review', 'sent back to draft');
      await expectNotEditor(caller, v, 'send it back');
      return move(
        staff(caller),
        program,
        doc,
        v,
        'policy.sent_back',
        'draft',
        () => ({ submitted_at: null, reviewed_at: null, reviewed_by: null }),
        async (trx, now) =>
          store.insertSendBack(trx, {
            id: newId(),
            version_id: v.id,
            note,
            sent_back_at: now,
            sent_back_by: caller.userId,
          }),
      );
    },

    /** The approver's sign-off, after the review and by someone other than the reviewer. */
    async approve(caller: StaffCaller, slug: string, kind: string, version: string) {
      const program = await withDuty(caller, slug, 'approver', 'approve policy versions');
      const doc = await documentOf(program, kind);
      const v = await versionOf(doc, version);
      expectState(v, 'in_review', 'approved');
      if (v.reviewed_by === null)
        throw new ConflictError(
          `Version ${version} has not been reviewed yet; the privacy officer reviews it first.`,
        );
      if (v.reviewed_by === caller.userId)
        throw new ForbiddenError(
          'You reviewed this version, so you cannot also approve it: review and approval need two different people.',
        );
      await expectNotEditor(caller, v, 'approve it');
      return move(staff(caller), program, doc, v, 'policy.approved', 'approved', (now) => ({
        approved_at: now,
        approved_by: caller.userId,
      }));
    },

    /** Publish an approved version; the one published before it becomes superseded. */
    async publish(
      caller: StaffCaller,
      slug: string,
      kind: string,
      version: string,
      input: { effectiveDate?: string } = {},
    ) {
      const program = await asOwner(caller, slug, 'publish policy versions');
      const doc = await documentOf(program, kind);
      return publishAs(staff(caller), program, doc, await versionOf(doc, version), input);
    },

    /**
     * The annual review that changes nothing, first step: the privacy officer signs that the
     * current published version was reviewed. The due date moves once the approver signs.
     */
    async reviewWithoutChange(caller: StaffCaller, slug: string, kind: string, input: { note?: string }) {
      const program = await withDuty(caller, slug, 'privacy', 'review policies');
      const doc = await documentOf(program, kind);
      const published = await store.findVersionInState(k, doc.id, ['published']);
      if (!published) throw new ConflictError(`The policy "${kind}" has no published version to review.`);
      if ((await store.listReviews(k, doc.id)).some((r) => r.state === 'reviewed'))
        throw new ConflictError('A review without change is already waiting for approval.');
      const now = clock.now();
      await k.transaction().execute(async (trx) => {
        await store.insertReview(trx, {
          id: newId(),
          document_id: doc.id,
          version_id: published.id,
          state: 'reviewed',
          note: input.note ?? null,
          reviewed_at: now.toISOString(),
          reviewed_by: caller.userId,
          approved_at: null,
          approved_by: null,
        });
        await audit(
          trx,
          actorOf(caller),
          'policy.review_recorded',
          program,
          { document: kind, version: published.version },
          now,
        );
      });
      return detailOf(program, doc);
    },

    /** Second step: the approver (not the reviewer) signs; the review due date starts again. */
    async approveReviewWithoutChange(caller: StaffCaller, slug: string, kind: string) {
      const program = await withDuty(caller, slug, 'approver', 'approve policy reviews');
      const doc = await documentOf(program, kind);
      const pending = (await store.listReviews(k, doc.id)).find((r) => r.state === 'reviewed');
      if (!pending) throw new ConflictError('No review without change is waiting for approval.');
      if (pending.reviewed_by === caller.userId)
        throw new ForbiddenError(
          'You recorded this review, so you cannot also approve it: review and approval need two different people.',
        );
      const now = clock.now();
      const nowIso = now.toISOString();
      await k.transaction().execute(async (trx) => {
        if (
          !(await store.approveReview(trx, pending.id, { approved_at: nowIso, approved_by: caller.userId }))
        )
          throw new ConflictError('The review changed while this was applied; reload it and try again.');
        await store.setDocumentReviewed(trx, doc.id, nowIso);
        await audit(trx, actorOf(caller), 'policy.review_approved', program, { document: kind }, now);
      });
      return detailOf(program, doc);
    },

    /**
     * The public view of a program's policy: the current published version, or an older one
     * that was published (a draft or approved text is never public). Undefined when none.
     */
    publicPolicy: (program: Program, kind: string, version?: string) =>
      publicPolicyOf(k, program, kind, version),

    /** Whether the program has a published version of a document (for security.txt's Policy). */
    async hasPublished(programId: string, kind: string): Promise<boolean> {
      const doc = await store.findDocument(k, programId, kind);
      return doc !== undefined && (await store.findVersionInState(k, doc.id, ['published'])) !== undefined;
    },

    /**
     * Create (if missing) a document and publish a first version as the system, for the example
     * seed: a fresh instance then shows a governed policy at once. No duty holder signs it, so
     * its history row names no reviewer or approver. A no-op when a version is already published.
     */
    async seedPublished(
      program: Program,
      input: { kind: string; title: string; body: string; changes: string },
      actor = 'system:seed',
    ): Promise<boolean> {
      const system: Actor = { kind: 'system', name: actor };
      let doc = await store.findDocument(k, program.id, input.kind);
      if (!doc) {
        const now = clock.now();
        const row: PolicyDocumentRow = {
          id: newId(),
          program_id: program.id,
          kind: input.kind,
          title: input.title,
          review_interval_days: 365,
          last_reviewed_at: null,
          created_at: now.toISOString(),
          created_by: actor,
        };
        await k.transaction().execute(async (trx) => {
          await store.insertDocument(trx, row);
          await audit(trx, actor, 'policy.document_created', program, { document: row.kind }, now);
        });
        doc = row;
      }
      if (await store.findVersionInState(k, doc.id, ['published', ...OPEN_STATES])) return false;
      const version = await createDraftAs(system, program, doc, { body: input.body, changes: input.changes });
      let v = await versionOf(doc, version);
      await move(system, program, doc, v, 'policy.submitted', 'in_review', (now) => ({ submitted_at: now }));
      v = await versionOf(doc, version);
      await move(system, program, doc, v, 'policy.approved', 'approved', (now) => ({ approved_at: now }));
      v = await versionOf(doc, version);
      await publishAs(system, program, doc, v, {});
      return true;
    },
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
