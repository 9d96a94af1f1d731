/**
 * National identifiers that health systems key their patients by, outside the US and the UK:
 *  - after a cue that names the number and nothing else — Dutch citizen service number (BSN),
 *    French NIR, Spanish DNI/NIE, Polish PESEL, German health-insurance number (KVNR), Brazilian
 *    CPF, Italian codice fiscale — a value of the identifier's exact layout counts. Its check digit
 *    is not required: the cue and the layout together are specific, and a number with a wrong check
 *    digit next to "BSN" is still someone's number to the reader, mistyped or invented.
 *  - after a cue that other numbers share (Swedish personnummer, Canadian provincial health cards,
 *    Australian Medicare numbers, "NSS") the check digit must hold, since nine to eleven digits
 *    are also order, serial and build numbers; so also for the Belgian INSZ/NISS (mod 97), the
 *    Norwegian fødselsnummer (two mod-11 digits), the Finnish HETU (mod 31 character) and the
 *    Danish CPR number (a real day and month: its mod-11 check was given up in 2007);
 *  - the Swiss AHV/AVS number after its cue, with a valid EAN-13 check digit;
 *  - without any cue, only the Italian codice fiscale, and only with a valid check character: its
 *    layout (sixteen characters of a fixed letter/digit pattern) leaves too little chance of a
 *    look-alike.
 *
 * Linear time: each pattern is a cue or a fixed layout without nested quantifiers, matched once
 * left to right; a checksum costs the identifier's length.
 */
import { maskIdentifier } from './mask.js';
import type { RawFinding } from './types.js';

const JOIN = String.raw`["']?\s{0,3}(?:is\s{1,3}|[:#=]\s{0,3}|\(\s{0,3})?(?:n[°ºo]\.?\s{0,2}|#\s{0,2})?["']?`;

interface NationalId {
  label: string;
  pattern: RegExp;
  valid: (value: string) => boolean;
  /** Whether the check digit must hold (else the layout after the cue is enough). */
  checked: boolean;
}

const digitsOf = (value: string) => value.replace(/\D/g, '');
const sameDigits = (d: string) => /^(\d)\1*$/.test(d);

function bsn(value: string): boolean {
  const d = digitsOf(value).padStart(9, '0');
  if (d.length !== 9 || sameDigits(d)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i += 1) sum += Number(d[i]) * (9 - i);
  sum -= Number(d[8]);
  return sum % 11 === 0;
}

function nir(value: string): boolean {
  const compact = value.replace(/[\s.-]/g, '').toUpperCase();
  if (!/^[12378]\d{4}(?:\d{2}|2A|2B)\d{8}$/.test(compact)) return false;
  let body = compact.slice(0, 13);
  let corsica = 0n;
  if (body.slice(5, 7) === '2A') corsica = 1000000n;
  if (body.slice(5, 7) === '2B') corsica = 2000000n;
  body = body.replace('2A', '19').replace('2B', '18');
  const key = 97n - ((BigInt(body) - corsica) % 97n);
  return key === BigInt(compact.slice(13));
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
function dni(value: string): boolean {
  const compact = value.replace(/[\s.-]/g, '').toUpperCase();
  const m = /^([XYZ]?)(\d{7,8})([A-Z])$/.exec(compact);
  if (!m) return false;
  const prefix = m[1] ? String('XYZ'.indexOf(m[1])) : '';
  const number = Number(prefix + (m[2] as string));
  if (number === 0) return false;
  return DNI_LETTERS[number % 23] === m[3];
}

function pesel(value: string): boolean {
  const d = digitsOf(value);
  if (d.length !== 11 || sameDigits(d)) return false;
  const weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  let sum = 0;
  for (let i = 0; i < 10; i += 1) sum += Number(d[i]) * (weights[i] as number);
  return (10 - (sum % 10)) % 10 === Number(d[10]);
}

function kvnr(value: string): boolean {
  const compact = value.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]\d{9}$/.test(compact)) return false;
  const digits = String(compact.charCodeAt(0) - 64).padStart(2, '0') + compact.slice(1, 9);
  let sum = 0;
  for (let i = 0; i < 10; i += 1) {
    const p = Number(digits[i]) * (i % 2 === 0 ? 1 : 2);
    sum += p > 9 ? p - 9 : p;
  }
  return sum % 10 === Number(compact[9]);
}

function luhn(d: string): boolean {
  let sum = 0;
  for (let i = 0; i < d.length; i += 1) {
    let n = Number(d[d.length - 1 - i]);
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

function personnummer(value: string): boolean {
  let d = digitsOf(value);
  if (d.length === 12) d = d.slice(2);
  if (d.length !== 10 || sameDigits(d)) return false;
  const month = Number(d.slice(2, 4));
  return month >= 1 && month <= 12 && luhn(d);
}

function cpf(value: string): boolean {
  const d = digitsOf(value);
  if (d.length !== 11 || sameDigits(d)) return false;
  const check = (n: number) => {
    let sum = 0;
    for (let i = 0; i < n; i += 1) sum += Number(d[i]) * (n + 1 - i);
    return ((sum * 10) % 11) % 10;
  };
  return check(9) === Number(d[9]) && check(10) === Number(d[10]);
}

function healthCard(value: string): boolean {
  const d = digitsOf(value);
  return d.length === 10 && !sameDigits(d) && luhn(d);
}

function medicareAu(value: string): boolean {
  const d = digitsOf(value);
  if ((d.length !== 10 && d.length !== 11) || !/^[2-6]/.test(d)) return false;
  const weights = [1, 3, 7, 9, 1, 3, 7, 9];
  let sum = 0;
  for (let i = 0; i < 8; i += 1) sum += Number(d[i]) * (weights[i] as number);
  return sum % 10 === Number(d[8]);
}

// Codice fiscale: the value of each character in an odd (1st, 3rd…) and an even position.
const CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
function codiceFiscale(value: string): boolean {
  const cf = value.toUpperCase();
  let sum = 0;
  for (let i = 0; i < 15; i += 1) {
    const c = cf.charCodeAt(i);
    const index = c >= 65 ? c - 65 : c - 48;
    sum += i % 2 === 0 ? (CF_ODD[index] as number) : index;
  }
  return String.fromCharCode(65 + (sum % 26)) === cf[15];
}

function ahv(value: string): boolean {
  const d = digitsOf(value);
  if (d.length !== 13 || !d.startsWith('756')) return false;
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(d[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(d[12]);
}

/** Belgian national register number (INSZ/NISS): 97 minus the first nine digits mod 97, with a 2 before them from 2000. */
function niss(value: string): boolean {
  const d = digitsOf(value);
  if (d.length !== 11 || sameDigits(d)) return false;
  const body = BigInt(d.slice(0, 9));
  const check = Number(d.slice(9));
  return 97 - Number(body % 97n) === check || 97 - Number((2000000000n + body) % 97n) === check;
}

/** Norwegian fødselsnummer: two mod-11 check digits. */
function fodselsnummer(value: string): boolean {
  const d = digitsOf(value);
  if (d.length !== 11 || sameDigits(d)) return false;
  const k = (weights: number[]) => {
    const r = 11 - (weights.reduce((sum, w, i) => sum + w * Number(d[i]), 0) % 11);
    return r === 11 ? 0 : r;
  };
  const k1 = k([3, 7, 6, 1, 8, 9, 4, 5, 2]);
  const k2 = k([5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
  return k1 < 10 && k2 < 10 && k1 === Number(d[9]) && k2 === Number(d[10]);
}

/** Finnish henkilötunnus: DDMMYY, a century sign, three digits and a check character. */
function hetu(value: string): boolean {
  const m = /^(\d{6})[-+A-FU-Y](\d{3})([0-9A-Y])$/i.exec(value.trim());
  if (!m) return false;
  return '0123456789ABCDEFHJKLMNPRSTUVWXY'[Number(`${m[1]}${m[2]}`) % 31] === (m[3] as string).toUpperCase();
}

/** Danish CPR number: a valid day and month; the old mod-11 check is not kept since 2007. */
function cpr(value: string): boolean {
  const d = digitsOf(value);
  if (d.length !== 10 || sameDigits(d)) return false;
  const day = Number(d.slice(0, 2));
  const month = Number(d.slice(2, 4));
  return day >= 1 && day <= 31 && month >= 1 && month <= 12;
}

const cued = (cue: string, value: string) =>
  new RegExp(String.raw`\b(?:${cue})${JOIN}(${value})(?![\w-])`, 'gi');

const NATIONAL_IDS: NationalId[] = [
  {
    label: 'a Belgian national register number (INSZ/NISS)',
    pattern: cued(
      String.raw`INSZ|NISS|rijksregister(?:nummer|nr\.?)?|num[ée]ro\snational|registre\snational`,
      String.raw`\d{2}[. ]?\d{2}[. ]?\d{2}[-. ]?\d{3}[-. ]?\d{2}`,
    ),
    valid: niss,
    checked: true,
  },
  {
    label: 'a Norwegian national identity number (fødselsnummer)',
    pattern: cued(String.raw`f[øo]dselsnummer|f[øo]dselsnr\.?`, String.raw`\d{6}[ -]?\d{5}`),
    valid: fodselsnummer,
    checked: true,
  },
  {
    label: 'a Finnish personal identity code (henkilötunnus)',
    pattern: cued(String.raw`henkil[öo]tunnus|HETU|sotu`, String.raw`\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]`),
    valid: hetu,
    checked: true,
  },
  {
    label: 'a Danish personal identity number (CPR)',
    pattern: cued(String.raw`CPR(?:[ _-]?(?:nummer|nr\.?|number))?`, String.raw`\d{6}-?\d{4}`),
    valid: cpr,
    checked: true,
  },
  {
    label: 'a Dutch citizen service number (BSN)',
    pattern: cued(
      String.raw`BSN(?:[ _-]?(?:nummer|nr\.?|number))?|burger[ _-]?service[ _-]?nummer|sofi[ _-]?nummer`,
      String.raw`\d{4}[. ]?\d{2}[. ]?\d{3}|\d{3}[. ]?\d{3}[. ]?\d{3}`,
    ),
    valid: bsn,
    checked: false,
  },
  {
    label: 'a French social security number (NIR)',
    pattern: cued(
      String.raw`NIR|INSEE|num[ée]ro\s(?:de\s)?s[ée]cu(?:rit[ée]\ssociale)?|s[ée]curit[ée]\ssociale|carte\svitale|n°\s?s[ée]cu`,
      String.raw`[12378][ .]?\d{2}[ .]?\d{2}[ .]?(?:\d{2}|2[AB])[ .]?\d{3}[ .]?\d{3}[ .]?\d{2}`,
    ),
    valid: nir,
    checked: false,
  },
  {
    label: 'a French social security number (NIR)',
    pattern: cued(
      'NSS',
      String.raw`[12378][ .]?\d{2}[ .]?\d{2}[ .]?(?:\d{2}|2[AB])[ .]?\d{3}[ .]?\d{3}[ .]?\d{2}`,
    ),
    valid: nir,
    checked: true,
  },
  {
    label: 'a Spanish identity number (DNI/NIE)',
    pattern: cued(
      String.raw`DNI|NIE|NIF|documento\snacional(?:\sde\sidentidad)?`,
      String.raw`[XYZ]?[- ]?\d{7,8}[- ]?[A-Z]`,
    ),
    valid: dni,
    checked: false,
  },
  {
    label: 'a Polish national identification number (PESEL)',
    pattern: cued('PESEL', String.raw`\d{11}`),
    valid: pesel,
    checked: false,
  },
  {
    label: 'a German health-insurance number (KVNR)',
    pattern: cued(
      String.raw`KVNR|(?:Kranken)?versicherten[ _-]?(?:nummer|nr\.?)|Versicherungsnummer|eGK(?:[ _-]?(?:Nummer|Nr\.?))?`,
      String.raw`[A-Z]\s?\d{9}`,
    ),
    valid: kvnr,
    checked: false,
  },
  {
    label: 'a Swedish personal identity number',
    pattern: cued(
      String.raw`person(?:nummer|nr\.?)|personal\sidentity\snumber`,
      String.raw`(?:\d{2})?\d{6}[-+ ]?\d{4}`,
    ),
    valid: personnummer,
    checked: true,
  },
  {
    label: 'a Brazilian CPF',
    pattern: cued('CPF', String.raw`\d{3}\.?\d{3}\.?\d{3}-?\d{2}`),
    valid: cpf,
    checked: false,
  },
  {
    label: 'a provincial health card number',
    pattern: cued(
      String.raw`OHIP(?:[ _-]?(?:number|no\.?|#))?|health[ _-]card(?:[ _-](?:number|no\.?|#))?|carte\sd'assurance[ -]maladie|RAMQ|PHN`,
      String.raw`\d{4}[- ]?\d{3}[- ]?\d{3}`,
    ),
    valid: healthCard,
    checked: true,
  },
  {
    label: 'an Australian Medicare number',
    pattern: cued(
      String.raw`medicare(?:[ _-](?:card|number|no\.?|#))*`,
      String.raw`[2-6]\d{3}[ ]?\d{5}[ ]?\d(?:[ /-]?\d)?`,
    ),
    valid: medicareAu,
    checked: true,
  },
  {
    label: 'an Italian tax code (codice fiscale)',
    pattern: cued(
      String.raw`codice[ _-]fiscale|cod\.\s?fisc\.?|C\.F\.|CF`,
      String.raw`[A-Z]{6}\d{2}[A-EHLMPRST]\d{2}[A-Z]\d{3}[A-Z]`,
    ),
    valid: (value) => value === value.toUpperCase(),
    checked: false,
  },
  {
    label: 'an Italian tax code (codice fiscale)',
    pattern: /(?<![A-Za-z0-9])([A-Z]{6}\d{2}[A-EHLMPRST]\d{2}[A-Z]\d{3}[A-Z])(?![A-Za-z0-9])/g,
    valid: codiceFiscale,
    checked: true,
  },
  {
    label: 'a Swiss social security number (AHV/AVS)',
    pattern: cued(
      String.raw`AHV(?:N13|[ _-]?(?:Nr\.?|Nummer))?|AVS(?:[ _-]?(?:n°|no\.?|num[ée]ro))?|NAVS(?:13)?|Sozialversicherungsnummer|SV-?Nr\.?|num[ée]ro\s(?:AVS|d'assur[ée] social)`,
      String.raw`756[.]?\d{4}[.]?\d{4}[.]?\d{2}`,
    ),
    valid: ahv,
    checked: true,
  },
];

/** A value after its cue that is not a run of one digit or a count up (`000000000`, `123456789`). */
function plausible(value: string): boolean {
  const d = digitsOf(value);
  return !sameDigits(d) && !'01234567890123'.includes(d);
}

/** Finds national identifiers; see the module comment. */
export function findNationalIds(text: string, out: RawFinding[]): void {
  for (const id of NATIONAL_IDS) {
    id.pattern.lastIndex = 0;
    for (let m = id.pattern.exec(text); m; m = id.pattern.exec(text)) {
      const value = m[1] ?? '';
      if (id.checked ? !id.valid(value) : !plausible(value)) continue;
      const end = m.index + m[0].length;
      const cue = m[0].slice(0, m[0].length - value.length).trim();
      out.push({
        kind: 'national-health-id',
        label: id.label,
        excerpt: `${cue} ${maskIdentifier(value)}`.trim(),
        start: end - value.length,
        end,
        unit: 'char',
        value,
      });
    }
  }
}
