/**
 * Shapes shared by every PHI detector. The module is pure (no Node APIs) so the portal's browser
 * script and the server's intake run the very same checks on the very same input.
 */

/** What a finding is about. Each kind has its own detector and its own cue words. */
export type PhiKind =
  | 'name-with-birth-date'
  | 'medical-record-number'
  | 'health-plan-number'
  | 'ssn'
  | 'phone'
  | 'fax'
  | 'patient-email'
  | 'street-address'
  | 'fhir-patient'
  | 'hl7-pid'
  | 'dicom-patient'
  | 'csv-patient-columns'
  /** Rows of a table in any text form (ASCII, SQL INSERTs, fixed width, TSV, `;`) whose columns are about patients. */
  | 'patient-table'
  /** A key/value document (JSON/BSON dump, YAML, XML such as CDA, query string, structured log) about a person. */
  | 'patient-record'
  /** A DICOM header dumped as text (e.g. `(0010,0010) PN [DOE^JANE]`). */
  | 'dicom-dump'
  /** A national health identifier whose checksum holds (e.g. an NHS number) or a Medicare MBI, next to its cue. */
  | 'national-health-id'
  /** A named person next to a clinical fact (diagnosis, medication, admission). */
  | 'person-clinical';

export const PHI_KINDS: readonly PhiKind[] = [
  'name-with-birth-date',
  'medical-record-number',
  'health-plan-number',
  'ssn',
  'phone',
  'fax',
  'patient-email',
  'street-address',
  'fhir-patient',
  'hl7-pid',
  'dicom-patient',
  'csv-patient-columns',
  'patient-table',
  'patient-record',
  'dicom-dump',
  'national-health-id',
  'person-clinical',
];

/** Text as typed or pasted by the reporter, or a decoded text attachment. */
export interface PhiTextInput {
  text: string;
  fileName?: string;
  contentType?: string;
}

/** An attachment as bytes: DICOM is walked tag by tag, anything that decodes as text is scanned as text. */
export interface PhiBytesInput {
  bytes: Uint8Array;
  fileName?: string;
  contentType?: string;
}

export type PhiInput = PhiTextInput | PhiBytesInput;

/**
 * The reporter's own contact details. Reports end with signatures; the reporter giving us their own
 * phone number or e-mail is not PHI, so values listed here are never reported.
 */
export interface ReporterContact {
  emails?: readonly string[];
  phones?: readonly string[];
  names?: readonly string[];
}

export interface PhiDetectOptions {
  reporter?: ReporterContact;
  /** Default region for phone numbers written without a country code (ISO 3166 alpha-2). Default 'US'. */
  defaultCountry?: string;
}

export interface PhiFinding {
  kind: PhiKind;
  /** Short phrase for the reporter, e.g. "a US Social Security number". */
  label: string;
  /** Masked excerpt: enough for the reporter to find the spot, never the full identifier. */
  excerpt: string;
  /**
   * Where the finding is. For text (and byte input decoded as text) these are UTF-16 offsets into
   * the text; for DICOM they are byte offsets of the element (tag through value) in the file.
   */
  start: number;
  end: number;
  unit: 'char' | 'byte';
  /** DICOM tag, e.g. "(0010,0010)". */
  tag?: string;
  /** For structured findings: which fields were filled (e.g. ["name", "birthDate"]). Never values. */
  fields?: string[];
}

export interface PhiResult {
  /**
   * What was found. Input the guard could not finish checking (a DICOM file past the walk's
   * bounds) carries a finding saying so, so that every caller holds it as it would PHI.
   */
  findings: PhiFinding[];
  /** How the input was read; 'skipped' means binary content the guard cannot inspect. */
  scanned: 'text' | 'dicom' | 'skipped';
}

/** A finding as a detector produces it: `value` is used to honour the reporter's own contact, then dropped. */
export interface RawFinding extends PhiFinding {
  value?: string;
}
