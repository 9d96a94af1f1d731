/**
 * Text that carries other text in encoded form, decoded so the detectors can read it:
 *  - escaped strings: JSON inside a JSON string or a log line (`"{\"patient\":{\"name\":…}}"`, a
 *    Redis value, a message body logged by a framework), with `\"`, `\n`, `\uXXXX` and their kin;
 *  - base64 and base64url: a JWT's payload, a QR code's or a cookie's content, an HTTP body
 *    captured in a HAR file — any run of 24 or more base64 characters that decodes to UTF-8 text;
 *  - hex dumps (`hexdump -C`, `xxd`, `od -x`-like, Wireshark's bytes pane): the bytes of a serial
 *    or network capture, decoded back into text (control characters become line breaks), since the
 *    dump's own ASCII column splits every record at 16 bytes.
 *
 * Each decoded view keeps a map back to the original text, so a finding in it is reported over the
 * characters that encode it. Decoding is one pass per view; the views of one text hold at most
 * MAX_DECODED characters together, and a view is not decoded again.
 */

/** Decoded text and, for each of its characters, where it came from in the original. */
export interface DecodedView {
  text: string;
  /** `at(i)`: the original offset of the decoded character `i`; `at(text.length)` the end. */
  at: (i: number) => number;
  /** Set when characters do not map one to one (base64): the original span of a decoded one. */
  spanOf?: (start: number, end: number) => [number, number];
}

const MAX_DECODED = 1024 * 1024;
const MAX_TOKEN = 64 * 1024;
// A run starts where no base64 character precedes it: the leftmost match of a run is its start
// anyway, and positions inside a shorter run are then given up after one character, not 24.
const BASE64_RUN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{24,}={0,2}/g;

/** The encoded views of `text` worth scanning; see the module comment. */
export function decodedViews(text: string): DecodedView[] {
  const views: DecodedView[] = [];
  let budget = MAX_DECODED;
  const escaped = unescapedView(text, budget);
  if (escaped) {
    views.push(escaped);
    budget -= escaped.text.length;
  }
  const hex = hexDumpView(text, budget);
  if (hex) {
    views.push(hex);
    budget -= hex.text.length;
  }
  // Every decoded token goes into one view, one per line, so a thousand tokens cost one reading.
  // A decoded character is not one encoded character: a finding spans the tokens it came from.
  const parts: string[] = [];
  const spans: [number, number][] = [];
  BASE64_RUN.lastIndex = 0;
  for (let m = BASE64_RUN.exec(text); m && budget > 0; m = BASE64_RUN.exec(text)) {
    const token = m[0].slice(0, Math.min(MAX_TOKEN, budget * 2));
    const decoded = decodeBase64Text(token);
    if (!decoded) continue;
    budget -= decoded.length + 1;
    parts.push(decoded);
    spans.push([m.index, m.index + m[0].length]);
  }
  const base64 = joinedView(parts, spans);
  if (base64) views.push(base64);
  return views;
}

/** The character a backslash escape of one character stands for (`\\"`, `\\n`…), or -1. */
function simpleEscape(c: number): number {
  switch (c) {
    case 0x22: // "
    case 0x27: // '
    case 0x2f: // /
    case 0x5c: // backslash
      return c;
    case 0x6e: // n
      return 0x0a;
    case 0x72: // r
      return 0x0d;
    case 0x74: // t
      return 0x09;
    default:
      return -1;
  }
}

/** The text with backslash escapes undone, when it has escaped quotes; undefined otherwise. */
function unescapedView(text: string, budget: number): DecodedView | undefined {
  if (!text.includes('\\"') && !text.includes("\\'")) return undefined;
  const limit = Math.min(text.length, budget);
  const offsets = new Int32Array(limit + 1);
  // The decoded text, a UTF-16 code unit per decoded character: as long as the text at most.
  const units = new Uint16Array(limit);
  let length = 0;
  let i = 0;
  // Runs without a backslash are copied whole; each escape is one decoded character.
  while (i < limit) {
    let b = text.indexOf('\\', i);
    if (b < 0 || b >= limit) b = limit;
    if (b > i) {
      const runStart = length;
      let quoted = false;
      for (let k = i; k < b; k += 1) {
        const c = text.charCodeAt(k);
        // The quotes around an escaped document (`"text": "{\"a\": 1}"`) would make it one string
        // once its own quotes are undone: they become spaces, so the document reads as a value.
        // In JSON a quote never follows `}` or `]` directly, nor opens a string before `{\"`.
        if (c === 0x22) {
          quoted = true;
          const before = k > i ? text.charCodeAt(k - 1) : -1;
          units[length] = before === 0x7d || before === 0x5d ? 0x20 : c;
        } else units[length] = c;
        offsets[length++] = k;
      }
      if (quoted && text.charCodeAt(b + 1) === 0x22) {
        // The run ends `"{`, `"[{` or `"[`: that quote opens the escaped document.
        const end = length;
        const last = units[end - 1];
        let q = -1;
        if (last === 0x7b) {
          if (end - 2 >= runStart && units[end - 2] === 0x22) q = end - 2;
          else if (end - 3 >= runStart && units[end - 2] === 0x5b && units[end - 3] === 0x22) q = end - 3;
        } else if (last === 0x5b && end - 2 >= runStart && units[end - 2] === 0x22) q = end - 2;
        if (q >= 0) units[q] = 0x20;
      }
      i = b;
      if (i >= limit) break;
    }
    const next = text.charCodeAt(i + 1);
    const simple = simpleEscape(next);
    offsets[length] = i;
    if (simple >= 0 && i + 1 < limit) {
      units[length++] = simple;
      i += 2;
    } else if (next === 0x75 && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
      units[length++] = Number.parseInt(text.slice(i + 2, i + 6), 16);
      i += 6;
    } else {
      units[length++] = 0x5c;
      i += 1;
    }
  }
  offsets[length] = i;
  let out = '';
  for (let k = 0; k < length; k += 4096)
    out += String.fromCharCode(...units.subarray(k, Math.min(length, k + 4096)));
  return { text: out, at: (k) => offsets[Math.min(k, out.length)] as number };
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A base64 or base64url token decoded, when it is mostly printable UTF-8 text of 16+ characters. */
function decodeBase64Text(token: string): string | undefined {
  let b64 = token.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  b64 = b64.slice(0, b64.length - (b64.length % 4 === 1 ? 1 : 0));
  b64 += '='.repeat((4 - (b64.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    return undefined;
  }
  if (binary.length < 16) return undefined;
  const bytes = new Uint8Array(binary.length);
  let control = 0;
  for (let i = 0; i < binary.length; i += 1) {
    const b = binary.charCodeAt(i);
    bytes[i] = b;
    if (b < 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) control += 1;
  }
  if (control > 0) return undefined;
  let decoded: string;
  try {
    decoded = fatalUtf8.decode(bytes);
  } catch {
    return undefined;
  }
  // Letters and spaces make text; random bytes that happen to be valid UTF-8 are mostly neither.
  let wordy = 0;
  for (let i = 0; i < decoded.length; i += 1) {
    const c = decoded.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c > 0xbf) wordy += 1;
  }
  return wordy >= decoded.length * 0.95 ? decoded : undefined;
}

// An offset, then bytes as pairs (`02 50 7c`) or groups of four (`0250 7c33`).
const HEX_LINE = /^\s{0,8}(?:0x)?([0-9a-fA-F]{4,8}):?\s{1,4}([0-9a-fA-F]{2}(?:[0-9a-fA-F]{2})?)(?=\s)/;
const isBlank = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d;
/** The value of a hex digit's char code, or -1. */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * The bytes of the hex dumps in `text` as one view: consecutive dump lines are one block, blocks are
 * joined by line breaks, and a finding spans the block it came from. Lines of at most 200
 * characters; at most 16 bytes a line, read from its tokens left to right.
 */
function hexDumpView(text: string, budget: number): DecodedView | undefined {
  const parts: string[] = [];
  const spans: [number, number][] = [];
  let length = 0;
  let block: { start: number; end: number; bytes: number[] } | undefined;
  const flush = () => {
    if (block && block.bytes.length >= 8) {
      // Control characters (STX, ETX, CR…) become line breaks: they frame records.
      const codes = block.bytes.map((b) => (b < 0x20 || b === 0x7f ? 0x0a : b));
      let decoded = '';
      for (let k = 0; k < codes.length; k += 4096)
        decoded += String.fromCharCode(...codes.slice(k, k + 4096));
      parts.push(decoded);
      spans.push([block.start, block.end]);
      length += decoded.length + 1;
    }
    block = undefined;
  };
  let lineStart = 0;
  while (lineStart < text.length && length < budget) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const m = lineEnd - lineStart <= 200 ? HEX_LINE.exec(text.slice(lineStart, lineEnd)) : null;
    if (m) {
      const width = (m[2] as string).length;
      block ??= { start: lineStart, end: lineEnd, bytes: [] };
      // Byte groups from the first one on, each `width` hex digits after one or more spaces; the
      // first group of another width, or the 17th byte, ends the line's bytes (the ASCII column).
      let k = lineStart + m.index + (m[0] as string).length - width;
      let taken = 0;
      while (k < lineEnd && taken < 16) {
        let e = k;
        while (e < lineEnd && hexValue(text.charCodeAt(e)) >= 0) e += 1;
        if (e - k !== width || !(e === lineEnd || isBlank(text.charCodeAt(e)))) break;
        for (let d = k; d < e; d += 2)
          block.bytes.push(hexValue(text.charCodeAt(d)) * 16 + hexValue(text.charCodeAt(d + 1)));
        taken += width / 2;
        k = e;
        while (k < lineEnd && isBlank(text.charCodeAt(k))) k += 1;
      }
      block.end = lineEnd;
    } else flush();
    lineStart = lineEnd + 1;
  }
  flush();
  return joinedView(parts, spans);
}

/**
 * Decoded pieces joined into one view, one per line, each from the span of the original it
 * decodes: a decoded character is not one encoded character, so a finding spans the pieces it
 * came from (binary search over where each piece starts).
 */
function joinedView(parts: string[], spans: [number, number][]): DecodedView | undefined {
  if (parts.length === 0) return undefined;
  const from: number[] = [];
  let length = 0;
  for (const part of parts) {
    from.push(length);
    length += part.length + 1;
  }
  const spanAt = (i: number) => {
    let lo = 0;
    let hi = from.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((from[mid] as number) <= i) lo = mid;
      else hi = mid - 1;
    }
    return spans[lo] as [number, number];
  };
  return {
    text: parts.join('\n'),
    at: (i) => spanAt(i)[0],
    spanOf: (start, end) => [spanAt(start)[0], spanAt(Math.max(start, end - 1))[1]],
  };
}
