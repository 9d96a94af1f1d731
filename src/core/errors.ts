/**
 * Typed errors shared by every capability. The HTTP layer maps each to one status code and
 * the common error body `{ error, message, fields?, requestId }`; the CLI maps them to exit codes.
 */

/** One problem with one input field, addressed by its dotted path (e.g. `deadlines.acknowledge.businessDays`). */
export interface FieldProblem {
  path: string;
  message: string;
}

export class VigilError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
  }
}

/** Input that breaks the rules: `400` with one entry per bad field. */
export class ValidationError extends VigilError {
  readonly fields: FieldProblem[];
  constructor(fields: FieldProblem[], message = describeProblems(fields)) {
    super(400, 'validation_failed', message);
    this.fields = fields;
  }
}

export class NotFoundError extends VigilError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

export class UnauthorizedError extends VigilError {
  constructor(message = 'A valid API token is required: send it as "Authorization: Bearer <token>".') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends VigilError {
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

export class ConflictError extends VigilError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

/** A body, a file or a count over the configured limits: `413`. */
export class PayloadTooLargeError extends VigilError {
  constructor(message: string) {
    super(413, 'payload_too_large', message);
  }
}

export class UnsupportedMediaTypeError extends VigilError {
  constructor(message: string) {
    super(415, 'unsupported_media_type', message);
  }
}

/** Summarise field problems in one sentence-per-problem message, e.g. for CLI output. */
export function describeProblems(fields: FieldProblem[]): string {
  if (fields.length === 0) return 'The input is not valid.';
  return fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('\n');
}
