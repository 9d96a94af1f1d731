import { type CompiledQuery, type Kysely, sql } from 'kysely';
import { type Database, isPostgres } from '../db/index.js';

/**
 * SQL for the staff queue (see queue.ts for the orders it serves).
 *
 * Every page is a handful of index range scans, whatever the filters and however deep the cursor:
 *
 * - One filter column (or two) *drives* the page. For each combination of its values the page
 *   reads one index of (driving columns, order key, id) from the cursor onwards, with a limit, and
 *   those short runs are merged (`union all`, then ordered and limited again). A list filter such
 *   as `state in (a, b, c)` thus becomes three ordered scans instead of one scan that must sort.
 * - The other filters are checked on the rows those scans pass (`residual`), so the planner does
 *   not trade the ordered scan for a filter column's index and a sort of everything matching.
 * - The deadline order has two runs, each its own scans: cases with a running clock by
 *   (next_due_at, id), from partial indexes `where next_due_at is not null`; then the rest newest
 *   first, from indexes led by `clock_running` = 0. Newest-first reads both halves of those
 *   indexes (`clock_running` 1 and 0) and merges them.
 * - Each branch also orders by its driving columns. They are constant inside a branch, so the
 *   order is the same, and only an index led by them delivers it without a sort. That matters on
 *   PostgreSQL, which assumes a filter's matches are spread evenly along any index: for
 *   `state=closed` it preferred walking the unfiltered (clock_running, received_at, id) index,
 *   which on real data passes every young case first (30 000 rows read for a page at 100 000
 *   cases), because the rows lie in the same order on disk. So there the first driving column is
 *   compared with `= any(array[value])`: equal in meaning, but unlike `=` (or `is null`) not taken
 *   as a constant that drops out of the order, so the unfiltered index would need a sort.
 *
 * Migration `2026-12-07T1500-queue-filter-indexes` holds the indexes; `QUEUE_DRIVERS` below must
 * name only column lists it indexes (test/queue-store.test.ts reads the plans to prove it).
 */

/** What a queue row carries: clear columns only (never the sealed ones), plus the assignee. */
export interface QueueRow {
  id: string;
  program_id: string;
  case_number: string;
  state: string;
  channel: string;
  received_at: string;
  deadlines: string;
  acknowledge_by: string;
  acknowledged_at: string | null;
  verified_at: string | null;
  summary_sent_at: string | null;
  closed_at: string | null;
  severity: string | null;
  product_id: string | null;
  next_due_at: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  assignee_email: string | null;
  phi_flag: number;
  phi_claim: number;
  urgent: string | null;
  /** The triage score of the quality signals (0–100), -1 without signals: the lane's order key. */
  triage_rank: number;
  triage_outcome: string | null;
}

export interface QueueFilter {
  programIds: string[];
  states?: string[];
  /** A user id, or `none` for unassigned cases. */
  assignee?: { userId: string } | 'none';
  severities?: string[];
  productId?: string;
}

/**
 * Where the deadline order stopped. It has two runs: cases with a running clock by
 * (next_due_at, id) ascending, then the rest (closed, or every clock stopped) newest first by
 * (received_at, id).
 */
export type DeadlineKey =
  | { run: 'due'; due: string; id: string }
  | { run: 'rest'; receivedAt: string; id: string };
export type ReceivedKey = { receivedAt: string; id: string };
/** Where the triage lane stopped: (triage_rank, id), both descending. */
export type TriageKey = { rank: number; id: string };

type FilterColumn = 'program_id' | 'state' | 'severity' | 'assignee_id' | 'product_id';

/**
 * The column lists that can drive a page, best first; the first whose columns are all filtered
 * (and whose value combinations stay within `MAX_BRANCHES`) wins. State leads because it decides
 * which run a case is in (a `received` case always has a clock running): driving by another
 * column, the rest run of `state=received` would read every row of that column's value to find
 * none. The others are near enough independent of the order that checking them row by row reads
 * about a page divided by their selectivity.
 */
const QUEUE_DRIVERS: readonly (readonly FilterColumn[])[] = [
  ['state', 'program_id'],
  ['state'],
  ['product_id'],
  ['assignee_id'],
  ['severity'],
  ['program_id'],
  [],
];

/**
 * At most this many ordered scans per run. More combinations than this drive by fewer columns and
 * check the rest row by row.
 */
const MAX_BRANCHES = 12;

/**
 * Programs drive a page only when the caller reads at most this many. A caller who sees more (an
 * instance admin sees every program) passes most cases through that filter anyway, and one scan
 * of the whole order beats a scan per program.
 */
const MAX_DRIVING_PROGRAMS = 4;

/**
 * A filter checked on each row the driving scan reads, never through an index of its own.
 * SQLite, without statistics, would otherwise take, say, the assignee index and sort everything
 * unassigned; there the column is hidden behind `|| ''` (the value is kept, null stays null).
 * PostgreSQL needs the column's real selectivity to weigh the ordered scan's early stop (behind
 * an expression it guesses 0.5 % per value, and reads and sorts every match instead), yet given
 * the plain column it used `program_id = any(…20 ids)` as a condition on the (state, program_id)
 * index and sorted. `(condition) is true` has both: PostgreSQL estimates it as the condition and
 * cannot search an index with it.
 */
function residual(db: Kysely<Database>, column: string, values: (string | null)[]) {
  const present = values.filter((v): v is string => v !== null);
  if (isPostgres(db)) {
    const ref = sql.ref(column);
    return present.length < values.length
      ? sql<boolean>`((${ref} is null) is true)`
      : sql<boolean>`((${ref} = any(${sql.val(present)})) is true)`;
  }
  const hidden = sql`(${sql.ref(column)} || '')`;
  return present.length < values.length
    ? sql<boolean>`${hidden} is null`
    : sql<boolean>`${hidden} in (${sql.join(present)})`;
}

const COLUMNS = [
  'reports.id',
  'reports.program_id',
  'reports.case_number',
  'reports.state',
  'reports.channel',
  'reports.received_at',
  'reports.deadlines',
  'reports.acknowledge_by',
  'reports.acknowledged_at',
  'reports.verified_at',
  'reports.summary_sent_at',
  'reports.closed_at',
  'reports.severity',
  'reports.product_id',
  'reports.next_due_at',
  'reports.assignee_id',
  'reports.phi_flag',
  'reports.phi_claim',
  'reports.urgent',
  'reports.triage_rank',
  'reports.triage_outcome',
] as const;

/** Each filtered column with the values it allows (null: `is null`). */
function filterValues(f: QueueFilter): Map<FilterColumn, (string | null)[]> {
  const m = new Map<FilterColumn, (string | null)[]>();
  m.set('program_id', [...new Set(f.programIds)]);
  if (f.states && f.states.length > 0) m.set('state', [...new Set(f.states)]);
  if (f.severities && f.severities.length > 0) m.set('severity', [...new Set(f.severities)]);
  if (f.productId !== undefined) m.set('product_id', [f.productId]);
  if (f.assignee === 'none') m.set('assignee_id', [null]);
  else if (f.assignee) m.set('assignee_id', [f.assignee.userId]);
  return m;
}

/** Every combination of one value per column. */
function combinations(columns: readonly FilterColumn[], values: Map<FilterColumn, (string | null)[]>) {
  let out: (string | null)[][] = [[]];
  for (const c of columns) out = out.flatMap((prefix) => (values.get(c) ?? []).map((v) => [...prefix, v]));
  return out;
}

interface Plan {
  driver: readonly FilterColumn[];
  branches: (string | null)[][];
  values: Map<FilterColumn, (string | null)[]>;
}

/** Which columns drive the page for this filter (exported for the plan tests). */
export function queueDriver(f: QueueFilter, perBranchRuns = 1): readonly FilterColumn[] {
  return plan(f, perBranchRuns).driver;
}

function plan(f: QueueFilter, perBranchRuns: number): Plan {
  const values = filterValues(f);
  const drivable = (c: FilterColumn) =>
    values.has(c) && (c !== 'program_id' || f.programIds.length <= MAX_DRIVING_PROGRAMS);
  for (const driver of QUEUE_DRIVERS) {
    if (!driver.every(drivable)) continue;
    const branches = combinations(driver, values);
    if (branches.length * perBranchRuns <= MAX_BRANCHES || driver.length === 0)
      return { driver, branches, values };
  }
  throw new Error('unreachable: the empty driver always fits');
}

type Run =
  | { kind: 'due'; after?: { due: string; id: string } }
  | { kind: 'rest'; running: 0 | 1; after?: ReceivedKey };

function branchQuery(db: Kysely<Database>, p: Plan, branch: (string | null)[], run: Run, limit: number) {
  let q = db.selectFrom('reports').select(COLUMNS);
  p.driver.forEach((column, i) => {
    const v = branch[i] ?? null;
    const ref = `reports.${column}` as const;
    if (v === null) q = q.where(ref, 'is', null);
    else if (i === 0 && isPostgres(db)) q = q.where(sql<boolean>`${sql.ref(ref)} = any(${sql.val([v])})`);
    else q = q.where(ref, '=', v);
  });
  for (const [column, vs] of p.values) {
    if (p.driver.includes(column)) continue;
    q = q.where(residual(db, `reports.${column}`, vs));
  }
  const dir = run.kind === 'due' ? 'asc' : 'desc';
  for (const column of p.driver) q = q.orderBy(`reports.${column}`, dir);
  if (run.kind === 'due') {
    q = q.where('reports.next_due_at', 'is not', null);
    const after = run.after;
    if (after)
      q = q.where((eb) =>
        eb(eb.refTuple('reports.next_due_at', 'reports.id'), '>', eb.tuple(after.due, after.id)),
      );
    q = q.orderBy('reports.next_due_at').orderBy('reports.id');
  } else {
    q = q.where('reports.clock_running', '=', run.running);
    const after = run.after;
    if (after)
      q = q.where((eb) =>
        eb(eb.refTuple('reports.received_at', 'reports.id'), '<', eb.tuple(after.receivedAt, after.id)),
      );
    q = q
      .orderBy('reports.clock_running', 'desc')
      .orderBy('reports.received_at', 'desc')
      .orderBy('reports.id', 'desc');
  }
  return q.limit(limit);
}

/**
 * One page of one order: the branches' scans merged, with the assignee joined on the merged page
 * only.
 */
function pageQuery(db: Kysely<Database>, f: QueueFilter, runs: Run[], limit: number) {
  const p = plan(f, runs.length);
  const parts = p.branches.flatMap((b) => runs.map((r) => branchQuery(db, p, b, r, limit)));
  const [first, ...rest] = parts.map((part, i) => db.selectFrom(part.as(`b${i}`)).selectAll());
  if (!first) throw new Error('unreachable: a plan has at least one branch');
  const merged = rest.reduce((u, part) => u.unionAll(part), first);
  let q = db
    .selectFrom(merged.as('q'))
    .leftJoin('users', 'users.id', 'q.assignee_id')
    .selectAll('q')
    .select(['users.name as assignee_name', 'users.email as assignee_email']);
  q =
    runs[0]?.kind === 'due'
      ? q.orderBy('q.next_due_at').orderBy('q.id')
      : q.orderBy('q.received_at', 'desc').orderBy('q.id', 'desc');
  return q.limit(limit);
}

function deadlineQueries(
  db: Kysely<Database>,
  f: QueueFilter,
  after: DeadlineKey | undefined,
  limit: number,
) {
  const due =
    after === undefined || after.run === 'due'
      ? pageQuery(db, f, [{ kind: 'due', after: after && { due: after.due, id: after.id } }], limit)
      : undefined;
  const restAfter = after?.run === 'rest' ? { receivedAt: after.receivedAt, id: after.id } : undefined;
  const rest = (n: number) => pageQuery(db, f, [{ kind: 'rest', running: 0, after: restAfter }], n);
  return { due, rest };
}

function receivedQuery(db: Kysely<Database>, f: QueueFilter, after: ReceivedKey | undefined, limit: number) {
  return pageQuery(
    db,
    f,
    [
      { kind: 'rest', running: 1, after },
      { kind: 'rest', running: 0, after },
    ],
    limit,
  );
}

/** Nearest running deadline first (overdue ones lead), then the cases with no clock running. */
export async function listQueueByDeadline(
  db: Kysely<Database>,
  f: QueueFilter,
  after: DeadlineKey | undefined,
  limit: number,
): Promise<QueueRow[]> {
  if (f.programIds.length === 0) return [];
  const q = deadlineQueries(db, f, after, limit);
  const rows: QueueRow[] = q.due ? await q.due.execute() : [];
  if (rows.length >= limit) return rows;
  rows.push(...(await q.rest(limit - rows.length).execute()));
  return rows;
}

/** Newest first by receipt. */
export async function listQueueByReceived(
  db: Kysely<Database>,
  f: QueueFilter,
  after: ReceivedKey | undefined,
  limit: number,
): Promise<QueueRow[]> {
  if (f.programIds.length === 0) return [];
  return receivedQuery(db, f, after, limit).execute();
}

/**
 * The statements a page would run (the deadline order's second run included even when the first
 * fills the page), compiled, for reading their plans.
 */
export function compileQueueQueries(
  db: Kysely<Database>,
  f: QueueFilter,
  order: { sort: 'deadline'; after?: DeadlineKey } | { sort: 'received'; after?: ReceivedKey },
  limit: number,
): CompiledQuery[] {
  if (order.sort === 'received') return [receivedQuery(db, f, order.after, limit).compile()];
  const q = deadlineQueries(db, f, order.after, limit);
  return [...(q.due ? [q.due.compile()] : []), q.rest(limit).compile()];
}

/**
 * The "needs triage" lane: cases in state `received` only, best triage score first, then newest
 * id. It reads the partial indexes of migration `2026-12-07T1810-quality-signals`
 * (`where state = 'received'`, so they hold untriaged cases only): one backward scan of
 * (program_id, triage_rank, id) per program when the caller reads at most
 * `MAX_DRIVING_PROGRAMS`, merged; else one of (state, triage_rank, id) with the programs checked
 * row by row. The state is written as a literal so both planners match the indexes' predicate;
 * the other filters are residual, as elsewhere.
 */
function triageQuery(db: Kysely<Database>, f: QueueFilter, after: TriageKey | undefined, limit: number) {
  const programs = [...new Set(f.programIds)];
  const values = filterValues(f);
  const branches: (string | null)[] = programs.length <= MAX_DRIVING_PROGRAMS ? programs : [null];
  const parts = branches.map((programId) => {
    let q = db.selectFrom('reports').select(COLUMNS).where(sql<boolean>`reports.state = 'received'`);
    q =
      programId !== null
        ? q.where('reports.program_id', '=', programId)
        : q.where(residual(db, 'reports.program_id', programs));
    for (const [column, vs] of values) {
      if (column === 'program_id' || column === 'state') continue;
      q = q.where(residual(db, `reports.${column}`, vs));
    }
    if (after)
      q = q.where((eb) =>
        eb(eb.refTuple('reports.triage_rank', 'reports.id'), '<', eb.tuple(after.rank, after.id)),
      );
    return db.selectFrom(
      q.orderBy('reports.triage_rank', 'desc').orderBy('reports.id', 'desc').limit(limit).as('b'),
    );
  });
  const [first, ...rest] = parts.map((part) => part.selectAll());
  if (!first) throw new Error('unreachable: at least one branch');
  const merged = rest.reduce((u, part) => u.unionAll(part), first);
  return db
    .selectFrom(merged.as('q'))
    .leftJoin('users', 'users.id', 'q.assignee_id')
    .selectAll('q')
    .select(['users.name as assignee_name', 'users.email as assignee_email'])
    .orderBy('q.triage_rank', 'desc')
    .orderBy('q.id', 'desc')
    .limit(limit);
}

/** Received cases, best triage score first (the "needs triage" lane). */
export async function listQueueByTriage(
  db: Kysely<Database>,
  f: QueueFilter,
  after: TriageKey | undefined,
  limit: number,
): Promise<QueueRow[]> {
  if (f.programIds.length === 0) return [];
  return triageQuery(db, f, after, limit).execute();
}

/** The triage lane's statement, compiled, for reading its plan. */
export function compileTriageQuery(
  db: Kysely<Database>,
  f: QueueFilter,
  after: TriageKey | undefined,
  limit: number,
): CompiledQuery {
  return triageQuery(db, f, after, limit).compile();
}
