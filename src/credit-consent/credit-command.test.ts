import { describe, expect, it } from 'vitest';
import { parseCreditCommand } from './credit-command.js';

describe('a credit answer in a mail reply', () => {
  it.each([
    ['Credit: yes, as Ada Lovelace (Example Labs)', 'Ada Lovelace (Example Labs)'],
    ['credit: YES — ada_l', 'ada_l'],
    ['Credit:yes: "Example Labs Security Team"', 'Example Labs Security Team'],
    ['  Credit: yes as Grace H.', 'Grace H.'],
  ])('reads a yes with the words: %s', (line, text) => {
    expect(parseCreditCommand(`Thanks for the update.\n\n${line}\n\nBest,\nAda`)).toEqual({
      choice: 'given',
      text,
    });
  });

  it('reads a no, and a yes that names no words', () => {
    expect(parseCreditCommand('Credit: no\nplease keep me out of it')).toEqual({ choice: 'declined' });
    expect(parseCreditCommand('Credit: yes')).toEqual({ choice: 'given', text: '' });
  });

  it('ignores quoted lines, other words and lines that only mention credit', () => {
    expect(parseCreditCommand('> Credit: yes, as Someone Else\nThanks!')).toBeUndefined();
    expect(parseCreditCommand('Do you give credit to reporters?\nCredits: yes')).toBeUndefined();
    expect(parseCreditCommand('Credit: maybe later')).toBeUndefined();
    expect(parseCreditCommand('')).toBeUndefined();
  });

  it('takes the first answer, and gets through a megabyte line', () => {
    expect(parseCreditCommand('Credit: no\nCredit: yes, as Ada')).toEqual({ choice: 'declined' });
    expect(parseCreditCommand(`Credit: yes, as ${'a'.repeat(1_000_000)}`)?.choice).toBe('given');
    expect(parseCreditCommand(`${' '.repeat(1_000_000)}credit`)).toBeUndefined();
  });
});
