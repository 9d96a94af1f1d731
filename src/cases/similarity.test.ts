import { describe, expect, it } from 'vitest';
import {
  buildCorpus,
  type CaseFeatureInput,
  extractEndpoints,
  extractFeatures,
  normaliseCwe,
  normalisePath,
  rankSimilar,
  SIMILARITY_THRESHOLD,
  scoreSimilarity,
  tokenize,
  versionTokens,
} from './similarity.js';

const pump = { id: 'aurora-ip400', name: 'Aurora IP-400 Infusion Pump' };
const monitor = { id: 'beacon-pm7', name: 'Beacon PM-7 Patient Monitor' };

const input = (over: Partial<CaseFeatureInput>): CaseFeatureInput => ({
  texts: [],
  products: [],
  cwes: [],
  ...over,
});

describe('endpoint extraction', () => {
  it('takes hosts, paths and query-parameter names from URLs and bare paths', () => {
    const { endpoints, rest } = extractEndpoints(
      'GET https://ehr.hospital.example/api/v1/patients/8812?include=records&token=x. ' +
        'Also POST /api/v1/Patients/8813/notes, and the host portal.lakeside.example answers too.',
    );
    expect([...endpoints].sort()).toEqual([
      'host:ehr.hospital.example',
      'host:portal.lakeside.example',
      'param:include',
      'param:token',
      'path:/api/v1/patients/{id}',
      'path:/api/v1/patients/{id}/notes',
    ]);
    expect(rest).not.toContain('https://');
    expect(rest).not.toContain('/api/v1');
  });

  it('folds identifiers, drops trailing slashes and ignores lone short segments', () => {
    expect(normalisePath('/Devices/3f2a9c1e-0b7d-4c55-9a1e-2b3c4d5e6f70/Config/')).toBe(
      '/devices/{id}/config',
    );
    expect(normalisePath('/files/0123456789abcdef0123')).toBe('/files/{id}');
    expect(normalisePath('/a')).toBeNull();
    expect(normalisePath('/1234')).toBeNull();
    expect(normalisePath('/')).toBeNull();
  });

  it('does not mistake "and/or", file names or versions for endpoints', () => {
    expect([...extractEndpoints('read and/or write firmware.bin on version 4.2.1').endpoints]).toEqual([]);
  });
});

describe('normalisation', () => {
  it('tokenises to lower-case words without stop words, numbers or short words', () => {
    expect(tokenize('The Bolus-dose limit is NOT enforced on 4 pumps; Überlauf in the parser')).toEqual([
      'bolus',
      'dose',
      'limit',
      'enforced',
      'pumps',
      'überlauf',
      'parser',
    ]);
  });

  it('reads CWE ids and version numbers as people write them', () => {
    expect(['CWE-79', 'cwe 79', '79', 'CWE-0079'].map(normaliseCwe)).toEqual([
      'CWE-79',
      'CWE-79',
      'CWE-79',
      'CWE-79',
    ]);
    expect(normaliseCwe('XSS')).toBeNull();
    expect(versionTokens('>= 3.0, < 3.4.2')).toEqual(['3.0', '3.4.2']);
    expect(versionTokens('firmware 4.2')).toEqual(['4.2']);
  });
});

describe('scoring', () => {
  const overflow =
    'The drug library update service accepts an unsigned library file, so a crafted library can set the bolus dose limit above the safe maximum.';
  const target = extractFeatures(
    input({
      texts: [overflow, 'Upload via https://pump.northwind.example/api/v1/library/upload?format=raw'],
      products: [{ ...pump, versions: ['4.2'] }],
      cwes: ['CWE-347'],
    }),
  );
  const duplicate = extractFeatures(
    input({
      texts: [
        'An unsigned drug library file is accepted by the library update service; the bolus dose limit can be raised.',
        'POST /api/v1/library/upload',
      ],
      products: [{ ...pump, versions: ['firmware 4.2'] }],
      cwes: ['347'],
    }),
  );
  const unrelated = extractFeatures(
    input({
      texts: [
        'The monitor web console reflects the alarm label unescaped, so script runs in the nurse browser.',
      ],
      products: [{ ...monitor, versions: ['2.5'] }],
      cwes: ['CWE-79'],
    }),
  );
  const sameProductOnly = extractFeatures(
    input({
      texts: ['Telnet is left enabled on the service port with a default password for technicians.'],
      products: [{ ...pump, versions: ['3.1'] }],
    }),
  );
  const fillers = [
    'Battery drains quickly in standby',
    'Keypad beeps twice after reboot',
    'Screen dims early',
  ].map((t) => extractFeatures(input({ texts: [t] })));

  it('ranks the duplicate first, with every reason named', () => {
    const ranked = rankSimilar(
      target,
      [unrelated, sameProductOnly, duplicate, ...fillers].map((features, i) => ({ item: i, features })),
      { limit: 5 },
    );
    expect(ranked.map((r) => r.item)).toEqual([2]);
    const [best] = ranked;
    expect(best?.score).toBeGreaterThan(0.5);
    expect(best?.reasons).toEqual(
      expect.arrayContaining([
        { kind: 'product', detail: 'same product: Aurora IP-400 Infusion Pump' },
        { kind: 'version', detail: 'same version: Aurora IP-400 Infusion Pump 4.2' },
        { kind: 'cwe', detail: 'same weakness: CWE-347' },
        { kind: 'endpoint', detail: 'shared endpoint: /api/v1/library/upload' },
      ]),
    );
    const text = best?.reasons.find((r) => r.kind === 'text');
    expect(text?.detail).toMatch(/^similar text \(\d+ %\): /);
    expect(text?.detail).toContain('library');
  });

  it('leaves a case sharing only the product below the threshold, and gives no text reason for noise', () => {
    const corpus = buildCorpus([target, unrelated, sameProductOnly, duplicate, ...fillers]);
    const s = scoreSimilarity(target, sameProductOnly, corpus);
    expect(s.score).toBeLessThanOrEqual(SIMILARITY_THRESHOLD);
    expect(s.reasons).toEqual([{ kind: 'product', detail: 'same product: Aurora IP-400 Infusion Pump' }]);
    expect(scoreSimilarity(target, unrelated, corpus)).toEqual({ score: 0, reasons: [] });
  });

  it('discounts what every case shares: the vendor host named in all reports is no reason', () => {
    const withHost = (text: string) =>
      extractFeatures(input({ texts: [`${text} See https://www.northwind.example/security`] }));
    const cases = [
      withHost('Pump alarm silenced remotely'),
      withHost('Monitor reboots on malformed HL7'),
      withHost('Gateway logs tokens'),
      withHost('Default credentials on service menu'),
    ];
    const corpus = buildCorpus(cases);
    const s = scoreSimilarity(cases[0] as never, cases[1] as never, corpus);
    expect(s.reasons.filter((r) => r.kind === 'endpoint')).toEqual([]);
    expect(s.score).toBeLessThan(0.1);
  });

  it('still pairs the only two cases of a program', () => {
    const a = extractFeatures(input({ texts: ['Heap overflow in the DICOM parser via /dicom/upload'] }));
    const b = extractFeatures(input({ texts: ['DICOM parser heap overflow when posting to /dicom/upload'] }));
    const ranked = rankSimilar(a, [{ item: 'b', features: b }], { limit: 5 });
    expect(ranked.map((r) => r.item)).toEqual(['b']);
    expect(ranked[0]?.reasons.map((r) => r.kind)).toEqual(['endpoint', 'text']);
  });

  it('returns at most the limit, best first, ties in the given order', () => {
    const same = Array.from({ length: 8 }, () => ({ item: 0, features: duplicate })).map((c, i) => ({
      ...c,
      item: i,
    }));
    const ranked = rankSimilar(target, [...same, ...fillers.map((f) => ({ item: 99, features: f }))], {
      limit: 5,
    });
    expect(ranked.map((r) => r.item)).toEqual([0, 1, 2, 3, 4]);
  });
});
