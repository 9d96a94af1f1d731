import { readFileSync } from 'node:fs';
import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../crypto/index.js';
import { type Program, parseProgramYaml } from '../programs/index.js';
import {
  caseNumbersIn,
  isReporterAddress,
  type MailClues,
  type ReporterSignature,
  replyTokensFor,
  reporterKeyOf,
  type ThreadLookup,
  threadOf,
} from './threading.js';

const definition = parseProgramYaml(
  readFileSync(new URL('../../examples/programs/medical-device-maker.yaml', import.meta.url), 'utf8'),
);
const program: Program = { id: 'p-nwm', slug: 'northwind-medical', revision: 1, definition };
const other: Program = { ...program, id: 'p-other', slug: 'other' };
const ADDRESS = 'psirt@northwind-medical.example';
const TOKEN = '0123456789abcdef0123456789abcdef';

interface FakeCase {
  id: string;
  case_number: string;
  program_id: string;
  contact: Record<string, unknown>;
  tokenHash?: string;
}

/** Lookups over an in-memory list; the sealer "opens" JSON and records the AAD it was given. */
function world(cases: FakeCase[]) {
  const asked: string[] = [];
  const aads: string[] = [];
  const row = (c: FakeCase | undefined) =>
    c && {
      id: c.id,
      case_number: c.case_number,
      program_id: c.program_id,
      contact_sealed: Buffer.from(JSON.stringify(c.contact)),
    };
  const lookup: ThreadLookup = {
    async byReplyTokenHash(hash) {
      asked.push(`token:${hash}`);
      return row(cases.find((c) => c.tokenHash === hash));
    },
    async byCaseNumber(caseNumber) {
      asked.push(`number:${caseNumber}`);
      return row(cases.find((x) => x.case_number === caseNumber));
    },
  };
  const sealer = {
    openJson<T>(sealed: Buffer, aad?: string): T {
      aads.push(aad ?? '');
      return JSON.parse(sealed.toString('utf8')) as T;
    },
  };
  return { deps: { lookup, sealer }, asked, aads };
}

/** A signature check that answers `verdict` for `signer`'s key and `no` for any other. */
function signedBy(signer: openpgp.PublicKey, verdict: ReporterSignature = 'whole') {
  const checked: string[] = [];
  const check = async (key: openpgp.PublicKey) => {
    checked.push(key.getFingerprint());
    return key.getFingerprint() === signer.getFingerprint() ? verdict : 'no';
  };
  return { check, checked };
}

async function newKey(email: string) {
  const { publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ email }],
    format: 'object',
  });
  return publicKey;
}

const reporterCase: FakeCase = {
  id: 'r1',
  case_number: 'NWM-2026-0001',
  program_id: program.id,
  contact: { email: 'Ada@Lab.example ' },
  tokenHash: hashToken(TOKEN),
};
const clues = (c: Partial<MailClues> = {}): MailClues => ({ replyTokens: [], subjects: [], ...c });

let reporterKey: openpgp.PublicKey;
let otherKey: openpgp.PublicKey;
beforeAll(async () => {
  reporterKey = await newKey('ada@lab.example');
  otherKey = await newKey('ada@lab.example');
});
/** The reporter's case with their key stored as the form stores it (the `publicKey` field). */
const keyedCase = (): FakeCase => ({
  ...reporterCase,
  contact: { ...reporterCase.contact, publicKey: `My key:\n${reporterKey.armor()}` },
});

describe('threadOf: a mail joins a case only with proof', () => {
  it('threads by the reply token at the case’s own program, whoever sends it', async () => {
    const w = world([reporterCase]);
    expect(await threadOf(w.deps, program, clues({ replyTokens: [TOKEN], subjects: ['no number'] }))).toEqual(
      {
        kind: 'reply',
        caseNumber: 'NWM-2026-0001',
        proof: 'token',
      },
    );
    // The token is looked up by its hash, as stored; an unsigned mail opens no contact.
    expect(w.asked).toEqual([`token:${hashToken(TOKEN)}`]);
    expect(w.aads).toEqual([]);
  });

  it('threads by any of the reply tokens, not only the first', async () => {
    const w = world([reporterCase]);
    const unknown = 'f'.repeat(32);
    expect(await threadOf(w.deps, program, clues({ replyTokens: [unknown, TOKEN] }))).toMatchObject({
      kind: 'reply',
      proof: 'token',
    });
    expect(w.asked).toEqual([`token:${hashToken(unknown)}`, `token:${hashToken(TOKEN)}`]);
  });

  it('does not thread by a token of another program’s case', async () => {
    const w = world([{ ...reporterCase, program_id: other.id }]);
    expect(await threadOf(w.deps, program, clues({ replyTokens: [TOKEN], subjects: ['hello'] }))).toEqual({
      kind: 'new',
    });
  });

  it('does not thread by a token no case holds', async () => {
    const w = world([reporterCase]);
    expect(await threadOf(w.deps, program, clues({ replyTokens: ['f'.repeat(32)] }))).toEqual({
      kind: 'new',
    });
  });

  it('does not thread a case number from the reporter’s From address: a new case that names it', async () => {
    const w = world([reporterCase]);
    const forged = clues({ subjects: ['Re: [NWM-2026-0001] more'], sender: 'ADA@lab.example' });
    expect(await threadOf(w.deps, program, forged)).toEqual({
      kind: 'new',
      claimed: { caseNumber: 'NWM-2026-0001', fromReporterAddress: true },
    });
    expect(w.aads).toEqual(['report:r1:contact']);
    const other = clues({ subjects: ['Re: [NWM-2026-0001] hijack'], sender: 'eve@evil.example' });
    expect(await threadOf(w.deps, program, other)).toEqual({
      kind: 'new',
      claimed: { caseNumber: 'NWM-2026-0001', fromReporterAddress: false },
    });
    expect(await threadOf(w.deps, program, clues({ subjects: ['[NWM-2026-0001]'] }))).toEqual({
      kind: 'new',
      claimed: { caseNumber: 'NWM-2026-0001', fromReporterAddress: false },
    });
  });

  it('threads a case number when the reporter’s stored key signed the whole mail', async () => {
    const w = world([keyedCase()]);
    const sig = signedBy(reporterKey);
    const mail = clues({ subjects: ['Re: NWM-2026-0001'], sender: 'eve@evil.example' });
    expect(await threadOf({ ...w.deps, signedBy: sig.check }, program, mail)).toEqual({
      kind: 'reply',
      caseNumber: 'NWM-2026-0001',
      proof: 'signature',
      reporterKey: { fingerprint: reporterKey.getFingerprint().toUpperCase(), signed: 'whole' },
    });
    // Checked against the stored key, never against one the mail brought.
    expect(sig.checked).toEqual([reporterKey.getFingerprint()]);
  });

  it('does not thread on a signature by any other key, or over only part of the mail', async () => {
    const w = world([keyedCase()]);
    const mail = clues({ subjects: ['Re: NWM-2026-0001'], sender: 'ada@lab.example' });
    const claimed = { kind: 'new', claimed: { caseNumber: 'NWM-2026-0001', fromReporterAddress: true } };
    // Signed by a key the mail itself carried, with the reporter's address on it.
    expect(await threadOf({ ...w.deps, signedBy: signedBy(otherKey).check }, program, mail)).toEqual(claimed);
    expect(
      await threadOf({ ...w.deps, signedBy: signedBy(reporterKey, 'part').check }, program, mail),
    ).toEqual(claimed);
  });

  it('does not thread a signed mail to a case that has no key, and asks nothing of the signature', async () => {
    const w = world([
      reporterCase,
      {
        ...reporterCase,
        id: 'r2',
        case_number: 'NWM-2026-0002',
        tokenHash: undefined,
        contact: { email: 'ada@lab.example', publicKey: 'not a key' },
      },
    ]);
    const sig = signedBy(reporterKey);
    const mail = clues({ subjects: ['NWM-2026-0001 NWM-2026-0002'], sender: 'ada@lab.example' });
    expect(await threadOf({ ...w.deps, signedBy: sig.check }, program, mail)).toMatchObject({
      kind: 'new',
      claimed: { caseNumber: 'NWM-2026-0001' },
    });
    expect(sig.checked).toEqual([]);
  });

  it('tries each named case: the one whose reporter signed is joined', async () => {
    const w = world([
      reporterCase,
      { ...keyedCase(), id: 'r2', case_number: 'NWM-2026-0002', tokenHash: undefined },
    ]);
    const mail = clues({ subjects: ['NWM-2026-0001 and NWM-2026-0002'] });
    expect(await threadOf({ ...w.deps, signedBy: signedBy(reporterKey).check }, program, mail)).toMatchObject(
      {
        kind: 'reply',
        caseNumber: 'NWM-2026-0002',
        proof: 'signature',
      },
    );
  });

  it('reports what the stored key says of a signed token reply, without needing it to thread', async () => {
    const w = world([keyedCase()]);
    const mail = clues({ replyTokens: [TOKEN] });
    expect(await threadOf({ ...w.deps, signedBy: signedBy(otherKey).check }, program, mail)).toEqual({
      kind: 'reply',
      caseNumber: 'NWM-2026-0001',
      proof: 'token',
      reporterKey: { fingerprint: reporterKey.getFingerprint().toUpperCase(), signed: 'no' },
    });
  });

  it('names no case of another program, nor one that does not exist', async () => {
    const w = world([{ ...keyedCase(), program_id: other.id }]);
    const mail = clues({ subjects: ['[NWM-2026-0001] [NWM-2026-0009]'], sender: 'ada@lab.example' });
    expect(await threadOf({ ...w.deps, signedBy: signedBy(reporterKey).check }, program, mail)).toEqual({
      kind: 'new',
    });
  });

  it('falls back to the case number when the token is another program’s, and still needs proof', async () => {
    const w = world([
      { ...reporterCase, program_id: other.id, tokenHash: hashToken(TOKEN) },
      { ...keyedCase(), id: 'r2', case_number: 'NWM-2026-0002', tokenHash: undefined },
    ]);
    const mail = clues({ replyTokens: [TOKEN], subjects: ['[NWM-2026-0002]'], sender: 'ada@lab.example' });
    expect(await threadOf(w.deps, program, mail)).toEqual({
      kind: 'new',
      claimed: { caseNumber: 'NWM-2026-0002', fromReporterAddress: true },
    });
    expect(await threadOf({ ...w.deps, signedBy: signedBy(reporterKey).check }, program, mail)).toMatchObject(
      {
        kind: 'reply',
        caseNumber: 'NWM-2026-0002',
        proof: 'signature',
      },
    );
  });

  it('reads the case number from the protected (encrypted) subject too', async () => {
    const w = world([keyedCase()]);
    const mail = clues({ subjects: ['...', 'NWM-2026-0001'] });
    expect(await threadOf({ ...w.deps, signedBy: signedBy(reporterKey).check }, program, mail)).toMatchObject(
      {
        proof: 'signature',
      },
    );
  });

  it('reads the program’s own email and key fields when the form names them differently', async () => {
    const renamed: Program = {
      ...program,
      definition: {
        ...definition,
        form: {
          ...definition.form,
          fields: definition.form.fields.map((f) =>
            f.purpose === 'contact.email'
              ? { ...f, id: 'mailbox' }
              : f.purpose === 'contact.publicKey'
                ? { ...f, id: 'pgp' }
                : f,
          ),
        },
      },
    };
    const c = { ...reporterCase, contact: { mailbox: 'ada@lab.example', pgp: reporterKey.armor() } };
    const w = world([c]);
    const mail = clues({ subjects: ['NWM-2026-0001'], sender: 'ada@lab.example' });
    expect(await threadOf(w.deps, renamed, mail)).toMatchObject({
      claimed: { fromReporterAddress: true },
    });
    expect(await threadOf({ ...w.deps, signedBy: signedBy(reporterKey).check }, renamed, mail)).toMatchObject(
      {
        proof: 'signature',
      },
    );
  });
});

describe('replyTokensFor', () => {
  const tagged = (token: string, address = ADDRESS) => address.replace('@', `+r-${token}@`);
  it('finds the token in any recipient of the program, each once, at most four', () => {
    const tokens = ['1', '2', '3', '4', '5'].map((d) => d.repeat(32));
    expect(replyTokensFor(program, [ADDRESS, `${tagged(TOKEN).toUpperCase()}`, tagged(TOKEN)])).toEqual([
      TOKEN,
    ]);
    expect(
      replyTokensFor(
        program,
        tokens.map((t) => tagged(t)),
      ),
    ).toEqual(tokens.slice(0, 4));
  });

  it('ignores other addresses, other tags and tokens at another domain', () => {
    expect(
      replyTokensFor(program, [
        ADDRESS,
        `ada+r-${TOKEN}@lab.example`,
        tagged(TOKEN, 'psirt@evil.example'),
        ADDRESS.replace('@', '+security@'),
        ADDRESS.replace('@', `+r-${TOKEN.slice(1)}@`),
      ]),
    ).toEqual([]);
  });
});

describe('reporterKeyOf', () => {
  it('reads the key given with a form (by purpose) or a first mail (`publicKey`), public part only', async () => {
    expect((await reporterKeyOf(program, { publicKey: reporterKey.armor() }))?.getFingerprint()).toBe(
      reporterKey.getFingerprint(),
    );
    expect(await reporterKeyOf(program, { publicKey: 'no key here' })).toBeUndefined();
    expect(await reporterKeyOf(program, {})).toBeUndefined();
    const broken = reporterKey.armor().replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
    expect(await reporterKeyOf(program, { publicKey: broken })).toBeUndefined();
  });
});

describe('caseNumbersIn', () => {
  it('finds this program’s numbers, each once, at most three', () => {
    expect(
      caseNumbersIn(program, ['NWM-2026-0001 NWM-2026-0001 NWM-2026-0002', 'NWM-2026-0003, NWM-2026-0004']),
    ).toEqual(['NWM-2026-0001', 'NWM-2026-0002', 'NWM-2026-0003']);
  });

  it('ignores other prefixes, short numbers and numbers glued to other words', () => {
    expect(caseNumbersIn(program, ['LHD-2026-0001 NWM-2026-001 XNWM-2026-0001 NWM-2026-00012'])).toEqual([
      'NWM-2026-00012',
    ]);
  });
});

describe('isReporterAddress', () => {
  it('compares addresses case-insensitively and ignores surrounding space in the stored one', () => {
    expect(isReporterAddress(program, { email: ' Ada@Lab.Example' }, 'ada@lab.example')).toBe(true);
    expect(isReporterAddress(program, { email: 'ada@lab.example' }, 'ada@lab.example.evil')).toBe(false);
    expect(isReporterAddress(program, { email: true }, 'true')).toBe(false);
    expect(isReporterAddress(program, {}, 'ada@lab.example')).toBe(false);
  });
});
