/**
 * People receiving care, read from where their details sit rather than from a "patient" label
 * next to them. The services a report is about reach patients through messages, calls, visits,
 * deliveries and accounts, and their logs and exports name the patient by role: the recipient of
 * an appointment reminder, the caller of a refill line, the callee of a teleconsultation, the stop
 * of a home-visit route, the address a cold-chain parcel goes to, the location of an ambulance
 * call, the holder of a portal account that asked for a password reset.
 *
 * Reported here:
 *  - a phone number in a message's or call's slot (`to`, `recipient`, `msisdn`, `wa_id`, `from`,
 *    `ani`, `caller`, `callback`, a SIP INVITE's request URI and `To`, a table column of callers
 *    or recipients), or after a phone noun in a sentence about another patient;
 *  - a street address with its postal code and town in a delivery, home, visit or incident slot
 *    ("Lieferadresse", "DELIVER TO", `"stops"`, `LOC`), nearer than any slot of the organisation's;
 *  - an e-mail address as a mail's or log line's recipient, as an account's address in a sign-up,
 *    verification, reset or list event or inside a patient's own object, or in a sentence about
 *    another patient;
 *  - a name in a field that names the patient (`patient=…`), after the word for a patient in any
 *    of a dozen languages and three scripts, or after a title, a greeting or a name key with a
 *    condition, medicine or procedure on the same line.
 * Phones, and addresses or names that need it, count only in a text about care (appointments,
 * prescriptions, clinics, pharmacies, home care, ambulances… in sixteen languages, or the
 * conditions and medicines of clinical.ts) within a few lines of the value. The organisation's own
 * lines stay out (`dnis`, `sender`, `pickup`, `depot`, its name on the line, its role mailboxes and
 * sender domain), as do masked values, documentation examples, staff and test accounts and the
 * reporter's own details.
 *
 * Every pattern starts with a cheap first-character test, every candidate reads a bounded window
 * of its line, and each reader stops after `MAX_CANDIDATES`: linear in the input.
 */

import type { CountryCode } from 'libphonenumber-js';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { clinicalTermPattern } from './clinical.js';
import { type ContactIgnore, isRoleMailbox, lineBreakWithin, lineStartWithin } from './contacts.js';
import { positionsOf } from './context.js';
import { maskEmail, maskIdentifier, maskName } from './mask.js';
import { streetAddressFinding } from './people.js';
import { isPlaceholderName, isProductWord } from './placeholders.js';
import type { RawFinding } from './types.js';

/** Words only a text about care holds, in the languages reports come in. */
const CARE_WORDS = new RegExp(
  [
    String.raw`(?=[a-zA-Z\u00C0-\u024F\u0370-\u03FF])(?<![\p{L}\p{N}])(?:appointments?|appt|clinics?|hospitals?|pharmac(?:y|ies|ist)|refills?|prescriptions?|rx|triage|consult(?:ation)?s?|tele(?:health|medicine|consultation)`,
    String.raw`home[ -]?(?:care|visits?|draw|nursing)|nurs(?:e|es|ing)|carers?|caregivers?|medications?|medicines?|insulin|wound|dressing|stoma|injections?|vaccin\w*|surgery`,
    String.raw`ambulance|seizure|chest pain|unresponsive|palliative|diabetic|blood tests?|EDTA|citrate|GP|patients?|doses?`,
    // German, French, Spanish, Italian, Dutch, Portuguese
    String.raw`termin(?!al)\w*|praxis|klinik\w*|krankenhaus|apotheke\w*|rezept\w*|befund\w*|untersuchung|verbands?wechsel|pflege\w*|sprechstunde|impfung|medikament\w*|patient(?:en|in)|btm`,
    String.raw`rendez-vous|clinique|h[ôo]pital|pharmacie|ordonnance|op[ée]ration|imagerie|soins|infirmi\w*|m[ée]decin|biologie|centre de sant[ée]`,
    String.raw`cita|receta|anal[íi]tica|centro de salud|farmacia|paciente|enfermer\w*|tratamiento`,
    String.raw`appuntamento|ricetta|intervento|ospedal\w*|terapia|paziente|ambulatorio`,
    String.raw`afspraak|ziekenhuis|apotheek|recept|thuiszorg|medicatie|insuline|huisarts|pati[ëe]nt\w*|wondzorg`,
    String.raw`consulta|receita|farm[áa]cia|utente|centro de sa[úu]de|enfermagem`,
    // Swedish, Danish, Norwegian, Finnish, Polish, Czech, Turkish, Greek
    String.raw`v[åa]rdcentral\w*|sjukhus\w*|apotek\w*|hemtj[äa]nst|hemsjukv[åa]rd|l[äa]kare|s[åa]roml[äa]ggning|mottagning`,
    String.raw`sygehus\w*|hjemmepleje\w*|l[æa]ge\w*|medicin\w*|sykehus\w*|legesenter|legekontor|resept\w*|hjemmesykepleie|pasient\w*`,
    String.raw`terveysasema\w*|sairaala\w*|apteek\w*|resepti\w*|potila\w*|l[äa][äa]k[äa]ri\w*|kotihoi\w*|vastaanot\w*|muistutus|aikasi`,
    String.raw`wizyt\w*|szpital\w*|aptek\w*|recept\w*|pacjent\w*|lekarz\w*|przychodni\w*|wynik\w* bada\w*`,
    String.raw`vy[šs]et[řr]en\w*|nemocnic\w*|l[ée]k[áa]rn\w*|ordinac\w*|pacient\w*|l[ée]ka[řr]\w*`,
    String.raw`randevu\w*|hastane\w*|eczane\w*|re[çc]ete\w*|tahlil\w*|ameliyat\w*|hasta\w*`,
    String.raw`ραντεβού|νοσοκομεί\w*|φαρμακεί\w*|συνταγ\w*|ασθεν\w*|ιατρ\w*|γιατρ\w*)`,
  ].join('|'),
  'giu',
);
/** Conditions and medicines (clinical.ts): a text naming them is about care too. */
const CLINICAL_TERM = clinicalTermPattern();
/** How far from the value a care word may be (about a screenful of a log or a short report). */
const CARE_RADIUS = 1500;
/**
 * Phone parses per text (a number in national form may take one per country) and addresses per
 * text: beyond this a text is a contact dump, flagged many times over.
 */
const MAX_CANDIDATES = 512;

/** Countries a number in national form may be from, after the caller's default one. */
const NATIONAL: CountryCode[] = [
  'GB',
  'DE',
  'FR',
  'NL',
  'ES',
  'IT',
  'PT',
  'BE',
  'AT',
  'CH',
  'SE',
  'DK',
  'NO',
  'FI',
  'PL',
  'CZ',
  'TR',
  'GR',
  'IE',
];

// A message's or a call's person: the key of a JSON member, a log field or a header. The
// character before the key may not continue a name (`pharmacy_phone`, `phone_number_id` are
// not these keys), and the value follows `:` or `=`.
const PHONE_SLOT =
  /(?=["'a-zA-Z])(?<![\p{L}\p{N}_.-])["']?(?:to|recipient|rcpt(?:_?to)?|msisdn|dest(?:ination)?(?:_?(?:addr|number))?|ani|caller(?:_?(?:id|number))?|calling_?(?:number|party)|cli|call_?back(?:_?number)?|callback|contact_?number|mobile(?:_?(?:number|phone))?|cell(?:_?phone)?|wa_id|from|phone_?number|telefon(?:nummer)?|handy(?:nummer)?|mobilnummer|r[üu]ckrufnummer|destinatario|destinataire|empf[äa]nger|ontvanger)["']?\s{0,3}[:=]\s{0,3}["']?(?=[+(\d])/giu;
// A number as written: digits with spaces, dots, dashes, slashes or one bracketed group.
const PHONE_VALUE = /\+?\d[\d\s./-]{0,4}(?:\(\d{1,5}\)[\s.-]?)?[\d\s./-]{4,16}\d/y;

// A SIP request line or `To:` header: the called party.
const SIP_CALLEE = /^(?:INVITE\s+sips?:|To:\s{0,3}(?:"[^"\n]{0,80}"\s{0,3})?<?sips?:)(\+?\d{7,15})@/gim;

// A table's header naming a column of callers, recipients or their numbers.
const PHONE_COLUMN =
  /^(?:caller|calling number|recipient|to|mobile|mobile number|cell|phone|phone number|tel|telephone|callback|call back|number to call|anrufer|empf[äa]nger|handy|mobil|mobilnummer|telefon|telefonnummer|r[üu]ckruf(?:nummer)?|appelant|destinataire|t[ée]l[ée]phone|portable|llamante|destinatario|m[óo]vil|tel[ée]fono|chiamante|cellulare|beller|ontvanger|mobiel|telefoon|n[úu]mero|numero|arayan|alıcı|cep|matkapuhelin|puhelin|dzwoni[ąa]cy|odbiorca|volaj[íi]c[íi]|p[řr][íi]jemce|καλών|παραλήπτης|κινητό|τηλέφωνο)$/iu;

// In prose: a phone noun, then the number within a few words.
const PROSE_PHONE =
  /(?=[a-zA-Z\u0370-\u03FF])(?<![\p{L}\p{N}])(?:mobile|cell(?: ?phone)?|phone|handynummer|handy|mobilnummer|telefonnummer|rufnummer|m[óo]vil|celular|cellulare|portable|t[ée]l[ée]phone|telefono|telefoon|mobiel|mobiltelefon|puhelinnumero|matkapuhelin|kom[óo]rk\w{0,4}|numer telefonu|telefonn[íi] [čc][íi]slo|mobil|cep telefonu|τηλέφωνο|κινητό)(?![\p{L}])[^\n.;!?\d+]{0,30}/giu;
// The sentence before a prose number speaks of a patient other than the writer.
const THIRD_PARTY =
  /(?:another|other|a different|someone else's) patient|ander(?:en|er|e) Patient|otr[oa] paciente|autre patient|altr[oa] pazient|andere pati[ëe]nt|outr[oa] paciente|innego pacjenta|jin[ée]ho pacienta|anden patient|annen pasient|annan patient|toisen potilaan|ba[şs]ka bir hasta|άλλου ασθενούς/iu;

// A street line: a house number and words, or words and a house number, then (within the same
// value, or the next line or field) a postal code and a town.
const SUFFIXES =
  'street|st|avenue|ave|road|rd|lane|ln|drive|dr|court|ct|way|place|pl|close|gardens|crescent|terrace|row|walk|grove|mews|hill|rise|square|boulevard|blvd|chemin|rue|impasse|allée|quai';
/** Each word as written in lower case, with a capital, or in capitals (an OCR'd label). */
const anyCase = (words: string) =>
  words
    .split('|')
    .flatMap((w) => [w, w.charAt(0).toUpperCase() + w.slice(1), w.toUpperCase()])
    .join('|');
const STREET_LINE = new RegExp(
  [
    // 98 LARKSPUR CLOSE, 3852 N Halsted Ave, 30 bis chemin du Moulin
    String.raw`(?=\d)(?<![\p{L}\p{N}])\d{1,5}(?:\s?(?:bis|ter))?[A-Za-z]?,?\s(?:[NSEW]\.?\s)?(?:[\p{L}'’.-]{2,40}\s){0,4}(?:${anyCase(SUFFIXES)})(?![\p{L}])(?:,?\s(?:${anyCase('apt|unit|flat')}|#)\.?\s?[\w-]{1,6})?`,
    // Masarykova 1698/15, Lindenallee 75, Calle Mayor 5, ul. Marszałkowska 78/24, Via Garibaldi 89
    String.raw`(?=[\p{Lu}ua])(?<![\p{L}\p{N}])(?:(?:ul|al|Cad|Sok|Mah|Rua|Largo|Via|Viale|Calle|Avenida|Piazza|Corso|Av)\.?\s)?\p{Lu}[\p{L}'’.-]{1,40}(?:\s[\p{L}'’.-]{1,40}){0,4},?\s(?:No:?\s?)?\d{1,5}(?:\s?[/-]\s?\d{1,4})?(?:\s?[A-Za-z](?![\p{L}]))?`,
  ].join('|'),
  'gu',
);
// What follows a street line before its town: a flat, a floor, a door (", 4. tv.", ", Apt 15",
// ", 2.º Esq.", ", Bât. B", " D: 16"), at most a few.
// The gap between them: the rest of the line (a flat, a floor, a door, a town before a UK or US
// code), the next line, the next XML element or JSON member; then the code and, but for UK and
// US codes, the town.
const GAP = String.raw`(?:[^\n<"]{0,40}?|[^\n<"]{0,40}\n[^\n<"]{0,40}?|[^\n<"]{0,4}<\/[^>\n]{1,30}>\s{0,8}<[^>\n]{1,30}>|",?\s{0,8}"[^"\n]{1,20}"\s{0,3}:\s{0,3}")`;
const POSTAL_TOWN = new RegExp(
  String.raw`^${GAP}(?:(?<![\p{L}\p{N}])(?:\d{2}-\d{3}|\d{4}-\d{3}|\d{3}\s\d{2}|\d{4,5}(?:\s?[A-Z]{2}(?![\p{L}]))?)\s\p{Lu}[\p{L}-]{0,40}|(?<![\p{L}\p{N}])[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])[A-Z]{2}\s\d{5}(?![\p{N}]))`,
  'u',
);
/** How far after its slot word a street may start. */
const SLOT_REACH = 160;
// Slots that direct an address to a person (nearest wins over the organisation's below).
const ADDRESS_FOR_PERSON =
  /(?=[\p{L}])(?<![\p{L}])(?:deliver(?:y|ies)?(?:[ _-]?(?:to|address|addr))?|ship(?:ping)?[ _-]?(?:to|address)|recipient|home|residen\p{L}*|domicil\p{L}*|lives|stops?|visits?|LOC|location|incident|Lieferauftrag|Lieferadresse|Wohnadresse|Wohnort|Zustell\p{L}*|livraison|entrega|consegna|bezorg\p{L}*|aflever\p{L}*|levering\p{L}*|leverans\p{L}*|toimitus\p{L}*|dostaw\p{L}*|doru[čc]\p{L}*|teslimat\p{L}*|παράδοσ\p{L}*|bydli[šs]t\p{L}*|bop[æa]l\p{L}*|ev adres\p{L}*|κατοικ\p{L}*)(?![\p{L}])|(?<=<)(?:Stra(?:ss|ß)e|Street|Adresse|Address)(?=>)/giu;
const ADDRESS_FOR_ORG =
  /(?<![\p{L}])(?:pick[ _-]?up|depot|sender|shipper|from|station|wache|headquarters|registered|imprint|impressum|office|site|goods[ -]in|receiving|wareneingang|our address|contact us|si[èe]ge|sede|firmensitz|return address|absender|exp[ée]diteur|remitente|mittente|afzender|lab(?:oratory)?|adresem|stopk\p{L}*|footer|fu(?:ß|ss)zeile|pied de page)(?![\p{L}])/giu;
const ORG_IN_LINE =
  /(?<![\p{L}\p{N}])(?:GmbH|AG|Inc\.?|LLC|Ltd|S\.A\.|B\.V\.|S\.p\.A\.|Klinikum|Krankenhaus|Clinique|H[ôo]pital|Ospedale|Ziekenhuis|Hospital|Sykehus|Sjukhus|Sygehus|Praxis|Apotheke|Pharmacie|Farmacia|Apotek|Apteekki|Apteka|Eczane|Depot|Station|Wache|Labor(?:atory)?)(?![\p{L}\p{N}-])/u;

// A documentation example's street or town (Musterstraße 1, 12345 Musterstadt; 123 Example Road).
const PLACEHOLDER_PLACE =
  /muster|beispiel|example|sample|anytown|anystreet|exemple|ejemplo|esempio|voorbeeld|exempel|eksempel|esimerkki|przyk[łl]ad|(?<![\p{N}])(?:00000|12345)(?![\p{N}])/iu;

/** Finds patients' phones, home addresses, e-mail addresses and names by the slot they fill (see above). */
export function findCareRecipientContacts(
  text: string,
  out: RawFinding[],
  ignore: ContactIgnore,
  country: string,
): void {
  const care = positionsOf(text, CARE_WORDS);
  // Conditions and medicines, found once on an OCR-mended copy of the same length (a "1" or "0"
  // between letters read as the letter it stands for) and shared by the readers below.
  let mended: string | undefined;
  const mendedText = () => {
    mended ??= text.replace(OCR_DIGIT, (d) => (d === '1' ? 'l' : 'o'));
    return mended;
  };
  const terms = lazyPositions(() => positionsOf(mendedText(), CLINICAL_TERM));
  const moreTerms = lazyPositions(() => positionsOf(mendedText(), MORE_TERMS));
  const aboutCare = (start: number, end: number) =>
    care.near(start - CARE_RADIUS, end + CARE_RADIUS) || terms.near(start - CARE_RADIUS, end + CARE_RADIUS);
  const budget = { left: MAX_CANDIDATES };
  const taken: [number, number][] = [];
  const take = (f: RawFinding) => {
    if (taken.some(([s, e]) => s < f.end && f.start < e)) return;
    taken.push([f.start, f.end]);
    out.push(f);
  };

  // Phone numbers in a message's or call's slot.
  PHONE_SLOT.lastIndex = 0;
  for (let m = PHONE_SLOT.exec(text); m; m = PHONE_SLOT.exec(text)) {
    const at = m.index + m[0].length;
    const f = phoneAt(text, at, country, ignore, budget);
    if (f === null) {
      if (budget.left <= 0) break;
      continue;
    }
    if (aboutCare(f.start, f.end)) take(f);
  }

  // The called party of a SIP request.
  SIP_CALLEE.lastIndex = 0;
  for (let m = SIP_CALLEE.exec(text); m; m = SIP_CALLEE.exec(text)) {
    const digits = m[1] as string;
    const start = m.index + m[0].length - digits.length - 1;
    if (budget.left <= 0) break;
    const parsed = parsePhone(digits, country, budget);
    if (!parsed || ignore.phones.has(parsed)) continue;
    if (aboutCare(start, start + digits.length)) take(phoneFinding(start, digits, parsed));
  }

  for (const f of columnPhones(text, country, ignore, budget)) if (aboutCare(f.start, f.end)) take(f);

  // In prose, a phone noun in a sentence about another patient.
  const aboutOthers = THIRD_PARTY.test(text);
  if (aboutOthers) {
    PROSE_PHONE.lastIndex = 0;
    for (let m = PROSE_PHONE.exec(text); m; m = PROSE_PHONE.exec(text)) {
      let at = m.index + m[0].length;
      if (text.charCodeAt(at) === 0x28) at += 1;
      const f = phoneAt(text, at, country, ignore, budget);
      if (f === null) continue;
      const sentence = text.slice(Math.max(0, m.index - 200), m.index);
      const cut = Math.max(sentence.lastIndexOf('\n\n'), sentence.search(/[.!?]\s[^.!?]*$/));
      if (THIRD_PARTY.test(cut >= 0 ? sentence.slice(cut) : sentence)) take(f);
    }
  }

  findCareAddresses(text, take);
  findCareEmails(text, aboutCare, ignore, take);
  if (aboutOthers) findProseEmails(text, ignore, take);
  findPatientNameFields(text, take);
  findNamedPatients(text, take);
  findNamesWithCare(text, [terms, moreTerms], take);
}

// Procedures, fertility care and pregnancy in the words lists, schedules and apps use; with the
// conditions and medicines of clinical.ts they make a line about a person's care.
const MORE_TERMS =
  /(?=[\p{L}&])(?<![\p{L}])(?:[a-z]{0,12}ectom(?:y|ie|ia)|hysteroscop\p{L}*|colonoscop\p{L}*|endoscop\p{L}*|arthroscop\p{L}*|laparoscop\p{L}*|cataract\p{L}*|TKR|THR|TKA|THA|D&C|C\.? diff(?:icile)?|MRSA|relapse|IVF|ICSI|embryo[ -]?transfer|transfer embrional\p{L}*|Embryotransfer|egg retrieval|ovarian reserve|AMH|(?:beta-)?hCG\p{L}*|insemination|κύηση|προεκλαμψ\p{L}*|εγκυμοσύνη|беременн\p{L}*|ВИЧ|диабет\p{L}*|онколог\p{L}*|chemo|dialysis|stoma|wound)(?![\p{L}])/giu;
/** A "1" or "0" between letters, as OCR writes an l or an o. */
const OCR_DIGIT = /[10](?<=\p{L}[10])(?=\p{L})/gu;
// Where a person is named: after a title, after a greeting, or as the value of a name key.
const NAMED_ON_LINE = new RegExp(
  [
    String.raw`(?=[MHFSDP])(?<![\p{L}])(?:Mr|Mrs|Ms|Miss|Herr|Frau|Mme|Mlle|Sig\.ra|Sig|Sr|Sra|Dhr|Mevr|Pan|Pani)\.?\s{1,3}`,
    String.raw`(?=[HDCBOMΓЗ])(?<![\p{L}])(?:Hallo|Hello|Hi|Dear|Ciao|Bonjour|Hola|Hej|Olá|Merhaba|Dobrý den|Dzień dobry|Γεια σας|Здравствуйте),?\s{1,3}`,
    String.raw`(?=["'a-z])["']?(?:client|owner|profile_?owner|member_?name|display_?name|displayName|full_?name|fullName)["']?\s{0,3}[:=]\s{0,3}["']`,
  ]
    .map((cue) => `${cue}(\\p{Lu}[\\p{Ll}\\d'’]{1,30}(?:[\\s-]\\p{Lu}[\\p{L}\\d'’-]{1,30}){1,2})(?![\\p{L}])`)
    .join('|'),
  'gu',
);

/**
 * A person named after a title, a greeting or a name key, with a condition, a medicine or a
 * procedure on the same line (a theatre list, a push notification, a therapy note's fields).
 * An OCR'd "1" or "0" inside a word is read as the letter it stands for.
 */
function findNamesWithCare(text: string, terms: Positions[], take: (f: RawFinding) => void): void {
  let found = 0;
  NAMED_ON_LINE.lastIndex = 0;
  for (let m = NAMED_ON_LINE.exec(text); m; m = NAMED_ON_LINE.exec(text)) {
    const name = (m[1] ?? m[2] ?? m[3]) as string;
    const words = name.toLowerCase().split(/[\s-]+/);
    if (words.some((w) => NOT_PERSON_WORD.has(w) || isProductWord(w)) || isPlaceholderName(name)) continue;
    const start = m.index + m[0].length - name.length;
    const lineFrom = lineStartNear(text, start, 200);
    const lineTo = lineEndNear(text, start, 400);
    if (!terms.some((t) => t.near(lineFrom, lineTo))) continue;
    take(nameFinding('person-clinical', 'a named person next to a clinical fact', name, start));
    if (++found >= MAX_CANDIDATES) return;
  }
}

// "patient Thaddea Hollinsky", "Пациент Аркадий Ветлугин", "Ο ασθενής Πολυξένη Τσιριγώτη": the
// word for a patient, perhaps a title, then a personal name of two or three words in any script.
const NAMED_PATIENT =
  /(?=[\p{L}])(?<![\p{L}])(?:[Pp]atient(?:in)?|PATIENT|[Pp]asient|[Pp]aciente|[Pp]aziente|[Pp]atiënt|[Pp]acjent(?:ka|a)?|[Pp]acient(?:ka|a)?|[Pp]otilas|[Hh]asta|[Пп]ациент(?:ка)?|[Бб]ольн(?:ой|ая)|[Αα]σθεν(?:ής|ούς))\s{1,3}(?:(?:Mr|Mrs|Ms|Herr|Frau|Mme|M|Sr|Sra|Sig|Sig\.ra|Pan|Pani|κ|κα|г-н|г-жа)\.?\s{1,2})?(\p{Lu}\p{Ll}[\p{L}'’-]{0,30}(?:\s\p{Lu}\p{Ll}[\p{L}'’-]{0,30}){1,2})(?![\p{L}])/gu;
const NOT_PERSON_WORD = new Set(
  `portal app apps safety summary record records data care services service access login list search management
  engagement monitoring monitor portal id number chart view viewer page pages screen module api account accounts
  information info details detail name names file files report reports export import room ward bed test demo sample
  journey experience education flow identifier identity hub centre center zone area panel lookup match index
  is not has was are be been the and of with for no on in at to by an it its as or if was were will can may must
  covered eligible found missing unknown deceased discharged admitted registered exists type status`.split(
    /\s+/,
  ),
);

/** A named patient: the word for a patient, then a person's name (neither a product's words nor a placeholder). */
function findNamedPatients(text: string, take: (f: RawFinding) => void): void {
  let found = 0;
  NAMED_PATIENT.lastIndex = 0;
  for (let m = NAMED_PATIENT.exec(text); m; m = NAMED_PATIENT.exec(text)) {
    const name = m[1] as string;
    const words = name.toLowerCase().split(/\s+/);
    if (words.some((w) => NOT_PERSON_WORD.has(w) || isProductWord(w)) || isPlaceholderName(name)) continue;
    const start = m.index + m[0].length - name.length;
    take(nameFinding('person-clinical', 'a named patient', name, start));
    if (++found >= MAX_CANDIDATES) return;
  }
}

const PROSE_EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/g;

/** In prose, an address in a sentence that speaks of another patient ("the account of another patient: …"). */
function findProseEmails(text: string, ignore: ContactIgnore, take: (f: RawFinding) => void): void {
  let found = 0;
  PROSE_EMAIL.lastIndex = 0;
  for (let m = PROSE_EMAIL.exec(text); m; m = PROSE_EMAIL.exec(text)) {
    const address = m[0];
    const local = address.slice(0, address.indexOf('@'));
    if (isRoleMailbox(local) || ignore.emails.has(address.toLowerCase())) continue;
    const before = text.slice(Math.max(0, m.index - 200), m.index);
    const cut = Math.max(before.lastIndexOf('\n\n'), before.search(/[.!?]\s[^.!?]*$/));
    if (!THIRD_PARTY.test(cut >= 0 ? before.slice(cut) : before)) continue;
    take({
      kind: 'patient-email',
      label: 'an e-mail address of a patient',
      excerpt: maskEmail(address),
      start: m.index,
      end: m.index + address.length,
      unit: 'char',
      value: address.toLowerCase(),
    });
    if (++found >= MAX_CANDIDATES) return;
  }
}

// A field that names the patient: `patient=casimir kestrelmoor`, `"patient_name": "…"`,
// `client_display: "…"`; the value is two to four words of letters, in any case and script.
const PATIENT_NAME_FIELD =
  /(?=["'a-zA-Z])(?<![\p{L}\p{N}_.-])["']?(?:patient|patient_?name|pt_?name|patient_?display|client_?(?:name|display)|resident_?name|pasient|paciente|paziente|patiënt|pacjent|Patientenname|nom_?patient)["']?\s{0,3}[:=]\s{0,3}["']?(\p{L}[\p{L}'’-]{1,30}(?:\s\p{L}[\p{L}'’-]{1,30}){1,3})(?=["',;)\s]|$)/gmu;
const NOT_A_NAME =
  /^(?:test|demo|sample|dummy|anonym|unknown|redacted|masked|none|null|n\/a|example|john doe|jane doe|max mustermann|erika mustermann)\b|\b(?:test|demo|sample|dummy|patient|user|record|id|uuid|number|data|list|portal|app|object)\b/i;

/** Names in a field that names the patient, as structured logs and payloads write them. */
function findPatientNameFields(text: string, take: (f: RawFinding) => void): void {
  let found = 0;
  PATIENT_NAME_FIELD.lastIndex = 0;
  for (let m = PATIENT_NAME_FIELD.exec(text); m; m = PATIENT_NAME_FIELD.exec(text)) {
    const name = m[1] as string;
    if (NOT_A_NAME.test(name) || isPlaceholderName(name)) continue;
    const words = name.split(/\s+/);
    if (words.some((w) => isProductWord(w.toLowerCase()))) continue;
    const start = m.index + m[0].length - name.length;
    take(nameFinding('patient-record', "a patient's name in a record field", name, start));
    if (++found >= MAX_CANDIDATES) return;
  }
}

/** A finding for the number at `at`, or null when none parses there (or it is the reporter's). */
function phoneAt(
  text: string,
  at: number,
  country: string,
  ignore: ContactIgnore,
  budget: { left: number },
): RawFinding | null {
  PHONE_VALUE.lastIndex = at;
  const v = PHONE_VALUE.exec(text);
  if (!v) return null;
  const raw = v[0].trim();
  // Glued to letters or more digits, it is a token (an id, a serial), not a number.
  if (isWordCode(text.charCodeAt(at + v[0].length))) return null;
  // Dates, times, versions and dotted quads are not numbers to call.
  if (/^\d{4}-\d{2}-\d{2}|^\d+(?:\.\d+){2,}$|^\d{1,2}[./]\d{1,2}[./]\d{2,4}$/.test(raw)) return null;
  const parsed = parsePhone(raw, country, budget);
  if (!parsed || ignore.phones.has(parsed)) return null;
  return phoneFinding(at, raw, parsed);
}

function phoneFinding(start: number, raw: string, number: string): RawFinding {
  return {
    kind: 'phone',
    label: 'a phone number of a person',
    excerpt: maskIdentifier(raw),
    start,
    end: start + raw.length,
    unit: 'char',
    value: number,
  };
}

/**
 * The number in E.164 form when `raw` is a valid number: as written (international, or national
 * in the default country), in the national form of a European country, or as digits of an
 * international number written without its `+` (`393246217787`, a WhatsApp id).
 */
function parsePhone(raw: string, country: string, budget: { left: number }): string | null {
  // Each parse counts against the text's budget: a national form may be tried for many countries.
  const parse = (value: string, defaultCountry?: CountryCode) =>
    budget.left-- > 0
      ? parsePhoneNumberFromString(value, defaultCountry ? { defaultCountry } : undefined)
      : undefined;
  const first = parse(raw, country as CountryCode);
  if (first?.isValid()) return first.number;
  const digits = raw.replace(/\D/g, '');
  if (!raw.startsWith('+') && digits.length >= 10 && digits.length <= 13 && !digits.startsWith('0')) {
    const intl = parse(`+${digits}`);
    if (intl?.isValid()) return intl.number;
  }
  if (raw.startsWith('+')) return null;
  for (const other of NATIONAL) {
    if (other === country) continue;
    const p = parse(raw, other);
    if (p?.isValid()) return p.number;
  }
  return null;
}

const isWordCode = (c: number) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;

/**
 * Numbers in a table column of callers or recipients: a header line split by `|`, `;`, `,` or a
 * tab with such a column, then its rows up to the first line that is not one.
 */
function* columnPhones(
  text: string,
  country: string,
  ignore: ContactIgnore,
  budget: { left: number },
): Generator<RawFinding> {
  let column = -1;
  let sep = '';
  let offset = 0;
  for (const line of text.split('\n')) {
    if (budget.left <= 0) return;
    const lineStart = offset;
    offset += line.length + 1;
    if (line.length > 2000) {
      column = -1;
      continue;
    }
    if (column >= 0) {
      if (!line.includes(sep)) {
        column = -1;
      } else {
        const cells = splitCells(line, sep);
        const cell = cells[column];
        if (cell && /\d/.test(cell.text) && !/^[\s|:-]+$/.test(line)) {
          const raw = cell.text.trim().replace(/^"|"$/g, '');
          if (/^\+?[\d\s()./-]{7,20}$/.test(raw)) {
            const parsed = parsePhone(raw, country, budget);
            if (parsed && !ignore.phones.has(parsed)) {
              const start = lineStart + cell.start + cell.text.indexOf(raw);
              yield phoneFinding(start, raw, parsed);
            }
          }
        }
        continue;
      }
    }
    for (const s of ['|', ';', '\t', ',']) {
      if (!line.includes(s)) continue;
      const cells = splitCells(line, s);
      if (cells.length < 2) continue;
      const i = cells.findIndex((c) => PHONE_COLUMN.test(c.text.trim().replace(/^"|"$/g, '')));
      if (i >= 0) {
        column = i;
        sep = s;
        break;
      }
    }
  }
}

function splitCells(line: string, sep: string): { text: string; start: number }[] {
  const cells: { text: string; start: number }[] = [];
  let from = 0;
  // A leading `|` of a Markdown row opens no column.
  if (sep === '|' && line.trimStart().startsWith('|')) from = line.indexOf('|') + 1;
  for (;;) {
    const next = line.indexOf(sep, from);
    cells.push({ text: line.slice(from, next < 0 ? line.length : next), start: from });
    if (next < 0) break;
    from = next + 1;
  }
  return cells;
}

/**
 * Street addresses in a delivery, home, visit or incident slot: a street line followed by a postal
 * code and a town, whose nearest slot word before it directs it to a person, and whose own line
 * names no organisation.
 */
function findCareAddresses(text: string, take: (f: RawFinding) => void): void {
  const forPerson = positionsEnding(text, ADDRESS_FOR_PERSON);
  const forOrg = positionsEnding(text, ADDRESS_FOR_ORG);
  let found = 0;
  // Streets are looked for only within reach of a person-directed slot, each stretch once: far
  // fewer characters than the whole text, which the street pattern is slow to walk.
  let scannedTo = 0;
  for (const slotEnd of forPerson.all()) {
    const from = Math.max(slotEnd, scannedTo);
    const reach = slotEnd + SLOT_REACH;
    if (from >= reach) continue;
    scannedTo = reach;
    // One character before, so that the street's look-behind sees what precedes it.
    const offset = Math.max(0, from - 1);
    const segment = text.slice(offset, Math.min(text.length, reach + 200));
    STREET_LINE.lastIndex = from - offset;
    for (let m = STREET_LINE.exec(segment); m; m = STREET_LINE.exec(segment)) {
      const start = offset + m.index;
      if (start > reach) break;
      const lineEnd = start + m[0].length;
      const town = POSTAL_TOWN.exec(text.slice(lineEnd, lineEnd + 90));
      if (!town) continue;
      const end = lineEnd + town[0].trimEnd().length;
      const person = forPerson.before(start);
      if (person < 0 || start - person > SLOT_REACH) continue;
      if (forOrg.before(start) > person) continue;
      const ownLine = text.slice(lineStartNear(text, start, 60), lineEndNear(text, end, 40));
      if (ORG_IN_LINE.test(ownLine) || PLACEHOLDER_PLACE.test(text.slice(start, end))) continue;
      take(streetAddressFinding(m[0], start, end));
      STREET_LINE.lastIndex = Math.max(STREET_LINE.lastIndex, end - offset);
      if (++found >= MAX_CANDIDATES) return;
    }
  }
}

/** Where matches of `re` end: all of them, and the last before a position (-1 when none). */
function positionsEnding(text: string, re: RegExp): { all(): number[]; before(pos: number): number } {
  let ends: number[] | undefined;
  const all = () => {
    if (!ends) {
      ends = [];
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) ends.push(m.index + m[0].length);
    }
    return ends;
  };
  return {
    all,
    before(pos) {
      const list = all();
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((list[mid] as number) <= pos) lo = mid + 1;
        else hi = mid;
      }
      return lo > 0 ? (list[lo - 1] as number) : -1;
    },
  };
}

// A message's recipient: a mail's `To:` header (perhaps with a display name) or a log field or
// JSON member naming the recipient; or an account's address (`email=`, `"email_address":`), which
// counts only in an account or list event (see ACCOUNT_EVENT).
const EMAIL_SLOT =
  /^To:\s{0,3}(?:"[^"\n@]{0,80}"\s{0,3}|[\p{L}][\p{L} .'-]{0,60}\s)?<?|(?=["'a-zA-Z])(?<![\p{L}\p{N}_.-])["']?(?:(recipient|rcpt(?:_?to)?|to|empf[äa]nger|destinataire|destinatario|ontvanger)|(e-?mail(?:_?address)?|login|user_?name))["']?\s{0,3}[:=]\s{0,3}["'<]?/gimu;
// What makes an account's address a patient's: it signs up, verifies, resets or is on a list.
const ACCOUNT_EVENT =
  /REGISTER|SEND_VERIFY|VERIFY_EMAIL|verify[ _-]?e-?mail|verification (?:e-?mail|link|code|mail)|sign[ _-]?up|registration|registrier|inscri|registro|regist|password[ _-]?reset|reset[ _-]?password|reset[ _-]?token|pwreset|forgot|ACCOUNT_EXISTS|already exists|members|subscri|newsletter|invit/i;
// The keys before an address that open a patient's own object.
const PATIENT_OBJECT =
  /(?:["']?(?:patient|pasient|paciente|paziente|patiënt|pacjent|pacient)["']?\s{0,3}(?:[:=(]|\{)[^}\]]{0,280}$)/iu;
// What makes it a member of staff's.
const STAFF_ACCOUNT =
  /realm(?:Id)?=["']?staff|admin[ _-]?console|"role"\s{0,2}:\s{0,2}"(?!patient)|\bstaff\b|employee|personnel|Personal(?:konto)?|Mitarbeiter|medewerker|dipendente|empleado|colleague/i;
const EMAIL_AT = /[A-Za-z0-9._%+-]{1,64}@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24})/y;
const OWN_ACCOUNT =
  /\b(?:my|our) (?:own )?(?:test |testing |researcher )?(?:account|login|user|address)|\btest(?:ing)? account|Testkonto|compte de test|cuenta de prueba|account di test|testaccount|mijn (?:test)?account|mein(?:em)? (?:eigenen )?(?:Test)?konto/i;
// The organisation's own domains: those of its role mailboxes and of the mail's sender.
const ORG_MAILBOX =
  /(?:^|[\s<"'(=:,])([A-Za-z0-9._%+-]{1,64})@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24})/g;
const FROM_HEADER = /^(?:From|Sender|Return-Path|Reply-To):[^\n@]{0,120}@([A-Za-z0-9.-]{1,253})/gim;

/**
 * Patients' e-mail addresses in a recipient or account slot of a text about care: the `To:` of a
 * portal's password reset, a sign-up event's `email=`, a mailing list's members. Role mailboxes,
 * the reporter's own address and addresses at the organisation's own domains (its role
 * mailboxes' and its mail's sender's) are left: staff write from there.
 */
function findCareEmails(
  text: string,
  aboutCare: (start: number, end: number) => boolean,
  ignore: ContactIgnore,
  take: (f: RawFinding) => void,
): void {
  if (!text.includes('@')) return;
  let orgDomains: Set<string> | undefined;
  let found = 0;
  // Each candidate reads a bounded window (a mail's subject and body at most); a text with more
  // candidates than this is a list of addresses, flagged many times over already.
  let examined = 0;
  EMAIL_SLOT.lastIndex = 0;
  for (let m = EMAIL_SLOT.exec(text); m; m = EMAIL_SLOT.exec(text)) {
    if (++examined > MAX_CANDIDATES * 8) return;
    const at = m.index + m[0].length;
    const accountKey = m[2] !== undefined;
    EMAIL_AT.lastIndex = at;
    const e = EMAIL_AT.exec(text);
    if (!e) continue;
    const address = e[0];
    const local = address.slice(0, address.indexOf('@'));
    const domain = (e[1] as string).toLowerCase();
    if (isRoleMailbox(local) || ignore.emails.has(address.toLowerCase())) continue;
    // "email=jd@lab.example  <- my test account": the reporter says whose it is.
    const lineStart = lineStartNear(text, at, 300);
    const lineEnd = lineEndNear(text, at, 200);
    const line = text.slice(lineStart, lineEnd);
    if (OWN_ACCOUNT.test(line) || STAFF_ACCOUNT.test(line)) continue;
    // A contact block's label line ("E-mail: jd@lab.example" alone on its line) is a signature's.
    if (
      accountKey &&
      /^\s{0,8}["']?[A-Za-z-]{4,14}["']?\s{0,3}:\s{0,3}$/.test(text.slice(lineStart, at)) &&
      lineEnd - (at + address.length) < 3
    )
      continue;
    const around = text.slice(Math.max(0, at - 400), at + 200);
    // An address inside a patient's own object (`"patient": { … "email": …`) is theirs.
    const ofPatient = PATIENT_OBJECT.test(text.slice(Math.max(0, at - 300), at));
    const accountEvent = ACCOUNT_EVENT.test(around);
    if (accountKey && !accountEvent && !ofPatient) continue;
    orgDomains ??= organisationDomains(text);
    if (
      orgDomains.has(domain) ||
      [...orgDomains].some((d) => domain.endsWith(`.${d}`) || d.endsWith(`.${domain}`))
    )
      continue;
    // A mail's recipient: the mail itself (its subject and body, not its sender's name) is about care.
    // The recipient of a portal's account mail (a reset, a verification, a sign-up), an account
    // a sign-up or list event names, or a patient object's address is a patient's in a report about
    // a health product; another recipient only in a text about care.
    const header = m[1] === undefined && m[2] === undefined;
    const careNeeded = !ofPatient && !accountEvent;
    if (careNeeded && (header ? !mailAboutCare(text, lineStart) : !aboutCare(at, at + address.length)))
      continue;
    take({
      kind: 'patient-email',
      label: 'an e-mail address of a patient',
      excerpt: maskEmail(address),
      start: at,
      end: at + address.length,
      unit: 'char',
      value: address.toLowerCase(),
    });
    if (++found >= MAX_CANDIDATES) return;
  }
}

const SENDER_LINE = /^(?:From|Sender|Return-Path|Reply-To|Message-ID|Received|Date|Bcc|Cc|To):.*$/gim;
const CARE_ONCE = new RegExp(CARE_WORDS.source, 'iu');
const TERM_ONCE = new RegExp(CLINICAL_TERM.source, 'iu');

/** Whether the mail whose `To:` line starts at `from` speaks of care, its address lines left out. */
function mailAboutCare(text: string, from: number): boolean {
  const mail = text.slice(from, from + 1200).replace(SENDER_LINE, '');
  return CARE_ONCE.test(mail) || TERM_ONCE.test(mail);
}

function organisationDomains(text: string): Set<string> {
  const domains = new Set<string>();
  ORG_MAILBOX.lastIndex = 0;
  for (let m = ORG_MAILBOX.exec(text); m; m = ORG_MAILBOX.exec(text)) {
    if (isRoleMailbox(m[1] as string)) domains.add((m[2] as string).toLowerCase());
    if (domains.size > 64) break;
  }
  FROM_HEADER.lastIndex = 0;
  for (let m = FROM_HEADER.exec(text); m; m = FROM_HEADER.exec(text)) {
    domains.add((m[1] as string).toLowerCase().replace(/[>"')\s].*$/, ''));
    if (domains.size > 128) break;
  }
  return domains;
}

/** Where the line holding `pos` starts, looking back at most `limit` characters. */
function lineStartNear(text: string, pos: number, limit: number): number {
  return Math.max(0, pos - limit, lineStartWithin(text, pos, limit));
}

/** Where the line holding `pos` ends, looking ahead at most `limit` characters. */
function lineEndNear(text: string, pos: number, limit: number): number {
  const end = lineBreakWithin(text, pos, limit);
  return end < 0 ? Math.min(text.length, pos + limit) : end;
}

type Positions = { near(from: number, to: number): boolean };

/** Positions made on first use (a text none of whose readers asks never pays for the scan). */
function lazyPositions(make: () => Positions): Positions {
  let made: Positions | undefined;
  return {
    near(from, to) {
      made ??= make();
      return made.near(from, to);
    },
  };
}

/** A finding over a person's name, masked in its excerpt. */
function nameFinding(
  kind: 'person-clinical' | 'patient-record',
  label: string,
  name: string,
  start: number,
): RawFinding {
  return { kind, label, excerpt: maskName(name), start, end: start + name.length, unit: 'char' };
}
