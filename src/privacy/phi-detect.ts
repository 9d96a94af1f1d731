/**
 * The PHI guard's detector: finds personal and health identifiers about people in what a reporter
 * sends — typed text, pasted snippets and attachments.
 *
 * Pure and synchronous, with no Node-only API, so the portal's browser script (warning before
 * submit) and the server (quarantine on arrival, on every channel) import the same module and
 * reach the same verdict. The detectors are cue-driven, because a vulnerability report is full of
 * things that look like identifiers and are not: host names, IP addresses, URLs, versions,
 * hashes, tokens, UUIDs, timestamps, stack traces, CVE ids, ports, device serial numbers, and the
 * reporter's own signature. Each detector module documents its cues and known limits:
 *  - identifiers.ts — SSNs/ITINs, medical record numbers, health-plan/member numbers, NHS numbers
 *    and Medicare MBIs; national-ids.ts — other countries' national and health-insurance numbers
 *    (BSN, NIR, DNI/NIE, PESEL, KVNR, CPF, codice fiscale, AHV…) after their cue or by checksum;
 *  - people.ts — names next to dates of birth (any common date format, six languages), street
 *    addresses; ages.ts — names next to an age ("45 y/o", "age 72", "81 Jahre"); clinical.ts — named people next to a diagnosis, medication or admission;
 *  - contacts.ts — phone and fax numbers and e-mail addresses of patients (libphonenumber-js);
 *    care-contacts.ts — patients' phone numbers and home addresses by the slot they fill (a
 *    reminder's recipient, a caller, a delivery or visit address) in a text about care;
 *  - structured.ts — FHIR Patient/Person/RelatedPerson (JSON, XML), CSV exports;
 *  - hl7.ts — HL7 v2 PID/NK1/PV1 segments in any framing (logs, tcpdump, MLLP, hex dumps);
 *    x12.ts — X12 EDI patients and subscribers (NM1 with a member id or a DMG birth date);
 *    ncpdp.ts — NCPDP pharmacy claims naming a patient or cardholder; lab-formats.ts — ASTM and
 *    HPRIM patient records of laboratory instruments, GDT/LDT records, XDS sourcePatientInfo;
 *  - tabular.ts — tables of patients (ASCII, fixed width, delimited, rows printed one column per
 *    line, rows without a header) by column and value; sql-dumps.ts — INSERTs of every dialect and
 *    `COPY … FROM stdin`, with or without a column list;
 *  - documents.ts — key/value records about a person (JSON/BSON and Extended JSON, XML/CDA, YAML,
 *    query strings, logs, redis-cli hashes);
 *  - lexicon.ts, value-types.ts, placeholders.ts — what a field's name says in six languages, what
 *    a bare value looks like, and what is no one's data (redactions, template slots, sentinel dates,
 *    a manual's DOE^JOHN, test identifiers, product names);
 *  - dicom.ts — DICOM patient tags in binary files; dicom-text.ts — DICOM headers dumped as text;
 *  - encoded.ts — escaped strings, base64 runs and hex dumps, decoded into views that the detectors
 *    of structure and identifiers read again.
 *
 * The result is a list of findings with a kind, a reporter-facing label, a masked excerpt and the
 * span, so the browser can highlight it and the server can redact it; findings never carry the
 * full identifier.
 */

import { findNamesWithAges } from './ages.js';
import { findCareRecipientContacts } from './care-contacts.js';
import { findPeopleWithClinicalFacts } from './clinical.js';
import { findPatientEmails, findPhones, normalisePhone } from './contacts.js';
import { createTextContext } from './context.js';
import { findDicomPatient, isDicom } from './dicom.js';
import { findDicomTextDumps } from './dicom-text.js';
import { findPatientRecords } from './documents.js';
import { decodedViews } from './encoded.js';
import { findHl7Segments } from './hl7.js';
import { findNationalHealthIds, findRecordNumbers, findSsns } from './identifiers.js';
import { findLabPatients } from './lab-formats.js';
import { findNationalIds } from './national-ids.js';
import { findNcpdpPatients } from './ncpdp.js';
import { findNamesWithBirthDates, findStreetAddresses, normaliseName } from './people.js';
import { findCsvPatientColumns, findFhirResources } from './structured.js';
import { findPatientTables } from './tabular.js';
import type { PhiDetectOptions, PhiFinding, PhiInput, PhiResult, RawFinding } from './types.js';
import { findX12Patients } from './x12.js';

/** Detects PHI in text or in an attachment's bytes. Findings are sorted by position. */
export function detectPhi(input: PhiInput, options: PhiDetectOptions = {}): PhiResult {
  if ('bytes' in input) {
    const bytes = input.bytes;
    if (isDicom(bytes)) {
      const raw: RawFinding[] = [];
      findDicomPatient(bytes, raw);
      return { findings: finish(raw), scanned: 'dicom' };
    }
    if (!looksLikeText(bytes)) return { findings: [], scanned: 'skipped' };
    return { findings: detectInText(new TextDecoder('utf-8').decode(bytes), options), scanned: 'text' };
  }
  return { findings: detectInText(input.text, options), scanned: 'text' };
}

/** Convenience for callers that only need a yes/no (e.g. to decide on quarantine). */
export function containsPhi(input: PhiInput, options: PhiDetectOptions = {}): boolean {
  return detectPhi(input, options).findings.length > 0;
}

function detectInText(text: string, options: PhiDetectOptions): PhiFinding[] {
  const raw = rawFindings(text, options);
  // What escaped strings and base64 runs carry, read once decoded (encoded.ts), over the
  // characters that encode it; what the plain reading already covers is not reported twice.
  const views = decodedViews(text);
  if (views.length > 0) {
    const covered = coverage(raw);
    for (const view of views) {
      for (const f of rawFindings(view.text, options, true)) {
        const [start, end] = view.spanOf
          ? view.spanOf(f.start, f.end)
          : [view.at(f.start), Math.max(view.at(f.end), view.at(f.start) + 1)];
        if (covered(start, end)) continue;
        raw.push({ ...f, start, end, excerpt: `${f.excerpt} (encoded)` });
      }
    }
  }
  return finish(raw);
}

/** Whether a span is at least half covered by one of `found` (sorted copy, binary search). */
function coverage(found: RawFinding[]): (start: number, end: number) => boolean {
  const spans = found.map((f) => [f.start, f.end] as const).sort((a, b) => a[0] - b[0]);
  const reach: number[] = [];
  for (const [, e] of spans) reach.push(Math.max(e, reach[reach.length - 1] ?? 0));
  return (start, end) => {
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((spans[mid] as readonly [number, number])[0] < end) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo - 1; k >= 0 && (reach[k] as number) > start && lo - k <= 64; k -= 1) {
      const [s, e] = spans[k] as readonly [number, number];
      if ((Math.min(e, end) - Math.max(s, start)) * 2 >= end - start) return true;
    }
    return false;
  };
}

/**
 * Every detector's findings in `text`. A decoded view (`structured`) is read by the detectors of
 * structure and identifiers only: what escaped strings and base64 carry is a document, a message
 * or a token, not prose, and reading prose twice would double the cost of a dense list.
 */
function rawFindings(text: string, options: PhiDetectOptions, structured = false): RawFinding[] {
  const country = options.defaultCountry ?? 'US';
  const reporter = options.reporter ?? {};
  const ignore = {
    emails: new Set((reporter.emails ?? []).map((e) => e.trim().toLowerCase())),
    phones: new Set((reporter.phones ?? []).map((p) => normalisePhone(p, country))),
  };
  const ignoredNames = new Set((reporter.names ?? []).map(normaliseName));
  const context = createTextContext(text);
  const raw: RawFinding[] = [];
  findFhirResources(text, raw);
  findHl7Segments(text, raw);
  findX12Patients(text, raw);
  findNcpdpPatients(text, raw);
  findLabPatients(text, raw);
  findDicomTextDumps(text, raw);
  findCsvPatientColumns(text, raw);
  findSsns(text, raw);
  findRecordNumbers(text, raw);
  findNationalHealthIds(text, raw);
  findNationalIds(text, raw);
  const nameWords = new Set([...ignoredNames].flatMap((n) => n.split(' ')));
  if (structured) {
    findPatientTables(text, raw);
    findPatientRecords(text, raw, { nameWords, emails: ignore.emails });
    return raw;
  }
  findNamesWithBirthDates(text, raw, ignoredNames);
  findNamesWithAges(text, raw, ignoredNames);
  findPeopleWithClinicalFacts(text, raw, ignoredNames);
  findPhones(text, raw, context, ignore, country);
  findPatientEmails(text, raw, context, ignore);
  findStreetAddresses(text, raw, context);
  findCareRecipientContacts(text, raw, ignore, country);
  // After the specific detectors: a table or record they already cover is not reported twice.
  findPatientTables(text, raw);
  findPatientRecords(text, raw, { nameWords, emails: ignore.emails });
  return withoutProseNamesInFhir(raw);
}

/**
 * Inside a FHIR resource the FHIR finding already says what is there (name, birth date,
 * address…) and spans it all; pairing capitalised words with `birthDate` there is guesswork that
 * mislabels streets and towns as people. A name-with-birth-date wholly inside one is dropped.
 */
function withoutProseNamesInFhir(raw: RawFinding[]): RawFinding[] {
  const fhir = raw.filter((f) => f.kind === 'fhir-patient');
  if (fhir.length === 0) return raw;
  return raw.filter(
    (f) => f.kind !== 'name-with-birth-date' || !fhir.some((r) => r.start <= f.start && f.end <= r.end),
  );
}

/** Drops internal values, and duplicates of the same kind over the same span. */
function finish(raw: RawFinding[]): PhiFinding[] {
  raw.sort((a, b) => a.start - b.start || a.end - b.end);
  const seen = new Set<string>();
  const findings: PhiFinding[] = [];
  for (const { value: _value, ...finding } of raw) {
    const key = `${finding.kind}:${finding.start}:${finding.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  return findings;
}

/** Heuristic: UTF-8 text without NUL bytes in its first 8 KiB (images, archives and PDFs streams have them). */
function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i += 1) if (bytes[i] === 0) return false;
  return true;
}
