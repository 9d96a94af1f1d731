/**
 * A named person next to a clinical fact: "Philippa Crumhorn is prescribed sertraline 50 mg",
 * "Patient Corwin Ormsby-Krane was admitted with COPD", "Mr. Hasselgrove was diagnosed with…",
 * "Everard Fennimore, diagnosis: type 2 diabetes", "Frau Quillfeather wurde mit Pneumonie
 * aufgenommen".
 *
 * Cues are phrases that state a fact about one person's health — diagnosed with, diagnosis:,
 * admitted, discharged, prescribed, treated for, suffers from, tested positive for, a dose
 * ("50 mg") — in English, German, French, Spanish, Dutch and Italian. Words that also describe
 * software ("diagnostic mode", "admission controller", "medication list endpoint", "traitement des
 * données") are not cues. The person is a run of two to four capitalised words (people.ts) or a
 * title with a surname ("Mr. Hasselgrove", "Frau Odgeworth", "Mme Brindlecote"), ending at most
 * 60 characters before the cue in the same sentence, or starting within 30 after it on the same
 * line ("admitted: Junia Quillfeather"). Runs made of product or organisation words, and the
 * reporter's own name, are not people here.
 *
 * Linear time: one pass over the cues; each looks at a bounded window around it.
 *
 * Known limits: a person named by given name only, or several sentences away from the fact, is
 * not found; drug names without a dose are no cue.
 */
import { maskName } from './mask.js';
import { findNameRuns, normaliseName } from './people.js';
import type { RawFinding } from './types.js';

const CUES = [
  // English
  String.raw`(?:was|were|is|been|being|got)\s(?:newly\s)?(?:diagnosed|admitted|hospitali[sz]ed|discharged|prescribed|treated|started on|readmitted)`,
  String.raw`diagnosed with|diagnosis(?: of)?\s?:|dx\s?:|admitted (?:to|with|for|on)|discharged (?:from|with|on)`,
  String.raw`prescribed|treated for|suffers from|suffering from|tested positive for|on chemotherapy|on dialysis`,
  String.raw`\d+(?:[.,]\d+)?\s?(?:mg|mcg|µg|ml|IU|units)\b(?:\s(?:once|twice|daily|bid|tid|qd|od|po|iv))`,
  // German
  String.raw`diagnostiziert|Diagnose\s?:|(?:stationär\s)?aufgenommen|verordnet|verschrieben|leidet an|erkrankt an|behandelt wegen`,
  // French
  String.raw`diagnostiqu[ée]e?|hospitalis[ée]e?|admise? (?:pour|le|à|aux)|souffre d[e']|atteinte? d[e']|sous traitement|prescrit`,
  // Spanish
  String.raw`diagnosticad[oa]|diagnóstico\s?:|ingresad[oa]|padece|recetad[oa]|en tratamiento`,
  // Dutch
  String.raw`gediagnosticeerd|opgenomen (?:met|in|op)|lijdt aan|behandeld voor|voorgeschreven`,
  // Italian
  String.raw`diagnosticat[oa]|ricoverat[oa]|soffre di|affett[oa] da|in terapia con|prescritt[oa]`,
].join('|');

const CUE = new RegExp(String.raw`(?<![\p{L}\p{N}_])(?:${CUES})(?![\p{L}])`, 'giu');

const TITLED =
  /(?<![\p{L}])(?:Mr|Mrs|Ms|Miss|Mx|Herr|Frau|Mme|Mlle|M|Sr|Sra|Srta|Sig|Sig\.ra|Dhr|Mevr)\.?\s(\p{Lu}[\p{L}'’-]+(?:\s\p{Lu}[\p{L}'’-]+)?)/gu;

const NOT_PERSON =
  /^(?:release|notes?|server|windows|version|update|patch|build|security|advisory|team|group|inc|corp|systems?|health|medical|care|portal|service|services|manager|studio|platform|cloud|project|app|application|record|records|endpoint|api|database|module|controller|engine|gateway|interface|pump|monitor|device|scanner|emr|ehr|pacs|lis|ris|epic|cerner|mychart|hospital|clinic|center|centre|university|ward|unit|department|medication|medications|list|note|notes|summary|report)$/i;

interface Person {
  start: number;
  end: number;
  text: string;
}

/** People named next to a clinical fact about them; `ignoredNames` are the reporter's (normalised). */
export function findPeopleWithClinicalFacts(
  text: string,
  out: RawFinding[],
  ignoredNames: ReadonlySet<string>,
): void {
  let lastEnd = -1;
  CUE.lastIndex = 0;
  for (let m = CUE.exec(text); m; m = CUE.exec(text)) {
    const cueStart = m.index;
    const cueEnd = m.index + m[0].length;
    const person = personBefore(text, cueStart) ?? personAfter(text, cueEnd);
    if (!person || isReporter(person.text, ignoredNames)) continue;
    const start = Math.min(person.start, cueStart);
    const end = Math.max(person.end, cueEnd);
    // One finding per person and fact: "diagnosed with … and prescribed 5 mg" is one sentence.
    if (start < lastEnd) continue;
    lastEnd = end;
    out.push({
      kind: 'person-clinical',
      label: 'a named person with a clinical fact about them',
      excerpt: `${maskName(person.text)} … ${m[0].replace(/\d+(?:[.,]\d+)?/g, '•').trim()} …`,
      start,
      end,
      unit: 'char',
      value: person.text,
    });
  }
}

/** The person ending closest before `cueStart`, within 60 characters, in the same sentence. */
function personBefore(text: string, cueStart: number): Person | undefined {
  const from = Math.max(0, cueStart - 60);
  const window = text.slice(from, cueStart);
  // The sentence holding the cue starts after the last full stop, line break or semicolon.
  const cut = Math.max(window.search(/[.!?;]\s[^.!?;]*$/) + 1, window.lastIndexOf('\n') + 1, 0);
  const sentenceFrom = from + cut;
  const candidates: Person[] = [...titled(text, Math.max(0, sentenceFrom - 6), cueStart)];
  for (const run of findNameRuns(text, sentenceFrom, cueStart)) candidates.push(run);
  const people = candidates.filter(isPerson);
  people.sort((a, b) => a.end - b.end);
  return people.at(-1);
}

/** A person within 30 characters after the cue, on the same line ("admitted: Junia Quillfeather"). */
function personAfter(text: string, cueEnd: number): Person | undefined {
  const window = text.slice(cueEnd, cueEnd + 30);
  const lineEnd = window.search(/[\n.;]/);
  const to = cueEnd + (lineEnd >= 0 ? lineEnd : window.length);
  const run = findNameRuns(text, cueEnd, to).filter(isPerson)[0];
  if (
    !run ||
    text
      .slice(cueEnd, run.start)
      .trim()
      .replace(/^[:,-]/, '')
      .trim() !== ''
  )
    return undefined;
  return run;
}

function titled(text: string, from: number, to: number): Person[] {
  const segment = text.slice(from, to);
  const found: Person[] = [];
  TITLED.lastIndex = 0;
  for (let m = TITLED.exec(segment); m; m = TITLED.exec(segment)) {
    found.push({ start: from + m.index, end: from + m.index + m[0].length, text: m[0] });
  }
  return found;
}

function isPerson(person: Person): boolean {
  const words = person.text.split(/[\s,]+/).filter(Boolean);
  return !words.some((w) => NOT_PERSON.test(w.replace(/\.$/, '')));
}

function isReporter(name: string, ignoredNames: ReadonlySet<string>): boolean {
  if (ignoredNames.size === 0) return false;
  const words = new Set(normaliseName(name).split(' '));
  for (const ignored of ignoredNames) if (ignored.split(' ').every((w) => words.has(w))) return true;
  return false;
}
