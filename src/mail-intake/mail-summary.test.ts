import { describe, expect, it } from 'vitest';
import { bodyWithNotes, intakeMetaOf, signatureOf } from './mail-summary.js';
import type { Extraction } from './pgp-extract.js';

const ex = (over: Partial<Extraction> = {}): Extraction => ({
  texts: ['Hello'],
  files: [],
  senderKeys: [],
  signatureCoversAll: false,
  encrypted: false,
  decryptedFiles: 0,
  fileFailures: [],
  flags: new Set(),
  budget: 0,
  decryptions: 0,
  ...over,
});
const valid = { status: 'valid' as const, keyId: 'AAAA', fingerprint: 'F1' };

describe('signatureOf: whose key vouches for a signature', () => {
  it('calls a signature valid only when the reporter’s stored key verified it over the whole mail', () => {
    const reporterKey = { fingerprint: 'STORED', signed: 'whole' as const };
    expect(signatureOf(ex({ signature: { status: 'unknown-key', keyId: 'AAAA' } }), reporterKey)).toEqual({
      status: 'valid',
      keyId: 'AAAA',
      fingerprint: 'STORED',
    });
    expect(signatureOf(ex({ signature: valid }), { ...reporterKey, signed: 'part' })).toEqual({
      status: 'valid-part',
      keyId: 'AAAA',
      fingerprint: 'STORED',
    });
  });

  it('marks a signature that verifies only with a key the mail supplied as such, never as valid', () => {
    expect(signatureOf(ex({ signature: valid }))).toEqual({ ...valid, status: 'self-supplied-key' });
    expect(signatureOf(ex({ signature: valid }), { fingerprint: 'STORED', signed: 'no' })).toEqual({
      ...valid,
      status: 'self-supplied-key',
    });
  });

  it('keeps the other results as checked', () => {
    expect(signatureOf(ex())).toEqual({ status: 'none' });
    expect(signatureOf(ex({ signature: { status: 'invalid', keyId: 'B' } }))).toEqual({
      status: 'invalid',
      keyId: 'B',
    });
  });
});

describe('a mail that names a case without proof', () => {
  it('starts with a note for staff, and is flagged in intake_meta', () => {
    const claimed = { caseNumber: 'NWM-2026-0001', fromReporterAddress: true };
    const body = bodyWithNotes(ex(), 8, 0, claimed);
    expect(body).toMatch(
      /^\[Vigil: this mail claims to answer case NWM-2026-0001, but carries no proof that it comes from that case's reporter \(no reply token, no signature by the reporter's key\); it was not added to that case\. Its From address is that reporter's, which proves nothing/,
    );
    expect(body.endsWith('\n\nHello')).toBe(true);
    expect(bodyWithNotes(ex(), 8, 0, { ...claimed, fromReporterAddress: false })).not.toContain(
      'From address',
    );
    const meta = intakeMetaOf(ex({ flags: new Set(['unparseable']) }), {
      stored: 0,
      dropped: 0,
      signature: { status: 'none' },
      claimed,
    });
    expect(meta.flags).toEqual(['unparseable', 'unproven-case-claim']);
    expect(intakeMetaOf(ex(), { stored: 0, dropped: 0, signature: { status: 'none' } })).not.toHaveProperty(
      'flags',
    );
  });
});
