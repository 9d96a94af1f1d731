import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { toMembership } from './membership-store.js';
import { enabledInstanceAdminEmails, enabledMembers, enabledUserEmail } from './recipients-store.js';
import type { Duty, Role } from './roles.js';

/**
 * Who among the staff is told of a program's notices — the one place that decides it. Each kind
 * of notice has a chain of steps over the program's members; the first step that names at least
 * one enabled user answers, and the instance admins close every chain, so a notice is never
 * dropped for want of an addressee. Disabled users are never told, and a member whose role this
 * release does not know counts for no step (as in every permission check).
 */

/** One step of a chain: the members holding any of these roles, or holding this duty. */
type Step = { roles: readonly Role[] } | { duty: Duty };

const CHAINS = {
  /** Deadline warnings of a case: the program's leads, else its admins. */
  'case-deadlines': [{ roles: ['lead'] }, { roles: ['admin'] }],
  /** Policy review reminders: the program's owners, admins and leads alike. */
  'policy-reviews': [{ roles: ['admin', 'lead'] }],
  /**
   * Privacy escalations, statements of PHI access and quarantine holds: the privacy officers
   * (any role with the `privacy` duty), else the program's admins and leads.
   */
  privacy: [{ duty: 'privacy' }, { roles: ['admin', 'lead'] }],
} as const satisfies Record<string, readonly Step[]>;

export type NoticeKind = keyof typeof CHAINS;

export interface NoticeRecipients {
  /** Each address once, by email; a given assignee comes first. */
  emails: string[];
  /**
   * True when the chain's first step named nobody, so the notice went to a later step or the
   * instance admins (privacy mails say so, asking for the duty to be given).
   */
  fallback: boolean;
}

/**
 * Who is told of a `kind` notice about a program. With `assigneeId`, that user (when enabled)
 * is told as well as, not instead of, the chain: an assignee hears of their case, and the
 * program's people still do.
 */
export async function noticeRecipients(
  db: Kysely<Database>,
  programId: string,
  kind: NoticeKind,
  opts: { assigneeId?: string | null } = {},
): Promise<NoticeRecipients> {
  const assignee = opts.assigneeId ? await enabledUserEmail(db, opts.assigneeId) : undefined;
  const { emails, fallback } = await chainRecipients(db, programId, CHAINS[kind]);
  return { emails: [...new Set([...(assignee ? [assignee] : []), ...emails])], fallback };
}

async function chainRecipients(
  db: Kysely<Database>,
  programId: string,
  chain: readonly Step[],
): Promise<NoticeRecipients> {
  const members = (await enabledMembers(db, programId)).flatMap((row) => {
    const m = toMembership(row);
    return m ? [{ email: row.email, ...m }] : [];
  });
  for (const [i, step] of chain.entries()) {
    const emails = members
      .filter((m) => ('duty' in step ? m.duties.includes(step.duty) : step.roles.includes(m.role)))
      .map((m) => m.email);
    if (emails.length > 0) return { emails, fallback: i > 0 };
  }
  return { emails: await enabledInstanceAdminEmails(db), fallback: true };
}
