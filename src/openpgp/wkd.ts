import { createHash } from 'node:crypto';

const ZBASE32 = 'ybndrfg8ejkmcpqxot1uwisza345h769';

/** z-base-32 (as used by the Web Key Directory), most significant bit first, no padding. */
export function zbase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ZBASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ZBASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** The WKD hash of an address's local part: z-base-32 of SHA-1 of the lower-cased local part. */
export function wkdHash(localPart: string): string {
  return zbase32(createHash('sha1').update(localPart.toLowerCase(), 'utf8').digest());
}

/** The two WKD URLs (advanced first, then direct) at which an address's key is looked up. */
export function wkdUrls(address: string): { advanced: string; direct: string } {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1).toLowerCase();
  const h = wkdHash(local);
  const l = encodeURIComponent(local);
  return {
    advanced: `https://openpgpkey.${domain}/.well-known/openpgpkey/${domain}/hu/${h}?l=${l}`,
    direct: `https://${domain}/.well-known/openpgpkey/hu/${h}?l=${l}`,
  };
}
