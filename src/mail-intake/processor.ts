import type * as openpgp from 'openpgp';
import type { ReporterService } from '../cases/index.js';
import type { Limits } from '../config/index.js';
import { streamOf } from '../core/index.js';
import { type CreditConsentService, parseCreditCommand } from '../credit-consent/index.js';
import type { Sealer } from '../crypto/index.js';
import type { Db } from '../db/index.js';
import { type IntakeService, MESSAGE_LIMITS } from '../intake/index.js';
import { matchProgramAddress, type ProgramAddress } from '../mail/index.js';
import { decryptBudgetFor, type KeyService } from '../openpgp/index.js';
import { heldPartsOf, partKey } from '../privacy-quarantine/index.js';
import type { Program, ProgramService } from '../programs/index.js';
import {
  findReportByNumber,
  findReportByReplyTokenHash,
  type IncomingFile,
  sanitizeFilename,
} from '../reports/index.js';
import {
  findInboundMessage,
  inboundMessageKey,
  inboundMessageKeyOfDigest,
  recordInboundMessage,
} from './inbound-store.js';
import { type MailHeader, readMailHeader } from './mail-header.js';
import type { MailSpool, SpooledFile } from './mail-spool.js';
import { bodyWithNotes, intakeMetaOf, signatureOf, withinLimits, withSpill } from './mail-summary.js';
import { clip, oneLine } from './mail-text.js';
import {
  autocryptKeys,
  type DecryptFailure,
  type Extraction,
  type ExtractOptions,
  extract,
  extractMail,
  type FoundFile,
  LARGE_ENTITY_BYTES,
  senderKeyFor,
} from './pgp-extract.js';
import { type SpillLookup, streamMail } from './stream-extract.js';
import { type ReporterSignature, replyTokensFor, type ThreadLookup, threadOf } from './threading.js';

/**
 * Turns one received mail into a new case or a reporter message on an existing one. Called by the
 * SMTP listener and the IMAP poller alike, with the raw bytes as received.
 *
 * The steps, each in its own file: read the outer header (`mail-header.ts`), open the OpenPGP and
 * MIME layers (`pgp-extract.ts`), summarise what was found (`mail-summary.ts`), decide whether it
 * answers a case (`threading.ts`); this file picks the program and stores the result through the
 * intake and reporter services.
 *
 * A mail is taken once: its key (a hash of its Message-ID and bytes, `inbound-store.ts`) is recorded
 * in the transaction that makes its case, and a second delivery of the same mail is answered with
 * that case (`again`) without storing anything, so the transport acknowledges or marks it.
 *
 * Content problems never refuse a mail: one that cannot be decrypted, is damaged or nests too
 * deeply still becomes a case, flagged in `intake_meta`, with the original stored (sealed at rest
 * like every blob). Only a mail for no program, or a failure to store it, is an error — and then
 * nothing was kept, so the transport must not acknowledge it.
 *
 * A mail the SMTP listener spooled is opened from its file: a large one in one pass that keeps only
 * its skeleton in memory and its large parts in spool files (`stream-extract.ts`), unless its
 * payload is of a kind read whole. The original is still handed to the intake as one buffer (its
 * `original` is a Buffer), so that much of it is held while the case is stored.
 *
 * A large mail is opened only within the instance's decryption memory budget
 * (`src/openpgp/decrypt-budget.ts`): decrypting and parsing it in memory holds several copies of
 * it until it is stored. When the budget stays spent past its wait, `process` rejects with
 * `DecryptBudgetBusyError` before anything is read or kept; the transport answers "try again later".
 */

export interface InboundMail {
  /** The message exactly as received (header and body), held in memory (IMAP)… */
  raw?: Buffer;
  /**
   * …or spooled to disk as it was received (SMTP): read from there, never held whole unless it
   * must be. The transport removes the file once `process` settles.
   */
  spooled?: SpooledFile;
  /** The SMTP envelope sender (`''` for the null reverse-path of a bounce). */
  mailFrom: string;
  /**
   * The envelope recipients; the first that belongs to a program picks it. A reply token counts in
   * any of them (or in the recipient headers), not only in the first.
   */
  rcptTo: string[];
  /** The spool `spooled` is in: the files taken out of the mail as it is opened go there too. */
  spool?: MailSpool;
  /** For a transport that already knows the program (an IMAP mailbox dedicated to one). */
  programSlug?: string;
  /**
   * The transport already holds a decryption budget reservation covering `raw` (the SMTP listener
   * takes one before buffering a large mail) and releases it once `process` settles.
   */
  budgetReserved?: boolean;
}

export interface InboundResult {
  kind: 'case' | 'reply';
  caseNumber: string;
  /** The same mail was taken before: this is what it made then, and nothing new was stored. */
  again?: true;
}

/** The mail is for no program here; a transport answers it like an unknown recipient. */
export class UnknownRecipientError extends Error {
  constructor() {
    super('the mail is not addressed to any program of this instance');
    this.name = 'UnknownRecipientError';
  }
}

export type { DecryptFailure };

export interface InboundProcessorDeps {
  intake: Pick<IntakeService, 'submitMessageReport'>;
  reporter: Pick<ReporterService, 'addReporterMessageFromEmail'>;
  /** Records a credit answer (`Credit: yes, as …`) from a reply that proves it is the reporter's. */
  creditConsents?: Pick<CreditConsentService, 'fromMailReply'>;
  keys: Pick<KeyService, 'decryptionKeys' | 'publishedKey'>;
  programs: Pick<ProgramService, 'list'>;
  db: Db;
  sealer: Sealer;
  limits: Limits;
  /** MIME and encryption layers opened at most (default 8). */
  maxDepth?: number;
}

/**
 * Deep enough for what mail clients build (encrypted → signed → mixed → alternative → related is
 * five), shallow enough that a crafted message cannot make the walk expensive.
 */
const DEFAULT_MAX_DEPTH = 8;
/** A reporter message (reply) is shown in full up to this many characters, like the private page's. */
const MAX_REPLY_CHARS = 65_536;

/**
 * The program a mail is for: the first envelope recipient that is a program address; with
 * `programSlug` (a mailbox dedicated to one program) that program, at the address the mail named
 * if it named one of its own (a reply token lives there), else at its first address.
 */
export function pickProgram(programs: Program[], mail: InboundMail): ProgramAddress | undefined {
  const matches = mail.rcptTo.flatMap((r) => matchProgramAddress(programs, r) ?? []);
  if (mail.programSlug === undefined) return matches[0];
  const program = programs.find((p) => p.slug === mail.programSlug);
  if (!program) return undefined;
  return (
    matches.find((m) => m.program.id === program.id) ?? {
      program,
      address: program.definition.intake.emailAddresses[0] ?? '',
    }
  );
}

/**
 * How the mail's signature stands against one key, by reading the mail again with that key alone;
 * undefined when the mail is not signed. A signature by another key id is `no` without a second
 * read, so a signed mail costs at most one more pass per key among the cases it names.
 */
function signatureCheck(
  raw: Buffer,
  ex: Pick<Extraction, 'signature'>,
  decryptionKeys: openpgp.PrivateKey[],
  options: ExtractOptions,
): ((key: openpgp.PublicKey) => Promise<ReporterSignature>) | undefined {
  const sig = ex.signature;
  if (!sig || sig.status === 'none' || sig.keyId === '') return undefined;
  const verdicts = new Map<string, Promise<ReporterSignature>>();
  const check = async (key: openpgp.PublicKey): Promise<ReporterSignature> => {
    if (!key.getKeyIDs().some((id) => id.toHex().toUpperCase() === sig.keyId)) return 'no';
    const again = await extract(raw, decryptionKeys, [key], options);
    if (again.signature?.status !== 'valid') return 'no';
    return again.signatureCoversAll ? 'whole' : 'part';
  };
  // Cases of one reporter share a key: the mail is read again once per key, not once per case.
  return (key) => {
    const fingerprint = key.getFingerprint();
    const known = verdicts.get(fingerprint) ?? check(key);
    verdicts.set(fingerprint, known);
    return known;
  };
}

const asIncoming = (f: FoundFile): IncomingFile => ({
  stream: 'file' in f ? f.file.stream() : streamOf(f.data),
  filename: sanitizeFilename(f.name),
  contentType: f.contentType,
});

/**
 * What a mail is read from: the mail itself, or the skeleton a streamed mail left in memory with
 * what its tokens stand for; and its original bytes, read when they are stored.
 */
interface MailSource {
  view: Buffer;
  spilled?: SpillLookup;
  original(): Promise<Buffer>;
}

/** The header block at the start of `head` (up to its blank line), or undefined if it runs past it. */
function headerWithin(head: Buffer): Buffer | undefined {
  const lf = head.indexOf('\n\n');
  const crlf = head.indexOf('\n\r\n');
  const ends = [lf < 0 ? -1 : lf + 2, crlf < 0 ? -1 : crlf + 3].filter((n) => n >= 0);
  return ends.length > 0 ? head.subarray(0, Math.min(...ends)) : undefined;
}

export function createInboundProcessor(deps: InboundProcessorDeps) {
  const { limits } = deps;
  const maxDepth = deps.maxDepth ?? DEFAULT_MAX_DEPTH;
  const k = deps.db.kysely;
  const lookup: ThreadLookup = {
    byReplyTokenHash: (hash) => findReportByReplyTokenHash(k, hash),
    byCaseNumber: (caseNumber) => findReportByNumber(k, caseNumber),
  };

  /**
   * Read, thread and store one mail for its program (within the budget `process` reserved), and
   * record its key with what it made, in the same transaction as the case or the reply.
   */
  async function openMail(
    source: MailSource,
    mail: InboundMail,
    target: ProgramAddress,
    head: MailHeader,
    mailKey: string,
  ): Promise<InboundResult> {
    const { program } = target;
    const { fromAddress } = head;
    const decryptionKeys = await deps.keys.decryptionKeys(program.id);
    const announced = await autocryptKeys(head.autocrypt, fromAddress);
    const options = { limits, maxDepth, ...(source.spilled ? { spilled: source.spilled } : {}) };
    const { extraction: ex, senderKeys } = await extractMail(
      source.view,
      { decryptionKeys, announced },
      options,
    );

    const thread = await threadOf(
      {
        lookup,
        sealer: deps.sealer,
        signedBy: signatureCheck(source.view, ex, decryptionKeys, options),
      },
      program,
      {
        replyTokens: replyTokensFor(program, [...mail.rcptTo, ...head.recipients]),
        subjects: [head.subject ?? '', ex.innerSubject ?? ''],
        sender: fromAddress,
      },
    );
    const claimed = thread.kind === 'new' ? thread.claimed : undefined;

    const subject = oneLine(ex.innerSubject ?? head.subject ?? '', MESSAGE_LIMITS.subjectChars);
    const { kept, dropped } = withinLimits(ex.files, limits);
    const body = bodyWithNotes(ex, maxDepth, dropped, claimed);
    const senderKey = senderKeyFor(senderKeys, fromAddress);
    const intakeMeta = intakeMetaOf(ex, {
      stored: kept.length,
      dropped,
      messageId: head.messageId,
      senderKey,
      signature: signatureOf(ex, thread.kind === 'reply' ? thread.reporterKey : undefined),
      claimed,
    });

    if (thread.kind === 'reply') {
      const shown = clip(body, Number.POSITIVE_INFINITY, MAX_REPLY_CHARS);
      const files = withinLimits(withSpill(body, shown, kept), limits).kept;
      const r = await deps.reporter.addReporterMessageFromEmail(thread.caseNumber, {
        body: shown,
        files: files.map(asIncoming),
        original: await source.original(),
        intakeMeta,
        inTransaction: (trx, made) =>
          recordInboundMessage(trx, { key: mailKey, reportId: made.reportId, kind: 'reply', at: made.at }),
      });
      // A credit answer counts only from a reply that carries our token: a From header proves
      // nothing, and a signed mail could be an old one sent again under this case's number.
      // Nor from a reply the PHI guard holds: its words would reach the credit unreviewed.
      const credit = parseCreditCommand(body);
      if (credit && thread.proof === 'token' && deps.creditConsents && !(await messageHeld(r)))
        await deps.creditConsents.fromMailReply(r.caseNumber, credit);
      return { kind: 'reply', caseNumber: r.caseNumber };
    }

    const shown = clip(body, limits.maxFieldBytes);
    const files = withinLimits(withSpill(body, shown, kept), limits).kept;
    const published = ex.failure ? await deps.keys.publishedKey(program.id) : undefined;
    const receipt = await deps.intake.submitMessageReport(program.slug, {
      subject,
      message: shown,
      from: { email: fromAddress, ...(head.fromName ? { name: head.fromName } : {}) },
      ...(senderKey ? { publicKey: senderKey.armor() } : {}),
      files: files.map(asIncoming),
      original: await source.original(),
      intakeMeta,
      channel: 'email',
      address: target.address,
      receipt: {
        send: !head.automatic && mail.mailFrom !== '',
        ...(ex.failure
          ? { notice: 'undecryptable' as const, fingerprint: published?.fingerprint }
          : ex.fileFailures.length > 0
            ? { notice: 'attachments-undecryptable' as const }
            : {}),
      },
      language: program.definition.intake.preferredLanguage,
      inTransaction: (trx, made) =>
        recordInboundMessage(trx, { key: mailKey, reportId: made.reportId, kind: 'case', at: made.at }),
    });
    return { kind: 'case', caseNumber: receipt.caseNumber };
  }

  async function messageHeld(r: { caseNumber: string; messageId: string }): Promise<boolean> {
    const row = await findReportByNumber(k, r.caseNumber);
    if (!row) return true;
    return (await heldPartsOf(k, [row.id])).get(row.id)?.has(partKey('message', r.messageId)) ?? false;
  }

  return {
    async process(mail: InboundMail): Promise<InboundResult> {
      const programs = await deps.programs.list();
      const target = pickProgram(programs, mail);
      if (!target) throw new UnknownRecipientError();
      const { raw, spooled } = mail;
      if (!raw && !spooled) throw new TypeError('an inbound mail needs its bytes, in memory or spooled');
      // A spooled mail's header is read from the bytes kept at hand, unless it is longer than those.
      const headerBytes =
        raw ?? (spooled && headerWithin(spooled.head)) ?? (await (spooled as SpooledFile).read());
      const head = await readMailHeader(headerBytes, mail.mailFrom);
      // A mail taken before (a poll after a crash, a relay retrying after a lost 250) is answered
      // with what it made, and nothing is stored again.
      const mailKey = raw
        ? inboundMessageKey(raw, head.messageId)
        : inboundMessageKeyOfDigest((spooled as SpooledFile).sha256, head.messageId);
      const known = await findInboundMessage(k, mailKey);
      if (known) return { kind: known.kind, caseNumber: known.caseNumber, again: true };
      const size = raw?.length ?? (spooled as SpooledFile).size;
      const open = async (): Promise<InboundResult> => {
        if (spooled && mail.spool && spooled.size >= LARGE_ENTITY_BYTES) {
          // A large mail is opened from its file in one pass (`stream-extract.ts`).
          const streamed = await streamMail(spooled, mail.spool, {
            decryptionKeys: await deps.keys.decryptionKeys(target.program.id),
            maxBytes: Math.min(limits.maxFileBytes, limits.maxReportBytes),
            spillFrom: LARGE_ENTITY_BYTES,
          });
          if (streamed) {
            try {
              const source = {
                view: streamed.skeleton,
                spilled: streamed.spilled,
                original: () => spooled.read(),
              };
              return await openMail(source, mail, target, head, mailKey);
            } finally {
              await streamed.remove();
            }
          }
        }
        const whole = raw ?? (await (spooled as SpooledFile).read());
        return openMail({ view: whole, original: async () => whole }, mail, target, head, mailKey);
      };
      // Held until the case is stored: the extraction's decrypted parts and files live until then.
      if (mail.budgetReserved) return open();
      return decryptBudgetFor(limits).run(size, open);
    },
  };
}

export type InboundProcessor = ReturnType<typeof createInboundProcessor>;
