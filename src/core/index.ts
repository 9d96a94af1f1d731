export { base64LineSegments, decodeBase64Lines } from './base64.js';
export { type Clock, systemClock } from './clock.js';
export { errorCode, fsyncDir, readdirIfExists } from './durable-fs.js';
export {
  ConflictError,
  describeProblems,
  type FieldProblem,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
  VigilError,
} from './errors.js';
export { newId } from './ids.js';
export { chunksOf, type IncomingFile, streamOf } from './incoming-file.js';
export { describeError, errorForLog, type WorkerLogger } from './job-log.js';
export { packageRoot } from './package-root.js';
export { formatInstant, yearIn } from './time-format.js';
export { zodProblems } from './zod-problems.js';
