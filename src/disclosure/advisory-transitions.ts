import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/index.js';
import { ConflictError, newId } from '../core/index.js';
import type { AdvisoryRevisionRow, AdvisoryRow, Database, Db } from '../db/index.js';
import type { Program } from '../programs/index.js';
import type { AdvisoryContent } from './advisory-model.js';
import type { RevisionState } from './advisory-read-model.js';
import * as store from './advisory-store.js';
import type { PreparedArtefacts } from './artefacts.js';
import { storeArtefacts } from './artefacts-store.js';
import { type NotificationDeps, queueAdvisoryNotifications } from './notifications.js';

/**
 * How a revision changes state, shared by the staff service and the embargo job: one
 * transaction holding the conditional update (a concurrent move makes it fail with 409), what
 * else belongs to the move (the advisory's publication pointer) and the audit entry.
 */

export interface Move {
  actor: string;
  program: Program;
  row: AdvisoryRow;
  rev: AdvisoryRevisionRow;
  /** The audit action, e.g. `advisory.approved`. */
  action: string;
  to: RevisionState;
  set: (nowIso: string) => Partial<AdvisoryRevisionRow>;
  extra?: (trx: Kysely<Database>, nowIso: string) => Promise<void>;
  now: Date;
}

export async function moveRevision(db: Db, m: Move): Promise<void> {
  const nowIso = m.now.toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    const moved = await store.updateRevision(trx, m.rev.id, m.rev.state, {
      ...m.set(nowIso),
      state: m.to,
      updated_at: nowIso,
    });
    if (!moved)
      throw new ConflictError(
        `Revision ${m.rev.number} changed while this was applied; reload it and try again.`,
      );
    await m.extra?.(trx, nowIso);
    await store.updateAdvisory(trx, m.row.id, { updated_at: nowIso });
    await appendAudit(
      trx,
      {
        actor: m.actor,
        action: m.action,
        programId: m.program.id,
        detail: { advisory: m.row.public_id, revision: Number(m.rev.number), from: m.rev.state, to: m.to },
      },
      m.now,
    );
  });
}

/**
 * Publish a revision: it becomes `published` (for good) and the advisory's public revision;
 * the first publication sets the initial release date, every one the current release date.
 */
export function publishRevision(
  db: Db,
  m: Omit<Move, 'action' | 'to' | 'set' | 'extra'> & {
    notify?: NotificationDeps;
    /** The revision's checked and signed documents, stored with the publication (artefacts.ts). */
    artefacts?: PreparedArtefacts;
  },
): Promise<void> {
  return moveRevision(db, {
    ...m,
    action: 'advisory.published',
    to: 'published',
    set: (nowIso) => ({ published_at: nowIso, published_by: m.actor }),
    extra: async (trx, nowIso) => {
      await store.updateAdvisory(trx, m.row.id, {
        state: 'published',
        published_revision: Number(m.rev.number),
        initial_release_at: m.row.initial_release_at ?? nowIso,
        current_release_at: nowIso,
      });
      if (m.artefacts)
        await storeArtefacts(
          trx,
          {
            advisoryId: m.row.id,
            revisionId: m.rev.id,
            revisionNumber: Number(m.rev.number),
            programId: m.row.program_id,
          },
          m.artefacts,
        );
      // Customers and reporters are told in the publishing transaction: mail if and only if published.
      if (m.notify)
        await queueAdvisoryNotifications(trx, m.notify, {
          program: m.program,
          advisory: m.row,
          revision: m.rev,
          cases: await store.casesOf(trx, m.row.id),
          now: m.now,
        });
    },
  });
}

/** A new draft revision row. */
export function newRevision(
  advisoryId: string,
  number: number,
  content: AdvisoryContent,
  summary: string,
  authorId: string,
  nowIso: string,
): AdvisoryRevisionRow {
  return {
    id: newId(),
    advisory_id: advisoryId,
    number,
    state: 'draft',
    content: JSON.stringify(content),
    summary,
    author_id: authorId,
    editors: '[]',
    created_at: nowIso,
    updated_at: nowIso,
    submitted_at: null,
    approved_at: null,
    approved_by: null,
    publish_not_before: null,
    scheduled_at: null,
    published_at: null,
    published_by: null,
  };
}
