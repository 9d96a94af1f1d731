import { staffTranslator } from '../i18n/index.js';
import type { MailAttachment } from '../mail/index.js';
import type { Program } from '../programs/index.js';
import type { AdvisoryRelease, TlpLabel } from './advisory-model.js';
import { buildCsafAdvisory, csafFileName } from './csaf-document.js';
import { buildCveRecord, type CnaIdentity } from './cve-record.js';
import { advisoryText, tlpLine } from './notifications-text.js';

/**
 * The sharing package of an advisory revision for a coordinator: a mail whose subject and first
 * line carry the TLP label, with the advisory as text, its CSAF 2.0 document and (for each
 * vulnerability with a CVE ID, when the program's CNA identity is known) its CVE JSON 5 record
 * attached. Every part is built from the advisory release alone — the same content the public
 * artefacts come from — so the reporter's contact details are in none of them. The documents
 * carry the package's TLP label, which may be stricter than the advisory's own.
 */
export interface SharingPackage {
  subject: string;
  text: string;
  attachments: MailAttachment[];
}

export function buildSharingPackage(
  program: Program,
  release: AdvisoryRelease,
  o: { coordinator: string; tlp: TlpLabel; published: boolean; cna?: CnaIdentity; generatedAt: string },
): SharingPackage {
  const { t } = staffTranslator(program.definition.languages);
  const vendor = program.definition.vendor.name;
  const labelled: AdvisoryRelease = { ...release, content: { ...release.content, tlp: o.tlp } };
  const vars = {
    tlp: o.tlp,
    vendor,
    id: release.id,
    revision: release.revision,
    coordinator: o.coordinator,
    title: release.content.title,
    date: release.currentReleaseDate.slice(0, 10),
  };
  const body = advisoryText(t, {
    publicId: release.id,
    revision: Number(release.revision),
    content: labelled.content,
    tlp: o.tlp,
    ...(o.published ? { url: release.url } : {}),
  });
  const text = [
    tlpLine(o.tlp),
    t('share.intro', vars),
    o.published ? t('share.published', vars) : t('share.unpublished', vars),
    t('share.attachments'),
    body.replace(/^TLP:[^\n]*\n\n/, ''),
  ].join('\n\n');
  const csaf = buildCsafAdvisory(labelled, program.definition.scope.products, {
    category: 'csaf_security_advisory',
    generatedAt: o.generatedAt,
  });
  const base = release.id.toLowerCase();
  const attachments: MailAttachment[] = [
    {
      filename: `${base}.md`,
      contentType: 'text/markdown; charset=utf-8',
      content: `${tlpLine(o.tlp)}\n\n${body.replace(/^TLP:[^\n]*\n\n/, '')}`,
    },
    {
      filename: csafFileName(release.id),
      contentType: 'application/json',
      content: `${JSON.stringify(csaf, null, 2)}\n`,
    },
  ];
  if (o.cna) {
    for (const v of labelled.content.vulnerabilities) {
      if (!v.cve) continue;
      const record = buildCveRecord(labelled, v, o.cna);
      attachments.push({
        filename: `${v.cve}.json`,
        contentType: 'application/json',
        content: `${JSON.stringify(record, null, 2)}\n`,
      });
    }
  }
  return { subject: t('share.subject', vars), text, attachments };
}
