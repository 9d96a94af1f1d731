import type { ParsedMail } from 'mailparser';

/** mailparser is loaded with the first mail, so an instance that never receives one does not carry it. */
let parser: Promise<typeof import('mailparser')> | undefined;

/** mailparser's `simpleParser`, loaded on first use. */
export async function simpleParser(
  ...args: Parameters<typeof import('mailparser').simpleParser>
): Promise<ParsedMail> {
  parser ??= import('mailparser');
  return (await parser).simpleParser(...args);
}
