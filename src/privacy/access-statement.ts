/**
 * Statements by a reporter that they reached protected health information or other personal
 * data: "PHI accessed: yes", "I was able to view patient names and dates of birth", "Ich konnte
 * Patientendaten einsehen". Not the PHI guard: that finds patient data *in* a report; this finds
 * the reporter *saying* they reached it, which the team must decide on (open a privacy escalation
 * or not) even when no patient data was copied into the report.
 *
 * Per language, a statement is one of:
 * - a question-and-answer line: a data term, then `:` or `?` and a yes ("PHI accessed: yes",
 *   "Did you reach personal data? Yes"), or the yes at the start of the next line;
 * - a sentence naming the data, a past act of reaching it, and the speaker (I, we, me…) or the
 *   data being shown ("…were visible in the response"), with no negation in the sentence.
 *   Descriptions of what an attacker *could* do ("allows an attacker to read patient records")
 *   name no speaker and no past act, so they are not statements.
 *
 * Known limits: a negation anywhere in the sentence suppresses it ("I saw patient names, no
 * login needed" is missed); a sentence quoting someone else ("the customer said they saw PHI") is
 * taken as the reporter's. The team decides either way; a missed statement still reaches them as
 * the text of the report.
 *
 * Linear in the text: it is split into lines and sentences once, and every pattern is an
 * alternation of literal words between fixed-width boundaries, without nested quantifiers.
 */

export interface AccessStatement {
  /** The language whose wording matched (`en`, `de`, `fr`, `es`, `nl`). */
  language: string;
  /** The sentence or line that says it, trimmed to at most 240 characters. */
  excerpt: string;
}

interface Wording {
  /** The data: PHI, patient records, personal data… */
  data: RegExp;
  /** The speaker: I, we, me… (or a verb form that carries the person, as in Spanish). */
  speaker: RegExp;
  /** A past act of reaching the data. */
  reached: RegExp;
  /** The data shown to the speaker, in the passive ("were visible"). */
  shown: RegExp;
  negation: RegExp;
  yes: RegExp;
}

const L = '(?<![\\p{L}\\p{N}_])';
const R = '(?![\\p{L}\\p{N}_])';
/**
 * A case-insensitive Unicode pattern matching any of the phrases as whole words (an elided form
 * such as French "j'" needs no boundary after its apostrophe).
 */
const words = (...phrases: string[]) =>
  new RegExp(`${L}(?:${phrases.map((p) => (/['’]$/.test(p) ? p : `${p}${R}`)).join('|')})`, 'iu');

const WORDINGS: Record<string, Wording> = {
  en: {
    data: words(
      'e?PHI',
      'PII',
      'protected health information',
      'personal(?: health)? (?:data|information|details)',
      "patient(?:s|s')? (?:data|records?|names?|information|details|files|charts?|lists?|identifiers|demographics)",
      '(?:electronic )?(?:health|medical|clinical) (?:records?|data|information|histor(?:y|ies))',
      'EHRs?',
      'EMRs?',
      'dates? of birth',
      'DOBs?',
      'social security numbers?',
      'SSNs?',
      'MRNs?',
      'medical record numbers?',
      'insurance (?:numbers?|ids?|details)',
      'financial (?:data|information|details)',
      'credit card (?:numbers?|data|details)',
    ),
    speaker: words('I', "I'm", "I've", 'we', "we've", 'me', 'us', 'my', 'our', 'myself'),
    reached: words(
      'accessed',
      'reached',
      'saw',
      'seen',
      'viewed',
      'read',
      'downloaded',
      'retrieved',
      'dumped',
      'exfiltrated',
      'obtained',
      'extracted',
      'exported',
      'opened',
      'browsed',
      'queried',
      'came across',
      'encountered',
      'stumbled (?:up)?on',
      '(?:was|were) able to (?:see|view|read|access|download|retrieve|list|query|open|obtain|export)',
      'could (?:see|view|read)',
      '(?:got|gained|had) access to',
    ),
    shown: words(
      '(?:was|were) (?:visible|displayed|shown|returned|included|listed|printed|leaked to me|disclosed to me)',
    ),
    negation: words(
      'no',
      'not',
      'never',
      'none',
      'nothing',
      'without',
      'neither',
      'nor',
      "\\w+n't",
      'cannot',
    ),
    yes: words('yes', 'y', 'true'),
  },
  de: {
    data: words(
      'PHI',
      'Patientendaten',
      'Patientenakten?',
      'Patientennamen',
      'Namen (?:der|von) Patienten',
      'Gesundheitsdaten',
      'Gesundheitsinformationen',
      'medizinische(?:n)? (?:Daten|Akten|Unterlagen)',
      'personenbezogene(?:n)? Daten',
      'persönliche(?:n)? Daten',
      'Geburtsdaten',
      'Geburtsdatum',
      'Versichertennummern?',
      'Krankenakten?',
      'Befunde',
      'Finanzdaten',
    ),
    speaker: words('ich', 'wir', 'mir', 'uns', 'mich'),
    reached: words(
      'zugegriffen',
      'gesehen',
      'eingesehen',
      'abgerufen',
      'heruntergeladen',
      'gelesen',
      'erhalten',
      'exportiert',
      'ausgelesen',
      'Zugriff (?:auf|zu)',
      'sehen',
      'einsehen',
      'lesen',
      'abrufen',
    ),
    shown: words('(?:war|waren|wurde|wurden) (?:sichtbar|angezeigt|ausgegeben|zurückgegeben|aufgelistet)'),
    negation: words(
      'nicht',
      'kein',
      'keine',
      'keinen',
      'keiner',
      'keinerlei',
      'nie',
      'niemals',
      'ohne',
      'nein',
    ),
    yes: words('ja'),
  },
  fr: {
    data: words(
      'PHI',
      'données (?:de santé|personnelles|médicales|des patients|patients?|à caractère personnel)',
      'dossiers? (?:médicaux|médical|patients?|des patients)',
      'noms des patients',
      'informations (?:médicales|personnelles|de santé)',
      'dates de naissance',
      'date de naissance',
      'numéros de sécurité sociale',
    ),
    speaker: words('je', "j'", 'nous', 'moi', "m'", 'j’', 'm’'),
    reached: words(
      'accédé',
      'consulté',
      'consultées?',
      'vu',
      'vues?',
      'téléchargé',
      'téléchargées?',
      'récupéré',
      'récupérées?',
      'lu',
      'obtenu',
      'obtenues?',
      'extrait',
      'exporté',
      'pu (?:voir|consulter|lire|accéder|télécharger|récupérer)',
      'eu accès',
    ),
    shown: words('(?:étaient|était|ont été|a été) (?:visibles?|affichées?|affichés?|renvoyées?|listées?)'),
    negation: words('ne', "n'", 'n’', 'pas', 'jamais', 'aucun', 'aucune', 'sans', 'non'),
    yes: words('oui'),
  },
  es: {
    data: words(
      'PHI',
      'datos (?:de salud|personales|médicos|clínicos|de (?:los )?pacientes)',
      'historias? clínicas?',
      'historiales? médicos?',
      'registros médicos',
      'nombres de (?:los )?pacientes',
      'fechas? de nacimiento',
      'información (?:médica|personal|de salud|de (?:los )?pacientes)',
    ),
    // Spanish verbs carry the person: "accedí" is "I accessed".
    speaker: words(
      'yo',
      'nosotros',
      'nosotras',
      'me',
      'nos',
      'pude',
      'pudimos',
      'tuve',
      'tuvimos',
      'accedí',
      'accedimos',
      'vi',
      'vimos',
      'descargué',
      'descargamos',
      'obtuve',
      'obtuvimos',
      'leí',
      'leímos',
    ),
    reached: words(
      'accedí',
      'accedimos',
      'vi',
      'vimos',
      'descargué',
      'descargamos',
      'obtuve',
      'obtuvimos',
      'leí',
      'leímos',
      'extraje',
      'pude (?:ver|acceder|leer|descargar|obtener)',
      'pudimos (?:ver|acceder|leer|descargar|obtener)',
      '(?:tuve|tuvimos) acceso',
    ),
    shown: words(
      '(?:eran|era|fueron|fue|estaban|estaba) (?:visibles?|mostrad[oa]s?|devuelt[oa]s?|listad[oa]s?)',
    ),
    negation: words('no', 'nunca', 'ningún', 'ninguna', 'ninguno', 'sin', 'tampoco', 'nada'),
    yes: words('sí', 'si'),
  },
  nl: {
    data: words(
      'PHI',
      'patiëntgegevens',
      'patientgegevens',
      'gezondheidsgegevens',
      'persoonsgegevens',
      'medische (?:gegevens|dossiers?)',
      'patiëntendossiers?',
      'patiëntdossiers?',
      'namen van patiënten',
      'geboortedata',
      'geboortedatum',
      'BSN(?:-nummers?)?',
    ),
    speaker: words('ik', 'wij', 'we', 'mij', 'me', 'ons'),
    reached: words(
      'ingezien',
      'bekeken',
      'gezien',
      'gedownload',
      'opgehaald',
      'gelezen',
      'verkregen',
      'geëxporteerd',
      'toegang (?:gekregen|gehad)',
      'zien',
      'inzien',
      'lezen',
    ),
    shown: words('(?:was|waren|werd|werden) (?:zichtbaar|getoond|weergegeven|teruggegeven)'),
    negation: words('niet', 'geen', 'nooit', 'zonder', 'nee', 'niets'),
    yes: words('ja'),
  },
};

/** The languages whose wording Vigil knows; others fall back to English. */
export const STATEMENT_LANGUAGES = Object.keys(WORDINGS);

const EXCERPT_MAX = 240;
const excerptOf = (s: string) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return [...t].length > EXCERPT_MAX ? `${[...t].slice(0, EXCERPT_MAX - 1).join('')}…` : t;
};

/** A question-and-answer line: the data term, then ":" or "?" and a yes (or the yes on the next line). */
function answeredYes(line: string, next: string | undefined, w: Wording): boolean {
  const m = w.data.exec(line);
  if (!m) return false;
  const rest = line.slice(m.index + m[0].length);
  const mark = rest.search(/[:?]/);
  if (mark < 0) return false;
  const answer = rest.slice(mark + 1).trim();
  if (answer === '') {
    const following = (next ?? '').trim();
    return startsWith(following, w.yes);
  }
  return startsWith(answer, w.yes);
}

function startsWith(text: string, pattern: RegExp): boolean {
  const m = pattern.exec(text.slice(0, 12));
  return m !== null && m.index === 0;
}

/** A sentence that says the speaker reached the data, or that it was shown, without a negation. */
function saysReached(sentence: string, w: Wording): boolean {
  if (!w.data.test(sentence) || w.negation.test(sentence)) return false;
  return (w.speaker.test(sentence) && w.reached.test(sentence)) || w.shown.test(sentence);
}

/**
 * The statements in `text` that the reporter reached PHI or personal data, in the wordings of
 * `languages` (English is always among them: reports to any program are often written in it).
 * At most one statement per line or sentence; at most `limit` in all.
 */
export function findAccessStatements(
  text: string,
  languages: readonly string[],
  limit = 5,
): AccessStatement[] {
  const wanted = [...new Set(['en', ...languages.map((l) => l.toLowerCase().split('-')[0] ?? 'en')])].filter(
    (l) => l in WORDINGS,
  );
  const found: AccessStatement[] = [];
  const seen = new Set<string>();
  const add = (language: string, excerpt: string) => {
    const e = excerptOf(excerpt);
    if (e === '' || seen.has(e)) return;
    seen.add(e);
    found.push({ language, excerpt: e });
  };
  const lines = text.split(/\r?\n/);
  // Quoted mail (lines starting with ">") is not the reporter speaking now.
  const own = lines.map((line) => (/^\s*>/.test(line) ? '' : line));
  const statementIn = (chunk: string, test: (w: Wording) => boolean) => {
    for (const language of wanted) {
      if (test(WORDINGS[language] as Wording)) {
        add(language, chunk);
        return;
      }
    }
  };
  // Question-and-answer lines first, as forms and templates write them.
  for (let i = 0; i < own.length && found.length < limit; i++) {
    const line = own[i] as string;
    if (line.trim() !== '') statementIn(line, (w) => answeredYes(line, own[i + 1], w));
  }
  // Then prose: paragraphs joined across their line breaks, cut into sentences.
  for (const paragraph of own.join('\n').split(/\n[ \t]*\n/)) {
    for (const sentence of paragraph.replace(/\s+/g, ' ').split(/(?<=[.!?;])\s+/)) {
      if (found.length >= limit) break;
      if (sentence.trim() !== '') statementIn(sentence, (w) => saysReached(sentence, w));
    }
  }
  return found.slice(0, limit);
}
