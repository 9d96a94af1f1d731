/**
 * Contact detectors: phone and fax numbers and e-mail addresses of patients.
 *
 * Reports are full of phone numbers and e-mail addresses that are not PHI: the reporter's
 * signature, the vendor's PSIRT line, support desks. So a number or address is only reported
 *  - after a personal cue: "patient phone", "home phone", "guardian", "next of kin", "the patient at",
 *    "emergency contact", "patient e-mail", "member e-mail"…; or
 *  - after a generic label ("Phone:", "Tel.", "Mobile", "Fax:", "E-mail:") when a strong patient cue
 *    (DOB, MRN, member ID, diagnosis… see context.ts) is within a few lines.
 * Values the caller lists as the reporter's own contact are never reported.
 *
 * Phone numbers are parsed with libphonenumber-js (its default metadata, which bundles for the
 * browser): the candidate after the cue must be a possible number for its country (default US),
 * which rejects IP addresses, versions and short codes that happen to follow "tel".
 *
 * Known limits: numbers and addresses without any cue (a bare list of phone numbers) are not
 * reported; cue words are English (plus "Telefon"/"Handy"); a text is searched for at most 2,048
 * phone candidates and 2,048 patient addresses (beyond that it is a contact dump, flagged many
 * times already).
 */

import type { CountryCode } from 'libphonenumber-js';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { positionsOf, type TextContext } from './context.js';
import { maskEmail, maskIdentifier, maskName } from './mask.js';
import { nameRunEndingAt } from './people.js';
import type { RawFinding } from './types.js';

const PERSONAL = `(?:patient(?:ens|en|in)?|pacjent(?:a|ki)?|pasient(?:ens)?|paziente|paciente|patiënt|pt|home|guardian|parent|caregiver|next[- ]of[- ]kin|emergency(?: contact)?|mother|father|spouse|member|subscriber|insured|guarantor)(?:'s|’s)?`;
const PHONE_NOUN =
  '(?:phone|tel|telephone|mobile|cell|fax|contact|telefon|handy|t[ée]l[ée]phone|t[ée]l|portable|tel[ée]fono|m[óo]vil|telefono|cellulare|telefoon|mobiel|mobil|mobiltelefon|telefonnummer|puhelin|telefone|telem[óo]vel|kom[óo]rka)';
// "Téléphone du patient :", "telefono del paziente", "Telefon des Patienten": the noun, then whose.
const PHONE_OWNER = String.raw`(?:\s(?:du|de la|des|del|de|della|dello|van de|van|der|des|of the|of)\s(?:patient(?:e|en|in)?|paciente|paziente|pati[ëe]nt|Patient(?:en|in)?|pacjent\w*))`;
const PHONE_CUE = new RegExp(
  String.raw`\b(?:(${PERSONAL})(?:\s+${PHONE_NOUN}\b\.?){0,2}(?:\s+(?:number|no\.?|#))?|${PHONE_NOUN}\b\.?(${PHONE_OWNER})?(?:\s+(?:number|no\.?|#))?)\s*(?:is\s+|at\s+|on\s+|[:#=]\s*)?`,
  'giu',
);
/** Where a number written in national form (a leading 0) may be from, after the default country. */
const NATIONAL_COUNTRIES: CountryCode[] = ['GB', 'DE', 'FR', 'NL', 'ES', 'IT', 'BE', 'AT', 'CH', 'SE'];
const PHONE_VALUE = /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d[\d\s.-]{5,16}\d/y;

// Read backwards from an address: the words right before it, ending where the address begins.
// Personal cues: "patient e-mail", "patient's e-mail address", "patient portal account", "pt at",
// and the German, French, Spanish, Dutch and Italian forms ("E-Mail des Patienten", "courriel du
// patient", "correo del paciente", "e-mailadres van de patiënt", "e-mail del paziente").
const EMAIL_NOUN = String.raw`(?:e-?mail(?:\s?address|adres|-?adresse)?|adresse(?: e-?mail)?|indirizzo(?: e-?mail)?|contact|courriel|correo(?: electr[óo]nico)?|login|account|user(?:name)?|e-?post(?:adress)?|mejl|adres(?: e-?mail)?)`;
const PERSONAL_EMAIL_CUE = new RegExp(
  String.raw`(?:\b${PERSONAL}(?:\s(?:portal|mychart|app))?(?:\s${EMAIL_NOUN}){1,2}|\b${PERSONAL}\sat|${EMAIL_NOUN}\s(?:of|from|for|des|der|du|de la|del|van|van de|della|dello)\s(?:the\s|la\s|el\s|de\s|der\s|il\s)?(?:patient(?:en|in)?|paciente|pati[ëe]nt|paziente|member|subscriber|guardian)|\bPatient(?:en|in)?-?E-?Mail|\b${PERSONAL}[_-]?e-?mail(?:[_-]?addr(?:ess)?)?["']?)\s{0,3}(?:(?:is|est|es|ist|è|was)\s{1,3}|[:=,]\s{0,3}["']?|<|\(\s{0,2})?$`,
  'i',
);
// A label, or the key of a log field or JSON member, that holds an address: `E-mail:`, `login=`,
// `"recipient":"`, `user=`.
const GENERIC_EMAIL_CUE =
  /(?:\b|_)(?:e-?mail|courriel|correo|login|recipient|rcpt|user(?:name)?|account|mail(?:_?to)?|to|cc|(?:sent|went|delivered|mailed|forwarded|emailed) to|ontvanger|empf[äa]nger|destinataire|destinatari[oa]|destinatário|mottagare|modtager|mottaker|odbiorca|(?:all'|l')?indirizzo|e-?post|mejl|adres|adresse)(?:\s?address)?["']?\s{0,3}(?:(?:is|contains|shows|showed|holds|reads|displays)\s{1,3}["']?|[:=]\s{0,3}["'<]?|<)?$/i;
/**
 * `[A-Za-z0-9._%+-]`, and `*` of a partly masked address, tested on a char code (one test per
 * character before each `@`).
 */
const isEmailLocal = (c: number) =>
  (c >= 0x61 && c <= 0x7a) ||
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x30 && c <= 0x39) ||
  c === 0x2e ||
  c === 0x5f ||
  c === 0x25 ||
  c === 0x2b ||
  c === 0x2d ||
  c === 0x2a;
// Labels may be partly or wholly masked (`c***-sol.test`, `***.example`); the top level may not.
const EMAIL_DOMAIN = /^[A-Za-z0-9*-]{1,63}(?:\.[A-Za-z0-9*-]{1,63}){0,8}\.[A-Za-z]{2,24}/;

const ID_NOUN = /^\s{0,3}(?:id|identifier|no\b|nr\b|number|num\b|#)/i;
/** Patient e-mail findings per text; see findPatientEmails. */
const MAX_EMAIL_FINDINGS = 2048;
/** Phone candidates parsed per text; see findPhones. */
const MAX_PHONE_PARSES = 2048;

export interface ContactIgnore {
  phones: ReadonlySet<string>;
  emails: ReadonlySet<string>;
}

export function normalisePhone(value: string, country: string): string {
  const parsed = parsePhoneNumberFromString(value, { defaultCountry: country as CountryCode });
  return parsed ? parsed.number : value.replace(/\D/g, '');
}

export function findPhones(
  text: string,
  out: RawFinding[],
  context: TextContext,
  ignore: ContactIgnore,
  country: string,
): void {
  PHONE_CUE.lastIndex = 0;
  let parses = 0;
  for (let m = PHONE_CUE.exec(text); m; m = PHONE_CUE.exec(text)) {
    const personal = m[1] !== undefined || m[2] !== undefined;
    let valueStart = m.index + m[0].length;
    PHONE_VALUE.lastIndex = valueStart;
    let v = PHONE_VALUE.exec(text);
    if (!v && personal) {
      // "Emergency contact: Wilf Quarrender (brother), 617-555-0188": a personal cue may name the
      // person before the number, on the same line.
      // "Member ID: 4471…" names an identifier, not a phone: no skipping over an identifier's noun.
      const window = text.slice(valueStart, valueStart + 41);
      const skip = window.search(/\+\d|\(\d|\d/);
      if (skip > 0 && !window.slice(0, skip).includes('\n') && !ID_NOUN.test(window)) {
        valueStart += skip;
        PHONE_VALUE.lastIndex = valueStart;
        v = PHONE_VALUE.exec(text);
      }
    }
    if (!v) continue;
    // Digits glued to letters (`QFILEbe3777927402`, a hex id, a serial) are part of a token, not
    // a phone number: the number must stand on its own at both ends.
    const after = text.charCodeAt(valueStart + v[0].length);
    if (isWordChar(text.charCodeAt(valueStart - 1)) || isWordChar(after)) continue;
    const raw = v[0].trim();
    // A dotted quad or a version string is not a phone number, whatever label precedes it.
    if (/^\d+(?:\.\d+){2,}$/.test(raw) || /^\d{4}-\d{2}-\d{2}/.test(raw)) continue;
    if (!personal && !context.hasPatientCueNear(m.index, valueStart + raw.length)) continue;
    // Parsing is the costly step (tens of microseconds): a text holding more candidates than this
    // is a dump of contacts, already flagged many times over, and not worth a second per megabyte.
    if (++parses > MAX_PHONE_PARSES) return;
    let parsed = parsePhoneNumberFromString(raw, { defaultCountry: country as CountryCode });
    // "06 12 34 56 78" is no number in the default country: a national form of a European one is.
    if (!parsed?.isValid() && /^0[1-9]/.test(raw) && parses + NATIONAL_COUNTRIES.length <= MAX_PHONE_PARSES) {
      for (const other of NATIONAL_COUNTRIES) {
        parses += 1;
        const candidate = parsePhoneNumberFromString(raw, { defaultCountry: other });
        if (candidate?.isValid()) {
          parsed = candidate;
          break;
        }
      }
    }
    if (!parsed?.isPossible()) continue;
    if (ignore.phones.has(parsed.number)) continue;
    const fax = /fax/i.test(m[0]);
    out.push({
      kind: fax ? 'fax' : 'phone',
      label: fax ? 'a fax number of a person' : 'a phone number of a person',
      excerpt: `${m[0].trim()}${valueStart > m.index + m[0].length ? ' …' : ''} ${maskIdentifier(raw)}`,
      start: valueStart,
      end: valueStart + raw.length,
      unit: 'char',
      value: parsed.number,
    });
    PHONE_CUE.lastIndex = valueStart + v[0].length;
  }
}

/**
 * One pass over the `@` signs and their spelled-out forms (`%40` in a URL, `[at]`, `(at)`,
 * `{at}` with `[dot]`/`(dot)` in the domain): each address is read around its sign (at most 64
 * characters before, 255 after), and only the 80 characters before it are looked at for a cue —
 * so a long run of cue words, or of address characters without a sign, costs a bounded amount per
 * character.
 *
 * After a personal cue ("patient portal account", "E-Mail des Patienten") the address counts.
 * After a generic one — a label (`E-mail:`) or a log or JSON key (`login=`, `"recipient":`,
 * `user=`) — it counts next to a strong cue (context.ts) or when its own line speaks of a
 * patient, member, appointment or lab result. Role and test mailboxes
 * (`psirt@`, `noreply@`, `test.patient1@`, `demo@`) are nobody's, whatever the cue.
 */
export function findPatientEmails(
  text: string,
  out: RawFinding[],
  context: TextContext,
  ignore: ContactIgnore,
): void {
  lineBreaks = { text, at: undefined };
  careMail = undefined;
  try {
    readPatientEmails(text, out, context, ignore);
  } finally {
    lineBreaks = undefined;
    careMail = undefined;
  }
}

function readPatientEmails(
  text: string,
  out: RawFinding[],
  context: TextContext,
  ignore: ContactIgnore,
): void {
  EMAIL_SIGN.lastIndex = 0;
  let resume = 0;
  const hints = positionsOf(text, PATIENT_HINT_G);
  const facing = { checked: false, value: false };
  let emails = 0;
  for (let sign = EMAIL_SIGN.exec(text); sign; sign = EMAIL_SIGN.exec(text)) {
    const at = sign.index;
    if (at < resume) continue;
    const plain = sign[0] === '@';
    let start = at;
    // A spelled-out sign may stand between spaces: "jdoe [at] mail [dot] example".
    let localEnd = at;
    if (!plain && text.charCodeAt(at - 1) === 0x20) localEnd = at - 1;
    start = localEnd;
    while (start > Math.max(resume, localEnd - 64) && isEmailLocal(text.charCodeAt(start - 1))) start -= 1;
    const after = at + sign[0].length;
    const domain = (plain || sign[0] === '%40' ? EMAIL_DOMAIN : SPELLED_DOMAIN).exec(
      text.slice(after, after + 256),
    );
    if (start >= localEnd || !domain) continue;
    const end = after + domain[0].length;
    const local = text.slice(start, localEnd).replace(/^[.-]+/, '');
    const valueStart = localEnd - local.length;
    const value = `${local}@${domain[0].replace(SPELLED_DOT, '.').trim()}`.toLowerCase();
    resume = end;
    if (isRoleMailbox(local) || ignore.emails.has(value)) continue;
    // `j***@…` or `***@…` is redacted past recognition; `ignatius_m***@…` is still someone's.
    if (local.includes('*') && local.replace(/[^A-Za-z0-9]/g, '').length < 3) continue;
    const before = text.slice(Math.max(0, valueStart - 80), valueStart);
    const personal = PERSONAL_EMAIL_CUE.exec(before) ?? cueOnLineBefore(text, valueStart);
    const generic = personal ? undefined : GENERIC_EMAIL_CUE.exec(before);
    // A recipient header names the person before the address: `To: "Ada Okafor" <ada@…>`.
    const header = personal || generic ? undefined : recipientHeaderBefore(text, valueStart);
    // Without a cue, a sentence that is about a patient and not about reaching someone: "the
    // reset page showed the patient's address r.d77@…", "I logged in as patient a.dv@…".
    const sentence =
      personal || generic || header || !hints.near(valueStart - 200, end + 200)
        ? undefined
        : patientSentence(text, valueStart, end, local);
    const named = personal || generic || header ? undefined : namedPatientBefore(text, valueStart);
    // The sender of a mail that says it comes from a patient: the text around says whose it is.
    const sender = personal || generic || header || named ? undefined : patientSender(text, valueStart, end);
    // A bare "to" before the address is a generic cue too weak to stop an echo being read.
    const echoed =
      personal || header || named || sender || sentence
        ? undefined
        : echoedToEndUser(text, valueStart, end, local, before, facing);
    const cue = personal ?? echoed ?? generic ?? header ?? named ?? sender ?? sentence;
    if (!cue) continue;
    const cueStart = valueStart - cue[0].length;
    // A login or user name is as often the reporter's own test account as a patient's: there the
    // line must say the account is a patient's (`"patientId"`, `type=patient`), not just mention one.
    const account = !personal && ACCOUNT_CUE.test(cue[0]);
    // A sentence that owns the address is enough on its own; every other cue needs a patient near.
    if (
      !personal &&
      !sentence &&
      !echoed &&
      !sender &&
      !context.hasPatientCueNear(cueStart, end) &&
      !(account ? patientAccount(text, cueStart, end) : patientNear(text, cueStart, end)) &&
      !careMailRecipient(text, cueStart) &&
      !(generic && careLine(text, cueStart, end)) &&
      !(generic && hints.near(valueStart - 200, end + 200) && patientSentence(text, valueStart, end, local))
    )
      continue;
    // A text with this many patients' addresses is a contact dump, flagged many times over.
    if (++emails > MAX_EMAIL_FINDINGS) return;
    out.push({
      kind: 'patient-email',
      label: 'an e-mail address of a patient',
      excerpt: `${cue[0].trim()} ${maskEmail(value)}`,
      start: valueStart,
      end,
      unit: 'char',
      value,
    });
  }
}

// What may stand before an address alone on its line: a chat or log prefix (`[14:57] kasimir:`).
const LINE_PREFIX = /^\s{0,8}(?:\[[^\]\n]{1,24}\]\s{0,2})?(?:[\w.@ -]{1,32}:\s{0,3})?$/;

/**
 * A personal cue that ends the line before, when the address stands alone on its own line after
 * at most a chat or log prefix: "… returns the pt email" / "[14:57] kasimir: r.d77@…".
 */
function cueOnLineBefore(text: string, valueStart: number): RegExpExecArray | null {
  const lineStart = lineStartWithin(text, valueStart, 64);
  if (lineStart <= 0 || !LINE_PREFIX.test(text.slice(lineStart, valueStart))) return null;
  let prevEnd = lineStart - 1;
  if (text.charCodeAt(prevEnd - 1) === 0x0d) prevEnd -= 1;
  return PERSONAL_EMAIL_CUE.exec(text.slice(Math.max(0, prevEnd - 80), prevEnd).replace(/[\s:.]+$/, ' '));
}

// An application telling its user where it sent something: "We have sent a reset link to …",
// "a confirmation code was e-mailed to …".
const ECHO_CUE =
  /\b(?:(?:sent|e-?mailed|mailed)\s(?:(?:a|an|the|your)\s)?(?:(?:new|password|reset|confirmation|verification|login|sign-?in|magic|one-time|activation)\s){0,3}(?:link|code|e-?mail|message|instructions|token|pin)\s(?:to|at)|(?:link|code|e-?mail|message|instructions|token|pin)\s(?:was|has been|have been|is being)\s(?:sent|e-?mailed|mailed)\s(?:to|at))\s{0,3}["'<]?$/i;
// A product whose users are patients, named anywhere in the report.
const PATIENT_FACING =
  /patient(?:en)?[\s-]?portal|portal del paciente|portail (?:du |des )?patients?|pati[ëe]ntenportaal|portale (?:del |dei )?pazient[ei]|mychart|patient[\s-]app|appointments?|Termin(?:e|buchung)?\b|citas?\b|rendez-vous|afspra(?:ak|ken)|appuntament[oi]/i;
const FIRST_PERSON_OWN = /\b(?:my|mine|own|our test|I)\b/i;

/**
 * An address an application echoed back to its end user ("We sent a link to …") in a report about
 * a product whose users are patients (a patient portal, appointment booking): the end user is a
 * patient. Not where the sentence speaks of the writer's own account or of contacting anyone, and
 * only for an address that reads as a person's. `facing` caches the report-wide check.
 */
function echoedToEndUser(
  text: string,
  valueStart: number,
  end: number,
  local: string,
  before: string,
  facing: { checked: boolean; value: boolean },
): [string] | undefined {
  const cue = ECHO_CUE.exec(before);
  if (!cue || !PERSONAL_LOCAL.test(local.replace(/\*+/g, ''))) return undefined;
  const lead = text.slice(sentenceStart(text, valueStart, 200), valueStart);
  if (FIRST_PERSON_OWN.test(lead) || CONTACT_SENTENCE.test(lead.replace(cue[0], ''))) return undefined;
  if (CONTACT_SENTENCE.test(text.slice(end, end + 120).split(/[.!?\n]/)[0] ?? '')) return undefined;
  if (!facing.checked) {
    facing.checked = true;
    facing.value = PATIENT_FACING.test(text);
  }
  return facing.value ? [cue[0]] : undefined;
}

// The header or the quote line naming a mail's sender: `From: Name <…>`, `> Von: …`, `El 07/11,
// Name <…> escribió:`.
const FROM_HEADER = /^(?:>\s?)*(?:From|Von|De|Da|Van|Från|Fra|Od|Remetente)\s?:/i;
const WROTE =
  /^>?\s{0,2}(?:wrote|schrieb|a écrit|escribió|escreveu|ha scritto|schreef|skrev|napisał\p{L}*)\s?:/iu;
// The mail, or the words around it, saying its sender is a patient.
const SENDER_IS_PATIENT =
  /\b(?:I'?m a patient|I am a patient|as a patient|als Patient(?:in)?|ich bin Patient(?:in)?|je suis (?:une? )?patiente?|je suis porteu(?:r|se)|soy paciente|como paciente|sono (?:una? )?paziente|ik ben (?:een )?patiënt|jag är patient|jestem pacjent\p{L}*|(?:mail|message|e-mail) (?:einer|eines|from an?|of an?|d'une?|de una?|di una?|van een) (?:Patient\p{L}*|patient\p{L}*|paciente|paziente|patiënt)|(?:address|Adresse|adresse|dirección|indirizzo|adres) (?:of the|des|du|del|della|van de) (?:patient\p{L}*|Patient\p{L}*|paciente|paziente|patiënt)|Original-Mail einer Patientin)/iu;

/**
 * The sender of a mail whose text says they are a patient: the address on a `From:` line or in a
 * quote's attribution line, with "I'm a patient", "je suis porteur d'un …", "Mail einer
 * Patientin", "la dirección del paciente" within 300 characters before the header or 1,200 after.
 */
function patientSender(text: string, valueStart: number, end: number): [string] | undefined {
  const lineStart = lineStartWithin(text, valueStart, 200);
  if (lineStart < 0) return undefined;
  const lineEnd = lineBreakWithin(text, end, 120);
  const tail = text.slice(end, lineEnd < 0 ? end + 120 : lineEnd);
  const header = FROM_HEADER.exec(text.slice(lineStart, lineStart + 24));
  const wrote = header ? undefined : WROTE.exec(tail.replace(/^\W{0,3}/, ''));
  if (!header && !wrote) return undefined;
  const around = text.slice(Math.max(0, lineStart - 300), end + 1200);
  return SENDER_IS_PATIENT.test(around) ? [header ? header[0] : 'wrote:'] : undefined;
}

/**
 * "another patient, Ottilie Brandauer (o.b@…)": an address in brackets right after a person's name
 * that itself follows a patient word. Returned in the shape of a regex match, for the excerpt
 * (whose length the context check does not rely on: the patient word is right there).
 */
function namedPatientBefore(text: string, valueStart: number): [string] | undefined {
  let k = valueStart;
  while (
    k > valueStart - 3 &&
    (text.charAt(k - 1) === ' ' || text.charAt(k - 1) === '(' || text.charAt(k - 1) === '<')
  )
    k -= 1;
  if (k === valueStart || !/[(<]/.test(text.slice(k, valueStart))) return undefined;
  const run = nameRunEndingAt(text, k);
  if (!run) return undefined;
  const lead = PATIENT_BEFORE_NAME.exec(text.slice(Math.max(0, run.start - 32), run.start));
  // The excerpt names the person by initials only, as every finding does.
  return lead ? [`${lead[0].trim()} ${maskName(run.text)} (`] : undefined;
}

const PATIENT_BEFORE_NAME =
  /\b(?:patient|pt|member|subscriber|guardian|caregiver|Patient(?:in|en)?|paciente|patiënt|paziente)(?:'s|’s)?,?\s$/i;

// `@`, `%40`, `[at]` and its bracketed kin, and a plain ` at ` before a domain spelled with
// ` dot ` ("jane.doe at mailbox dot example").
const EMAIL_SIGN = /@|%40|[[({]at[\])}]| at (?=[A-Za-z0-9-]{1,63} dot [A-Za-z])/gi;
// A domain written with `[dot]`, `(dot)`, `{dot}` or a plain ` dot ` (and perhaps real dots),
// after a spelled `at`.
const SPELLED_DOMAIN =
  /^ ?[A-Za-z0-9-]{1,63}(?:(?:\.| ?[[({]dot[\])}] ?| dot )[A-Za-z0-9-]{1,63}){0,8}(?:\.| ?[[({]dot[\])}] ?| dot )[A-Za-z]{2,24}(?![A-Za-z0-9-])/i;
const SPELLED_DOT = / ?[[({]dot[\])}] ?| dot /gi;

// Mailboxes of a role, a team or a test, never of a patient: matched on the local part's words.
const ROLE_WORDS = new Set(
  `admin administrator sysadmin root support help helpdesk service services noreply donotreply no reply info
  contact office team security psirt cert csirt abuse postmaster webmaster hostmaster alerts alert notifications
  notification notify notifier billing sales marketing hr it ops oncall devops dev qa test tester testing demo
  sample example dummy user users foo bar baz nobody mailer system bot robot pentest appsec redteam integration
  interface hl7 pacs emr ehr portal staging sandbox researcher research hacker bugbounty hackerone bugcrowd
  intigriti regulatory compliance privacy dpo legal quality cvd vuln vulnerability disclosure`.split(/\s+/),
);

/** Whether an address's local part is a role, team or test mailbox ("psirt", "test.patient1", "no-reply"). */
export function isRoleMailbox(local: string): boolean {
  const words = local.toLowerCase().split(/[^a-z]+/);
  // Glued test names count too: "testpatient01", "demouser".
  return (
    words.some((w) => ROLE_WORDS.has(w)) ||
    /^(?:test|demo|dummy|sample|fake)(?:$|[\d._-]|patient|user|account|pat)/i.test(local)
  );
}

// A patient spoken of as a person: not the "patient portal" or "patient app" of every report.
// Case matters here: "patientId" and "patient_id" speak of a patient, "patient portal" does not.
const PATIENT_WORD =
  /(?<![A-Za-z])(?:[Pp]acjent|[Pp]asient|[Pp]otila|[Pp]atientens\b|[Pp]atient (?:portal )?account (?:of|for|belonging to) \p{Lu}|[Pp]atient(?![a-z]|\s(?:[Pp]ortal|app|[Aa]pplication|team|facing|engagement|API|api|management|safety|advocate|experience|harm|impact|risk))|[Pp]atients\b|pt\b|PT\b|[Mm]ember(?![a-z])|[Aa]ppointment|appt|[Rr]eminder|[Ll]ab results?|[Cc]aregiver|[Gg]uardian|[Pp]atient(?:en|in)\b|[Pp]aciente|[Pp]atiënt|[Pp]aziente)/u;
/** PATIENT_WORD, global, for the last match in a sentence. */
const PATIENT_WORDS = new RegExp(PATIENT_WORD.source, 'gu');

const ACCOUNT_CUE = /\b(?:login|user(?:name)?|account)\b/i;
const PATIENT_ACCOUNT =
  /patient_?id|patientId|\b(?:type|role|kind|usertype|user_type|account_?type|tipo|typ|rolle|rol|ruolo)["']?\s{0,2}[:=]\s{0,2}["']?(?:patient|member|paziente|paciente|patiënt|pacjent|Patient(?:in)?)\b/i;

// What a mail to a patient about their care says in its subject or first lines. German and Dutch
// build compounds around the word (Laborbefunde, Arzttermin, labuitslag, tandartsafspraak).
const CARE_MAIL_WORDS = String.raw`\b(?:appointment|reminder|your (?:visit|results?|prescription|medication|treatment|test)|lab results?|medication list|Termin(?:e|s|erinnerung|bestätigung|absage)?|Rezept|Sprechstunde|rendez-vous|séance|ordonnance|résultats?|cita|receta|resultados?|recept|appuntamento|referto|ricetta|visita)\b`;
const RECIPIENT_HEADER = /^(?:To|Cc|An|À|Para|Aan|A)\s?:/i;

// A sentence about reaching or crediting someone: there an address is the writer's or a colleague's.
const CONTACT_SENTENCE =
  /\b(?:contact (?:me|us)|contacted (?:me|us)|please contact|reach (?:me|us)|reply|replies|write to|e-?mail me|my (?:e-?mail|address|mailbox)|me at|reported|reporting|reporter|researcher|disclos\w+ to|coordinat\w+|thanks?|credit\w*|cc|on behalf|PGP|GPG|key|security team|PSIRT|CERT|vendor|support|helpdesk|signature)\b/i;
// A local part that reads as a person's: two words joined by a dot, dash or underscore, a word
// with digits after it, or one long word ("r.delacroix77", "tanaka_yumi", "jdoe1961",
// "gfeuerstack"); role and test mailboxes are ruled out before.
const PERSONAL_LOCAL = /^[a-z]{1,20}[._-][a-z]{1,30}\d{0,4}$|^[a-z]{3,30}\d{2,4}$|^[a-z]{7,30}$/i;
// Words a full stop follows without ending a sentence ("e.g.", "Mr.", "No.").
const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'st',
  'vs',
  'etc',
  'no',
  'nr',
  'approx',
  'incl',
  'resp',
]);
// Where a patient word may be: found once per text, so each address costs a binary search.
const PATIENT_HINT_G =
  /patient|pati[eë]nt|pacient|pacjent|pasient|potila|pazient|member|appointment|caregiver|guardian|\bpt\b/gi;

/**
 * Where the sentence holding `pos` starts, looking back at most `limit` characters: after a line
 * break, or after `.`, `!` or `?` and a space where the word before the stop is no abbreviation.
 * One backward pass over the window.
 */
function sentenceStart(text: string, pos: number, limit: number): number {
  const from = Math.max(0, pos - limit);
  for (let k = pos - 1; k >= from; k -= 1) {
    const c = text.charCodeAt(k);
    if (c === 0x0a) return k + 1;
    if ((c === 0x2e || c === 0x21 || c === 0x3f) && k + 1 < pos && /\s/.test(text.charAt(k + 1))) {
      let w = k;
      while (w > from && /[A-Za-z.]/.test(text.charAt(w - 1)) && k - w < 8) w -= 1;
      if (!ABBREVIATIONS.has(text.slice(w, k).toLowerCase())) return k + 2;
    }
  }
  return from;
}

/**
 * The address's sentence, when the address is a patient's by its wording and the sentence is not
 * about contacting, reporting or crediting anyone; for the excerpt, the patient word. Owned means:
 *  - a patient word (PATIENT_WORD, not a test or demo patient) before the address, joined to it
 *    only by possessives, names, determiners and e-mail nouns ("as patient a.dv@…", "the
 *    patient's address on file: p.n@…", "Patient: Ilona Varga, i.v@…", "patient accounts such
 *    as m.b@…");
 *  - or "e-mail of any patient" earlier in the sentence, with no word of staff or software
 *    between it and the address;
 *  - or "… belongs to a patient", "— a patient …" right after it.
 * The local part must read as a person's. A sentence ends at `.`, `!` or `?` before a space (not
 * in "e.g." or "Mr."), or at a line break; at most 200 characters are looked at either way.
 */
function patientSentence(text: string, valueStart: number, end: number, local: string): [string] | undefined {
  if (!PERSONAL_LOCAL.test(local.replace(/\*+/g, ''))) return undefined;
  const lead = text.slice(sentenceStart(text, valueStart, 200), valueStart);
  const after = text.slice(end, end + 200);
  const stop = after.search(/[.!?](?:\s|$)|\n/);
  const tail = stop >= 0 ? after.slice(0, stop) : after;
  if (CONTACT_SENTENCE.test(lead) || CONTACT_SENTENCE.test(tail)) return undefined;
  if (OWNED_AFTER.test(tail)) return ['patient'];
  const nounOf = NOUN_OF_PATIENT.exec(lead);
  if (nounOf && !STAFF_OR_SOFTWARE.test(lead.slice(nounOf.index + nounOf[0].length))) return [nounOf[0]];
  let last: RegExpExecArray | undefined;
  PATIENT_WORDS.lastIndex = 0;
  for (let m = PATIENT_WORDS.exec(lead); m; m = PATIENT_WORDS.exec(lead)) last = m;
  if (!last || TEST_PATIENT_BEFORE.test(lead.slice(Math.max(0, last.index - 12), last.index)))
    return undefined;
  const between = lead.slice(last.index + last[0].length);
  return between.length <= 80 && ownershipLink(between) ? [last[0]] : undefined;
}

const NOUN_OF_PATIENT =
  /\b(?:e-?mails?(?:\saddress(?:es)?)?|addresse?s?|accounts?|logins?|contacts?|correo(?:\selectr[óo]nico)?|courriel|adresse(?:\se-?mail)?|e-?mailadres|indirizzo(?:\se-?mail)?|(?:E-?)?Mail-?Adresse)\s(?:of|for|de|du|des|del|della|dello|van|der|des)\s(?:the\s|a\s|an\s|any\s|another\s|each\s|every\s|one\s|la\s|le\s|el\s|un\s|una\s|een\s|de\s|cualquier\s|chaque\s|qualsiasi\s|eines?\s)?(?:patients?|pacientes?|pati[ëe]nt(?:en)?|pazient[ei]|Patient(?:en|in)?)\b/i;
const OWNED_AFTER =
  /^\W{0,4}(?:(?:belongs|belonged|belonging)\sto\s)?(?:a|the|another|one)\s(?:real\s|registered\s|actual\s)?patient\b(?!\s(?:portal|app|safety|advocate|experience|engagement|facing|data|record|records))/i;
const TEST_PATIENT_BEFORE = /\b(?:test|demo|dummy|sample|synthetic|fake|mock)\s?$/i;
const STAFF_OR_SOFTWARE =
  /\b(?:admin\w*|clinician|nurse|doctor|physician|staff|users?|tester|testing|tested|search|lookup|api|app|endpoint|module|our|my|we|by|from)\b/i;
// Words that may join a patient word to the address it owns.
const LINK_WORDS = new Set(
  `s a an the his her their its of for with on file such as e g eg like including is was are were registered
  example instance whose who which has had uses used mit der die das dem den een het van ist unter est es è à al alla l adresse adres correo courriel indirizzo erreichbar joignable
  disponible bereikbaar raggiungibile peut être contacté kan worden bereikt può essere contattato
  contact private personal home primary email e-mail mail address addresses account accounts login logins
  username mailbox on-file to`.split(/\s+/),
);

/** Whether the text between a patient word and an address only joins them (see patientSentence). */
function ownershipLink(between: string): boolean {
  const tokens = between.split(/[\s,;:()"'’<>[\].=]+/).filter(Boolean);
  if (tokens.length > 8 || STAFF_OR_SOFTWARE.test(between)) return false;
  // A couple of other words may stand between ("whose mail showed up is", "address in the export").
  let other = 0;
  for (const t of tokens) {
    if (LINK_WORDS.has(t.toLowerCase()) || /^\p{Lu}[\p{L}'’-]*$/u.test(t)) continue;
    if (++other > 2) return false;
  }
  return true;
}

/**
 * The line breaks of the text `findPatientEmails` reads, found once on first use: each address
 * asks for the start of its line several times, and a megabyte on one line (an export of
 * addresses) would otherwise have every one of them walk back over `limit` characters each time.
 */
let lineBreaks: { text: string; at: number[] | undefined } | undefined;

/** Offsets of every `\n` in `text`, ascending. */
function lineBreaksOf(text: string): number[] {
  const breaks: number[] = [];
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) breaks.push(k);
  return breaks;
}

/**
 * The start of the line holding `pos` when it is at most `limit` characters back, else -1. Looks
 * back only that far: a megabyte on one line must not be walked back over from every address.
 */
export function lineStartWithin(text: string, pos: number, limit: number): number {
  const from = Math.max(0, pos - limit);
  if (lineBreaks === undefined || lineBreaks.text !== text) {
    for (let k = pos - 1; k >= from; k -= 1) if (text.charCodeAt(k) === 0x0a) return k + 1;
    return from === 0 ? 0 : -1;
  }
  lineBreaks.at ??= lineBreaksOf(text);
  const breaks = lineBreaks.at;
  // The last line break before `pos` (binary search), if it is at or after `from`.
  let lo = 0;
  let hi = breaks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((breaks[mid] as number) < pos) lo = mid + 1;
    else hi = mid;
  }
  const last = lo > 0 ? (breaks[lo - 1] as number) : -1;
  if (last >= from) return last + 1;
  return from === 0 ? 0 : -1;
}

/** The header's name (`To:`) when the address sits on a `To:`/`Cc:` line, for the excerpt. */
function recipientHeaderBefore(text: string, valueStart: number): [string] | undefined {
  const lineStart = lineStartWithin(text, valueStart, 200);
  if (lineStart < 0) return undefined;
  const m = RECIPIENT_HEADER.exec(text.slice(lineStart, lineStart + 8));
  return m ? [m[0]] : undefined;
}

/**
 * Whether the address is the recipient of a mail about someone's care: on a `To:` or `Cc:`
 * header line, with an appointment, a result or a prescription in the 1,500 characters that follow
 * (the subject and the first lines of the body).
 */
function careMailRecipient(text: string, cueStart: number): boolean {
  const lineStart = lineStartWithin(text, cueStart, 200);
  if (lineStart < 0 || !RECIPIENT_HEADER.test(text.slice(lineStart, lineStart + 8))) return false;
  return careMailIn(text, lineStart, lineStart + 1500);
}

// The care words of a mail, in one pass over a whole text; a compound's care word is found by itself
// ("Labor|befund", "Arzt|termin"), not with up to 20 letters before it tried at every character,
// which made the pass twenty times slower than the words alone.
const CARE_MAIL_G = new RegExp(
  String.raw`${CARE_MAIL_WORDS}|(?:befund|uitslag|afspraak)|(?<=\p{L})termin(?:e|s|erinnerung)?\b`,
  'giu',
);
/** Where the text's care words are, found once per text (see `careMailIn`). */
let careMail: { text: string; at: { near(from: number, to: number): boolean } } | undefined;

/**
 * Whether a care word of a mail (CARE_MAIL_G) starts in [from, to): its positions are found in one
 * pass over the text and looked up, where testing each candidate's window again made a megabyte
 * of recipient headers cost a 1,500-character scan per header. A word whose letters begin a
 * little before `from` (a compound such as "Laborbefunde") still counts.
 */
function careMailIn(text: string, from: number, to: number): boolean {
  if (careMail?.text !== text) careMail = { text, at: positionsOf(text, CARE_MAIL_G) };
  return careMail.at.near(Math.max(0, from - 20), to - 1);
}

/**
 * Where the lines next to the address's own reach: from the start of the line before to the end
 * of the line after, at most 160 characters each way (a key/value block says whose record it is
 * on a neighbouring line: `user_email: …` / `account_type: patient`).
 */
function neighbourLines(text: string, start: number, end: number): [number, number] {
  const lineStart = lineStartWithin(text, start, 160);
  const from =
    lineStart > 0
      ? Math.max(start - 160, lineStartWithin(text, lineStart - 1, 160), 0)
      : Math.max(0, start - 160);
  let to = lineBreakWithin(text, end, 160);
  if (to >= 0) {
    const next = lineBreakWithin(text, to + 1, end + 160 - (to + 1));
    to = next < 0 ? Math.min(text.length, end + 160) : next;
  } else to = Math.min(text.length, end + 160);
  return [from, to];
}

/** Whether the address's line or a neighbour says the account is a patient's (`"patientId"`, `role=patient`). */
function patientAccount(text: string, start: number, end: number): boolean {
  const [from, to] = neighbourLines(text, start, end);
  return PATIENT_ACCOUNT.test(text.slice(from, to));
}

/**
 * Whether a patient is spoken of on the address's own line, within 160 characters: a log line or a
 * JSON document says whose address it holds (`recipient=… template=appt_reminder`, `"patientId"`),
 * while a paragraph that mentions patients somewhere also holds the reporter's and colleagues'
 * addresses.
 */
function patientNear(text: string, start: number, end: number): boolean {
  const [lineFrom, lineTo] = ownLine(text, start, end, 160);
  if (PATIENT_WORD.test(text.slice(lineFrom, lineTo))) return true;
  // A neighbouring line counts when the two are fields of one record (`email: …` / `tipo:
  // paziente`), not when a signature's address sits above a sentence about patients.
  if (!KEY_VALUE_LINE.test(text.slice(lineFrom, end))) return false;
  const [from, to] = neighbourLines(text, start, end);
  return text
    .slice(from, to)
    .split('\n')
    .some((line) => SHORT_FIELD_LINE.test(line) && PATIENT_WORD.test(line));
}

const KEY_VALUE_LINE = /^\s{0,12}[\w.-]{1,40}["']?\s{0,2}[:=]/;
// A field whose value is a word or three (`tipo: paziente`, `patient_id: 4471`), not a sentence.
const SHORT_FIELD_LINE =
  /^\s{0,12}["']?[\w.-]{1,40}["']?\s{0,2}[:=]\s{0,2}["']?[^\s"']{0,40}(?:\s[^\s"']{1,40}){0,2}["']?,?\s*$/;

/** Whether the address's line speaks of an appointment, a result or a prescription (a mail log's subject). */
function careLine(text: string, start: number, end: number): boolean {
  const [from, to] = ownLine(text, start, end, 200);
  return careMailIn(text, from, to);
}

/** The line holding [start, end), at most `limit` characters either way. */
function ownLine(text: string, start: number, end: number, limit: number): [number, number] {
  const from = Math.max(0, start - limit, lineStartWithin(text, start, limit));
  // Looked for within the limit only: on a megabyte without a line break, an unbounded search
  // from every address would read the rest of the text each time.
  const last = Math.min(text.length, end + limit);
  let to = end;
  while (to < last && text.charCodeAt(to) !== 0x0a) to += 1;
  return [from, to];
}

/** The first line break in [pos, pos + limit], or -1: never reads past the limit. */
export function lineBreakWithin(text: string, pos: number, limit: number): number {
  const last = Math.min(text.length - 1, pos + limit);
  for (let k = pos; k <= last; k += 1) if (text.charCodeAt(k) === 0x0a) return k;
  return -1;
}

/** An ASCII letter or digit (NaN, past either end of the text, is not). */
function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
