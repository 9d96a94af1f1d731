/**
 * Just enough MIME structure for what mailparser does not give: the exact bytes of a signed part
 * (a detached signature covers them, not the decoded text) and how deeply a message nests. Only
 * headers and boundaries are read; bodies are never decoded here.
 */

export interface MimeEntity {
  /** Header fields by lower-case name, unfolded, in order of appearance. */
  headers: Map<string, string[]>;
  body: Buffer;
}

export interface ContentType {
  /** `type/subtype`, lower case; `text/plain` when absent, as RFC 2045 says. */
  type: string;
  params: Record<string, string>;
}

/** Where the header block ends: the first empty line (CRLF or bare LF, as IMAP copies may have). */
function headerEnd(raw: Buffer): { headerLength: number; bodyStart: number } {
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== 0x0a) continue;
    if (raw[i + 1] === 0x0a) return { headerLength: i + 1, bodyStart: i + 2 };
    if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return { headerLength: i + 1, bodyStart: i + 3 };
  }
  if (raw[0] === 0x0a) return { headerLength: 0, bodyStart: 1 };
  if (raw[0] === 0x0d && raw[1] === 0x0a) return { headerLength: 0, bodyStart: 2 };
  return { headerLength: raw.length, bodyStart: raw.length };
}

export function parseEntity(raw: Buffer): MimeEntity {
  // An entity that starts with its blank line has no headers at all.
  const startsBlank = raw[0] === 0x0a || (raw[0] === 0x0d && raw[1] === 0x0a);
  const { headerLength, bodyStart } = startsBlank
    ? { headerLength: 0, bodyStart: raw[0] === 0x0a ? 1 : 2 }
    : headerEnd(raw);
  const headers = new Map<string, string[]>();
  const lines = raw.subarray(0, headerLength).toString('latin1').split(/\r?\n/);
  let current: string | undefined;
  const flush = () => {
    if (current === undefined) return;
    const colon = current.indexOf(':');
    if (colon > 0) {
      const name = current.slice(0, colon).trim().toLowerCase();
      const list = headers.get(name) ?? [];
      list.push(current.slice(colon + 1).trim());
      headers.set(name, list);
    }
    current = undefined;
  };
  for (const line of lines) {
    if (/^[ \t]/.test(line) && current !== undefined) current += ` ${line.trim()}`;
    else {
      flush();
      current = line;
    }
  }
  flush();
  return { headers, body: raw.subarray(bodyStart) };
}

/** Parse `type/subtype; a=b; c="d e"` without comments; unknown syntax degrades to text/plain. */
export function parseContentType(value: string | undefined): ContentType {
  if (!value) return { type: 'text/plain', params: {} };
  const params: Record<string, string> = {};
  const semi = value.indexOf(';');
  const type = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  const re = /;\s*([^=\s;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g;
  for (const m of value.slice(Math.max(semi, 0)).matchAll(re)) {
    const name = (m[1] ?? '').toLowerCase();
    params[name] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return { type: /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type) ? type : 'text/plain', params };
}

export function contentTypeOf(entity: MimeEntity): ContentType {
  return parseContentType(entity.headers.get('content-type')?.[0]);
}

/**
 * The body parts of a multipart entity, byte for byte. The line break before each delimiter
 * belongs to the delimiter (RFC 2046 5.1.1), so it is not part of the preceding part: that is
 * exactly the span a PGP/MIME signature covers. Returns undefined without a closing structure
 * that makes sense (no delimiter at all).
 */
export function splitMultipart(body: Buffer, boundary: string): Buffer[] | undefined {
  if (boundary === '' || boundary.length > 200) return undefined;
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const parts: Buffer[] = [];
  let partStart = -1;
  let lineStart = 0;
  while (lineStart <= body.length) {
    let lineEnd = body.indexOf(0x0a, lineStart);
    if (lineEnd < 0) lineEnd = body.length;
    if (
      body[lineStart] === 0x2d &&
      body.subarray(lineStart, lineStart + delimiter.length).equals(delimiter)
    ) {
      const rest = body
        .subarray(lineStart + delimiter.length, lineEnd)
        .toString('latin1')
        .replace(/\r$/, '');
      const closing = rest.startsWith('--');
      if (/^[ \t]*$/.test(closing ? rest.slice(2) : rest)) {
        if (partStart >= 0) {
          // Drop the CRLF (or LF) that ends the part's last line: it belongs to the delimiter.
          let end = lineStart;
          if (end > partStart && body[end - 1] === 0x0a) end--;
          if (end > partStart && body[end - 1] === 0x0d) end--;
          parts.push(body.subarray(partStart, end));
        }
        if (closing) return parts;
        partStart = Math.min(lineEnd + 1, body.length);
      }
    }
    lineStart = lineEnd + 1;
  }
  // No closing delimiter: keep what was delimited, as mail clients do with a truncated mail.
  if (partStart >= 0) parts.push(body.subarray(partStart));
  return partStart >= 0 ? parts : undefined;
}

/**
 * How many multipart and message/rfc822 levels an entity nests, counted only up to `limit + 1`
 * so a hostile message costs at most `limit` passes over its bytes.
 */
export function mimeDepth(raw: Buffer, limit: number): number {
  if (limit < 0) return 1;
  const entity = parseEntity(raw);
  const ct = contentTypeOf(entity);
  if (ct.type.startsWith('multipart/')) {
    const parts = splitMultipart(entity.body, ct.params.boundary ?? '') ?? [];
    let deepest = 0;
    for (const part of parts) {
      deepest = Math.max(deepest, mimeDepth(part, limit - 1));
      if (deepest > limit - 1) break;
    }
    return 1 + deepest;
  }
  if (ct.type === 'message/rfc822' || ct.type === 'message/global') {
    return 1 + mimeDepth(entity.body, limit - 1);
  }
  return 0;
}

/** Line endings made CRLF, the canonical form OpenPGP signatures over MIME parts are made on. */
export function canonicalCrlf(data: Buffer): Buffer {
  if (!data.includes(0x0a)) return data;
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0x0a && (i === 0 || data[i - 1] !== 0x0d)) {
      out.push(data.subarray(start, i), Buffer.from('\r\n'));
      start = i + 1;
    }
  }
  out.push(data.subarray(start));
  return Buffer.concat(out);
}
