import { createRequire } from 'node:module';
import type MarkdownItParser from 'markdown-it';
import { type SafeHtml, trusted } from './html.js';

/**
 * Markdown for program texts (policy, safe harbor): raw HTML is off, so markup in the source is
 * shown as text; markdown-it's link validation drops `javascript:`/`data:` links.
 */
type MarkdownIt = InstanceType<typeof MarkdownItParser>;

let parser: MarkdownIt | undefined;

/**
 * The parser with these settings, built on the first text rendered (a few milliseconds, once)
 * rather than at start-up, so an idle instance does not hold markdown-it and its tables.
 */
export function markdownIt(): MarkdownIt {
  if (!parser) {
    const Parser = createRequire(import.meta.url)('markdown-it') as typeof MarkdownItParser;
    parser = new Parser({ html: false, linkify: true, typographer: false, breaks: false });
  }
  return parser;
}

export function renderMarkdown(text: string | undefined): SafeHtml {
  return trusted(text ? markdownIt().render(text) : '');
}

export function renderMarkdownInline(text: string | undefined): SafeHtml {
  return trusted(text ? markdownIt().renderInline(text) : '');
}
