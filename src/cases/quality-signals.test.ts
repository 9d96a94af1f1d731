import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../test/helpers/cli.js';
import { type Program, parseProgramYaml } from '../programs/index.js';
import {
  buildScopeMatcher,
  computeSignals,
  findStructure,
  inRange,
  matchScope,
  pocAttachments,
  type SignalInput,
  summarizeSignals,
  versionStanding,
} from './quality-signals.js';

const load = (file: string, slug: string): Program => ({
  id: slug,
  slug,
  revision: 1,
  definition: parseProgramYaml(readFileSync(path.join(repoRoot, 'examples/programs', file), 'utf8')),
});
const lakeside = load('clinical-data-platform.yaml', 'lakeside-health');
const northwind = load('medical-device-maker.yaml', 'northwind-medical');

const GENUINE = `The export endpoint returns other tenants' data.

1. Sign in as a user of tenant A.
2. Request GET /api/v2/exports?exportId=1234&tenantId=B
3. The response holds tenant B's export.

\`\`\`
GET /api/v2/exports?exportId=1234&tenantId=B HTTP/1.1
Host: app.lakeside-health.example
\`\`\``;

const JUNK = `I have identified a critical security vulnerability in your system that could allow
attackers to compromise sensitive data. This issue poses a significant risk to your organization
and its users. It is important to address this vulnerability promptly to ensure the security and
integrity of your platform. Please let me know if you need any further information.`;

function input(program: Program, content: Record<string, string>, extra: Partial<SignalInput> = {}) {
  return { program, content, files: [], similar: null, standing: null, ...extra };
}

describe('quality signals', () => {
  it('rewards product, in-scope version, steps, code and real endpoints, and explains each', () => {
    const s = computeSignals(
      input(lakeside, {
        summary: 'Broken access control in exports',
        details: GENUINE,
        stepsToReproduce: 'see details',
        product: 'lakeside-platform',
        version: '2026.11',
        aiUse: 'none',
      }),
    );
    const by = (k: string) => s.items.find((i) => i.kind === k);
    expect(by('product')?.explanation).toBe('product named: Lakeside Clinical Data Platform');
    // "current production release" has no number to compare with: named, not judged.
    expect(by('version')?.explanation).toBe(
      'a version named (not comparable with the scope of Lakeside Clinical Data Platform)',
    );
    expect(by('reproduction')?.explanation).toMatch(
      /^reproduction: 3 numbered steps; 3 lines of code or commands$/,
    );
    expect(by('components')?.explanation).toBe(
      '3 in-scope endpoints or components mentioned: /api/v2/exports, exportId, tenantId',
    );
    expect(by('aiUse')?.explanation).toBe('declared AI use: No AI tools were used');
    expect(s.score).toBeGreaterThanOrEqual(85);
    // Explanations carry the program's words only: nothing of the report's own text.
    expect(JSON.stringify(s)).not.toMatch(/tenant A|1234|Broken access|app\.lakeside/);
  });

  it('scores generic text without product, version or structure low, and says why', () => {
    const s = computeSignals(
      input(lakeside, {
        summary: 'Critical vulnerability',
        details: JUNK,
        product: 'other',
        aiUse: 'generated',
      }),
    );
    expect(summarizeSignals(s)).toContain('no known product named ("other"); no version named');
    expect(summarizeSignals(s)).toContain('0 in-scope endpoints mentioned');
    expect(summarizeSignals(s)).toContain('no steps to reproduce, code, requests or proof-of-concept files');
    expect(s.score).toBeLessThan(40);
  });

  it('is deterministic', () => {
    const a = computeSignals(input(lakeside, { details: GENUINE, product: 'lakeside-platform' }));
    const b = computeSignals(input(lakeside, { details: GENUINE, product: 'lakeside-platform' }));
    expect(a).toEqual(b);
  });

  it('matches out-of-scope categories by name, id and known words', () => {
    const s = computeSignals(
      input(lakeside, { details: 'A DDoS flood takes the portal down; also phishing of staff works.' }),
    );
    expect(s.outOfScope).toEqual(['denial-of-service', 'social-engineering']);
    expect(s.items.find((i) => i.kind === 'outOfScope')?.explanation).toBe(
      'matches out-of-scope categories: Denial of service, Social engineering',
    );
  });

  it('finds a product and a version in an email report, and judges the version against the scope', () => {
    const email = {
      subject: 'Aurora IP-400 drug library update is unsigned',
      message: 'On firmware 2.8 the DLU server accepts any drug library.',
    };
    const s = computeSignals(input(northwind, email));
    expect(s.items.find((i) => i.kind === 'product')?.explanation).toBe(
      'product named: Aurora IP-400 Infusion Pump',
    );
    expect(s.items.find((i) => i.kind === 'version')?.explanation).toBe(
      'the version named is outside the supported range of Aurora IP-400 Infusion Pump',
    );
    expect(s.items.find((i) => i.kind === 'components')?.explanation).toContain('DLU server, drug library');
  });

  it('counts earlier reports that ended badly against the reporter, and names the basis', () => {
    const s = computeSignals(
      input(
        lakeside,
        { details: JUNK },
        {
          standing: { basis: 'address', earlier: 3, byOutcome: { out_of_scope: 2, received: 1 } },
        },
      ),
    );
    const st = s.items.find((i) => i.kind === 'standing');
    expect(st).toEqual({
      kind: 'standing',
      tone: 'bad',
      points: -12,
      explanation:
        '3 earlier reports from this reporter (by address, unverified): 2 out of scope, 1 received',
    });
  });

  it('marks a likely duplicate', () => {
    const s = computeSignals(
      input(lakeside, { details: GENUINE }, { similar: { caseNumber: 'LHD-2026-0001', score: 0.71 } }),
    );
    expect(s.items.find((i) => i.kind === 'similar')).toMatchObject({
      tone: 'bad',
      points: -12,
      explanation: 'similar to LHD-2026-0001 (score 0.71)',
    });
  });
});

describe('pieces', () => {
  it('compares versions with the scope ranges programs write', () => {
    expect(inRange('3.2', 'firmware >= 3.0')).toBe(true);
    expect(inRange('2.9.9', 'firmware >= 3.0')).toBe(false);
    expect(inRange('4.9.1', '4.x and earlier')).toBe(true);
    expect(inRange('5.0', '4.x and earlier')).toBe(false);
    expect(inRange('1.0', 'current production release')).toBe(null);
    expect(inRange('9', 'all')).toBe(true);
    const ranges = [
      { versions: '>= 5.0', inScope: true },
      { versions: '4.x and earlier', inScope: false },
    ];
    expect(versionStanding('5.1', ranges)).toBe('in');
    expect(versionStanding('4.2', ranges)).toBe('out');
    expect(versionStanding('1.0', [{ versions: 'current production release', inScope: true }])).toBe(
      'unknown',
    );
  });

  it('reads structure from line starts', () => {
    expect(findStructure(['1. open\n2) click\nStep 3: see'])).toEqual({
      numberedSteps: 3,
      codeLines: 0,
      httpRequests: 0,
    });
    expect(findStructure(['$ curl -k https://x\nHTTP/1.1 200 OK\n    indented();'])).toEqual({
      numberedSteps: 0,
      codeLines: 2,
      httpRequests: 1,
    });
  });

  it('knows proof-of-concept attachments by kind, not by name', () => {
    expect(
      pocAttachments([
        { name: 'exploit.py', contentType: 'text/x-python' },
        { name: 'trace.pcapng', contentType: 'application/octet-stream' },
        { name: 'original-message.eml', contentType: 'message/rfc822' },
        { name: 'notes.docx', contentType: 'application/msword' },
      ]),
    ).toEqual(['.pcapng', '.py']);
  });

  it('matches multi-word components as whole words only', () => {
    const m = buildScopeMatcher(lakeside);
    const hits = matchScope(m, ['the Report Builder and /api/v2/patients/7 but not reportbuilder']);
    expect([...hits.components].map((c) => c.split('\u0000')[1]).sort()).toEqual([
      '/api/v2/patients',
      'report builder',
    ]);
  });
});

describe('cost on hostile input', () => {
  const MiB = 1024 * 1024;
  // Shapes of the kind test/fuzz sends: long runs, many lines, near misses of every pattern.
  const shapes: Record<string, (bytes: number) => string> = {
    'one long word': (n) => 'a'.repeat(n),
    'a cue then spaces': (n) => `firmware${' '.repeat(n)}x`,
    'only newlines': (n) => '\n'.repeat(n),
    'numbered lines': (n) => '1. a\n'.repeat(n / 5),
    'near-miss HTTP lines': (n) => `GET ${'/a'.repeat(200)} HTT\n`.repeat(n / 410),
    'fence storm': (n) => '```\n'.repeat(n / 4),
    'component prefixes': (n) => 'report report report bulk data '.repeat(n / 31),
    'digits and dots': (n) => '1.2.3.4.5.6.7.8.9.'.repeat(n / 18),
    'unicode words': (n) => 'ünïcödé 漢字かな '.repeat(n / 16),
  };
  const matcher = buildScopeMatcher(lakeside);
  /**
   * The least CPU time of a few runs, in ms: the process's own CPU (not the wall clock), so that
   * other processes on the machine, which deschedule a long run more often than a short one, do
   * not stretch the large input's figure against the small one's.
   */
  const time = (text: string) => {
    const content = {
      details: text,
      summary: text.slice(0, 1000),
      product: 'lakeside-platform',
      version: text,
    };
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 4; i++) {
      const started = process.cpuUsage();
      computeSignals(input(lakeside, content), matcher);
      const used = process.cpuUsage(started);
      best = Math.min(best, (used.user + used.system) / 1000);
    }
    return best;
  };
  for (const [name, make] of Object.entries(shapes)) {
    it(`1 MiB of ${name} is read in linear time`, () => {
      const small = time(make(MiB / 8));
      const large = time(make(MiB));
      // 2 MiB of text (details and version): about 10-25 ms on an idle core; a quadratic pass
      // would take seconds, and 8 times the text would cost 64 times, not 8: the ratio catches a
      // superlinear pattern even on a loaded machine (floors and margins absorb its noise).
      expect(large).toBeLessThan(200);
      expect(large / Math.max(small, 2)).toBeLessThan(32);
    });
  }
});
