/**
 * Values that stand where personal data would be without being any: redaction marks, template
 * slots, bound parameters, sentinel dates, and the names manuals use for nobody.
 *
 * Every detector asks the same questions here, so a redacted HL7 segment, a masked table and a
 * de-identified DICOM dump are judged alike.
 *
 * Documented-example names (`DOE^JOHN`, "Jane Doe", "Max Mustermann", "Test Patient") are a
 * deliberate, narrow exception: such a name is no patient on its own, so a segment or dump whose
 * only filled field is that name is not reported. It does not blank anything next to it — an
 * unidentified patient is registered as John Doe — so a record number beside it still counts.
 * A name and a birth date need more: a record's name field holding such a name is no name
 * (lexicon.ts), and prose pairs it with a birth date unless the date is a 1 January or the words
 * around say test, demo or sample (people.ts) — what manuals and demo databases write.
 */

// A redaction or mask: `[REDACTED]`, `<name>`, `{{dob}}`, `${mrn}`, `%s`, `?`, `$1`, `:name`,
// `XXXX-XX-XX`, `***`, `████`, `•••`, and words that say the value is gone.
const MARK =
  /^(?:null|nil|none|n\/?a|undefined|unknown|redacted|masked|hidden|removed|omitted|deleted|anonymi[sz]ed|anon|withheld|suppressed|confidential|private|tbd|todo)$|^[xX*#•●█■▇?_.\-/: ]+$|^\[.*\]$|^<.*>$|^\{\{.*\}\}$|^\$\{.*\}$|^%\w*%?$|^\$\d{1,3}$|^:[A-Za-z_]\w*$|^@[A-Za-z_]\w*$/i;

// A shell or template variable (`$LAST`, `$PATIENT_ID`) and one character over and over (`AAAA…`
// from a fuzzer, `0000`, `XXXXXXXX`).
const SLOT_OR_RUN = /^\$[A-Za-z_]\w{0,63}$|^(.)\1{3,}$/s;

/**
 * Whether a value is a redaction mark or a template slot rather than data. A value of HL7-style
 * components (`XXXXX^XXXXX`, `$LAST^$FIRST`) is one when each filled component is.
 */
export function isRedaction(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  if (v.includes('^')) {
    const parts = v.split('^').filter((p) => p.trim() !== '');
    return parts.length <= 16 && parts.every((p) => isRedaction(p));
  }
  return (v.length <= 64 && MARK.test(v)) || SLOT_OR_RUN.test(v);
}

// Surnames and given names of nobody, in the languages the lexicon knows.
const NOBODY_FAMILY = new Set(
  'doe roe mustermann musterfrau muster dupont-test test tester testpatient patient sample example dummy demo anonymous anonymized anonymised unknown unbekannt inconnu desconocido onbekend sconosciuto fulano mengano bloggs modaal'.split(
    ' ',
  ),
);
const NOBODY_GIVEN = new Set(
  'john jane johnny janie richard max erika joe fred test patient sample demo baby jan qa qc'.split(' '),
);

// Any placeholder surname, or `zz`, anywhere in a value (case folded as `toLowerCase` would).
const MAYBE_NOBODY = new RegExp(`zz|${[...NOBODY_FAMILY].join('|')}`, 'iu');

/**
 * Whether a name is one manuals use for nobody: every word is a placeholder name and one of them
 * a placeholder surname ("DOE^JOHN^Q", "Jane Doe", "Mustermann, Erika", "TEST^PATIENT").
 */
export function isPlaceholderName(value: string): boolean {
  // Read once first: most names hold no placeholder surname (nor `zz`) even as a part.
  if (!MAYBE_NOBODY.test(value)) return false;
  const words = value
    .toLowerCase()
    .split(/[\s,^]+/)
    .filter((w) => w !== '' && !/^\p{L}\.?$/u.test(w));
  if (words.length === 0 || words.length > 4) return false;
  // `ZZTEST`, `ZZZPATIENT`: the prefix hospitals give test patients so they sort last.
  const nobody = (w: string) => NOBODY_FAMILY.has(w) || (w.startsWith('zz') && w.length > 2);
  return words.some(nobody) && words.every((w) => nobody(w) || NOBODY_GIVEN.has(w));
}

/**
 * Dates systems write when the real one is missing: 1900-01-01, 1800-01-01, 0001-01-01 in any
 * order of their parts. A person born on such a day exists, but the value says "no date" far more
 * often than it says a birthday.
 */
export function isSentinelDate(value: string): boolean {
  if (!value.includes('1900') && !value.includes('1800') && !value.includes('0001')) return false;
  const digits = value.replace(/\D/g, '');
  return /^(?:0?1){2}(?:1900|1800|0001)$|^(?:1900|1800|0001)(?:0?1){2}$/.test(digits.slice(0, 8));
}

// Identifiers that vendors' installers, demo tenants and test suites use: `TEST0001`, `DEMO-12`,
// `ANON_4411`, `SAMPLE`. The word must stand alone or be followed by a digit or separator, so a
// surname such as "Testa" or "Demond" is not one.
const TEST_ID = /^(?:test|demo|sample|dummy|anon|example|fake|phantom|mock|qa|qc|zzz|fuzz)(?:[\d_.-]|$)/i;

/** Whether an identifier is a test or demo value rather than a person's. */
export function isTestIdentifier(value: string): boolean {
  return TEST_ID.test(value.trim());
}

// Capitalised words of products, organisations, documents and software: a run of them is not a
// person ("Release Notes", "Aurora Server", "Meridian Gateway").
const PRODUCT_WORDS =
  /(?:release|notes?|server|windows|version|update|patch|build|change|log|security|advisory|bulletin|team|group|inc|corp|systems?|health|medical|care|portal|service|services|manager|studio|edition|suite|platform|cloud|project|framework|library|app|application|guide|standard|protocol|spec|specification|rfc|iso|iec|nist|owasp|mitre|microsoft|apple|google|oracle|cisco|siemens|philips|epic|cerner|gateway|viewer|firmware|driver|kernel|sdk|linux|ubuntu|debian|android|ios|macos|java|python|node|openssl|apache|nginx|tomcat|spring|orthanc|mirth|dcmtk|chrome|firefox|endpoint|api|database|module|controller|engine|interface|pump|monitor|device|scanner|emr|ehr|pacs|hospital|clinic|center|centre|university|department|report|summary|tested|built|released|published|fixed|shipped|deployed)/
    .source;
const NOT_PERSON = new RegExp(`^${PRODUCT_WORDS}$`, 'i');
// The same words as a word of a value split at spaces, commas and carets (a record's field).
const PRODUCT_WORD_IN_VALUE = new RegExp(`(?:^|[ ,^])${PRODUCT_WORDS}(?=[ ,^]|$)`, 'i');
// The same words as a word of a run (split at spaces and commas), with or without a full stop.
const PRODUCT_WORD_IN_RUN = new RegExp(`(?:^|[\\s,])${PRODUCT_WORDS}\\.?(?=[\\s,]|$)`, 'i');

/** Whether a capitalised word names a product, an organisation or a document rather than a person. */
export function isProductWord(word: string): boolean {
  return NOT_PERSON.test(word);
}

/** Whether a value split at spaces, commas and carets holds a product word. */
export function hasProductWordAmong(value: string): boolean {
  return PRODUCT_WORD_IN_VALUE.test(value);
}

/** Whether a run of words (split at spaces and commas) holds a product word, with or without its full stop. */
export function hasProductWordIn(run: string): boolean {
  return PRODUCT_WORD_IN_RUN.test(run);
}
