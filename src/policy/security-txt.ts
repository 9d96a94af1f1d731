import type { Program } from '../programs/index.js';

/**
 * security.txt (RFC 9116). `Expires` is computed at each request from the program's setting
 * (never more than a year ahead), so the file never lapses while the instance runs. Signing with
 * the program's OpenPGP key arrives with program keys.
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
  return `${lines.join('\n')}\n`;
}

/** The fields of one program's security.txt, as served from `publicUrl`. */
export function programSecurityTxt(
  program: Program,
  publicUrl: string,
  now: Date,
  canonical: string,
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
    encryption: d.openpgp?.keyUrl ? [d.openpgp.keyUrl] : undefined,
    acknowledgments: d.securityTxt.acknowledgments,
    preferredLanguages: d.languages,
    canonical: [canonical],
    policy: [d.policy.url ?? `${publicUrl}/p/${program.slug}`],
    hiring: d.securityTxt.hiring,
  };
}

/** Instance-wide file when several programs share a host: every program's contacts, the portal as policy. */
export function instanceSecurityTxt(programs: Program[], publicUrl: string, now: Date): SecurityTxtFields {
  const all = programs.map((p) => programSecurityTxt(p, publicUrl, now, ''));
  const minExpiry = Math.min(...all.map((f) => f.expires.getTime()));
  return {
    contacts: [...new Set(all.flatMap((f) => f.contacts))],
    expires: new Date(minExpiry),
    preferredLanguages: [...new Set(all.flatMap((f) => f.preferredLanguages ?? []))],
    canonical: [`${publicUrl}/.well-known/security.txt`],
    policy: [`${publicUrl}/`],
  };
}
