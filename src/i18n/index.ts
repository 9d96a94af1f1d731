export {
  availableLanguages,
  createTranslator,
  type MessageKey,
  negotiateLanguage,
  type Translate,
} from './translate.js';
