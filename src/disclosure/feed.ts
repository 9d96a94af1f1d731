import type { PublicAdvisory } from './advisory-read-model.js';

/**
 * Atom 1.0 (RFC 4287) feeds of published advisories. Each entry's id is the advisory's page URL
 * (stable across revisions: a correction updates the entry rather than adding one), `updated` is
 * the current revision's release, `published` the first release. The feed's own `updated` is the
 * newest entry's, so the feed changes only when an advisory does.
 */

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escape text for XML, dropping characters XML 1.0 cannot carry at all. */
export function escapeXml(s: string): string {
  return s
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

export interface FeedInput {
  /** The feed's own URL (its `id` and `rel="self"` link). */
  selfUrl: string;
  /** The HTML index the feed mirrors. */
  htmlUrl: string;
  title: string;
  /** The feed's author when entries have none of their own (required by Atom). */
  author: string;
  advisories: PublicAdvisory[];
  /** `updated` of a feed without entries. */
  emptyUpdated: string;
}

/** A plain-text summary: the advisory's markdown with its markup characters left as written. */
function summaryText(a: PublicAdvisory): string {
  const s = a.content.summary.trim();
  return s.length > 1000 ? `${s.slice(0, 999)}…` : s;
}

export function renderAtomFeed(f: FeedInput): string {
  const updated =
    f.advisories
      .map((a) => a.currentReleaseAt)
      .sort()
      .at(-1) ?? f.emptyUpdated;
  const entries = f.advisories.map((a) => {
    const severity = a.content.vulnerabilities
      .map((v) => (v.cvss40 ?? v.cvss31)?.severity)
      .filter((s) => s !== undefined);
    const cves = a.content.vulnerabilities.flatMap((v) => (v.cve ? [v.cve] : []));
    return `  <entry>
    <id>${escapeXml(a.url)}</id>
    <title type="text">${escapeXml(`${a.id}: ${a.content.title}`)}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(a.url)}"/>
    <published>${a.initialReleaseAt}</published>
    <updated>${a.currentReleaseAt}</updated>
    <author><name>${escapeXml(a.program.definition.vendor.name)}</name></author>
    <summary type="text">${escapeXml(summaryText(a))}</summary>
${[...new Set(severity)].map((s) => `    <category term="severity:${s}"/>\n`).join('')}${cves.map((c) => `    <category term="${escapeXml(c)}"/>\n`).join('')}  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${escapeXml(f.selfUrl)}</id>
  <title type="text">${escapeXml(f.title)}</title>
  <updated>${updated}</updated>
  <link rel="self" type="application/atom+xml" href="${escapeXml(f.selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${escapeXml(f.htmlUrl)}"/>
  <author><name>${escapeXml(f.author)}</name></author>
  <generator>Vigil</generator>
${entries.join('\n')}${entries.length > 0 ? '\n' : ''}</feed>
`;
}
