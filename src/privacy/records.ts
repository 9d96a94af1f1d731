/**
 * Records shared by the document detector's two passes (documents.ts, documents-lines.ts): the
 * fields a record has gathered, how a pair adds to them, and when a closed record is reported.
 */
import {
  CLASS_BIT,
  classifyKey,
  classNames,
  identifiesPerson,
  NAME_BITS,
  plausibleValue,
  STRONG_BITS,
} from './lexicon.js';
import type { RawFinding } from './types.js';

/** The reporter's own details, never a patient's. */
export interface RecordIgnore {
  /** Lower-case words of the reporter's names. */
  nameWords: ReadonlySet<string>;
  emails: ReadonlySet<string>;
}

export interface ScanStats {
  steps: number;
}

/** Accumulated fields of an open record. */
export interface RecordFrame {
  start: number;
  /** Classes with a plausible value, and those of them seen only in prose-like `Label: value` form. */
  bits: number;
  strict: number;
  /** Claims such as `iss` and `exp`: a token's claim set describes the signed-in user. */
  jwtClaims: number;
  excluded: boolean;
  /** The finding of an earlier flagged child, extended over flagged siblings that follow it. */
  finding?: RawFinding;
  /** How many records `finding` spans, and the classes of its fields (a merge adds only new ones). */
  findingRecords?: number;
  findingBits?: number;
}

const JWT_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'azp', 'scope', 'sid']);
// Objects under these keys describe the software's people, not patients.
const NOT_PATIENT_KEY =
  /^(?:author|authors|maintainer|maintainers|contributor|contributors|committer|developer|developers|publisher|reporter|researcher|assignee|creator|owner|contact|contacts|support|vendor|manufacturer|info|license|security|sender|from|signer|currentuser|me|practitioner|doctor|physician|provider|author_info)$/;

const ROLE_KEY =
  /^["']?(?:role|roles|usertype|user_?type|account_?type|job_?title|position|function|funktion|fonction|rolle|rol|ruolo|profession|beruf)["']?$/i;
const STAFF_ROLE =
  /^["'[]?(?:(?:charge|head|staff|senior|registered|ward|night|theatre|triage)[_ -]?)?(?:nurse|doctor|physician|clinician|practitioner|admin\w*|staff|employee|technician|therapist|pharmacist|surgeon|resident|consultant|receptionist|clerk|operator|engineer|service|pflege\w*|arzt|ärztin|médecin|infirmi\w*|enfermer\w*|médico|medico|verpleeg\w*|arts|infermier\w*|sjuksköterska|läkare|pielęgniar\w*|lekarz)\b/i;

export function newFrame(start: number, key?: string): RecordFrame {
  const excluded = key !== undefined && NOT_PATIENT_KEY.test(key.replace(/[^A-Za-z_]/g, '').toLowerCase());
  return { start, bits: 0, strict: 0, jwtClaims: 0, excluded };
}

/** Adds a key/value pair to a record; `loose` marks the prose-like `Label: value` form. */
export function addPair(
  frame: RecordFrame,
  key: string,
  value: string,
  ignore: RecordIgnore,
  loose: boolean,
): void {
  if (key.length <= 4 && JWT_CLAIMS.has(key)) frame.jwtClaims += 1;
  // A record that says it is a member of staff (`"role":"charge_nurse"`) is an account, not a patient.
  if (ROLE_KEY.test(key) && STAFF_ROLE.test(value.trim())) frame.excluded = true;
  const cls = classifyKey(key);
  if (!cls || !plausibleValue(cls, value)) return;
  const bit = CLASS_BIT[cls];
  if (bit & NAME_BITS && isReporterName(value, ignore.nameWords)) return;
  if (
    cls === 'email' &&
    ignore.emails.has(
      value
        .trim()
        .replace(/^mailto:/i, '')
        .toLowerCase(),
    )
  )
    return;
  frame.bits |= bit;
  if (!loose) frame.strict |= bit;
}

function isReporterName(value: string, words: ReadonlySet<string>): boolean {
  if (words.size === 0) return false;
  const parts = value
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter(Boolean);
  return parts.length > 0 && parts.every((w) => words.has(w));
}

/**
 * Closes a record: reports it when it identifies a person, else hands its fields to `parent`.
 * Flagged siblings in a row share one finding, so a dump of 1,000 patients is one finding.
 */
export function closeRecord(
  frame: RecordFrame,
  parent: RecordFrame | undefined,
  end: number,
  syntax: string,
  out: RawFinding[],
): void {
  // A token's claims name the signed-in user (a name, an e-mail); one that also carries a birth
  // date, an identifier or a diagnosis holds a record all the same.
  if (frame.excluded || (frame.jwtClaims >= 2 && (frame.bits & STRONG_BITS) === 0)) return;
  if (identifiesPerson(frame.bits, frame.bits & ~frame.strict)) {
    const previous = parent?.finding;
    if (parent && previous && previous.end <= frame.start && frame.start - previous.end < 4096) {
      previous.end = end;
      // Fields in the order first seen; a sibling with no new class leaves the list as it is.
      if ((frame.bits & ~(parent.findingBits ?? 0)) !== 0) {
        const fields = new Set([...(previous.fields ?? []), ...classNames(frame.bits)]);
        previous.fields = [...fields];
        parent.findingBits = (parent.findingBits ?? 0) | frame.bits;
      }
      const n = (parent.findingRecords ?? 1) + 1;
      parent.findingRecords = n;
      previous.excerpt = `${n} ${syntax} records with ${(previous.fields ?? []).join(', ')}`;
      return;
    }
    const fields = classNames(frame.bits);
    const finding: RawFinding = {
      kind: 'patient-record',
      label: 'a record about a person (name, birth date, identifiers…)',
      excerpt: `${syntax} record with ${fields.join(', ')}`,
      start: frame.start,
      end,
      unit: 'char',
      fields,
    };
    out.push(finding);
    if (parent) {
      parent.finding = finding;
      parent.findingRecords = 1;
      parent.findingBits = frame.bits;
    }
    return;
  }
  if (parent) {
    parent.bits |= frame.bits;
    parent.strict |= frame.strict;
  }
}

// Kinds that already say what a span is; a table or record mostly covered by one adds nothing.
const SPECIFIC = new Set([
  'csv-patient-columns',
  'fhir-patient',
  'hl7-pid',
  'name-with-birth-date',
  'dicom-dump',
]);

/**
 * Adds `mine` to `out` except findings that an earlier, more specific finding in `out` already
 * covers for at least half their length (an English CSV export is `csv-patient-columns`, a FHIR
 * Patient `fhir-patient`). Sorted spans and binary search: O((m + k) log k).
 */
export function addUncovered(out: RawFinding[], mine: RawFinding[]): void {
  const specific = out.filter((f) => SPECIFIC.has(f.kind)).sort((a, b) => a.start - b.start);
  // Longest end among the spans so far, so one binary search finds every span that may overlap.
  const reach: number[] = [];
  for (const f of specific) reach.push(Math.max(f.end, reach[reach.length - 1] ?? 0));
  for (const f of mine) {
    let lo = 0;
    let hi = specific.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((specific[mid] as RawFinding).start < f.end) lo = mid + 1;
      else hi = mid;
    }
    // specific[0..lo) start before f ends; walk back while they can still reach into f.
    let covered = false;
    for (let k = lo - 1; k >= 0 && (reach[k] as number) > f.start && lo - k <= 64; k -= 1) {
      const s = specific[k] as RawFinding;
      const overlap = Math.min(s.end, f.end) - Math.max(s.start, f.start);
      if (overlap * 2 >= f.end - f.start) {
        covered = true;
        break;
      }
    }
    if (!covered) out.push(f);
  }
}
