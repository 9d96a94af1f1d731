import * as openpgp from 'openpgp';

/**
 * Wrap `text` in an OpenPGP cleartext signature (RFC 9580 §7), as RFC 9116 asks of a signed
 * security.txt: the file stays readable as text and `gpg --verify` checks it. Trailing spaces
 * are not covered by a cleartext signature (they are stripped on both sides), and lines starting
 * with `-` are dash-escaped by the armour, so any text signs and verifies unchanged.
 *
 * OpenPGP.js writes the signed lines with CRLF and the armour with LF; the output is given LF
 * throughout, which changes nothing for verifiers (they canonicalise every line ending to CRLF
 * before hashing) and keeps the file uniform for people and line-based tools.
 */
export async function signCleartext(text: string, privateKey: openpgp.PrivateKey): Promise<string> {
  const message = await openpgp.createCleartextMessage({ text });
  const signed = await openpgp.sign({ message, signingKeys: privateKey, format: 'armored' });
  return signed.replace(/\r\n/g, '\n');
}
