/**
 * A person's name next to their age: "Marisol Lindqvist, 45 y/o", "Okafor, Kwame (age 72)",
 * "Jana Kellerhals, 72-year-old", "Herr Pichler, 81 Jahre alt", "Mme Duchesne, 64 ans". A clinical
 * banner or a worklist writes people so; with the name, the age stands in for the birth date, so
 * the finding is a `name-with-birth-date`.
 *
 * The age needs its own cue (y/o, years old, age, aged, Jahre, ans, años, jaar, anni…) and must
 * follow the name directly, after a comma, a space, a dash or an opening parenthesis; the name is a run of
 * two to four capitalised words (people.ts), not made of product or organisation words, and not
 * the reporter.
 *
 * Linear time: one regex pass over the cues, without nested quantifiers; each reads the name back
 * from the cue, at most four words of 40 characters.
 */
import { notAboutPatient, sentenceAround } from './clinical.js';
import { maskName } from './mask.js';
import { hasProductWord, isReporterName, ListedPeople, nameRunEndingAt } from './people.js';
import type { RawFinding } from './types.js';

const AGE = new RegExp(
  [
    // A digit or a Latin letter first, before the word-start test (slow on other characters).
    String.raw`(?=\d)(?<![\p{L}\p{N}])(\d{1,3})\s?(?:y/o|y\.o\.|yo|yrs?\.?\sold|years?[\s-]old|-year-old|J\.|Jahre(?:\salt)?|-?jährige[rn]?|ans|años|jaar|anni)(?![\p{L}\p{N}])`,
    String.raw`(?=[a-z\u00c0-\u024f])(?<![\p{L}\p{N}])(?:age|aged|âge|Alter|edad|leeftijd|età)\s?:?\s?(\d{1,3})(?![\p{L}\p{N}./:-])`,
  ].join('|'),
  'giu',
);

/** Names directly followed by an age; `ignoredNames` are the reporter's (normalised). */
export function findNamesWithAges(text: string, out: RawFinding[], ignoredNames: ReadonlySet<string>): void {
  const list = new ListedPeople(out, 'with their ages');
  AGE.lastIndex = 0;
  for (let m = AGE.exec(text); m; m = AGE.exec(text)) {
    const age = Number(m[1] ?? m[2]);
    if (age < 1 || age > 120) continue;
    // The name ends right before the age, after ", ", " (", " — " or a space.
    let k = m.index;
    while (k > 0 && k > m.index - 4 && /[\s,(—–:]/.test(text.charAt(k - 1))) k -= 1;
    if (k === m.index && m.index > 0) continue;
    const run = nameRunEndingAt(text, k);
    if (!run) continue;
    if (hasProductWord(run.text)) continue;
    if (isReporterName(run.text, ignoredNames)) continue;
    // A team page's "Amparo Villaplana, 50 años, ingeniera biomédica" is staff, not a patient. A
    // list already judged is extended without reading each sentence again.
    if (!list.extends(run.start) && notAboutPatient(sentenceAround(text, run.start, m.index + m[0].length)))
      continue;
    list.add(run.start, m.index + m[0].length, () => ({
      kind: 'name-with-birth-date',
      label: 'a person’s name with their age',
      excerpt: `${maskName(run.text)}, age ••`,
      start: run.start,
      end: m.index + m[0].length,
      unit: 'char',
      value: run.text,
    }));
  }
}
