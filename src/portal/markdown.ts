import MarkdownIt from 'markdown-it';
import { type SafeHtml, trusted } from './html.js';

/**
 * Markdown for program texts (policy, safe harbor): raw HTML is off, so markup in the source is
 * shown as text; markdown-it's link validation drops `javascript:`/`data:` links.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

export function renderMarkdown(text: string | undefined): SafeHtml {
  return trusted(text ? md.render(text) : '');
}

export function renderMarkdownInline(text: string | undefined): SafeHtml {
  return trusted(text ? md.renderInline(text) : '');
}
