import * as openpgp from 'openpgp';

/**
 * The armored public key in `value` when it holds one that can be encrypted to now, else
 * undefined. Text around the armor block is ignored; a pasted secret key yields only its public
 * part, so the secret half is never carried any further.
 */
export async function readRecipientKey(value: unknown, date = new Date()): Promise<string | undefined> {
  const key = await usableRecipientKey(value, date);
  return key?.armor();
}

/** The parsed form of `readRecipientKey`. */
export async function usableRecipientKey(
  value: unknown,
  date = new Date(),
): Promise<openpgp.PublicKey | undefined> {
  if (typeof value !== 'string') return undefined;
  // openpgp.js wants the armor to start the text; reporters paste with notes around it.
  const block =
    /-----BEGIN PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----[\s\S]*?-----END PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----/.exec(
      value,
    )?.[0];
  if (!block) return undefined;
  try {
    const key = await openpgp.readKey({ armoredKey: block });
    const publicKey = key.isPrivate() ? key.toPublic() : key;
    await publicKey.getEncryptionKey(undefined, date);
    return publicKey;
  } catch {
    return undefined;
  }
}
