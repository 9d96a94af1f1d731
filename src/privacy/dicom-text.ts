/**
 * DICOM headers pasted as text: what `dcmdump` (DCMTK and dcm4che), `gdcmdump`, pydicom, the
 * DICOM JSON model (PS3.18), Orthanc's `/tags` and the native XML model print for a file.
 *
 * Cues are the patient module's tags (group 0010) in any of their spellings — `(0010,0010)`,
 * `(0010, 0010)`, `"00100010"`, `"0010,0010"`, `tag="00100010"`, `0010,0010` — followed, before
 * the next tag, by a value: `PN [DOE^JANE]`, `PN: 'DOE^JANE'`, `"Value": "DOE^JANE"`,
 * `"Alphabetic": "DOE^JANE"`, `<Value number="1">…</Value>`, `<FamilyName>…`. A dump counts when a
 * patient's name, birth date, other names, birth name, mother's birth name, address or phone is
 * filled, or the patient ID holds at least three digits. Empty values (`(no value available)`,
 * `PN: ''`, `{"vr": "PN"}`) and de-identification placeholders (`ANONYMOUS`, `REMOVED`, `^`…)
 * are not a patient, and neither is a dump of device tags only (manufacturer, serial number,
 * software version). The finding spans the patient tags of one dump, with their names as fields.
 *
 * Linear time: the tags are found in one pass; each tag's value is read only up to the next tag,
 * and never more than 400 characters.
 *
 * Known limits: a dump keyed by keyword only (`PatientName = DOE^JANE`) is left to the key/value
 * record detector; private tags holding patient data are not recognised.
 */
import { maskName } from './mask.js';
import { isRedaction, isTestIdentifier } from './placeholders.js';
import type { RawFinding } from './types.js';

const PATIENT_TAGS: Record<string, string> = {
  '0010': 'name',
  '0020': 'patientId',
  '0030': 'birthDate',
  '1000': 'otherIds',
  '1001': 'otherNames',
  '1005': 'birthName',
  '1040': 'address',
  '1060': 'mothersBirthName',
  '2154': 'phone',
};

// Any tag, so that a value is read only up to where the next tag begins. A quoted tag is a JSON
// key (followed by ":"), so a value such as "19610402" is not taken for one.
const TAG =
  /\(\s?([0-9A-Fa-f]{4}),\s?([0-9A-Fa-f]{4})\)|"([0-9A-Fa-f]{4}),?([0-9A-Fa-f]{4})"(?=\s{0,3}:)|\btag="([0-9A-Fa-f]{4})([0-9A-Fa-f]{4})"|(?<=(?:^|\n)[ \t>]{0,8})(0010),([0-9A-Fa-f]{4})(?![\w,])/g;

const VALUE_PATTERNS: readonly RegExp[] = [
  // dcmdump, gdcmdump, dcm4che: the VR, perhaps a length, then the value in brackets.
  /^\s{1,4}[A-Z]{2}\s{1,4}(?:#\s?\d{1,6},?\s{1,4})?\[([^\]\n]{0,200})\]/,
  // pydicom: the description, then `VR: 'value'` (strings and dates are always quoted).
  /^[^\n]{0,60}?\b[A-Z]{2}:\s{0,3}(?:'([^'\n]{0,200})'|"([^"\n]{0,200})")/,
  /"(?:Value|Alphabetic)"\s{0,3}:\s{0,40}(?:\[\s{0,40})?(?:\{\s{0,40}"Alphabetic"\s{0,3}:\s{0,3})?"([^"\n]{0,200})"/,
  /<(?:Value number="\d{1,3}"|FamilyName|GivenName)>([^<]{0,200})</,
];

// Words that de-identification tools, test images and QA phantoms put where a patient would be.
const PLACEHOLDER =
  /^(?:anon\w*|de-?identified|removed|redacted|deleted|none|null|unknown|n\/a|x+|\*+|-+|0+|test\w*|phantom\w*|patient|qa|qc|service|demo|sample|dummy|calibration|water|no|value|available)$/i;
const PLACEHOLDER_ID = /^(?:anon|test|phantom|demo|sample|qa|qc|dummy|calib)/i;
const QA_OBJECT = /^(?:qa|qc|phantom\w*|calib\w*|water|constancy|uniformity|acceptance|warm-?up)$/i;

const MAX_WINDOW = 400;
const MAX_GAP = 2000;

interface Filled {
  start: number;
  end: number;
  field: string;
  value: string;
}

/** Finds DICOM headers dumped as text whose patient tags hold values. */
export function findDicomTextDumps(text: string, out: RawFinding[]): void {
  if (!text.includes('0010')) return;
  const filled: Filled[] = [];
  // A patient tag's value is read up to the next tag (or MAX_WINDOW): each tag is judged once the
  // next one is found, without a list of every tag in the text.
  let field: string | undefined;
  let tagIndex = 0;
  let tagEnd = 0;
  const judge = (next: number) => {
    if (!field) return;
    const limit = Math.min(next, tagEnd + MAX_WINDOW);
    const window = text.slice(tagEnd, limit);
    const value = readValue(window);
    if (value === undefined || !counts(field, value)) return;
    const at = window.indexOf(value);
    filled.push({ start: tagIndex, end: tagEnd + (at >= 0 ? at + value.length : 0), field, value });
  };
  TAG.lastIndex = 0;
  for (let m = TAG.exec(text); m; m = TAG.exec(text)) {
    judge(m.index);
    const group = (m[1] ?? m[3] ?? m[5] ?? m[7] ?? '').toUpperCase();
    field = group === '0010' ? PATIENT_TAGS[(m[2] ?? m[4] ?? m[6] ?? m[8] ?? '').toUpperCase()] : undefined;
    tagIndex = m.index;
    tagEnd = m.index + m[0].length;
  }
  judge(text.length);
  let group: Filled[] = [];
  const flush = () => {
    const first = group[0];
    const last = group.at(-1);
    if (first && last) {
      const fields = [...new Set(group.map((g) => g.field))];
      const name = group.find((g) => g.field === 'name');
      out.push({
        kind: 'dicom-dump',
        label: 'a DICOM header dump with patient tags',
        excerpt: `DICOM dump with ${fields.join(', ')}${name ? ` (${maskName(name.value.replace(/\^+/g, ' ').trim())})` : ''}`,
        start: first.start,
        end: last.end,
        unit: 'char',
        fields,
      });
    }
    group = [];
  };
  for (const f of filled) {
    const last = group.at(-1);
    if (last && f.start - last.end > MAX_GAP) flush();
    group.push(f);
  }
  flush();
}

function readValue(window: string): string | undefined {
  if (/^[^\n]{0,60}\(no value available\)/.test(window)) return undefined;
  for (const re of VALUE_PATTERNS) {
    const m = re.exec(window);
    if (!m) continue;
    const value = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim();
    return value.replace(/\s+#.*$/, '').trim();
  }
  return undefined;
}

function counts(field: string, rawValue: string): boolean {
  // dcmdump shortens a long value with `...`; what is shown is judged.
  const value = rawValue.replace(/\.\.\.$/, '');
  const words = value.split(/[\^=\s,]+/).filter(Boolean);
  if (words.every((w) => PLACEHOLDER.test(w) || isRedaction(w))) return false;
  // A QA or calibration object is named in the family-name place (`QA^WEEKLY`, `PHANTOM^HEAD`),
  // whatever follows it.
  if (field === 'name' && QA_OBJECT.test(words[0] ?? '')) return false;
  const bare = words.join(' ');
  if (field === 'birthDate')
    return /^(?:19|20)\d{2}-?\d{2}-?\d{2}$/.test(value) && !/^1900-?01-?01$/.test(value);
  if (field === 'patientId' || field === 'otherIds') {
    if (PLACEHOLDER_ID.test(value) || isTestIdentifier(value) || /^\d+(?:\.\d+){3,}$/.test(value))
      return false;
    return (value.match(/\d/g)?.length ?? 0) >= 3;
  }
  if (field === 'phone') return (value.match(/\d/g)?.length ?? 0) >= 6;
  return /\p{L}{2}/u.test(bare);
}
