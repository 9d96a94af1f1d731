/**
 * A named person next to a clinical fact: "Philippa Crumhorn is prescribed sertraline 50 mg",
 * "Patient Corwin Ormsby-Krane was admitted with COPD", "Mr. Hasselgrove was diagnosed with…",
 * "Everard Fennimore, diagnosis: type 2 diabetes", "Frau Quillfeather wurde mit Pneumonie
 * aufgenommen".
 *
 * Cues are phrases that state a fact about one person's health — diagnosed with, diagnosis:,
 * admitted, discharged, prescribed, treated for, suffers from, tested positive for, a dose
 * ("50 mg") — in English, German, French, Spanish, Dutch and Italian. Words that also describe
 * software ("diagnostic mode", "admission controller", "medication list endpoint", "traitement des
 * données") are not cues. The person is a run of two to four capitalised words (people.ts) or a
 * title with a surname ("Mr. Hasselgrove", "Frau Odgeworth", "Mme Brindlecote"), ending at most
 * 60 characters before the cue in the same sentence, or starting within 30 after it on the same
 * line ("admitted: Junia Quillfeather"). Runs made of product or organisation words, and the
 * reporter's own name, are not people here.
 *
 * Linear time: one pass over the cues; each looks at a bounded window around it.
 *
 * Conditions and medicines themselves (TERMS: "HIV positive", "schizophrenia", "insulin
 * glargine", "schwanger"…) are cues too, next to a named person, except in a sentence about staff,
 * reporters or credits ("Dr. …, cardiologist, reviewed", "thanks to …") and where the term names a
 * product ("insulin pump", "diabetes app").
 *
 * Known limits: a person named by given name only, or several sentences away from the fact, is
 * not found; the term list is the common conditions and medicines, not a formulary.
 */
import { maskName } from './mask.js';
import { findNameRuns, isReporterName, nameRunEndingAt } from './people.js';
import { isProductWord } from './placeholders.js';
import type { RawFinding } from './types.js';

const CUES = [
  // English
  String.raw`(?:was|were|is|been|being|got)\s(?:newly\s)?(?:diagnosed|admitted|hospitali[sz]ed|discharged|prescribed|treated|started on|readmitted)`,
  String.raw`diagnosed with|diagnosis(?: of)?\s?:|dx\s?:|admitted (?:to|with|for|on)|discharged (?:from|with|on)`,
  String.raw`prescribed|treated for|suffers from|suffering from|tested positive for|on chemotherapy|on dialysis`,
  String.raw`\d+(?:[.,]\d+)?\s?(?:mg|mcg|µg|ml|IU|units)\b(?:\s(?:once|twice|daily|bid|tid|qd|od|po|iv))`,
  // German
  String.raw`diagnostiziert|Diagnose\s?:|(?:stationär\s)?aufgenommen|verordnet|verschrieben|leidet an|erkrankt an|behandelt wegen`,
  // French
  String.raw`diagnostiqu[ée]e?|hospitalis[ée]e?|admise? (?:pour|le|à|aux)|souffre d[e']|atteinte? d[e']|sous traitement|prescrit`,
  // Spanish
  String.raw`diagnosticad[oa]|diagnóstico\s?:|ingresad[oa]|padece|recetad[oa]|en tratamiento`,
  // Dutch
  String.raw`gediagnosticeerd|opgenomen (?:met|in|op)|lijdt aan|behandeld voor|voorgeschreven`,
  // Italian
  String.raw`diagnosticat[oa]|ricoverat[oa]|soffre di|affett[oa] da|in terapia con|prescritt[oa]`,
  // Portuguese, Swedish, Danish and Norwegian, Polish; "admitted yesterday with"
  String.raw`internad[oa]|hospitalizad[oa]|diagnosticad[oa] com|em tratamento|inlagd för|inskriven för|opererades för|behandlas för|fick diagnosen|indlagt|innlagt|rozpoznanie\s?:|diagnoza\s?:|przyjęt[ya] z|hospitalizowan[ya]|leczon[ya] z`,
  String.raw`admitted (?:yesterday|today|last night|this morning|overnight) (?:with|for)`,
  // Czech
  String.raw`přijat[ao]?|hospitalizován[ao]?|diagnostikován[ao]?|léčen[ao]? (?:pro|s)`,
].join('|');

// Every cue starts with a digit or a Latin letter. Saying so first spares the word-start test, whose
// Unicode classes are slow to evaluate, at every other character (a megabyte of `|` or `→`).
const LATIN_START = String.raw`(?=[a-z\u00c0-\u024f])`;
const CUE = new RegExp(String.raw`(?=[0-9a-z\u00c0-\u024f])(?<![\p{L}\p{N}_])(?:${CUES})(?![\p{L}])`, 'giu');

// Conditions and medicines that are a fact about one person's health when a person is named next
// to them: the diseases, states and drugs reports show in leaked records, in six languages.
const TERMS = [
  String.raw`cancer|carcinoma|tumou?r|leuka?emia|lymphoma|melanoma|diabet(?:es|ic)|hypertension|asthma|COPD|pneumonia|sepsis`,
  String.raw`HIV(?:[ -]positive)?|hepatitis(?: [ABC])?|tuberculosis|myocardial infarction|heart failure|atrial fibrillation`,
  String.raw`epilepsy|seizures?|dementia|alzheimer(?:'s|’s)?|parkinson(?:'s|’s)?|multiple sclerosis|schizophreni[ac]|bipolar disorder`,
  String.raw`(?:major )?depressi(?:on|ve (?:disorder|episode))|anxiety disorder|PTSD|anorexia|bulimia|overdose|opioid use disorder`,
  String.raw`alcohol use disorder|pregnan(?:t|cy)|miscarriage|abortion|infertility|dialysis|renal failure|kidney disease|cirrhosis`,
  String.raw`crohn(?:'s|’s)?|ulcerative colitis|appendicitis|chemotherapy|radiotherapy|transplant|amputation|psychosis|suicid(?:e|al)`,
  String.raw`self-harm|anaphylaxis|allerg(?:y|ic) to|chlamydia|syphilis|gonorrh?o?ea|HbA1c|stroke`,
  String.raw`post-?op(?:erative)?(?: day)?|CABG|bypass surgery|mastectomy|hysterectomy|appendectomy|c(?:a|e)esarean|C-section`,
  String.raw`biopsy|fracture[ds]?|concussion|meningitis|malaria|COVID-19|influenza|migraine|arthritis|osteoporosis|glaucoma`,
  String.raw`hypothyroidism|ADHD|autism|Down syndrome|cerebral palsy|cystic fibrosis|sickle cell|ha?emophilia|lupus|psoriasis`,
  String.raw`insulin(?: glargine| lispro| aspart)?|metformin|warfarin|apixaban|rivaroxaban|heparin|morphine|oxycodone|fentanyl|methadone`,
  String.raw`buprenorphine|lithium(?: carbonate)?|clozapine|olanzapine|quetiapine|risperidone|sertraline|fluoxetine|citalopram`,
  String.raw`escitalopram|venlafaxine|diazepam|lorazepam|alprazolam|prednis(?:on|olon)e|methotrexate|tamoxifen|levothyroxine`,
  String.raw`tacrolimus|ciclosporin|cyclosporine|donepezil|levetiracetam|valproate|carbamazepine|lamotrigine|adalimumab|biktarvy`,
  String.raw`truvada|penicillin`,
  // German, French, Spanish, Dutch, Italian
  String.raw`Krebs|Demenz|Depression|schwanger|Schwangerschaft|Dialyse|Chemotherapie|Herzinsuffizienz|Lungenentzündung|Schlaganfall`,
  String.raw`Epilepsie|Zuckerkrankheit|diabète|démence|dépression|enceinte|grossesse|chimiothérapie|insuffisance (?:cardiaque|rénale)`,
  String.raw`VIH|épilepsie|cáncer|demencia|depresión|embarazada|embarazo|diálisis|quimioterapia|epilepsia|kanker|dementie|depressie`,
  String.raw`zwanger|zwangerschap|suikerziekte|cancro|tumore|diabete|demenza|depressione|incinta|gravidanza|dialisi|chemioterapia`,
  String.raw`epilessia`,
  // The same conditions across the languages (stems where the spelling moves), and Nordic, Polish
  // and Portuguese names of them.
  String.raw`pneumoni[ae]|neumonía|polmonite|longontsteking|lunginflammation|zapaleni[ae] płuc|lungebetændelse`,
  String.raw`(?:lungen?|long)emboli[ea]?|embolie pulmonaire|embolia pulmonar|embolia polmonare|zatorowość płucna|pulmonary embolism`,
  String.raw`carcino(?:om|me|ma)|Karzinom|rak (?:płuca|piersi|jelita\s\p{L}+|prostaty)|bröstcancer|prostatacancer|tarmcancer|lungcancer`,
  String.raw`KOL|BPCO|EPOC|POChP|DPOC|COPD|emphysema|Emphysem|cukrzyc[aąy]|sockersjuka|diabetes mellitus|diabete mellito`,
  String.raw`hjärtsvikt|hjertesvigt|hjertesvikt|hartfalen|niewydolnoś[cć] serca|insuficiência cardíaca|scompenso cardiaco|insuficiencia cardíaca`,
  String.raw`(?:Herz|hjärt|hjerte|hart)infar(?:kt|ct)|infarkt\p{L}*|myokard\p{L}*|miokard\p{L}*|infarctus|infarto|zawał serca|ictus|AVC|beroerte|udar mózgu|slagtilfælde`,
  String.raw`Vorhofflimmern|fibrillation auriculaire|fibrilación auricular|fibrillazione atriale|boezemfibrilleren|förmaksflimmer|migotanie przedsionków`,
  String.raw`(?:h[ae]e?mo|hé?mo|emo)?di[aá]l[iy][sz]\p{L}*|koronarograf\p{L}*|coronarograph\p{L}*|coronary angiogra\p{L}*|Koronarangiograph\p{L}*`,
  String.raw`hypogly[ck]\p{L}*|hypergly[ck]\p{L}*|hipogluc\p{L}*|ipoglic\p{L}*|hypoglyk\p{L}*|HIV-positiv\p{L}*|sieropositiv\p{L}*|séropositi\p{L}*|zwangerschapsdiabetes|graviditet|gravid|ciąż[ay]|w ciąży|grávida|gravidez`,
  // Medicines: international names, stems for their spellings, and brands reports show.
  String.raw`vancomy\p{L}*|vankomy\p{L}*|amoxicil\p{L}*|amoksycyl\p{L}*|ramipril|furos[eé]mid\p{L}*|metoprolol|bisoprolol|atorvastatin\p{L}*|simvastatin\p{L}*`,
  String.raw`amlodipin\p{L}*|lisinopril|omeprazol\p{L}*|pantoprazol\p{L}*|clopidogrel|enoxaparin\p{L}*|dabigatran|edoxaban|spironolacton\p{L}*|digoxin\p{L}*`,
  String.raw`amiodaron\p{L}*|gabapentin\p{L}*|pregabalin\p{L}*|tramadol|codein\p{L}*|hydrocodone|ceftriaxon\p{L}*|meropenem|piperacillin\p{L}*|gentamicin\p{L}*`,
  String.raw`ciprofloxacin\p{L}*|doxycyclin\p{L}*|azithromycin\p{L}*|clarithromycin\p{L}*|phenprocoumon|acenocoumarol|Marcumar|Sintrom|Waran|Eliquis|Xarelto`,
  String.raw`Lantus|Ozempic|semaglutid\p{L}*|liraglutid\p{L}*|dulaglutid\p{L}*|empagliflozin\p{L}*|dapagliflozin\p{L}*|sitagliptin\p{L}*|insulin[ae]|insuline`,
  String.raw`l[eé]vothyrox\p{L}*|levotiroxin\p{L}*|L-Thyroxin|Euthyrox|metotrexa\p{L}*|methotrexa\p{L}*|hydroxychloroquin\p{L}*|allopurinol|colchicin\p{L}*`,
  String.raw`dexamethason\p{L}*|hydrocortison\p{L}*|haloperidol|mirtazapin\p{L}*|trazodon\p{L}*|zopiclon\p{L}*|zolpidem|clonazepam|rituximab|trastuzumab`,
  String.raw`pembrolizumab|nivolumab|cisplatin\p{L}*|carboplatin\p{L}*|oxaliplatin\p{L}*|paclitaxel|docetaxel|cyclophosphamid\p{L}*|doxorubicin\p{L}*|capecitabin\p{L}*`,
  String.raw`letrozol\p{L}*|anastrozol\p{L}*|imatinib|infliximab|etanercept|mesalazin\p{L}*|azathioprin\p{L}*|mycophenol\p{L}*|everolimus|sirolimus`,
].join('|');
// Every term starts with a Latin letter (see CUE).
const TERM = new RegExp(String.raw`${LATIN_START}(?<![\p{L}\p{N}_])(?:${TERMS})(?![\p{L}])`, 'giu');
/** A pattern of its own over the conditions and medicines, for readers that look for care nearby. */
export function clinicalTermPattern(): RegExp {
  return new RegExp(TERM.source, TERM.flags);
}
/** A word that is itself a condition or a medicine ("Marcumar", "Lantus"): no part of a name. */
const TERM_WORD = new RegExp(String.raw`^(?:${TERMS})$`, 'iu');

// A sentence that speaks of the people who make, test or report the software, not of a patient:
// "Dr. Hannah Müller, cardiologist, reviewed …", "thanks to …", "the clinical lead … confirmed".
const STAFF_SENTENCE_ASCII =
  /\b(?:Doctor|cardiologist|oncologist|physician|nurse|clinician|pharmacist|lead|engineer|manager|team|researcher|reported|reporter|thanks?|credit(?:ed)?|acknowledg\w*|contact|reviewed|confirmed|verified|tested|reproduced|discovered|officer|director|author|vendor|product|added|fixed|changelog|release|wrote|written|asked|owner|maintainer|developer|dank|bedankt|danke|merci|gracias|grazie|obrigad[oa]|tack|arts|longarts|huisarts|Arzt|Oberarzt|Hausarzt|medico|lekarz|lege|revisado|revisou|relu|verificato|controllato|gecontroleerd|nagekeken|verpleegkundige|enfermer[oa]|infermier[ea]|Pflegekraft|et al|doi|PMID|PubMed|journal|published|cohort|literature|Lancet|NEJM|BMJ|JAMA|presented (?:by|at)|speaker|keynote|webinar|founder|internist|nefroloog|specialist|specialista|diabetolog\w*|nefrolog[oa]|farmacista|coordinat\w+|Dott|dottor\w*|Facharzt|roster|rooster|Dienstplan|\w*dienst|on-call|turno|guardia|anst[aä]lld|angestellt|hired|employed|employee|staff|personnel|Qualifica|Funktion|roll|rolle|ingenier[oa]|ingeniera|engineer|responsable|responsabile|pharmacien|verpleegkundig\w*|Mitarbeiter\w*|trial)\b/i;
// A text citing literature: authors named next to diseases and drugs are no patients.
const LITERATURE =
  /\bet al\b|\bdoi[:.]|\bPMID\b|\bNCT\d{8}\b|\d{4};\s?\d{1,4}\(\d{1,4}\)|\bpp\.\s?\d|\b(?:USENIX|IEEE|ACM|Proceedings|Symposium)\b|\b(?:[Ss]tudie|[Ss]tudy|étude|estudio|studio)\s(?:van|by|von|de|di|del|av)\b|[A-ZÀ-Þ][a-zß-ÿ]+\s[A-Z]{1,2},\s[A-ZÀ-Þ][a-zß-ÿ]+\s[A-Z]{1,2}[.,]/;
// A sentence about a made-up person: no patient's fact, whatever the cue.
const MADE_UP =
  /\b(?:synthetic|fictional|fictitious|dummy|fake|sample data|demo patient|test patient|testpatient|musterpatient\w*|pseudonymi[sz]ed|gepseudonimiseerd|pseudonymisiert|pseudonymis|seudonimizad[oa]|pseudonimizzat[oa]|anonymi[sz]ed|geanonimiseerd|anonymisiert)/i;
// The same for words outside ASCII, matched as stems (JavaScript's \b knows ASCII letters only).
const STAFF_SENTENCE_INTL =
  /dzięk|médecin|médico|läkare|læge|revisó|geprüft|überprüft|vérifié|nefrólog|cardiólog|néphrolog|infirmi[eè]re|sjuksköterska|Ärzt/iu;
// A doctor's or professor's title before a name, written as a title (`dr.lecoutre`, a login, is not).
// Acronyms are matched as written: "it" and "cto" are words too.
const STAFF_TITLE = /\b(?:Dr|DR|Prof|PROF)\.?\s|\b(?:IT|CISO|CEO|CTO|CMO|CNO)\b/;
const STAFF_SENTENCE = {
  test: (sentence: string) =>
    STAFF_TITLE.test(sentence) || STAFF_SENTENCE_ASCII.test(sentence) || STAFF_SENTENCE_INTL.test(sentence),
};
// After a term, the words that make it a product ("insulin pump", "diabetes app").
const PRODUCT_AFTER =
  /^(?:[\s-]{1,2}[\p{L}-]{1,20}){0,2}?[\s-]{1,2}(?:pumps?|pens?|devices?|monitors?|apps?|application|system|software|module|meters?|sensors?|management|care|portal|clinic|unit|ward|service|program(?:me)?|platform|research|registry|study|trial|calculator|tool|feature|screen|field|form|chart|view(?:er)?|page|dashboard|endpoint|api|interface|tracker|machine|schedules?|planner|library|database|pathway|guideline|protocol|support|team|batter(?:y|ies)|cells?|ion)\b/iu;

// A title before a surname. Running text writes it in lower case too, after an article or a
// preposition ("il sig. Kowalski", "la sra. Ortega", "bij mevr. Jansen", "chez monsieur Roux"):
// an abbreviation then needs its full stop.
const TITLED =
  /(?=[A-Za-z])(?<![\p{L}])(?:(?:Mr|Mrs|Ms|Miss|Mx|Herr|Frau|Mme|Mlle|M|Sr|Sra|Srta|Sig|Sig\.ra|Sig\.na|Dhr|Mevr|Signor|Signora|Señor|Señora|Monsieur|Madame|Meneer|Mevrouw|Pan|Pani|Senhor|Senhora|Fru|Herra|Rouva)\.?|(?:mr|mrs|ms|mme|mlle|sr|sra|srta|sig|sig\.ra|sig\.na|dhr|mevr)\.|signor|signora|señor|señora|monsieur|madame|pan|pani|paní)\s(?:\p{Lu}\.\s?)?(\p{Lu}[\p{L}'’-]+(?:\s\p{Lu}[\p{L}'’-]+)?)/gu;

const NOT_PERSON =
  /^(?:fda|maude|ema|cdc|nist|cisa|mhra|bfarm|ansm|aemps|c[oó]digo|nacional|national|nationale|nazionale|registro|register|station|liste|auszug|laut|gem[aä]ss|release|notes?|server|windows|version|update|patch|build|security|advisory|team|group|inc|corp|systems?|health|medical|care|portal|service|services|manager|studio|platform|cloud|project|app|application|record|records|endpoint|api|database|module|controller|engine|gateway|interface|pump|monitor|device|scanner|emr|ehr|pacs|lis|ris|epic|cerner|mychart|hospital|clinic|center|centre|university|ward|unit|department|medication|medications|list|note|notes|summary|report)$/i;

// German and Dutch capitalise nouns: a run of them ("Arzneimittelliste Station", "Vorbeugung von
// Schlaganfällen") reads like a name. Suffixes no surname takes, on long words.
const GERMANIC_NOUN =
  /^\p{Lu}\p{Ll}{3,}(?:liste|lijst|heit|keit|schaft|tion|mittel|gebiet|information|dienst|plan|ungen)$|^\p{Lu}\p{Ll}{5,}ung$/u;

interface Person {
  start: number;
  end: number;
  text: string;
}

/** People named next to a clinical fact about them; `ignoredNames` are the reporter's (normalised). */
export function findPeopleWithClinicalFacts(
  text: string,
  out: RawFinding[],
  ignoredNames: ReadonlySet<string>,
): void {
  let lastEnd = -1;
  const seen: { start: number; end: number }[] = [];
  CUE.lastIndex = 0;
  for (let m = CUE.exec(text); m; m = CUE.exec(text)) {
    const cueStart = m.index;
    const cueEnd = m.index + m[0].length;
    const person = personBefore(text, cueStart) ?? personAfter(text, cueEnd);
    if (!person || isReporterName(person.text, ignoredNames)) continue;
    const start = Math.min(person.start, cueStart);
    const end = Math.max(person.end, cueEnd);
    // One finding per person and fact: "diagnosed with … and prescribed 5 mg" is one sentence.
    if (start < lastEnd) continue;
    if (MADE_UP.test(sentenceAround(text, start, end)) || citesLiterature(text, start, end)) continue;
    lastEnd = end;
    seen.push({ start, end });
    out.push({
      kind: 'person-clinical',
      label: 'a named person with a clinical fact about them',
      excerpt: `${maskName(person.text)} … ${m[0].replace(/\d+(?:[.,]\d+)?/g, '•').trim()} …`,
      start,
      end,
      unit: 'char',
      value: person.text,
    });
  }
  findPeopleWithConditions(text, out, ignoredNames, seen);
}

/**
 * A named person next to a condition or medicine (TERMS): "Amara Okonkwo - HIV positive",
 * "Chen Wei's HbA1c", "De heer Pieter Jansen heeft diabetes". Not in a sentence about staff,
 * reporters or credits, and not when the term names a product ("insulin pump").
 */
function findPeopleWithConditions(
  text: string,
  out: RawFinding[],
  ignoredNames: ReadonlySet<string>,
  seen: { start: number; end: number }[],
): void {
  let lastEnd = seen.at(-1)?.end ?? -1;
  let last: RawFinding | undefined;
  let listed = 1;
  let k = 0;
  TERM.lastIndex = 0;
  for (let m = TERM.exec(text); m; m = TERM.exec(text)) {
    const cueStart = m.index;
    const cueEnd = m.index + m[0].length;
    // No capital letter near the term, no name: most terms in a text about software stop here.
    if (!HAS_CAPITAL.test(text.slice(Math.max(0, cueStart - 60), cueEnd + 30))) continue;
    if (PRODUCT_AFTER.test(text.slice(cueEnd, cueEnd + 64))) continue;
    const person = personBefore(text, cueStart) ?? personAfter(text, cueEnd);
    if (!person || isReporterName(person.text, ignoredNames)) continue;
    const start = Math.min(person.start, cueStart);
    const end = Math.max(person.end, cueEnd);
    while (k < seen.length && (seen[k] as { end: number }).end <= start) k += 1;
    const covered = k < seen.length && (seen[k] as { start: number }).start < end;
    if (covered || start < lastEnd) continue;
    // People listed one after another with their conditions are one finding: a list already judged
    // is extended without reading each sentence again.
    const extending = last !== undefined && start - last.end <= 64;
    if (!extending) {
      const sentence = sentenceAround(text, start, end);
      if (STAFF_SENTENCE.test(sentence) || MADE_UP.test(sentence) || citesLiterature(text, start, end))
        continue;
    }
    lastEnd = end;
    if (last && extending) {
      last.end = end;
      listed += 1;
      last.excerpt = `${listed} people with conditions or medicines`;
      continue;
    }
    listed = 1;
    last = {
      kind: 'person-clinical',
      label: 'a named person with a clinical fact about them',
      excerpt: `${maskName(person.text)} … ${m[0]} …`,
      start,
      end,
      unit: 'char',
      value: person.text,
    };
    out.push(last);
  }
}

const HAS_CAPITAL = /\p{Lu}/u;
// A title right before a name read back: the window's reading keeps the title with the name.
const TITLE_WORD = /(?:Mr|Mrs|Ms|Herr|Frau|Mme|Sr|Sra|Dhr|Mevr)\.?\s$/;

// Words a full stop follows without ending the sentence: titles, initials, "b." for born.
const NO_STOP =
  /^(?:\p{Lu}|Mr|Mrs|Ms|Dr|Prof|St|Sr|Sra|Mme|Mlle|Hr|Fr|b|geb|n|e\.g|i\.e|vs|etc|No|Nr|mr|mrs|ms|sr|sra|sig|sig\.ra|mme|mevr|dhr)$/u;

/** Whether the character at `k` is white space: ASCII by code, the rest by pattern. */
function isSpaceAt(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  if (c < 128) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return /\s/.test(text.charAt(k));
}

/** Whether the character at `k` is a letter or a full stop: ASCII by code, the rest by Unicode property. */
function isLetterOrStopAt(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  if (c < 128) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2e;
  return /[\p{L}.]/u.test(text.charAt(k));
}

/** Where the last sentence of `window` starts (after `.`, `!`, `?` or `;` and a space), else 0. */
function lastSentenceEnd(window: string, semicolon = true): number {
  for (let k = window.length - 2; k >= 0; k -= 1) {
    const c = window.charCodeAt(k);
    if ((c !== 0x2e && c !== 0x21 && c !== 0x3f && (c !== 0x3b || !semicolon)) || !isSpaceAt(window, k + 1))
      continue;
    if (c === 0x2e) {
      let w = k;
      while (w > 0 && isLetterOrStopAt(window, w - 1) && k - w < 6) w -= 1;
      if (NO_STOP.test(window.slice(w, k))) continue;
    }
    return k + 1;
  }
  return 0;
}

/** Where a quotation opened after a colon starts in `window` (`: "`, `:"`, `: «`, `: „`), else 0. */
function quoteOpened(window: string): number {
  const m = /:\s?["“«„][^"“”«»„]*$/.exec(window);
  return m ? m.index + m[0].search(/["“«„]/) + 1 : 0;
}

/** Whether citations surround [start, end): 300 characters either way. */
function citesLiterature(text: string, start: number, end: number): boolean {
  return LITERATURE.test(text.slice(Math.max(0, start - 300), end + 300));
}

/** Whether a sentence is about staff, reporters, credits or a made-up person (see ages.ts). */
export function notAboutPatient(sentence: string): boolean {
  return STAFF_SENTENCE.test(sentence) || MADE_UP.test(sentence);
}

/** The sentence around [start, end): back to a full stop or line break, at most 120 characters each way. */
export function sentenceAround(text: string, start: number, end: number): string {
  const before = text.slice(Math.max(0, start - 120), start);
  // "El Dr. Anselmo …": a title's full stop does not end the sentence. A quotation opened after a
  // colon is a sentence of its own: "the app wrote the caregiver's note: "Everett … COPD"".
  const cut = Math.max(lastSentenceEnd(before), before.lastIndexOf('\n') + 1, quoteOpened(before), 0);
  const after = text.slice(end, end + 120);
  const stop = after.search(/[.!?;](?:\s|$)|\n/);
  return before.slice(cut) + text.slice(start, end) + (stop >= 0 ? after.slice(0, stop) : after);
}

/** A space, comma, colon, dash or opening bracket: ASCII by code, the rest by pattern. */
function isCueSeparatorAt(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  if (c < 128)
    return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x2c || c === 0x3a || c === 0x2d || c === 0x28;
  return /[\s–—]/.test(text.charAt(k));
}

/** The person ending closest before `cueStart`, within 60 characters, in the same sentence. */
function personBefore(text: string, cueStart: number): Person | undefined {
  // Most often the name ends right before the cue ("Amara Okonkwo - HIV positive"): read it back
  // from there at the cost of the name; the window is scanned only otherwise.
  let k = cueStart;
  while (k > 0 && cueStart - k < 4 && isCueSeparatorAt(text, k - 1)) k -= 1;
  const adjacent = nameRunEndingAt(text, k);
  if (
    adjacent &&
    isPerson(adjacent) &&
    !TITLE_WORD.test(text.slice(Math.max(0, adjacent.start - 6), adjacent.start))
  )
    return adjacent;
  const from = Math.max(0, cueStart - 60);
  const window = text.slice(from, cueStart);
  // The sentence holding the cue starts after the last full stop, line break or semicolon.
  // A semicolon does not part a person from their fact here: "summary for Everett P.; diagnosis …".
  const cut = Math.max(lastSentenceEnd(window, false), window.lastIndexOf('\n') + 1, 0);
  const sentenceFrom = from + cut;
  const candidates: Person[] = [...titled(text, Math.max(0, sentenceFrom - 6), cueStart)];
  for (const run of findNameRuns(text, sentenceFrom, cueStart)) candidates.push(run);
  // The one ending last; of those ending together, the last read (as a stable sort would leave it).
  let last: Person | undefined;
  for (const candidate of candidates)
    if (isPerson(candidate) && (last === undefined || candidate.end >= last.end)) last = candidate;
  return last;
}

/** A person within 30 characters after the cue, on the same line ("admitted: Junia Quillfeather"). */
function personAfter(text: string, cueEnd: number): Person | undefined {
  const window = text.slice(cueEnd, cueEnd + 30);
  const lineEnd = window.search(/[\n.;]/);
  const to = cueEnd + (lineEnd >= 0 ? lineEnd : window.length);
  const run = findNameRuns(text, cueEnd, to).filter(isPerson)[0];
  if (
    !run ||
    text
      .slice(cueEnd, run.start)
      .trim()
      .replace(/^[:,-]/, '')
      .trim() !== ''
  )
    return undefined;
  return run;
}

function titled(text: string, from: number, to: number): Person[] {
  const segment = text.slice(from, to);
  const found: Person[] = [];
  TITLED.lastIndex = 0;
  for (let m = TITLED.exec(segment); m; m = TITLED.exec(segment)) {
    found.push({ start: from + m.index, end: from + m.index + m[0].length, text: m[0] });
  }
  return found;
}

function isPerson(person: Person): boolean {
  // Pure in the text: a list of people repeats the same few runs many times.
  const known = PERSON_CACHE.get(person.text);
  if (known !== undefined) return known;
  const words = person.text.split(/[\s,]+/).filter(Boolean);
  // A capital inside a word is a product or a code ("MiniMed", "OmniPod", "HbA1c"), unless a
  // surname's prefix puts it there ("McAllister", "DeShawn", "O'Neil").
  const result = !words.some(
    (w) =>
      NOT_PERSON.test(w.replace(/\.$/, '')) ||
      GERMANIC_NOUN.test(w) ||
      TERM_WORD.test(w.replace(/[.,]$/, '')) ||
      isProductWord(w.replace(/\.$/, '')) ||
      (/\p{Ll}\p{Lu}/u.test(w) && !/^(?:Mc|Mac|De|Di|Da|La|Le|Van|Von|O['’])/.test(w)),
  );
  if (PERSON_CACHE.size >= 4096) PERSON_CACHE.clear();
  PERSON_CACHE.set(person.text, result);
  return result;
}

const PERSON_CACHE = new Map<string, boolean>();
