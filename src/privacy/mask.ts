/**
 * Masking for excerpts. The reporter must recognise the spot, the server log and the console list
 * must not carry the identifier: we keep the last two characters of identifiers and the initials
 * of names, and replace every other letter or digit with a bullet (separators stay, so the shape
 * of "123-45-6789" is still recognisable as "•••-••-••89").
 */

const BULLET = '•';
const BULLETS = BULLET.repeat(3);

/** Masks an identifier, keeping its last `keep` letters/digits. */
export function maskIdentifier(value: string, keep = 2): string {
  let alnumSeen = 0;
  const total = countAlnum(value);
  let out = '';
  for (const ch of value) {
    if (isAlnum(ch)) {
      alnumSeen += 1;
      out += alnumSeen > total - keep ? ch : BULLET;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Masks a personal name to its initials: "Jane Quillfeather" → "J••• Q•••". */
export function maskName(value: string): string {
  return value
    .split(/(\s+|,\s*)/)
    .map((part) => (/^[\s,]*$/.test(part) ? part : `${[...part][0] ?? ''}${BULLET.repeat(3)}`))
    .join('');
}

/** Masks an e-mail address: "jane.q@example.org" → "j•••@e•••.org". */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 1) return maskIdentifier(value);
  const domain = value.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot >= 0 ? domain.slice(dot) : '';
  return `${value[0]}${BULLETS}@${domain[0] ?? ''}${BULLETS}${tld}`;
}

/** Masks a date of birth entirely but keeps its shape: "1961-04-02" → "••••-••-••". */
export function maskDate(value: string): string {
  return maskIdentifier(value, 0);
}

function isAlnum(ch: string): boolean {
  return /[\p{L}\p{N}]/u.test(ch);
}

function countAlnum(value: string): number {
  let n = 0;
  for (const ch of value) if (isAlnum(ch)) n += 1;
  return n;
}
