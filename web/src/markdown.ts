import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';

/**
 * Reporter text (hostile) to safe HTML: markdown-it with raw HTML off, then DOMPurify as the
 * last word. Only http, https and mailto links survive, and every link opens without a referrer
 * or an opener.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
// The report sits under the page's h1 and a section h2: its headings start at h3.
md.core.ruler.push('shift_headings', (state) => {
  for (const t of state.tokens)
    if (t.type === 'heading_open' || t.type === 'heading_close')
      t.tag = `h${Math.min(6, Number(t.tag.slice(1)) + 2)}`;
  return true;
});
const SAFE_HREF = /^(?:https?:|mailto:)/i;

const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    const href = node.getAttribute('href') ?? '';
    if (!SAFE_HREF.test(href.trim())) node.removeAttribute('href');
    node.setAttribute('rel', 'noopener noreferrer');
    node.setAttribute('target', '_blank');
  }
});

export function renderMarkdown(text: string): string {
  return purifier.sanitize(md.render(text), {
    FORBID_TAGS: ['style', 'img', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'svg', 'math'],
    FORBID_ATTR: ['style', 'class', 'id'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
  });
}
