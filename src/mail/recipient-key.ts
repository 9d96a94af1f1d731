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

/** Why replies reach a reporter's mailbox only as a notice; see `noticeOnlyReason`. */
export type NoticeOnlyReason = 'no-key' | 'unusable-key';

/**
 * Why replies from the team can reach a reporter's mailbox only as a notice (the reply itself
 * stays on their private page): the program asked for their OpenPGP key and they gave none
 * ('no-key'), or gave one that cannot be encrypted to ('unusable-key'). Undefined when replies
 * travel encrypted, or when the program never asked for a key: the reporter then had no choice
 * to make, and nothing to be told about it.
 */
export function noticeOnlyReason(
  keyAsked: boolean,
  given: unknown,
  usable: boolean,
): NoticeOnlyReason | undefined {
  if (!keyAsked || usable) return undefined;
  return typeof given === 'string' && given.trim() !== '' ? 'unusable-key' : 'no-key';
}
