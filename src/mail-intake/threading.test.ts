import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../crypto/index.js';
import type { ProgramAddress } from '../mail/index.js';
import { type Program, parseProgramYaml } from '../programs/index.js';
import { caseNumbersIn, isReporterAddress, type ThreadLookup, threadOf } from './threading.js';

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
  const lookup: ThreadLookup = {
    async byReplyTokenHash(hash) {
      asked.push(`token:${hash}`);
      return cases.find((c) => c.tokenHash === hash);
    },
    async byCaseNumber(caseNumber) {
      asked.push(`number:${caseNumber}`);
      const c = cases.find((x) => x.case_number === caseNumber);
      return (
        c && { id: c.id, program_id: c.program_id, contact_sealed: Buffer.from(JSON.stringify(c.contact)) }
      );
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

const reporterCase: FakeCase = {
  id: 'r1',
  case_number: 'NWM-2026-0001',
  program_id: program.id,
  contact: { email: 'Ada@Lab.example ' },
  tokenHash: hashToken(TOKEN),
};
const to = (replyToken?: string, p: Program = program): ProgramAddress => ({
  program: p,
  address: ADDRESS,
  ...(replyToken ? { replyToken } : {}),
});

describe('threadOf: a mail joins a case only with proof', () => {
  it('threads by the reply token at the case’s own program, whoever sends it', async () => {
    const w = world([reporterCase]);
    expect(await threadOf(w.deps, to(TOKEN), ['no number here'], undefined)).toEqual({
      caseNumber: 'NWM-2026-0001',
      proof: 'token',
    });
    // The token is looked up by its hash, as stored.
    expect(w.asked).toEqual([`token:${hashToken(TOKEN)}`]);
  });

  it('does not thread by a token of another program’s case', async () => {
    const w = world([{ ...reporterCase, program_id: other.id }]);
    expect(await threadOf(w.deps, to(TOKEN), ['hello'], 'ada@lab.example')).toBeUndefined();
  });

  it('does not thread by a token no case holds', async () => {
    const w = world([reporterCase]);
    expect(await threadOf(w.deps, to('f'.repeat(32)), ['hello'], undefined)).toBeUndefined();
  });

  it('threads by case number only when the sender is the case’s reporter', async () => {
    const w = world([reporterCase]);
    expect(await threadOf(w.deps, to(), ['Re: [NWM-2026-0001] more'], 'ADA@lab.example')).toEqual({
      caseNumber: 'NWM-2026-0001',
      proof: 'sender',
    });
    expect(w.aads).toEqual(['report:r1:contact']);
    expect(await threadOf(w.deps, to(), ['Re: [NWM-2026-0001] hijack'], 'eve@evil.example')).toBeUndefined();
  });

  it('never threads a case number without a sender address', async () => {
    const w = world([reporterCase]);
    expect(await threadOf(w.deps, to(), ['[NWM-2026-0001]'], undefined)).toBeUndefined();
    expect(w.asked).toEqual([]);
  });

  it('does not thread a case number of another program, even from its reporter', async () => {
    const w = world([{ ...reporterCase, program_id: other.id }]);
    expect(await threadOf(w.deps, to(), ['[NWM-2026-0001]'], 'ada@lab.example')).toBeUndefined();
  });

  it('falls back to the case number when the token is another program’s', async () => {
    const w = world([
      { ...reporterCase, program_id: other.id, tokenHash: hashToken(TOKEN) },
      { ...reporterCase, id: 'r2', case_number: 'NWM-2026-0002', tokenHash: undefined },
    ]);
    expect(await threadOf(w.deps, to(TOKEN), ['[NWM-2026-0002]'], 'ada@lab.example')).toEqual({
      caseNumber: 'NWM-2026-0002',
      proof: 'sender',
    });
  });

  it('reads the case number from the protected (encrypted) subject too', async () => {
    const w = world([reporterCase]);
    expect(await threadOf(w.deps, to(), ['...', 'NWM-2026-0001'], 'ada@lab.example')).toMatchObject({
      proof: 'sender',
    });
  });

  it('matches the program’s own email field when the form names it differently', async () => {
    const renamed: Program = {
      ...program,
      definition: {
        ...definition,
        form: {
          ...definition.form,
          fields: definition.form.fields.map((f) =>
            f.purpose === 'contact.email' ? { ...f, id: 'mailbox' } : f,
          ),
        },
      },
    };
    const c = { ...reporterCase, contact: { mailbox: 'ada@lab.example' } };
    const w = world([c]);
    expect(
      await threadOf(w.deps, to(undefined, renamed), ['NWM-2026-0001'], 'ada@lab.example'),
    ).toMatchObject({
      proof: 'sender',
    });
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
