import type { Translate } from '../i18n/index.js';
import type { AdvisoryContent, TlpLabel, VersionStatement } from './advisory-model.js';

/**
 * The advisory as plain text (markdown-friendly) for mail: customer notifications and the
 * sharing package carry this. Built only from the advisory content and never from its case
 * numbers, which are internal; the content holds no reporter contact details (credits are the
 * reporter's consented words), so neither does this text.
 */

function versionWords(t: Translate, s: VersionStatement): string {
  const from = s.version === '0' ? undefined : s.version;
  const status = t(`advisory.status.${s.status}`);
  let words: string;
  if (s.lessThan)
    words = from
      ? t('advisory.range.fromBelow', { from, to: s.lessThan })
      : t('advisory.range.below', { to: s.lessThan });
  else if (s.lessThanOrEqual)
    words = from
      ? t('advisory.range.fromUpTo', { from, to: s.lessThanOrEqual })
      : t('advisory.range.upTo', { to: s.lessThanOrEqual });
  else words = t('advisory.range.exact', { version: s.version });
  return `${words} (${status})`;
}

/** The first line of every mail about an advisory with a label other than CLEAR, and of the subject. */
export const tlpLine = (tlp: TlpLabel) => `TLP:${tlp}`;

/**
 * The whole advisory in text: title, id and revision, summary, each vulnerability (CVE, scores,
 * weakness, affected versions, fixes, remediations, credits), mitigations and references.
 */
export function advisoryText(
  t: Translate,
  a: { publicId: string; revision: number; content: AdvisoryContent; tlp: TlpLabel; url?: string },
): string {
  const c = a.content;
  const out: string[] = [
    tlpLine(a.tlp),
    '',
    `# ${c.title}`,
    '',
    `${a.publicId} · ${t('advisory.history.revision')} ${a.revision}`,
  ];
  if (a.url) out.push(a.url);
  out.push('', c.summary.trim(), '', `## ${t('advisory.vulnerabilities')}`);
  for (const v of c.vulnerabilities) {
    out.push('', `### ${v.cve ? `${v.cve}: ` : ''}${v.title}`, '', v.description.trim(), '');
    if (!v.cve) out.push(`- ${t('advisory.noCve')}`);
    for (const [version, score] of [
      ['4.0', v.cvss40],
      ['3.1', v.cvss31],
    ] as const) {
      if (score)
        out.push(
          `- ${t('advisory.cvss', { version })}: ${score.baseScore} ${t(`severity.${score.severity}`)} (${score.vector})`,
        );
    }
    if (v.cwe) out.push(`- ${t('advisory.cwe')}: ${v.cwe.id} ${v.cwe.name}`);
    for (const p of v.affected) {
      out.push(`- ${p.productName}: ${p.versions.map((s) => versionWords(t, s)).join('; ')}`);
      out.push(`  ${p.fixedIn ? `${t('advisory.fixedIn')} ${p.fixedIn}` : t('advisory.noFix')}`);
    }
    for (const r of v.remediations)
      out.push(
        `- ${t(`advisory.remediation.${r.category}`)}: ${r.details.trim()}${r.url ? ` <${r.url}>` : ''}`,
      );
    if (v.credits.length > 0)
      out.push(`- ${t('advisory.credits')}: ${v.credits.map((cr) => cr.text).join('; ')}`);
  }
  if (c.mitigations?.trim()) out.push('', `## ${t('advisory.mitigations')}`, '', c.mitigations.trim());
  if (c.references.length > 0) {
    out.push('', `## ${t('advisory.references')}`, '');
    for (const r of c.references) out.push(`- ${r.url}${r.summary ? ` — ${r.summary}` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

/** Labels whose content may not travel in clear: TLP:CLEAR and TLP:GREEN may, the rest never. */
export const RESTRICTED_TLP: readonly TlpLabel[] = ['AMBER', 'AMBER+STRICT', 'RED'];
export const isRestricted = (tlp: TlpLabel) => RESTRICTED_TLP.includes(tlp);

/**
 * The notice a customer contact without an OpenPGP key gets for a TLP:AMBER or RED advisory: that
 * there is one for their organisation and how to get it, and nothing of what it says — no title,
 * summary, product, CVE ID or score, since the mail goes out in clear. (English only for now: the
 * message catalogue in src/i18n has no entries for it yet.)
 */
export function restrictedNoticeText(n: {
  tlp: TlpLabel;
  vendor: string;
  organisation: string;
  publicId: string;
  revision: number;
  stage: 'pre-notification' | 'publication';
  /** Where to ask: the program's vendor contacts with an address. */
  contacts: { role: string; email: string }[];
}): { subject: string; text: string } {
  const ask =
    n.contacts.length > 0
      ? `ask ${n.contacts.map((c) => `${c.role} <${c.email}>`).join(' or ')} for it`
      : `ask your contact at ${n.vendor} for it`;
  return {
    subject: `${tlpLine(n.tlp)} ${n.vendor} security advisory ${n.publicId} is available to you`,
    text: [
      tlpLine(n.tlp),
      '',
      `${n.vendor} has a security advisory (${n.publicId}, revision ${n.revision}) for ${n.organisation}, which is subscribed to a product it concerns.`,
      '',
      `${n.stage === 'pre-notification' ? 'It is under embargo and labelled' : 'It is labelled'} ${tlpLine(n.tlp)}, so its content is not sent by e-mail in clear, and we hold no OpenPGP key for this address. To receive it, ${ask}, and send an OpenPGP public key for this address: the advisory is then sent to you encrypted.`,
      '',
    ].join('\n'),
  };
}
