/** Text from a mail, made fit to store and show. */

/** Text as stored: LF line ends, no control characters but tab and newline, no blank lines around. */
export function cleanText(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/^(?:[ \t]*\n)+/, '')
    .trimEnd();
}

/** A header value on one line: control characters and runs of space become one space. */
export function oneLine(s: string, maxChars: number): string {
  const flat = s
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return [...flat].slice(0, maxChars).join('');
}

/** The longest prefix of `s` within `maxBytes` of UTF-8 and `maxChars` characters. */
export function clip(s: string, maxBytes: number, maxChars = Number.POSITIVE_INFINITY): string {
  if (Buffer.byteLength(s) <= maxBytes && s.length <= maxChars) return s;
  let out = '';
  let bytes = 0;
  let chars = 0;
  for (const ch of s) {
    bytes += Buffer.byteLength(ch);
    if (bytes > maxBytes || ++chars > maxChars) break;
    out += ch;
  }
  return out;
}
