import { weaknesses } from '@secvisogram/csaf-validator-lib/cwe.js';

/**
 * The CWE catalogue, taken from the CSAF validator so that the CWE we record is exactly one a
 * CSAF advisory may carry (CSAF mandatory test 6.1.11 checks id and name against this list).
 */

export interface Cwe {
  id: string;
  name: string;
}

interface Entry extends Cwe {
  num: number;
  words: string[];
  /** The name's words joined by single spaces, for phrase matches across punctuation. */
  joined: string;
}

const wordsOf = (text: string) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];

const CATALOGUE: Entry[] = weaknesses
  .map((w) => ({
    id: w.id,
    name: w.name,
    num: Number(w.id.slice('CWE-'.length)),
    words: wordsOf(w.name),
    joined: wordsOf(w.name).join(' '),
  }))
  .sort((a, b) => a.num - b.num);

const BY_ID = new Map(CATALOGUE.map((e) => [e.id, e]));

const ID_PATTERN = /^\s*(?:cwe\s*-?\s*)?(\d{1,5})\s*$/i;

/** "CWE-79", "cwe-79", "79" → "CWE-79"; anything else → undefined. */
export function normaliseCweId(input: string): string | undefined {
  const m = ID_PATTERN.exec(input);
  return m ? `CWE-${Number(m[1])}` : undefined;
}

/** The catalogue entry for an id written in any of the forms `normaliseCweId` accepts. */
export function findCwe(id: string): Cwe | undefined {
  const key = normaliseCweId(id);
  const e = key ? BY_ID.get(key) : undefined;
  return e ? { id: e.id, name: e.name } : undefined;
}

export const cweCount = () => CATALOGUE.length;

/**
 * Search by id or by words. An id query ("79", "CWE-79") returns that entry first, then ids that
 * start with the same digits. A word query keeps entries whose name has every query word as a
 * word or word prefix ("inject" finds "Injection"), ranked: whole phrase in the name, then more
 * whole-word matches, then lower ids (the older, more general weaknesses that people mean by
 * "cross-site scripting" or "SQL injection" have low numbers; their variants came later).
 */
export function searchCwe(query: string, limit = 20): Cwe[] {
  const take = (list: Entry[]) => list.slice(0, Math.max(0, limit)).map((e) => ({ id: e.id, name: e.name }));
  const q = query.trim();
  if (q === '') return take(CATALOGUE);

  const idMatch = ID_PATTERN.exec(q);
  if (idMatch) {
    const digits = String(Number(idMatch[1]));
    const exact = BY_ID.get(`CWE-${digits}`);
    const prefixed = CATALOGUE.filter((e) => e !== exact && String(e.num).startsWith(digits));
    return take(exact ? [exact, ...prefixed] : prefixed);
  }

  const terms = wordsOf(q);
  if (terms.length === 0) return [];
  const phrase = terms.join(' ');
  const scored: { e: Entry; score: number }[] = [];
  for (const e of CATALOGUE) {
    let whole = 0;
    let all = true;
    for (const t of terms) {
      if (e.words.includes(t)) whole++;
      else if (!e.words.some((w) => w.startsWith(t))) {
        all = false;
        break;
      }
    }
    if (!all) continue;
    const phraseHit = e.joined.includes(phrase) ? 1 : 0;
    scored.push({ e, score: phraseHit * 100 + whole });
  }
  scored.sort((a, b) => b.score - a.score || a.e.num - b.e.num);
  return take(scored.map((s) => s.e));
}
