import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import { signCleartext } from './cleartext.js';

describe('signCleartext', () => {
  it('wraps text in a cleartext signature that verifies, with LF line endings and dash-escaping', async () => {
    const { privateKey, publicKey } = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ email: 'psirt@example.org' }],
      format: 'object',
    });
    const text = '# comment\nContact: mailto:psirt@example.org\n-- a line starting with dashes\n';
    const signed = await signCleartext(text, privateKey);

    expect(signed).toMatch(/^-----BEGIN PGP SIGNED MESSAGE-----\n/);
    expect(signed).not.toContain('\r');
    // A line starting with "-" is escaped, so it cannot pass for an armour line.
    expect(signed).toContain('\n- -- a line starting with dashes\n');

    const verify = async (armored: string) => {
      const message = await openpgp.readCleartextMessage({ cleartextMessage: armored });
      const { data, signatures } = await openpgp.verify({ message, verificationKeys: publicKey });
      await signatures[0]?.verified;
      return data;
    };
    // The text read back is exactly what was signed; one changed byte breaks the signature.
    expect(await verify(signed)).toBe(text);
    await expect(verify(signed.replace('psirt@', 'psirT@'))).rejects.toThrow(/digest did not match/);
  });
});
