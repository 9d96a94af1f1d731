export {
  availableLanguages,
  type Catalogues,
  catalogueLanguage,
  createTranslator,
  type MessageKey,
  negotiateLanguage,
  staffTranslator,
  type Translate,
} from './translate.js';
