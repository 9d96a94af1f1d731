import { createHash } from 'node:crypto';
import * as openpgp from 'openpgp';
import { type FieldProblem, ValidationError, VigilError } from '../core/index.js';
import type { Program } from '../programs/index.js';
import type { AdvisoryContent, AdvisoryRelease, AdvisoryRevisionEntry } from './advisory-model.js';
import { advisoryPath } from './advisory-read-model.js';
import { validateCsafOffThread } from './artefacts-validator.js';
import { buildCsafAdvisory, type CsafCategory, csafFileName } from './csaf-document.js';
import { buildCveRecord } from './cve-record.js';
import { validateCveRecord } from './cve-validate.js';

/**
 * The machine-readable artefacts of an advisory revision, as publication produces them: the CSAF
 * 2.0 security advisory (and VEX when the program asks for it) and, for a CNA program, one CVE
 * JSON 5 record per CVE. `checkArtefacts` builds and checks them (the author's warnings, the
 * approver's and publisher's refusals); `prepareArtefacts` also serialises, hashes and signs —
 * outside any transaction, because signing is slow — and `storeArtefacts` (artefacts-store.ts)
 * writes the prepared bytes in the publishing transaction.
 *
 * Invariant: the bytes hashed and signed are the bytes stored and served (canonical JSON text:
 * keys sorted, two-space indent, one final newline), so a recomputed hash always matches.
 */

export const ARTEFACT_KINDS = ['csaf_security_advisory', 'csaf_vex', 'cve_record'] as const;
export type ArtefactKind = (typeof ARTEFACT_KINDS)[number];

/** Where the public TLP:WHITE directory distribution lives under the instance's URL. */
export const CSAF_WHITE_PATH = '/.well-known/csaf/white';

export interface ArtefactInput {
  program: Program;
  publicId: string;
  revision: { number: number; summary: string };
  content: AdvisoryContent;
  /** Revisions published before this one (their history entries). */
  history: AdvisoryRevisionEntry[];
  /** The advisory's first publication, when it already had one. */
  initialReleaseAt: string | null;
  /** The publication instant the artefacts carry (for a draft: what publishing now would give). */
  now: Date;
  publicUrl: string;
  /** The CNA organisation UUID (`VIGIL_CVE_ORG_ID`); no CVE records without it. */
  cveOrgId?: string;
  /** The official CVE record schema to check records with too (`VIGIL_CVE_SCHEMA`). */
  cveSchemaPath?: string;
  engineVersion?: string;
}

export interface ArtefactFinding {
  /** Which artefact: `csaf_security_advisory`, `csaf_vex` or `cve_record/CVE-…`. */
  artefact: string;
  test: string;
  path: string;
  message: string;
}

export interface ArtefactChecks {
  errors: ArtefactFinding[];
  warnings: ArtefactFinding[];
}

export interface BuiltArtefact {
  kind: ArtefactKind;
  /** CSAF file name or CVE ID. */
  name: string;
  year: number;
  /** CSAF TLP label of the advisory (WHITE for TLP:CLEAR). */
  tlp: string;
  title: string;
  json: object;
}

export interface PreparedArtefact extends Omit<BuiltArtefact, 'json'> {
  body: string;
  sha256: string;
  sha512: string;
  signature: string | null;
  signerFingerprint: string | null;
}

export interface PreparedArtefacts {
  artefacts: PreparedArtefact[];
  warnings: ArtefactFinding[];
  initialReleaseAt: string;
  currentReleaseAt: string;
}

/** JSON with every object's keys sorted, two-space indent and a final newline: the stored bytes. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, sort(x)]),
    );
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

const TLP_WHITE: Record<AdvisoryContent['tlp'], string> = {
  CLEAR: 'WHITE',
  GREEN: 'GREEN',
  AMBER: 'AMBER',
  'AMBER+STRICT': 'RED',
  RED: 'RED',
};

/** The release the builders need, as publication at `input.now` would make it. */
export function releaseOf(input: ArtefactInput): AdvisoryRelease {
  const nowIso = input.now.toISOString();
  const number = String(input.revision.number);
  const d = input.program.definition;
  return {
    id: input.publicId,
    content: input.content,
    revision: number,
    initialReleaseDate: input.initialReleaseAt ?? nowIso,
    currentReleaseDate: nowIso,
    history: [
      ...input.history.filter((h) => h.number !== number),
      { number, date: nowIso, summary: input.revision.summary },
    ],
    status: 'final',
    publisher: {
      name: d.vendor.name,
      namespace: d.vendor.website ? new URL(d.vendor.website).origin : new URL(input.publicUrl).origin,
    },
    url: `${input.publicUrl}${advisoryPath(input.program.slug, input.publicId)}`,
    lang: d.languages[0] ?? 'en',
  };
}

const problemsOf = (err: unknown): FieldProblem[] | undefined =>
  err instanceof ValidationError ? err.fields : undefined;

/** Build every artefact of the revision; builder refusals become errors, missing CNA setup a warning. */
export function buildArtefacts(input: ArtefactInput): { built: BuiltArtefact[] } & ArtefactChecks {
  const release = releaseOf(input);
  const d = input.program.definition;
  const year = new Date(release.initialReleaseDate).getUTCFullYear();
  const tlp = TLP_WHITE[input.content.tlp];
  const errors: ArtefactFinding[] = [];
  const warnings: ArtefactFinding[] = [];
  const built: BuiltArtefact[] = [];
  const base = input.content.tlp === 'CLEAR' ? `${input.publicUrl}${CSAF_WHITE_PATH}` : undefined;

  const categories: CsafCategory[] = [
    'csaf_security_advisory',
    ...(d.disclosure.csaf.vex ? ['csaf_vex' as const] : []),
  ];
  for (const category of categories) {
    // A VEX document is a document of its own: its tracking id (hence file name) must differ.
    const r =
      category === 'csaf_vex'
        ? {
            ...release,
            id: `${release.id}-VEX`,
            content: { ...release.content, title: `${release.content.title} (VEX)` },
          }
        : release;
    try {
      const json = buildCsafAdvisory(r, d.scope.products, {
        category,
        distributionBaseUrl: base,
        engineVersion: input.engineVersion,
        generatedAt: release.currentReleaseDate,
      });
      built.push({ kind: category, name: csafFileName(r.id), year, tlp, title: r.content.title, json });
    } catch (err) {
      const problems = problemsOf(err);
      if (!problems) throw err;
      for (const p of problems)
        errors.push({ artefact: category, test: 'build', path: p.path, message: p.message });
    }
  }

  const cna = d.disclosure.cna;
  const withCve = input.content.vulnerabilities.filter((v) => v.cve);
  if (cna.enabled && withCve.length > 0) {
    if (!input.cveOrgId || !cna.shortName) {
      warnings.push({
        artefact: 'cve_record',
        test: 'configuration',
        path: '',
        message: !input.cveOrgId
          ? 'No CVE records are generated: VIGIL_CVE_ORG_ID (the CNA organisation UUID) is not set.'
          : `No CVE records are generated: the program has no disclosure.cna.shortName.`,
      });
    } else {
      for (const v of withCve) {
        const artefact = `cve_record/${v.cve}`;
        try {
          const json = buildCveRecord(
            release,
            v,
            { orgId: input.cveOrgId, shortName: cna.shortName },
            { vendor: d.vendor.name },
          );
          built.push({ kind: 'cve_record', name: v.cve as string, year, tlp, title: v.title, json });
        } catch (err) {
          const problems = problemsOf(err);
          if (!problems) throw err;
          for (const p of problems)
            errors.push({ artefact, test: 'build', path: p.path, message: p.message });
        }
      }
    }
  }
  // A program that is not a CNA got its CVE IDs from another CNA, which publishes their records.
  return { built, errors, warnings };
}

/**
 * Build and check every artefact: CSAF schema + mandatory tests and CVE schema failures are
 * errors (publishing is refused), CSAF recommended/informative findings are warnings.
 */
export async function checkArtefacts(
  input: ArtefactInput,
): Promise<{ built: BuiltArtefact[] } & ArtefactChecks> {
  const out = buildArtefacts(input);
  for (const a of out.built) {
    const artefact = a.kind === 'cve_record' ? `cve_record/${a.name}` : a.kind;
    if (a.kind === 'cve_record') {
      const check = validateCveRecord(a.json, { schemaPath: input.cveSchemaPath });
      for (const line of check.errors) {
        const at = line.indexOf(': ');
        out.errors.push({
          artefact,
          test: 'cve_json_5',
          path: at > 0 ? line.slice(0, at) : '',
          message: at > 0 ? line.slice(at + 2) : line,
        });
      }
      continue;
    }
    const v = await validateCsafOffThread(a.json);
    for (const e of v.errors) out.errors.push({ artefact, ...e });
    for (const w of v.warnings) out.warnings.push({ artefact, ...w });
  }
  return out;
}

/** One line per finding, for refusals and the CLI. */
export const describeFindings = (findings: ArtefactFinding[]) =>
  findings.map((f) => `${f.artefact} ${f.path || '/'}: ${f.message} (${f.test})`).join('\n');

/** The refusal when any artefact fails: a 400 naming each artefact, pointer and validator test. */
export function artefactRefusal(errors: ArtefactFinding[]): ValidationError {
  return new ValidationError(
    errors.map((e) => ({ path: `${e.artefact}${e.path}`, message: `${e.message} (${e.test})` })),
    `The advisory's machine-readable documents fail validation, so it cannot be approved or published:\n${describeFindings(errors)}`,
  );
}

/** A detached, armored OpenPGP signature over the exact bytes (binary signature, as `gpg --verify` checks a file). */
export async function signDetached(bytes: Uint8Array, key: openpgp.PrivateKey): Promise<string> {
  const message = await openpgp.createMessage({ binary: bytes });
  const signature = await openpgp.sign({ message, signingKeys: key, detached: true, format: 'armored' });
  return signature.replace(/\r\n/g, '\n');
}

/**
 * Build, check, serialise, hash and sign. Refuses (ValidationError carrying the validators'
 * messages) when any artefact fails its schema or mandatory tests; the warnings come back.
 * `signingKey`: the program's active key; without one the artefacts are stored unsigned.
 */
export async function prepareArtefacts(
  input: ArtefactInput,
  signingKey: openpgp.PrivateKey | undefined,
): Promise<PreparedArtefacts> {
  const { built, errors, warnings } = await checkArtefacts(input);
  if (errors.length > 0) throw artefactRefusal(errors);
  const release = releaseOf(input);
  const artefacts: PreparedArtefact[] = [];
  for (const { json, ...a } of built) {
    const body = canonicalJson(json);
    const bytes = Buffer.from(body, 'utf8');
    artefacts.push({
      ...a,
      body,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      sha512: createHash('sha512').update(bytes).digest('hex'),
      signature: signingKey ? await signOrRefuse(bytes, signingKey) : null,
      signerFingerprint: signingKey ? signingKey.getFingerprint().toUpperCase() : null,
    });
  }
  return {
    artefacts,
    warnings,
    initialReleaseAt: release.initialReleaseDate,
    currentReleaseAt: release.currentReleaseDate,
  };
}

async function signOrRefuse(bytes: Uint8Array, key: openpgp.PrivateKey): Promise<string> {
  try {
    return await signDetached(bytes, key);
  } catch (err) {
    throw new VigilError(
      409,
      'signing_key_unusable',
      `The program's OpenPGP key ${key.getFingerprint().toUpperCase()} cannot sign the advisory's documents (${err instanceof Error ? err.message : String(err)}); replace the key, then publish again.`,
    );
  }
}
