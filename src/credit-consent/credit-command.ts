/**
 * A reporter's answer about public credit, written in a reply to one of Vigil's mails: a line of
 * its own, outside any quoted text, such as
 *
 *   Credit: yes, as Ada Lovelace (Example Labs)
 *   Credit: yes — ada_l
 *   Credit: no
 *
 * The first such line counts. Anything else in the mail is an ordinary message. Linear: one pass
 * over the lines, each tested by anchored patterns without nested quantifiers.
 */

export type CreditCommand = { choice: 'given'; text: string } | { choice: 'declined' };

const LINE = /^\s{0,8}credit\s{0,4}:\s{0,8}(yes|no)\b(.*)$/i;
/** What separates "yes" from the words: a comma, dash or colon, then an optional "as". */
const LEAD = /^\s{0,8}[,:;–—-]?\s{0,8}(?:as\s+)?/i;

/** The credit answer in a mail body, if it holds one; `text` is empty when a yes names no words. */
export function parseCreditCommand(body: string): CreditCommand | undefined {
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*>/.test(line)) continue;
    const m = LINE.exec(line.length > 400 ? line.slice(0, 400) : line);
    if (!m) continue;
    if ((m[1] as string).toLowerCase() === 'no') return { choice: 'declined' };
    const words = (m[2] as string)
      .replace(LEAD, '')
      .trim()
      .replace(/^["“'‘](.*)["”'’]$/, '$1')
      .trim();
    return { choice: 'given', text: words };
  }
  return undefined;
}
