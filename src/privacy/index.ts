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
