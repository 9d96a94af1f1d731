import { useMemo } from 'react';
import { renderMarkdown } from '../markdown.js';

/**
 * Markdown (a reporter's report, a policy draft) → sanitised HTML: the only raw HTML the console
 * renders, always through markdown-it with raw HTML off and DOMPurify.
 */
export function Markdown({ text, className = 'report-body' }: { text: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: DOMPurify output of markdown-it with raw HTML off
  return <div className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}
