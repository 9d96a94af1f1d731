import { type SafeHtml, trusted } from './html.js';
import { markdownIt } from './markdown.js';

/**
 * Markdown for a published policy document: as in `markdown.ts`, raw HTML is off (markup in the
 * source shows as text) and markdown-it's link validation drops `javascript:`/`data:` links. On
 * top of that, each heading gets a stable `id` for the table of contents, and headings move one
 * level down so the page title stays the only `<h1>`. The settings are the same, so it uses the
 * parser of markdown.ts (built on the first text rendered).
 */
export interface TocEntry {
  level: number;
  id: string;
  text: string;
}

const slugify = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'section';

/** The policy as HTML and the table of contents of its headings (levels 2 and 3 of the page). */
export function renderPolicyMarkdown(text: string): { html: SafeHtml; toc: TocEntry[] } {
  const md = markdownIt();
  const tokens = md.parse(text, {});
  const toc: TocEntry[] = [];
  const used = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    if (!open || (open.type !== 'heading_open' && open.type !== 'heading_close')) continue;
    const level = Math.min(Number(open.tag.slice(1)) + 1, 6);
    open.tag = `h${level}`;
    if (open.type === 'heading_close') continue;
    const title = (tokens[i + 1]?.children ?? [])
      .filter((c) => c.type === 'text' || c.type === 'code_inline')
      .map((c) => c.content)
      .join('');
    let id = `sec-${slugify(title)}`;
    for (let n = 2; used.has(id); n++) id = `sec-${slugify(title)}-${n}`;
    used.add(id);
    open.attrSet('id', id);
    if (level <= 3) toc.push({ level, id, text: title });
  }
  return { html: trusted(md.renderer.render(tokens, md.options, {})), toc };
}
