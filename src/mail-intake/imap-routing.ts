import type { ImapFlow } from 'imapflow';
import { matchProgramAddress } from '../mail/index.js';
import type { Program } from '../programs/index.js';

/**
 * The IMAP poller's decisions, as pure functions over what the mailbox said: which program a
 * message is for (rebuilt from its headers, since a mailbox keeps no envelope), whether to take a
 * message on this poll, how a message is marked once processed or set aside, and what a failure
 * leads to. `imap-poller.ts` does the IMAP round trips; everything it decides is decided here.
 */

export const PROCESSED_KEYWORD = '$VigilProcessed';
export const FAILED_KEYWORD = '$VigilFailed';
export const PROCESSING_KEYWORD = '$VigilProcessing';

/** Where processed mail goes in move mode when the URL names no folder. */
export const DEFAULT_PROCESSED_FOLDER = 'Vigil-Processed';

/** Which addresses belong to a program, and where mail goes that names none of them. */
export interface ImapRouting {
  /** True for a program address, sub-addresses (`psirt+r-<token>@…`) included. */
  isProgramAddress(address: string): boolean;
  /** `VIGIL_IMAP_PROGRAM`'s first intake address, for mail whose headers name no program address. */
  fallback?: string;
}

/** An error whose code alone says what went wrong, so `describeError` logs it and nothing else. */
export function codedError(code: string): Error {
  return Object.assign(new Error(code), { code });
}

/**
 * Routing from the program definitions: any program address or sub-address, and for mail naming
 * none, the first intake address of `fallbackSlug` (`VIGIL_IMAP_PROGRAM`). A fallback program that
 * is missing or has no address throws (`imap_program_unknown`, `imap_program_has_no_email_address`),
 * so the misconfiguration shows in the log instead of mail piling up as "no program".
 */
export function routingFor(programs: Program[], fallbackSlug?: string): ImapRouting {
  let fallback: string | undefined;
  if (fallbackSlug !== undefined) {
    const program = programs.find((p) => p.slug === fallbackSlug);
    if (!program) throw codedError('imap_program_unknown');
    fallback = program.definition.intake.emailAddresses[0];
    if (fallback === undefined) throw codedError('imap_program_has_no_email_address');
  }
  return { isProgramAddress: (a) => matchProgramAddress(programs, a) !== undefined, fallback };
}

/** Header fields read for routing: the delivery traces first, then the visible recipients. */
export const ROUTING_HEADERS = [
  'delivered-to',
  'x-original-to',
  'envelope-to',
  'to',
  'cc',
  'return-path',
  'from',
];
/** The fields that can name a recipient (the first five of `ROUTING_HEADERS`). */
const RECIPIENT_HEADERS = ROUTING_HEADERS.slice(0, 5);

/** Header fields by lower-case name, unfolded, from a raw header block. */
export function headerFields(raw: Buffer): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  const text = raw.toString('latin1').replace(/\r?\n[ \t]+/g, ' ');
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    fields.set(name, [...(fields.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return fields;
}

const ADDRESS = /[^\s<>,;:"()[\]\\]+@[^\s<>,;:"()[\]\\]+/g;

/**
 * Every address the recipient fields name (delivery traces, To, Cc), in header order, each once
 * (case-insensitively). Addresses in display names are included: callers only keep program
 * addresses, and a sender can name those in To: anyway.
 */
export function recipientsIn(headers: Map<string, string[]>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of RECIPIENT_HEADERS) {
    for (const value of headers.get(name) ?? []) {
      for (const address of value.match(ADDRESS) ?? []) {
        const key = address.toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(address);
      }
    }
  }
  return out;
}

/**
 * The envelope the mailbox lost, rebuilt from headers: recipients are the program addresses the
 * delivery traces, To and Cc name (sub-addresses kept, they carry reply tokens); when none does,
 * the routing's fallback. Addresses in display names can match too, which routes no further than a
 * sender could by writing To: themselves. The sender is Return-Path, else the From address.
 * Undefined when the message is for no program.
 */
export function envelopeFrom(
  headers: Map<string, string[]>,
  routing: ImapRouting,
): { mailFrom: string; rcptTo: string[] } | undefined {
  const rcptTo = recipientsIn(headers).filter((a) => routing.isProgramAddress(a));
  if (rcptTo.length === 0 && routing.fallback !== undefined) rcptTo.push(routing.fallback);
  if (rcptTo.length === 0) return undefined;
  const returnPath = headers.get('return-path')?.[0];
  const mailFrom =
    returnPath !== undefined
      ? (returnPath.match(ADDRESS)?.[0] ?? '')
      : (headers.get('from')?.[0]?.match(ADDRESS)?.[0] ?? '');
  return { mailFrom, rcptTo };
}

/**
 * Whether a message may be handed to the processor: it must name a program (or have the
 * fallback) and fit `maxBytes`. A refusal is a failure like any other: retried, then set aside.
 */
export function admit(
  message: { headers?: Buffer; size?: number },
  routing: ImapRouting,
  maxBytes: number,
):
  | { ok: true; envelope: { mailFrom: string; rcptTo: string[] } }
  | { ok: false; code: 'imap_no_program_address' | 'imap_message_too_large' } {
  const envelope = envelopeFrom(headerFields(message.headers ?? Buffer.alloc(0)), routing);
  if (envelope === undefined) return { ok: false, code: 'imap_no_program_address' };
  if ((message.size ?? 0) > maxBytes) return { ok: false, code: 'imap_message_too_large' };
  return { ok: true, envelope };
}

/**
 * Whether new keywords can be stored: `\*` in PERMANENTFLAGS, or all of ours already known to the
 * mailbox. imapflow drops flags the mailbox does not list without an error, so guessing wrong here
 * would leave processed mail unmarked.
 */
export function keywordsUsable(permanentFlags: ReadonlySet<string> | undefined): boolean {
  if (permanentFlags === undefined) return false;
  if (permanentFlags.has('\\*')) return true;
  return [PROCESSED_KEYWORD, FAILED_KEYWORD, PROCESSING_KEYWORD].every((k) => permanentFlags.has(k));
}

/** How messages are marked on this poll. */
export interface MarkingMode {
  /** Our keywords can be stored. */
  keywords: boolean;
  /** Move mode: processed mail goes to this folder. Undefined in keyword mode. */
  moveTo?: string;
  /** Where set-aside mail goes in move mode. */
  failedFolder: string;
}

/**
 * Keyword mode when the mailbox takes our keywords and the URL asks for no folder; otherwise move
 * mode, to the URL's folder or `Vigil-Processed`.
 */
export function markingMode(
  permanentFlags: ReadonlySet<string> | undefined,
  folders: { processedFolder?: string; failedFolder: string },
): MarkingMode {
  const keywords = keywordsUsable(permanentFlags);
  return {
    keywords,
    moveTo: folders.processedFolder ?? (keywords ? undefined : DEFAULT_PROCESSED_FOLDER),
    failedFolder: folders.failedFolder,
  };
}

/** One IMAP step on a message, in order. */
export type MarkStep = { op: 'add' | 'remove'; flags: string[] } | { op: 'move'; folder: string };

/**
 * Marking a processed message: `\Seen` and `$VigilProcessed` (where keywords work), then the move
 * in move mode, or the claim taken off in keyword mode. The keyword comes first so a failed move
 * is finished on the next poll (`leftoverMoves`).
 */
export function processedSteps(mode: MarkingMode): MarkStep[] {
  const steps: MarkStep[] = [
    { op: 'add', flags: mode.keywords ? ['\\Seen', PROCESSED_KEYWORD] : ['\\Seen'] },
  ];
  if (mode.moveTo !== undefined) steps.push({ op: 'move', folder: mode.moveTo });
  else if (mode.keywords) steps.push({ op: 'remove', flags: [PROCESSING_KEYWORD] });
  return steps;
}

/** Setting a message aside for a person: `$VigilFailed` left unread, or moved to the failed folder. */
export function failedSteps(mode: MarkingMode): MarkStep[] {
  if (mode.moveTo === undefined) {
    return [
      { op: 'add', flags: [FAILED_KEYWORD] },
      { op: 'remove', flags: [PROCESSING_KEYWORD] },
    ];
  }
  return [
    ...(mode.keywords ? [{ op: 'add' as const, flags: [FAILED_KEYWORD] }] : []),
    { op: 'move', folder: mode.failedFolder },
  ];
}

/** Claiming a message just before it is handed over, so an interrupted one can be recognised. */
export function claimSteps(mode: MarkingMode): MarkStep[] {
  return mode.keywords ? [{ op: 'add', flags: [PROCESSING_KEYWORD] }] : [];
}

/** Leaving a failed message untouched for the next try: the claim comes off, nothing else changes. */
export function releaseSteps(mode: MarkingMode): MarkStep[] {
  return mode.keywords ? [{ op: 'remove', flags: [PROCESSING_KEYWORD] }] : [];
}

/**
 * In move mode with keywords, messages still in the mailbox that carry a settling keyword are
 * where a move failed: each keyword says where to move them.
 */
export function leftoverMoves(mode: MarkingMode): { keyword: string; folder: string }[] {
  if (mode.moveTo === undefined || !mode.keywords) return [];
  return [
    { keyword: PROCESSED_KEYWORD, folder: mode.moveTo },
    { keyword: FAILED_KEYWORD, folder: mode.failedFolder },
  ];
}

/** The search for messages still to process: without our keywords where they work, else all. */
export function unprocessedQuery(mode: MarkingMode): Parameters<ImapFlow['search']>[0] {
  return mode.keywords
    ? { unKeyword: PROCESSED_KEYWORD, not: { keyword: FAILED_KEYWORD }, deleted: false }
    : { deleted: false };
}

/** A message settled by an earlier poll or a person: processed, or set aside. */
export function isSettled(flags: ReadonlySet<string> | undefined): boolean {
  return flags?.has(PROCESSED_KEYWORD) === true || flags?.has(FAILED_KEYWORD) === true;
}

/** A message claimed by a poll that did not finish: it may already be stored (a duplicate). */
export function wasInterrupted(flags: ReadonlySet<string> | undefined): boolean {
  return flags?.has(PROCESSING_KEYWORD) === true;
}

/** A message's identity across polls: a recreated mailbox (new UIDVALIDITY) reuses UIDs. */
export function messageKey(uidValidity: string, uid: number): string {
  return `${uidValidity}:${uid}`;
}

/**
 * What to do with a message committed by an earlier poll but left unmarked: mark it, or, when the
 * mailbox was recreated since, forget it (its UID now names another message).
 */
export function unmarkedAction(key: string, uidValidity: string): { action: 'mark' | 'forget'; uid: number } {
  const [validity, uid] = key.split(':');
  return { action: validity === uidValidity ? 'mark' : 'forget', uid: Number(uid) };
}

/** A message's failures so far. */
export interface Failure {
  attempts: number;
  nextAttemptAt: number;
}

/** Whether a message may be tried on this poll: never failed, or its retry pause is over. */
export function retryDue(failure: Failure | undefined, nowMs: number): boolean {
  return failure === undefined || failure.nextAttemptAt <= nowMs;
}

const RETRY_CAP_MS = 60 * 60_000;

/** The pause after the `attempts`-th failure: one poll interval, doubling, capped at an hour. */
export function retryDelayMs(attempts: number, pollMs: number): number {
  return Math.min(pollMs * 2 ** (attempts - 1), RETRY_CAP_MS);
}

export type FailureOutcome =
  /** The connection failed, not the message: end the poll; the message keeps its count. */
  | { action: 'abort' }
  /** Tried `maxAttempts` times: set it aside for a person and forget the count. */
  | { action: 'set-aside'; attempts: number }
  /** Leave it for a later poll. */
  | { action: 'retry'; failure: Failure };

/**
 * What a failed message leads to. Every failure counts the same — no program address, too large,
 * a processor error, a database outage — because the poller cannot tell a lasting one from a
 * passing one; `maxAttempts` bounds the retrying of a lasting one. The one exception is `busy`
 * (the decryption memory budget was spent by other mails): that says nothing about this message,
 * so it is left for the next poll without counting as an attempt.
 */
export function afterFailure(input: {
  connectionUsable: boolean;
  previous: Failure | undefined;
  maxAttempts: number;
  pollMs: number;
  nowMs: number;
  busy?: boolean;
}): FailureOutcome {
  if (!input.connectionUsable) return { action: 'abort' };
  if (input.busy) {
    const attempts = input.previous?.attempts ?? 0;
    return { action: 'retry', failure: { attempts, nextAttemptAt: input.nowMs + input.pollMs } };
  }
  const attempts = (input.previous?.attempts ?? 0) + 1;
  if (attempts >= input.maxAttempts) return { action: 'set-aside', attempts };
  return {
    action: 'retry',
    failure: { attempts, nextAttemptAt: input.nowMs + retryDelayMs(attempts, input.pollMs) },
  };
}
