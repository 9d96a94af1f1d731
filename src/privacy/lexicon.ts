/**
 * Names of patient fields in the languages health-tech software is written in (EN, DE, FR, ES,
 * NL, IT, PT, and the common ones of SV, DA, NO, PL, FI and CS), and what a plausible value of each looks like. The table and document detectors
 * judge a column or a key by this lexicon, and a cell or a value by the matching check, so a
 * header alone ("first_name, dob") is never enough and neither is a value alone ("Jane Doe").
 *
 * A header or key is normalised before lookup: accents stripped, lower case, camelCase and the
 * separators `_ - . space /` split into words, trailing digits dropped ("address2"), and the
 * words joined ("Geb.-Datum" → "gebdatum", "patientFirstName" → "patientfirstname"). If the
 * joined form is unknown, words that only say whose field it is ("patient", "pt", "member", "du",
 * "de") are dropped and the rest looked up again; a lone "id"/"number" after such a word is the
 * patient's identifier ("pat_id", "patient_nr") or, after "member"/"subscriber", a plan number.
 * A table qualifier ("p.first_name") is dropped the same way. Every step is linear in the key.
 */

import { hasProductWordAmong, isPlaceholderName, isRedaction, isSentinelDate } from './placeholders.js';

export type FieldClass =
  | 'given'
  | 'family'
  | 'name'
  | 'birthDate'
  | 'sex'
  | 'address'
  | 'phone'
  | 'email'
  | 'ssn'
  | 'insurance'
  | 'mrn'
  | 'diagnosis'
  | 'medication';

/** One bit per class, so a record's classes merge into its parent's with a single `|`. */
export const CLASS_BIT: Record<FieldClass, number> = {
  given: 1,
  family: 2,
  name: 4,
  birthDate: 8,
  sex: 16,
  address: 32,
  phone: 64,
  email: 128,
  ssn: 256,
  insurance: 512,
  mrn: 1024,
  diagnosis: 2048,
  medication: 4096,
};

export const NAME_BITS = CLASS_BIT.given | CLASS_BIT.family | CLASS_BIT.name;
export const ID_BITS = CLASS_BIT.ssn | CLASS_BIT.insurance | CLASS_BIT.mrn;
/** Fields that identify a person (or their health) together with a name, even in prose-like text. */
export const STRONG_BITS =
  CLASS_BIT.birthDate | ID_BITS | CLASS_BIT.diagnosis | CLASS_BIT.medication | CLASS_BIT.address;
export const CONTACT_BITS = CLASS_BIT.phone | CLASS_BIT.email;

const WORDS: Record<FieldClass, string> = {
  given: `firstname givenname given forename forenames fname first namefirst christianname vorname vornamen rufname
    firstnm fstnm frstnm givennm
    prenom prenoms nombre nombres primernombre voornaam voornamen roepnaam nome primeironome imie imiona fornavn
    fornamn
    etunimi jmeno primeiro`,
  family: `lastname familyname family surname lname last namelast maidenname nachname familienname geburtsname
    lastnm lstnm familynm
    nom nomdefamille nomdenaissance nomdusage apellido apellidos primerapellido segundoapellido achternaam
    familienaam geslachtsnaam cognome sobrenome apelido nazwisko efternavn etternavn efternamn
    sukunimi prijmeni ultimonome apelidos`,
  name: `name fullname names patient patientin patienten paciente patiente patients naam nomcomplet nombrecompleto
    volledigenaam nomecompleto vollername vollstandigername nominativo displayname legalname preferredname personname
    patname ptname clientname customername nomprenom nameofpatient anzeigename nomeecognome fn nm fullnm
    namn navn nimi imieinazwisko pacjent pasient potilas paziente assistito utente doente bewoner invanare beboer
    beneficiary subscriber insured enrollee guarantor pojistenec`,
  birthDate: `dob birthdate dateofbirth datebirth birthday bday bdate birth born birthtime birthdt dtbirth geburtsdatum
    gebdatum gebdat geburtstag geboren geb datedenaissance datenaissance naissance ddn fechadenacimiento
    fechanacimiento fechanac fnac nacimiento geboortedatum geboren gebdatum datadinascita datanascita nascita
    datadinascimento datanascimento dtnasc dtnaiss datnaiss datenaiss fechadenac fecnac nascimento dnasc nele neele
    natoil natail nacidoel nacidael geborenam geborenop brthdt bthdt dobdt dataurodzenia urodzony urodzona
    fodelsedatum fodselsdato
    fodd fodt fodelsedag fodselsdag ur syntymaaika datumnarozeni dataur urodz datanasc datadenascimento dtnascimento gebdatum fodselsdato fodelsedatum`,
  sex: `sex gender administrativegender administrativegendercode geschlecht sexe genre sexo genero geslacht sesso
    genere
    kon kjonn plec sukupuoli pohlavi`,
  address: `address addr addresses streetaddress street streetaddressline addressline line1 line2 houseaddress
    homeaddress residence strasse hausnummer anschrift adresse wohnort wohnadresse plz postleitzahl ort stadt
    rue ville codepostal direccion domicilio calle ciudad localidad codigopostal adres straat straatnaam
    huisnummer woonplaats plaats postcode indirizzo citta comune residenza zip zipcode postalcode city town
    endereco cidade
    adress gatuadress postnummer postort ulica miasto kodpocztowy morada codpostal osoite`,
  phone: `phone phonenumber phoneno homephone mobilephone mobile cell cellphone tel telephone telecom telefon
    telefonnummer handy mobil mobiltelefon portable telefono movil celular telefoon telefoonnummer mobiel
    cellulare telefonecellulare
    mobiltelefon telefone telemovel puhelin`,
  email: `email emailaddress mail mailaddress emailadresse courriel adressemail correo correoelectronico emailadres
    posta postaelettronica
    epost epostadress mejl correioeletronico`,
  ssn: `ssn socialsecuritynumber socialsecurityno socialsecurity sozialversicherungsnummer svnr svnummer
    rentenversicherungsnummer nir numerosecu numerodesecuritesociale securitesociale nss numeroseguridadsocial
    bsn burgerservicenummer codicefiscale dni nif nie nationalid nationalidentifier nationalidnumber nhsnumber
    nhsno nhs insee ahv ahvnr ahvnummer personnummer pesel cpf steuerid taxid social socialsecno socsec ssnum
    itin taxpayerid
    fodselsnummer cpr cprnr niss hetu rodnecislo`,
  insurance: `insurancenumber insuranceno insuranceid insurance memberid membernumber memberno subscriberid
    subscribernumber policynumber policyno policyid medicaidid medicaidnumber medicareid medicarenumber mbi hicn
    healthplanid beneficiaryid medicarebeneficiaryidentifier medicarebeneficiaryid versichertennummer versichertennr versicherungsnummer kvnr
    krankenversichertennummer krankenkassennummer numeroadherent numeromutuelle numerodeafiliacion
    numeroafiliacion tarjetasanitaria polisnummer verzekerdennummer tesserasanitaria
    numerodeutente nrubezpieczenia forsakringsnummer`,
  mrn: `mrn medicalrecordnumber medicalrecordno medicalrecord recordnumber patientid patid ptid patientnumber
    patientno patno patnr patientnr chartnumber chartno fallnummer fallnr patientennummer patientennr
    numerodossier nip ipp nhc historiaclinica numerohistoria patientnummer dossiernummer cartellaclinica
    casenumber
    journalnummer journalnr numeroprocesso nrhistorii`,
  diagnosis: `diagnosis diagnoses dx diagnose diagnosen diagnostic diagnostico diagnosi icd icd10 icdcode
    condition conditions befund hauptdiagnose pathologie enfermedad aandoening
    diagnos rozpoznanie diagnoza sjukdom choroba doenca`,
  medication: `medication medications meds drug drugs rx prescription medikament medikamente medikation
    medicament medicaments medicamento medicamentos medicatie medicijn farmaco farmaci terapia
    lakemedel leki lek medicacao legemiddel laegemiddel`,
};

const LOOKUP = new Map<string, FieldClass>();
for (const [cls, words] of Object.entries(WORDS) as [FieldClass, string][]) {
  for (const w of words.split(/\s+/)) if (w) LOOKUP.set(w, cls);
}

// Words that say whose field it is, dropped on the second lookup.
const OWNER = new Set(
  'patient patients patienten patientin pat pt p member subscriber insured versicherter client customer person persons kunde paciente patiente du de del des la le van der di da the of his her'.split(
    ' ',
  ),
);
const PLAN_OWNER = new Set(['member', 'subscriber', 'insured', 'versicherter']);
const ID_WORDS = new Set([
  'id',
  'nr',
  'no',
  'num',
  'number',
  'nummer',
  'numero',
  'identifier',
  'ident',
  'code',
]);

/** The words of a key: accents stripped, lower case, split at separators and camelCase humps. */
export function keyWords(key: string): string[] {
  // ASCII has no accents to strip (NFD leaves it as it is): most keys skip the normalisation.
  const plain = /^[\x00-\x7f]*$/.test(key)
    ? key
    : key
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        // Letters NFD leaves whole: Danish and Norwegian ø and æ, Polish ł, French œ.
        .replace(/ß/g, 'ss')
        .replace(/[øØ]/g, 'o')
        .replace(/[æÆ]/g, 'ae')
        .replace(/[łŁ]/g, 'l')
        .replace(/[œŒ]/g, 'oe');
  const words: string[] = [];
  let word = '';
  let prevLower = false;
  for (let i = 0; i < plain.length && i < 96; i += 1) {
    const ch = plain[i] as string;
    const lower = ch >= 'a' && ch <= 'z';
    const upper = ch >= 'A' && ch <= 'Z';
    const digit = ch >= '0' && ch <= '9';
    if (!lower && !upper && !digit) {
      if (word) words.push(word);
      word = '';
      prevLower = false;
      continue;
    }
    if (upper && prevLower && word) {
      words.push(word);
      word = '';
    }
    word += upper ? String.fromCharCode(ch.charCodeAt(0) + 32) : ch;
    prevLower = lower || digit;
  }
  if (word) words.push(word);
  return words;
}

// Words that say how a value is stored, not what it is: `dob_dt`, `birth_date_str`, `dob_iso`.
// Salesforce marks custom fields and relations with `__c` and `__r`: `Birthdate__c`.
const TYPE_SUFFIX = new Set([
  'dt',
  'ts',
  'str',
  'iso',
  'txt',
  'text',
  'val',
  'value',
  'raw',
  'enc',
  'fmt',
  'c',
  'r',
]);

/** The patient-field class a header or key names, or undefined. */
export function classifyKey(key: string): FieldClass | undefined {
  if (key.length > 64) return undefined;
  // Pure in `key`: a wide header or a long dump repeats the same few keys many times.
  const known = KEY_CACHE.get(key);
  if (known !== undefined) return known === null ? undefined : known;
  const found = classifyKeyUncached(key);
  if (KEY_CACHE.size >= KEY_CACHE_LIMIT) KEY_CACHE.clear();
  KEY_CACHE.set(key, found ?? null);
  return found;
}

const KEY_CACHE_LIMIT = 4096;
const KEY_CACHE = new Map<string, FieldClass | null>();

function classifyKeyUncached(key: string): FieldClass | undefined {
  const dot = key.lastIndexOf('.');
  const found = classifyWords(keyWords(key));
  if (found || dot <= 0 || dot === key.length - 1) return found;
  return classifyWords(keyWords(key.slice(dot + 1)));
}

function classifyWords(all: string[]): FieldClass | undefined {
  // An HTTP header's `X-` says it is custom, not what it holds: `X-Patient-DOB`.
  const words = all[0] === 'x' && all.length > 1 ? all.slice(1) : all;
  if (words.length === 0 || words.length > 6) return undefined;
  const found = classifyWordsAsIs(words);
  if (found || words.length < 2 || !TYPE_SUFFIX.has(words[words.length - 1] as string)) return found;
  return classifyWordsAsIs(words.slice(0, -1));
}

function classifyWordsAsIs(words: string[]): FieldClass | undefined {
  const joined = words.join('').replace(/\d+$/, '');
  const direct = LOOKUP.get(joined);
  if (direct) return direct;
  const rest = words.filter((w) => !OWNER.has(w));
  if (rest.length === words.length) return undefined;
  if (rest.length === 0) return words.some((w) => w.startsWith('pat')) ? 'name' : undefined;
  if (rest.length === 1 && ID_WORDS.has(rest[0] as string)) {
    return words.some((w) => PLAN_OWNER.has(w)) ? 'insurance' : 'mrn';
  }
  return LOOKUP.get(rest.join('').replace(/\d+$/, ''));
}

// Values that fill a column without being data: types of a schema dump, nulls, redactions, templates.
const PLACEHOLDER =
  /^(?:null|nil|none|n\/?a|undefined|unknown|true|false|string|str|text|varchar|char|nvarchar|int|integer|bigint|date|datetime|timestamp|bool|boolean|number|object|array|redacted|masked|hidden|removed|omitted|x+|\*+|-+|\.+|#+|\?+)$|^\[.*\]$|^<.*>$|^\{\{.*\}\}$|^\$\{.*\}$|^%\w*%$|^varchar\(|^char\(/i;

const NAME_VALUE = /^[\p{L}][\p{L}'’.-]*(?:[ ,^]{1,2}[\p{L}][\p{L}'’.-]*){0,4}$/u;
const DATE_VALUE =
  /(?:^|[^\d])(?:(?:18|19|20)\d\d[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])|(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:(?:18|19|20)\d\d|\d\d)|(?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])[-/.](?:(?:18|19|20)\d\d|\d\d)|(?:18|19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])|(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d\d|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:19|20)\d\d|(?:18|19|20)\d\d, ?\d{1,2}, ?\d{1,2}|\d{1,2}\.? [\p{L}]{3,10}\.? (?:18|19|20)\d\d|[\p{L}]{3,10}\.? \d{1,2},? (?:18|19|20)\d\d|\d{1,2}[-/ ]?\p{L}{3}[-/ ]?(?:(?:18|19|20)\d\d|\d\d))(?:$|[^\d])/u;
const IP_OR_MAC =
  /^(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?$|^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$|:\/\/|^[0-9a-f:]*::[0-9a-f:]*$/i;

/** Whether `value` is what a field of class `cls` holds about a real person (bounded: values are cut to 256). */
export function plausibleValue(cls: FieldClass, raw: string): boolean {
  const value = raw.trim().slice(0, 256);
  // The class's own test first: most values fail it, and then the three generic ones are not read.
  return (
    value.length > 0 &&
    plausibleAs(cls, value) &&
    !PLACEHOLDER.test(value) &&
    !SCHEMA_TYPE.test(value) &&
    !isRedaction(value)
  );
}

/** Whether a trimmed, non-empty value has the shape of its class (see plausibleValue). */
function plausibleAs(cls: FieldClass, value: string): boolean {
  switch (cls) {
    case 'given':
    case 'family':
    case 'name':
      // A manual's or a test fixture's nobody ("Jane Doe", "Max Mustermann") is no name of a
      // record: a real John Doe's record still has an identifier, which counts with the birth date.
      return (
        value.length >= 2 &&
        value.length <= 80 &&
        NAME_VALUE.test(value) &&
        !isPlaceholderName(value) &&
        !/^[a-z]+_[a-z_]+$/.test(value) &&
        !hasProductWordAmong(value)
      );
    case 'birthDate':
      // Every form of DATE_VALUE and EPOCH holds a digit: a value without one is read no further.
      if (countDigits(value) === 0) return false;
      if (EPOCH.test(value)) return epochBirthYearOk(Number(value));
      return DATE_VALUE.test(value) && birthYearOk(value) && !isSentinelDate(value);
    case 'sex':
      return /^\p{L}{1,12}$/u.test(value);
    case 'address':
      return /\p{L}/u.test(value) || /^\d{4,6}(?:-\d{3,4})?$/.test(value)
        ? !IP_OR_MAC.test(value) && value.length >= 2
        : false;
    case 'phone':
      return /^(?:tel:)?[+()\d][\d\s().\-/]{5,24}\d$/.test(value) && countDigits(value) >= 7;
    case 'email':
      return /^(?:mailto:)?[^\s@]{1,64}@[^\s@]{1,128}\.[A-Za-z]{2,}$/.test(value);
    case 'ssn':
    case 'insurance':
    case 'mrn':
      return value.length <= 40 && countDigits(value) >= 4 && !/^0+$/.test(value) && !DATE_ONLY.test(value);
    case 'diagnosis':
    case 'medication':
      return /\p{L}{3}/u.test(value) || /^[A-Z]\d\d(?:\.\d+)?$/.test(value);
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?$/;
// A schema's type where a value would be: GraphQL's `ID!`, `[Condition!]!`, FHIR's data types.
const SCHEMA_TYPE =
  /^\[?[A-Za-z_]\w{0,63}!?\]?!$|^\[[A-Za-z_]\w{0,63}!?\]$|^(?:HumanName|ContactPoint|CodeableConcept|Identifier|Reference|Address|Period|Coding|Quantity|Attachment)$/;
// Milliseconds (or seconds) since 1970, as BSON, JavaScript and Java write a birth date.
const EPOCH = /^-?\d{9,13}$/;

/** An epoch value under a birth-date key: milliseconds if that gives a birth year, else seconds. */
function epochBirthYearOk(n: number): boolean {
  for (const ms of [n, n * 1000]) {
    const y = new Date(ms).getUTCFullYear();
    if (y >= 1890 && y <= 2030) return true;
  }
  return false;
}

function countDigits(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) n += 1;
  }
  return n;
}

/** Dates whose four-digit year could be a living person's birth year; two-digit years pass. */
function birthYearOk(value: string): boolean {
  const m = /(?:18|19|20)\d\d/.exec(value);
  if (!m) return true;
  const y = Number(m[0]);
  return y >= 1890 && y <= 2030;
}

/**
 * Whether the classes of one record (or one table row) identify a person: a name with a strong
 * field (birth date, identifier, address, diagnosis, medication) or a contact field, or an
 * identifier with any other personal field. `looseBits` are classes seen only in prose-like
 * `Label: value` lines, where a name next to a phone or e-mail is a signature, not a record.
 */
export function identifiesPerson(bits: number, looseBits = 0): boolean {
  if (bits & NAME_BITS) {
    if (bits & STRONG_BITS) return true;
    if (bits & CONTACT_BITS & ~looseBits) return true;
  }
  if (bits & ID_BITS) {
    if ((bits & ~ID_BITS & ~looseBits) !== 0 || (bits & STRONG_BITS & ~ID_BITS) !== 0) return true;
    // Two different identifiers (an MRN and an insurance number) name one person too.
    const ids = bits & ID_BITS;
    return (ids & (ids - 1)) !== 0;
  }
  return false;
}

/** The classes in `bits`, by name, for a finding's `fields`. */
export function classNames(bits: number): string[] {
  return (Object.keys(CLASS_BIT) as FieldClass[]).filter((c) => bits & CLASS_BIT[c]);
}
