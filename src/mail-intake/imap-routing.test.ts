import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Program, parseProgramYaml } from '../programs/index.js';
import {
  admit,
  afterFailure,
  claimSteps,
  DEFAULT_PROCESSED_FOLDER,
  envelopeFrom,
  FAILED_KEYWORD,
  failedSteps,
  headerFields,
  isSettled,
  keywordsUsable,
  leftoverMoves,
  type MarkingMode,
  markingMode,
  messageKey,
  PROCESSED_KEYWORD,
  PROCESSING_KEYWORD,
  processedSteps,
  releaseSteps,
  retryDelayMs,
  retryDue,
  routingFor,
  unmarkedAction,
  unprocessedQuery,
  wasInterrupted,
} from './imap-routing.js';

const definition = parseProgramYaml(
  readFileSync(new URL('../../examples/programs/medical-device-maker.yaml', import.meta.url), 'utf8'),
);
const program: Program = { id: 'p1', slug: 'northwind-medical', revision: 1, definition };
const silent: Program = {
  id: 'p2',
  slug: 'no-mail',
  revision: 1,
  definition: { ...definition, intake: { ...definition.intake, emailAddresses: [] } },
};
const PROGRAM = 'psirt@northwind-medical.example';
const TOKEN_ADDRESS = 'psirt+r-0123456789abcdef0123456789abcdef@northwind-medical.example';
const routing = routingFor([program, silent]);
const headers = (text: string) => headerFields(Buffer.from(text.replace(/\n/g, '\r\n'), 'latin1'));

describe('routingFor: which addresses are a program’s', () => {
  it('knows program addresses and their sub-addresses, case-insensitively, and nothing else', () => {
    expect(routing.fallback).toBeUndefined();
    expect(routing.isProgramAddress(PROGRAM)).toBe(true);
    expect(routing.isProgramAddress('PSIRT@Northwind-Medical.EXAMPLE')).toBe(true);
    expect(routing.isProgramAddress(TOKEN_ADDRESS)).toBe(true);
    expect(routing.isProgramAddress('psirt+anything@northwind-medical.example')).toBe(true);
    expect(routing.isProgramAddress('psirt@northwind-medical.example.evil.example')).toBe(false);
    expect(routing.isProgramAddress('xpsirt@northwind-medical.example')).toBe(false);
    expect(routing.isProgramAddress('psirt@')).toBe(false);
    expect(routing.isProgramAddress('')).toBe(false);
  });

  it('takes the fallback program’s first address, and refuses a fallback it cannot use', () => {
    expect(routingFor([program], 'northwind-medical').fallback).toBe(PROGRAM);
    expect(() => routingFor([program], 'nobody')).toThrow(
      expect.objectContaining({ code: 'imap_program_unknown' }),
    );
    expect(() => routingFor([program, silent], 'no-mail')).toThrow(
      expect.objectContaining({ code: 'imap_program_has_no_email_address' }),
    );
  });
});

describe('headerFields', () => {
  it('unfolds continuation lines, keeps repeated fields in order, and lower-cases names', () => {
    const h = headers(
      'TO: a@x.example,\n\tb@x.example\nDelivered-To: one@x.example\ndelivered-to: two@x.example\n',
    );
    expect(h.get('to')).toEqual(['a@x.example, b@x.example']);
    expect(h.get('delivered-to')).toEqual(['one@x.example', 'two@x.example']);
  });

  it('skips lines that are not fields and reads bare LF, raw 8-bit and empty input without failing', () => {
    const h = headerFields(
      Buffer.from('garbage line\n: no name\nTo:  psirt@x.example  \nX-Bin: \xff\xfe\n', 'latin1'),
    );
    expect([...h.keys()]).toEqual(['to', 'x-bin']);
    expect(h.get('to')).toEqual(['psirt@x.example']);
    expect(headerFields(Buffer.alloc(0)).size).toBe(0);
  });
});

describe('envelopeFrom: the envelope rebuilt from headers', () => {
  it('takes the program addresses the headers name, sub-addresses included', () => {
    const h = headers(
      `To: "Someone" <someone@else.example>,\n PSIRT@Northwind-Medical.example\nCc: ${TOKEN_ADDRESS}\nFrom: Researcher <r@lab.example>\n`,
    );
    expect(envelopeFrom(h, routing)).toEqual({
      mailFrom: 'r@lab.example',
      rcptTo: ['PSIRT@Northwind-Medical.example', TOKEN_ADDRESS],
    });
  });

  it('reads the delivery traces before To and Cc, and names each address once', () => {
    const h = headers(
      `To: ${TOKEN_ADDRESS}, psirt@northwind-medical.example\nX-Original-To: PSIRT@northwind-medical.example\nDelivered-To: psirt@northwind-medical.example\nFrom: r@lab.example\n`,
    );
    expect(envelopeFrom(h, routing)?.rcptTo).toEqual([PROGRAM, TOKEN_ADDRESS]);
  });

  it('prefers Return-Path for the sender, and keeps a null Return-Path (a bounce) empty', () => {
    const h = headers(
      'Return-Path: <bounce@lab.example>\nDelivered-To: psirt@northwind-medical.example\nTo: undisclosed-recipients:;\nFrom: r@lab.example\n',
    );
    expect(envelopeFrom(h, routing)).toEqual({ mailFrom: 'bounce@lab.example', rcptTo: [PROGRAM] });
    const bounce = headers(`Return-Path: <>\nTo: ${PROGRAM}\nFrom: MAILER-DAEMON@lab.example\n`);
    expect(envelopeFrom(bounce, routing)?.mailFrom).toBe('');
    expect(envelopeFrom(headers(`To: ${PROGRAM}\n`), routing)?.mailFrom).toBe('');
  });

  it('uses the fallback program address when none is named, and gives up without one', () => {
    const h = headers('To: inbox@vendor.example\nFrom: r@lab.example\n');
    expect(envelopeFrom(h, { ...routing, fallback: PROGRAM })?.rcptTo).toEqual([PROGRAM]);
    expect(envelopeFrom(h, routing)).toBeUndefined();
    // A program address in the headers wins over the fallback.
    expect(
      envelopeFrom(headers(`To: ${TOKEN_ADDRESS}\n`), { ...routing, fallback: PROGRAM })?.rcptTo,
    ).toEqual([TOKEN_ADDRESS]);
  });

  it('does not route by the sender’s own fields, Reply-To, Bcc or a field merely named like one', () => {
    const h = headers(
      `From: ${PROGRAM}\nReturn-Path: <${PROGRAM}>\nReply-To: ${PROGRAM}\nBcc: ${PROGRAM}\nX-To: ${PROGRAM}\nTo-: ${PROGRAM}\nTo: inbox@vendor.example\n`,
    );
    expect(envelopeFrom(h, routing)).toBeUndefined();
  });

  it('ignores look-alike and encoded addresses, and addresses glued to other text', () => {
    const h = headers(
      [
        'To: psirt@northwind-medical.example.evil.example',
        'Cc: =?utf-8?q?psirt@northwind-medical.example?=',
        'Delivered-To: psirt@northwind-medical.example@evil.example',
        'X-Original-To: psirt%northwind-medical.example@evil.example',
        '',
      ].join('\n'),
    );
    expect(envelopeFrom(h, routing)).toBeUndefined();
  });

  it('routes an address written in a display name, which a sender could put in To anyway', () => {
    const h = headers(`To: "${PROGRAM}" <someone@else.example>\n`);
    expect(envelopeFrom(h, routing)?.rcptTo).toEqual([PROGRAM]);
  });

  it('reads a folded line that pretends to start a field as part of the field it continues', () => {
    const h = headers(`Subject: hello\n Delivered-To: ${PROGRAM}\nTo: inbox@vendor.example\n`);
    expect(h.get('delivered-to')).toBeUndefined();
    expect(envelopeFrom(h, routing)).toBeUndefined();
  });
});

describe('admit: whether a message goes to the processor', () => {
  const head = Buffer.from(`To: ${PROGRAM}\r\nFrom: r@lab.example\r\n`);

  it('hands over a message for a program within the size limit, with its envelope', () => {
    expect(admit({ headers: head, size: 100 }, routing, 100)).toEqual({
      ok: true,
      envelope: { mailFrom: 'r@lab.example', rcptTo: [PROGRAM] },
    });
    expect(admit({ headers: head }, routing, 0).ok).toBe(true);
  });

  it('refuses a message for no program before looking at its size, and an oversize one', () => {
    expect(admit({ headers: Buffer.from('To: x@y.example\r\n'), size: 999 }, routing, 1)).toEqual({
      ok: false,
      code: 'imap_no_program_address',
    });
    expect(admit({ size: 1 }, routing, 10)).toEqual({ ok: false, code: 'imap_no_program_address' });
    expect(admit({ headers: head, size: 101 }, routing, 100)).toEqual({
      ok: false,
      code: 'imap_message_too_large',
    });
  });
});

describe('marking', () => {
  const folders = { failedFolder: 'Vigil-Failed' };
  const keywordMode = markingMode(new Set(['\\*']), folders);
  const moveWithKeywords = markingMode(new Set(['\\*']), { ...folders, processedFolder: 'Done' });
  const moveOnly = markingMode(new Set(['\\Seen']), folders);

  it('knows when keywords can be stored', () => {
    expect(keywordsUsable(new Set(['\\Seen', '\\*']))).toBe(true);
    expect(keywordsUsable(new Set(['\\Seen', '\\Deleted']))).toBe(false);
    expect(keywordsUsable(new Set(['\\Seen', PROCESSED_KEYWORD, FAILED_KEYWORD, PROCESSING_KEYWORD]))).toBe(
      true,
    );
    expect(keywordsUsable(new Set(['\\Seen', PROCESSED_KEYWORD, FAILED_KEYWORD]))).toBe(false);
    expect(keywordsUsable(undefined)).toBe(false);
  });

  it('chooses keyword mode, or move mode when the URL asks or the mailbox takes no keywords', () => {
    expect(keywordMode).toEqual<MarkingMode>({
      keywords: true,
      moveTo: undefined,
      failedFolder: 'Vigil-Failed',
    });
    expect(moveWithKeywords).toEqual<MarkingMode>({
      keywords: true,
      moveTo: 'Done',
      failedFolder: 'Vigil-Failed',
    });
    expect(moveOnly).toEqual<MarkingMode>({
      keywords: false,
      moveTo: DEFAULT_PROCESSED_FOLDER,
      failedFolder: 'Vigil-Failed',
    });
    expect(markingMode(undefined, { ...folders, processedFolder: 'Done' }).moveTo).toBe('Done');
  });

  it('marks a processed message: keyword and claim off, or keyword then move, or \\Seen then move', () => {
    expect(processedSteps(keywordMode)).toEqual([
      { op: 'add', flags: ['\\Seen', PROCESSED_KEYWORD] },
      { op: 'remove', flags: [PROCESSING_KEYWORD] },
    ]);
    expect(processedSteps(moveWithKeywords)).toEqual([
      { op: 'add', flags: ['\\Seen', PROCESSED_KEYWORD] },
      { op: 'move', folder: 'Done' },
    ]);
    expect(processedSteps(moveOnly)).toEqual([
      { op: 'add', flags: ['\\Seen'] },
      { op: 'move', folder: DEFAULT_PROCESSED_FOLDER },
    ]);
  });

  it('sets a poison message aside unread: keyword, or move to the failed folder', () => {
    expect(failedSteps(keywordMode)).toEqual([
      { op: 'add', flags: [FAILED_KEYWORD] },
      { op: 'remove', flags: [PROCESSING_KEYWORD] },
    ]);
    expect(failedSteps(moveWithKeywords)).toEqual([
      { op: 'add', flags: [FAILED_KEYWORD] },
      { op: 'move', folder: 'Vigil-Failed' },
    ]);
    expect(failedSteps(moveOnly)).toEqual([{ op: 'move', folder: 'Vigil-Failed' }]);
    for (const mode of [keywordMode, moveWithKeywords, moveOnly]) {
      expect(failedSteps(mode).flatMap((s) => (s.op === 'add' ? s.flags : []))).not.toContain('\\Seen');
    }
  });

  it('claims and releases a message only where keywords work', () => {
    expect(claimSteps(keywordMode)).toEqual([{ op: 'add', flags: [PROCESSING_KEYWORD] }]);
    expect(claimSteps(moveWithKeywords)).toEqual([{ op: 'add', flags: [PROCESSING_KEYWORD] }]);
    expect(claimSteps(moveOnly)).toEqual([]);
    expect(releaseSteps(keywordMode)).toEqual([{ op: 'remove', flags: [PROCESSING_KEYWORD] }]);
    expect(releaseSteps(moveOnly)).toEqual([]);
  });

  it('finishes failed moves only in move mode with keywords', () => {
    expect(leftoverMoves(moveWithKeywords)).toEqual([
      { keyword: PROCESSED_KEYWORD, folder: 'Done' },
      { keyword: FAILED_KEYWORD, folder: 'Vigil-Failed' },
    ]);
    expect(leftoverMoves(keywordMode)).toEqual([]);
    expect(leftoverMoves(moveOnly)).toEqual([]);
  });

  it('searches for what is not settled, or for everything left in move mode without keywords', () => {
    expect(unprocessedQuery(keywordMode)).toEqual({
      unKeyword: PROCESSED_KEYWORD,
      not: { keyword: FAILED_KEYWORD },
      deleted: false,
    });
    expect(unprocessedQuery(moveOnly)).toEqual({ deleted: false });
  });

  it('reads the flags: settled, interrupted, or neither', () => {
    expect(isSettled(new Set([PROCESSED_KEYWORD]))).toBe(true);
    expect(isSettled(new Set([FAILED_KEYWORD]))).toBe(true);
    expect(isSettled(new Set(['\\Seen', PROCESSING_KEYWORD]))).toBe(false);
    expect(isSettled(undefined)).toBe(false);
    expect(wasInterrupted(new Set([PROCESSING_KEYWORD]))).toBe(true);
    expect(wasInterrupted(new Set(['\\Seen']))).toBe(false);
    expect(wasInterrupted(undefined)).toBe(false);
  });
});

describe('across polls', () => {
  it('marks a committed message later, unless the mailbox was recreated since', () => {
    const key = messageKey('1700', 42);
    expect(key).toBe('1700:42');
    expect(unmarkedAction(key, '1700')).toEqual({ action: 'mark', uid: 42 });
    expect(unmarkedAction(key, '1800')).toEqual({ action: 'forget', uid: 42 });
  });

  it('retries a failed message only once its pause is over', () => {
    expect(retryDue(undefined, 0)).toBe(true);
    expect(retryDue({ attempts: 1, nextAttemptAt: 1000 }, 999)).toBe(false);
    expect(retryDue({ attempts: 1, nextAttemptAt: 1000 }, 1000)).toBe(true);
  });

  it('doubles the pause from one poll interval, up to an hour', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 60_000))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(retryDelayMs(20, 60_000)).toBe(3_600_000);
  });

  it('after a failure: ends the poll when the connection went, else retries, then sets aside', () => {
    const base = { connectionUsable: true, maxAttempts: 3, pollMs: 60_000, nowMs: 10_000 };
    expect(
      afterFailure({ ...base, connectionUsable: false, previous: { attempts: 2, nextAttemptAt: 0 } }),
    ).toEqual({
      action: 'abort',
    });
    expect(afterFailure({ ...base, previous: undefined })).toEqual({
      action: 'retry',
      failure: { attempts: 1, nextAttemptAt: 70_000 },
    });
    expect(afterFailure({ ...base, previous: { attempts: 1, nextAttemptAt: 0 } })).toEqual({
      action: 'retry',
      failure: { attempts: 2, nextAttemptAt: 130_000 },
    });
    expect(afterFailure({ ...base, previous: { attempts: 2, nextAttemptAt: 0 } })).toEqual({
      action: 'set-aside',
      attempts: 3,
    });
    expect(afterFailure({ ...base, maxAttempts: 1, previous: undefined })).toEqual({
      action: 'set-aside',
      attempts: 1,
    });
  });

  it('after a busy refusal (decryption budget spent): retries on the next poll without counting', () => {
    const base = { connectionUsable: true, maxAttempts: 3, pollMs: 60_000, nowMs: 10_000, busy: true };
    expect(afterFailure({ ...base, previous: { attempts: 2, nextAttemptAt: 0 } })).toEqual({
      action: 'retry',
      failure: { attempts: 2, nextAttemptAt: 70_000 },
    });
    expect(afterFailure({ ...base, previous: undefined })).toEqual({
      action: 'retry',
      failure: { attempts: 0, nextAttemptAt: 70_000 },
    });
    expect(afterFailure({ ...base, connectionUsable: false, previous: undefined })).toEqual({
      action: 'abort',
    });
  });
});
