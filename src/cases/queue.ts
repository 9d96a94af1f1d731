import { ValidationError } from '../core/index.js';
import type { Db } from '../db/index.js';
import type { CalendarCache, Program } from '../programs/index.js';
import { type CaseClock, caseClocks } from './clocks.js';
import { type CaseSignals, signalsFor } from './quality-view.js';
import {
  type DeadlineKey,
  listQueueByDeadline,
  listQueueByReceived,
  listQueueByTriage,
  type QueueFilter,
  type QueueRow,
  type ReceivedKey,
  type TriageKey,
} from './queue-store.js';

/**
 * The staff queue: cases across the programs a caller may read, filtered, in one of two orders,
 * keyset-paginated with an opaque cursor.
 *
 * `deadline` (the default): cases with a running clock first, by the earliest due instant among
 * their running clocks (`reports.next_due_at`, a generated column), so overdue cases lead; then
 * cases with no clock running (closed, or every clock stopped), newest first. `received`: newest
 * first. Ties break on the case id, so every case appears exactly once across the pages.
 *
 * `triage`, the "needs triage" lane: only cases in state `received`, by the triage score of their
 * quality signals (quality-signals.ts), best first, then newest id; cases from before the signals
 * existed (no score) come last. A state filter other than `received` is refused: the lane is
 * the received cases, and a filter that empties it by definition is a mistake worth naming.
 */

export const QUEUE_SORTS = ['deadline', 'received', 'triage'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export interface QueueItem {
  caseNumber: string;
  program: string;
  state: string;
  channel: string;
  receivedAt: string;
  acknowledgeBy: string;
  deadlines: Record<string, string>;
  severity: string | null;
  product: string | null;
  assignee: { id: string; name: string; email: string } | null;
  /** The earliest due instant among the running clocks; null when none runs. */
  nextDueAt: string | null;
  clocks: CaseClock[];
  /** True while any part of the case is held in PHI quarantine. */
  phi: boolean;
  /** True while the reporter's words say they reached PHI and the team has not decided. */
  phiClaim: boolean;
  /** Why the case is urgent (`phi-accessed`), or null. */
  urgent: string | null;
  /** The earliest due instant among the case's running regulatory clocks; null when none runs. */
  regulatoryDueAt: string | null;
  /** The case's quality signals (score and explanations); null for cases from before them. */
  signals: CaseSignals | null;
}

export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
}

// The sort travels inside the cursor: a cursor of one order used with the other is refused
// rather than silently skipping or repeating cases.
type Cursor =
  | { sort: 'deadline'; key: DeadlineKey }
  | { sort: 'received'; key: ReceivedKey }
  | { sort: 'triage'; key: TriageKey };

export function encodeQueueCursor(c: Cursor): string {
  const parts =
    c.sort === 'triage'
      ? ['t', String(c.key.rank), c.key.id]
      : c.sort === 'received'
        ? ['r', c.key.receivedAt, c.key.id]
        : c.key.run === 'due'
          ? ['d', c.key.due, c.key.id]
          : ['dr', c.key.receivedAt, c.key.id];
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeQueueCursor(cursor: string, sort: QueueSort): Cursor {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'string')) {
    const [tag, at, id] = v as [string, string, string];
    if (sort === 'received' && tag === 'r') return { sort, key: { receivedAt: at, id } };
    if (sort === 'triage' && tag === 't' && /^-?\d{1,3}$/.test(at))
      return { sort, key: { rank: Number(at), id } };
    if (sort === 'deadline' && tag === 'd') return { sort, key: { run: 'due', due: at, id } };
    if (sort === 'deadline' && tag === 'dr') return { sort, key: { run: 'rest', receivedAt: at, id } };
  }
  throw new ValidationError([
    { path: 'cursor', message: `is not a cursor returned by this API for sort=${sort}` },
  ]);
}

function cursorAfter(row: QueueRow, sort: QueueSort): Cursor {
  if (sort === 'triage') return { sort, key: { rank: Number(row.triage_rank), id: row.id } };
  if (sort === 'received') return { sort, key: { receivedAt: row.received_at, id: row.id } };
  return row.next_due_at !== null
    ? { sort, key: { run: 'due', due: row.next_due_at, id: row.id } }
    : { sort, key: { run: 'rest', receivedAt: row.received_at, id: row.id } };
}

export async function listQueue(
  db: Db,
  q: {
    programs: Program[];
    filter: Omit<QueueFilter, 'programIds'>;
    sort: QueueSort;
    cursor?: string;
    limit: number;
    calendars: CalendarCache;
    now: Date;
    regulatoryDue?: (reportIds: string[]) => Promise<Map<string, string>>;
  },
): Promise<QueuePage> {
  const filter: QueueFilter = { ...q.filter, programIds: q.programs.map((p) => p.id) };
  const after = q.cursor ? decodeQueueCursor(q.cursor, q.sort) : undefined;
  if (q.sort === 'triage' && filter.states?.some((s) => s !== 'received'))
    throw new ValidationError([
      {
        path: 'state',
        message:
          'sort=triage lists the cases in state "received" only: leave out state, or ask for state=received',
      },
    ]);
  // One row more than the page tells whether another page follows.
  const rows =
    q.sort === 'triage'
      ? await listQueueByTriage(db.kysely, filter, after?.key as TriageKey | undefined, q.limit + 1)
      : q.sort === 'received'
        ? await listQueueByReceived(db.kysely, filter, after?.key as ReceivedKey | undefined, q.limit + 1)
        : await listQueueByDeadline(db.kysely, filter, after?.key as DeadlineKey | undefined, q.limit + 1);
  const byId = new Map(q.programs.map((p) => [p.id, p]));
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  // Two independent reads: on PostgreSQL they take two pooled connections at once rather than
  // two round trips one after the other.
  const ids = page.map((r) => r.id);
  const [regulatory, signals] = await Promise.all([
    q.regulatoryDue ? q.regulatoryDue(ids) : new Map<string, string>(),
    signalsFor(db.kysely, ids),
  ]);
  return {
    items: page.map((r) => ({
      ...queueItem(r, byId.get(r.program_id) as Program, q.calendars, q.now),
      regulatoryDueAt: regulatory.get(r.id) ?? null,
      signals: signals.get(r.id) ?? null,
    })),
    nextCursor: rows.length > q.limit && last ? encodeQueueCursor(cursorAfter(last, q.sort)) : null,
  };
}

function queueItem(
  r: QueueRow,
  program: Program,
  calendars: CalendarCache,
  now: Date,
): Omit<QueueItem, 'regulatoryDueAt' | 'signals'> {
  const deadlines = JSON.parse(r.deadlines) as Record<string, string>;
  return {
    caseNumber: r.case_number,
    program: program.slug,
    state: r.state,
    channel: r.channel,
    receivedAt: r.received_at,
    acknowledgeBy: r.acknowledge_by,
    deadlines,
    severity: r.severity,
    product: r.product_id,
    assignee:
      r.assignee_id !== null
        ? { id: r.assignee_id, name: r.assignee_name ?? '', email: r.assignee_email ?? '' }
        : null,
    nextDueAt: r.next_due_at,
    clocks: caseClocks({ ...r, deadlines }, calendars.forProgram(program), now),
    phi: Number(r.phi_flag) === 1,
    phiClaim: Number(r.phi_claim) === 1,
    urgent: r.urgent,
  };
}
