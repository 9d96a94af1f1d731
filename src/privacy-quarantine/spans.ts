import type { FieldProblem } from '../core/index.js';
import type { Sealer } from '../crypto/index.js';
import type { AttachmentRow } from '../db/index.js';
import { attachmentNameAad } from '../reports/index.js';

/** Spans of text to redact: checking them against the text, and applying them. */

export const REDACTED = '[redacted]';

export type RedactionPartInput =
  | { kind: 'field' | 'message'; ref: string; spans: { start: number; end: number }[] }
  | { kind: 'attachment'; ref: string; whole: true };

/** Replace each span by the marker; spans are sorted and non-overlapping. */
export function applySpans(text: string, spans: { start: number; end: number }[]): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + REDACTED;
    at = s.end;
  }
  return out + text.slice(at);
}

/** Problems with spans against a text, each named by its path (`parts[0].spans[1]`). */
export function spanProblems(
  path: string,
  spans: { start: number; end: number }[],
  length: number,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  let last = 0;
  spans.forEach((s, j) => {
    const p = `${path}.spans[${j}]`;
    if (s.end > length)
      problems.push({ path: p, message: `ends at ${s.end}, past the end of the text (${length})` });
    else if (s.start >= s.end) problems.push({ path: p, message: 'must have start < end' });
    else if (s.start < last)
      problems.push({ path: p, message: 'overlaps or comes before the previous span; list spans in order' });
    last = Math.max(last, s.end);
  });
  return problems;
}

// Rows stored before `raw_message` existed are recognised by the name intake gives the original.
export const isRawMessage = (sealer: Sealer, a: AttachmentRow) =>
  a.redacted_at === null &&
  (Number(a.raw_message) === 1 ||
    (a.content_type === 'message/rfc822' &&
      sealer.open(a.name_sealed, attachmentNameAad(a.id)).toString('utf8') === 'original-message.eml'));

/** How many characters the spans cover (for the audit entry). */
export const removed = (spans: { start: number; end: number }[]) =>
  spans.reduce((n, s) => n + s.end - s.start, 0);
