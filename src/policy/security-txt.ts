import type { Clock } from '../core/index.js';
import type { KeyService } from '../openpgp/index.js';
import { signCleartext } from '../openpgp/index.js';
import type { Program, ProgramService } from '../programs/index.js';

/**
 * security.txt (RFC 9116). `Expires` is computed at each request from the program's setting
 * (never more than a year ahead), so the file never lapses while the instance runs. Each file is
 * cleartext-signed: a program's file by that program's active key, the instance-wide file by the
 * instance key (see `createSecurityTxtService`).
 */
export interface SecurityTxtFields {
  contacts: string[];
  expires: Date;
  encryption?: string[];
  acknowledgments?: string;
  preferredLanguages?: string[];
  canonical: string[];
  policy?: string[];
  hiring?: string;
  /** CSAF provider metadata (OASIS-registered field); the well-known URL comes first. */
  csaf?: string[];
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

export function renderSecurityTxt(f: SecurityTxtFields, comment?: string): string {
  if (f.contacts.length === 0) throw new Error('security.txt needs at least one Contact');
  const lines: string[] = [];
  if (comment) for (const c of comment.split('\n')) lines.push(`# ${c}`);
  for (const c of f.contacts) lines.push(`Contact: ${c}`);
  // RFC 3339 without fractional seconds, which is what most readers expect.
  lines.push(`Expires: ${f.expires.toISOString().replace(/\.\d{3}Z$/, 'Z')}`);
  for (const e of f.encryption ?? []) lines.push(`Encryption: ${e}`);
  if (f.acknowledgments) lines.push(`Acknowledgments: ${f.acknowledgments}`);
  if (f.preferredLanguages?.length) lines.push(`Preferred-Languages: ${f.preferredLanguages.join(', ')}`);
  for (const c of f.canonical) lines.push(`Canonical: ${c}`);
  for (const p of f.policy ?? []) lines.push(`Policy: ${p}`);
  if (f.hiring) lines.push(`Hiring: ${f.hiring}`);
  for (const c of f.csaf ?? []) lines.push(`CSAF: ${c}`);
  return `${lines.join('\n')}\n`;
}

/** The instance's CSAF provider metadata (served by the disclosure capability). */
export const csafProviderMetadataUrl = (publicUrl: string) =>
  `${publicUrl}/.well-known/csaf/provider-metadata.json`;

/** Where a program's published OpenPGP key is downloaded (the `Encryption` URI). */
export function programKeyUrl(program: Program, publicUrl: string): string {
  return `${publicUrl}/p/${program.slug}/key.asc`;
}

/**
 * The fields of one program's security.txt, as served from `publicUrl`. `hasKey`: Vigil holds an
 * active key for the program, so its download URL comes first in `Encryption`; a `keyUrl` from
 * the program definition follows when it names somewhere else.
 */
export function programSecurityTxt(
  program: Program,
  publicUrl: string,
  now: Date,
  canonical: string,
  hasKey = false,
): SecurityTxtFields {
  const d = program.definition;
  const days = Math.min(d.securityTxt.expiresInDays, 365);
  const contacts = [
    ...d.securityTxt.contacts,
    ...d.intake.emailAddresses.map((e) => `mailto:${e}`),
    ...(d.intake.web ? [`${publicUrl}/p/${program.slug}/report`] : []),
  ];
  return {
    contacts: [...new Set(contacts)],
    expires: new Date(Math.min(now.getTime() + days * 86_400_000, now.getTime() + YEAR_MS)),
    encryption: [
      ...new Set([
        ...(hasKey ? [programKeyUrl(program, publicUrl)] : []),
        ...(d.openpgp?.keyUrl ? [d.openpgp.keyUrl] : []),
      ]),
    ],
    acknowledgments: d.securityTxt.acknowledgments,
    preferredLanguages: d.languages,
    canonical: [canonical],
    policy: [d.policy.url ?? `${publicUrl}/p/${program.slug}`],
    hiring: d.securityTxt.hiring,
    csaf: [csafProviderMetadataUrl(publicUrl)],
  };
}

/**
 * Instance-wide file when several programs share a host: every program's contacts and keys, the
 * portal as policy. `withKey`: the ids of programs that have an active key.
 */
export function instanceSecurityTxt(
  programs: Program[],
  publicUrl: string,
  now: Date,
  withKey: ReadonlySet<string> = new Set(),
): SecurityTxtFields {
  const all = programs.map((p) => programSecurityTxt(p, publicUrl, now, '', withKey.has(p.id)));
  const minExpiry = Math.min(...all.map((f) => f.expires.getTime()));
  return {
    contacts: [...new Set(all.flatMap((f) => f.contacts))],
    expires: new Date(minExpiry),
    encryption: [...new Set(all.flatMap((f) => f.encryption ?? []))],
    preferredLanguages: [...new Set(all.flatMap((f) => f.preferredLanguages ?? []))],
    canonical: [`${publicUrl}/.well-known/security.txt`],
    policy: [`${publicUrl}/`],
    csaf: [csafProviderMetadataUrl(publicUrl)],
  };
}

/** Where the instance key (which signs the instance-wide security.txt) is downloaded. */
export function instanceKeyUrl(publicUrl: string): string {
  return `${publicUrl}/key.asc`;
}

export interface SecurityTxtServiceDeps {
  programs: Pick<ProgramService, 'get' | 'list'>;
  keys: Pick<KeyService, 'publishedKey' | 'signingKey' | 'generate'>;
  clock: Clock;
  publicUrl: string;
  primaryProgram?: string;
  /** The stable URL of the program's published governed policy, if it has one (`Policy:`). */
  governedPolicyUrl?: (program: Program) => Promise<string | undefined>;
  /** Told when a file goes out unsigned because its key cannot sign (e.g. it expired). */
  warn: (detail: { fingerprint?: string; program: string | null; err: unknown }, msg: string) => void;
}

/**
 * Builds the signed security.txt files. The well-known file speaks for the primary program (the
 * one named by VIGIL_PRIMARY_PROGRAM, or the only public one) and is signed by its key; when it
 * lists several programs no program key may speak for all of them, so the instance key signs. The
 * instance key is created on first need rather than at start-up, so instances with one program
 * never carry a key they do not use. Creation is serialised within the process; two instances
 * racing on a shared database at worst both generate, and the later one becomes the active key
 * (the earlier is retired, as after any rotation). A file whose key cannot sign goes out unsigned
 * rather than not at all: a missing security.txt hurts reporters more than an unsigned one.
 */
export function createSecurityTxtService(deps: SecurityTxtServiceDeps) {
  const { publicUrl } = deps;
  let creatingInstanceKey: Promise<unknown> | undefined;

  async function instanceSigningKey() {
    const existing = await deps.keys.signingKey(null);
    if (existing) return existing;
    creatingInstanceKey ??= deps.keys.generate(null, { actor: 'system:security.txt' }).finally(() => {
      creatingInstanceKey = undefined;
    });
    await creatingInstanceKey;
    return deps.keys.signingKey(null);
  }

  async function sign(
    text: string,
    key: Awaited<ReturnType<KeyService['signingKey']>>,
    program: string | null,
  ): Promise<string> {
    if (!key) return text;
    try {
      return await signCleartext(text, key);
    } catch (err) {
      deps.warn(
        { fingerprint: key.getFingerprint().toUpperCase(), program, err },
        'security.txt served unsigned: its key cannot sign',
      );
      return text;
    }
  }

  /** The program with its governed policy's stable URL as policy link, when one is published. */
  async function governed(program: Program): Promise<Program> {
    const url = await deps.governedPolicyUrl?.(program);
    if (!url) return program;
    const d = program.definition;
    return { ...program, definition: { ...d, policy: { ...d.policy, url } } };
  }

  async function hasKey(program: Program): Promise<boolean> {
    return (await deps.keys.publishedKey(program.id)) !== undefined;
  }

  return {
    /** The file for `/.well-known/security.txt`; undefined when no public program exists yet. */
    async wellKnown(): Promise<string | undefined> {
      const programs = (await deps.programs.list()).filter(
        (p) => p.definition.policy.visibility === 'public',
      );
      if (programs.length === 0) return undefined;
      const primary = deps.primaryProgram
        ? programs.find((p) => p.slug === deps.primaryProgram)
        : programs.length === 1
          ? programs[0]
          : undefined;
      const now = deps.clock.now();
      const canonical = `${publicUrl}/.well-known/security.txt`;
      if (primary) {
        const text = renderSecurityTxt(
          programSecurityTxt(await governed(primary), publicUrl, now, canonical, await hasKey(primary)),
        );
        return sign(text, await deps.keys.signingKey(primary.id), primary.slug);
      }
      const withKey = new Set<string>();
      for (const p of programs) if (await hasKey(p)) withKey.add(p.id);
      const text = renderSecurityTxt(
        instanceSecurityTxt(programs, publicUrl, now, withKey),
        `This host runs ${programs.length} disclosure programs; each program's own file is at ${publicUrl}/p/<program>/security.txt\nThis file is signed by the instance key: ${instanceKeyUrl(publicUrl)}`,
      );
      return sign(text, await instanceSigningKey(), null);
    },

    /** The file for `/p/<slug>/security.txt`, signed by the program's key when it has one. */
    async ofProgram(slug: string): Promise<string> {
      const program = await deps.programs.get(slug);
      const text = renderSecurityTxt(
        programSecurityTxt(
          await governed(program),
          publicUrl,
          deps.clock.now(),
          `${publicUrl}/p/${program.slug}/security.txt`,
          await hasKey(program),
        ),
      );
      return sign(text, await deps.keys.signingKey(program.id), program.slug);
    },
  };
}

export type SecurityTxtService = ReturnType<typeof createSecurityTxtService>;
