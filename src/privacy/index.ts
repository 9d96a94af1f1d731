export { type AccessStatement, findAccessStatements, STATEMENT_LANGUAGES } from './access-statement.js';
export { containsPhi, detectPhi } from './phi-detect.js';
export type {
  PhiBytesInput,
  PhiDetectOptions,
  PhiFinding,
  PhiInput,
  PhiKind,
  PhiResult,
  PhiTextInput,
  ReporterContact,
} from './types.js';
export { PHI_KINDS } from './types.js';
