import { en, type MessageKey } from './en.js';

export type { MessageKey };
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** Catalogues by language; English is complete, others may leave messages out. */
export type Catalogues = Readonly<Record<string, Partial<Record<MessageKey, string>>>>;

const catalogues: Catalogues = { en };

/** Languages for which a catalogue exists. */
export function availableLanguages(): string[] {
  return Object.keys(catalogues);
}

/**
 * A translator for a language (falling back to English per message). `{name}` placeholders are
 * filled from `vars`; a message written `singular|plural` picks by the `n` variable.
 */
export function createTranslator(lang: string, available: Catalogues = catalogues): Translate {
  const primary = available[lang] ?? available[lang.split('-')[0] ?? 'en'] ?? en;
  return (key, vars = {}) => {
    let msg: string = primary[key] ?? en[key];
    if (msg.includes('|') && typeof vars.n === 'number') {
      const [one, many] = msg.split('|');
      msg = (vars.n === 1 ? one : many) ?? msg;
    }
    return msg.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  };
}

/** The language whose catalogue `createTranslator(lang)` uses: `lang`, its primary subtag, else English. */
export function catalogueLanguage(lang: string, available: Catalogues = catalogues): string {
  if (available[lang]) return lang;
  const primary = lang.split('-')[0] ?? 'en';
  return available[primary] ? primary : 'en';
}

/**
 * The translator for a program's staff mails: its first listed language, falling back to
 * English. `lang` is the catalogue's language, for formatting dates in the same language as the
 * words around them.
 */
export function staffTranslator(
  languages: readonly string[],
  available: Catalogues = catalogues,
): { t: Translate; lang: string } {
  const lang = catalogueLanguage(languages[0] ?? 'en', available);
  return { t: createTranslator(lang, available), lang };
}

/** Pick the best available language among the program's languages for an Accept-Language header. */
export function negotiateLanguage(acceptLanguage: string | undefined, offered: string[]): string {
  const fallback = offered[0] ?? 'en';
  if (!acceptLanguage) return fallback;
  const wanted = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q) : 1 };
    })
    .filter((w) => w.tag && !Number.isNaN(w.q))
    .sort((a, b) => b.q - a.q);
  for (const w of wanted) {
    const hit = offered.find((o) => o.toLowerCase() === w.tag || o.toLowerCase() === w.tag.split('-')[0]);
    if (hit) return hit;
  }
  return fallback;
}
