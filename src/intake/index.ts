export { type Answers, type AnswerValue, checkAnswers, fieldFor } from './answers.js';
export { sanitizeFilename } from './filenames.js';
export {
  type Channel,
  createIntakeService,
  type IntakeService,
  type Receipt,
  type Submission,
} from './intake-service.js';
export { type IntakeRouteDeps, intakePlugin } from './plugin.js';
export type { IncomingFile } from './staged-files.js';
