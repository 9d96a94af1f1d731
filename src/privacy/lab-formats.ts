/**
 * Patients in the formats laboratory analysers, practice systems and document registries speak,
 * pasted from an instrument log, a serial capture or a SOAP trace:
 *  - ASTM E1394 / CLSI LIS2-A2 and HPRIM (the French laboratory format built on it): a `P`
 *    record (`P|1|practice id|lab id|id 3|FAMILY^GIVEN^MIDDLE|mother's name|YYYYMMDD|sex…`),
 *    framed or not (`<STX>1P|1|…`, `\x02` and a frame digit, a serial capture's `.` for CR);
 *  - GDT, LDT and BDT (German device, laboratory and practice data exchange): lines of a
 *    three-digit length, a four-digit field id and the value (`0193101Mustermann`), where 3000 is
 *    the patient number, 3101 the surname, 3102 the given name and 3103 the birth date (DDMMYYYY);
 *  - IHE XDS metadata: a `sourcePatientInfo` slot holding HL7 PID fields one per value
 *    (`PID-5|FAMILY^GIVEN^^^`, `PID-7|19560527`, `PID-3|…`);
 *  - a DICOM structured report printed by dcmtk's dsrdump, whose head names the patient in one
 *    line (`Patient : Doe^Jane (F, 19570412, #4471203)`).
 *
 * What counts is a person's name (not a placeholder or a redaction) with a birth date or a
 * patient identifier, as in the HL7 and X12 readers.
 *
 * Linear time: each reader walks the text once (a regex without nested quantifiers for record
 * openers, then the record read once up to its end or 512 characters).
 */
import { isPlaceholderName, isRedaction, isSentinelDate, isTestIdentifier } from './placeholders.js';
import type { RawFinding } from './types.js';

const MAX_RECORD = 512;
const NAME_PART = /^\p{L}[\p{L}' .-]{0,59}$/u;

export function findLabPatients(text: string, out: RawFinding[]): void {
  findAstmPatients(text, out);
  findGdtPatients(text, out);
  findXdsPatientInfo(text, out);
  findStructuredReportPatient(text, out);
}

// dcmtk's dsrdump heads a structured report with the patient in one line:
// `Patient            : Doe^Jane (F, 19570412, #4471203)`.
const DSR_PATIENT =
  /^Patient\s{0,24}:\s?([^\n(]{1,80}?)\s?\(\s?[MFOU]?\s?,\s?(\d{8})?\s?,\s?#\s?([^)\n]{0,64})\)/gm;

function findStructuredReportPatient(text: string, out: RawFinding[]): void {
  if (!text.includes('Patient')) return;
  DSR_PATIENT.lastIndex = 0;
  for (let m = DSR_PATIENT.exec(text); m; m = DSR_PATIENT.exec(text)) {
    if (!personName(m[1] ?? '', '^')) continue;
    const birth = compactDate(m[2] ?? '');
    const id = identifier(m[3] ?? '');
    if (!birth && !id) continue;
    out.push({
      kind: 'dicom-dump',
      label: 'a patient in a DICOM structured report printed as text (dsrdump)',
      excerpt: `structured report patient line with a name${birth ? ', a birth date' : ''}${id ? ', a patient id' : ''}`,
      start: m.index,
      end: m.index + m[0].length,
      unit: 'char',
      fields: ['name', ...(birth ? ['birthDate'] : []), ...(id ? ['patientId'] : [])],
    });
  }
}

// `P|1|` at a record's start: after a line break, CR, STX, a frame digit, `<STX>`'s `>`, a
// capture's `.` or `]`, or a space.
const ASTM_P = /P\|\d{1,4}\|/g;
const ASTM_BEFORE = /[\n\r\x02>\].\s]/;

function findAstmPatients(text: string, out: RawFinding[]): void {
  if (!text.includes('P|')) return;
  let last: RawFinding | undefined;
  ASTM_P.lastIndex = 0;
  for (let m = ASTM_P.exec(text); m; m = ASTM_P.exec(text)) {
    const start = m.index;
    let k = start;
    if (k > 0 && /[0-7]/.test(text.charAt(k - 1))) k -= 1;
    if (k > 0 && !ASTM_BEFORE.test(text.charAt(k - 1))) continue;
    const end = recordEnd(text, start);
    ASTM_P.lastIndex = Math.max(end, start + m[0].length);
    // The name is the sixth field: a record with fewer is not split to learn it has none.
    let pipe = start;
    for (let n = 0; n < 5 && pipe >= 0; n += 1) {
      pipe = text.indexOf('|', pipe + 1);
      if (pipe >= end) pipe = -1;
    }
    if (pipe < 0) continue;
    const fields = text.slice(start, end).split('|');
    const name = personName(fields[5] ?? '', '^');
    if (!name) continue;
    const birth = compactDate(fields[7] ?? '');
    const id = [fields[2], fields[3], fields[4]].some((f) => identifier((f ?? '').split('^')[0] ?? ''));
    if (!birth && !id) continue;
    // A worklist of patients is one finding over the list, not one per record.
    if (last && start - last.end < MAX_RECORD) {
      last.end = end;
      continue;
    }
    last = {
      kind: 'patient-record',
      label: 'a patient record of a laboratory instrument (ASTM/HPRIM P record)',
      excerpt: `ASTM/HPRIM P record with a name${birth ? ', a birth date' : ''}${id ? ', a patient id' : ''}`,
      start,
      end,
      unit: 'char',
      fields: ['name', ...(birth ? ['birthDate'] : []), ...(id ? ['identifier'] : [])],
    };
    out.push(last);
  }
}

/** Where a record that starts at `start` ends: CR, LF, ETX, ETB, a `<CR>` shown as text, or 512 characters. */
function recordEnd(text: string, start: number): number {
  const limit = Math.min(text.length, start + MAX_RECORD);
  for (let i = start; i < limit; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0x03 || c === 0x17) return i;
    if (c === 0x3c && (text.startsWith('<CR>', i) || text.startsWith('<ETX>', i))) return i;
  }
  return limit;
}

const GDT_LINE = /^(\d{3})(\d{4})(.{0,240})$/;

interface GdtRecord {
  start: number;
  end: number;
  surname: boolean;
  given: boolean;
  birth: boolean;
  id: boolean;
}

function findGdtPatients(text: string, out: RawFinding[]): void {
  if (!text.includes('3101') && !text.includes('3102')) return;
  let record: GdtRecord | undefined;
  const close = () => {
    if (
      record &&
      (record.surname || record.given) &&
      (record.birth || record.id || (record.surname && record.given))
    )
      out.push({
        kind: 'patient-record',
        label: 'a patient in a GDT/LDT/BDT device or laboratory record',
        excerpt: `GDT record with ${[record.surname || record.given ? 'a name' : '', record.birth ? 'a birth date' : '', record.id ? 'a patient number' : ''].filter(Boolean).join(', ')}`,
        start: record.start,
        end: record.end,
        unit: 'char',
        fields: ['name', ...(record.birth ? ['birthDate'] : []), ...(record.id ? ['identifier'] : [])],
      });
    record = undefined;
  };
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let contentStart = lineStart;
    while (
      contentStart < lineEnd &&
      (text.charCodeAt(contentStart) === 0x20 || text.charCodeAt(contentStart) === 0x09)
    )
      contentStart += 1;
    let contentEnd = lineEnd;
    if (text.charCodeAt(contentEnd - 1) === 0x0d) contentEnd -= 1;
    const m = contentEnd - contentStart <= 247 ? GDT_LINE.exec(text.slice(contentStart, contentEnd)) : null;
    if (!m) {
      close();
    } else {
      const field = m[2];
      const value = (m[3] ?? '').trim();
      // 8000 opens a record (its type: 6301, 6310, 8218…): the one before ends there.
      if (field === '8000') close();
      record ??= {
        start: contentStart,
        end: contentEnd,
        surname: false,
        given: false,
        birth: false,
        id: false,
      };
      record.end = contentEnd;
      if (field === '3101' && personName(value, ' ')) record.surname = true;
      else if (field === '3102' && personName(value, ' ')) record.given = true;
      else if (field === '3103' && germanDate(value)) record.birth = true;
      else if (field === '3000' && identifier(value)) record.id = true;
    }
    lineStart = lineEnd + 1;
  }
  close();
}

// `PID-5|FAMILY^GIVEN`, `PID-7|19560527`, `PID-3|4711^^^&1.2.3&ISO`.
const XDS_PID = /PID-(3|5|7)\|([^<\n"|]{1,200})/g;
const XDS_WINDOW = 2048;

function findXdsPatientInfo(text: string, out: RawFinding[]): void {
  if (!text.includes('PID-')) return;
  let cluster: { start: number; end: number; name: boolean; birth: boolean; id: boolean } | undefined;
  const close = () => {
    if (cluster?.name && (cluster.birth || cluster.id))
      out.push({
        kind: 'hl7-pid',
        label: 'a patient’s HL7 PID fields in document-registry metadata (IHE XDS sourcePatientInfo)',
        excerpt: `sourcePatientInfo with a name${cluster.birth ? ', a birth date' : ''}${cluster.id ? ', a patient id' : ''}`,
        start: cluster.start,
        end: cluster.end,
        unit: 'char',
      });
    cluster = undefined;
  };
  XDS_PID.lastIndex = 0;
  for (let m = XDS_PID.exec(text); m; m = XDS_PID.exec(text)) {
    if (cluster && m.index - cluster.end > XDS_WINDOW) close();
    cluster ??= { start: m.index, end: m.index, name: false, birth: false, id: false };
    cluster.end = m.index + m[0].length;
    const value = (m[2] ?? '').trim();
    if (m[1] === '5' && personName(value, '^')) cluster.name = true;
    else if (m[1] === '7' && compactDate(value)) cluster.birth = true;
    else if (m[1] === '3' && identifier(value.split('^')[0] ?? '')) cluster.id = true;
  }
  close();
}

/** A person's name in components (`FAMILY^GIVEN`), not a placeholder, redaction or test name. */
function personName(value: string, separator: string): boolean {
  const parts = value
    .split(separator)
    .map((p) => p.trim())
    .filter(Boolean);
  const family = parts[0];
  if (!family || !NAME_PART.test(family) || isRedaction(value)) return false;
  return !isPlaceholderName(parts.slice(0, 3).join(' '));
}

/** `YYYYMMDD`, perhaps with a time after it, as a plausible birth date. */
function compactDate(value: string): boolean {
  const date = value.trim().slice(0, 8);
  if (!/^(?:19|20)\d{6}$/.test(date) || isSentinelDate(date)) return false;
  return validDay(Number(date.slice(6, 8)), Number(date.slice(4, 6)));
}

/** GDT's `DDMMYYYY`. */
function germanDate(value: string): boolean {
  if (!/^\d{2}\d{2}(?:19|20)\d{2}$/.test(value) || isSentinelDate(value)) return false;
  return validDay(Number(value.slice(0, 2)), Number(value.slice(2, 4)));
}

function validDay(day: number, month: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

function identifier(value: string): boolean {
  const v = value.trim();
  return (
    /^[A-Za-z0-9-]{3,30}$/.test(v) &&
    (v.match(/\d/g)?.length ?? 0) >= 3 &&
    !isRedaction(v) &&
    !isTestIdentifier(v)
  );
}
