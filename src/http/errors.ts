import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type FieldProblem, VigilError } from '../core/index.js';
import { isDatabaseUnavailable } from '../db/index.js';

/** The one error body of the API: `{ error, message, fields?, requestId }`. */
export interface ErrorBody {
  error: string;
  message: string;
  fields?: FieldProblem[];
  requestId: string;
}

/** Messages for the framework's own refusals, phrased for the person who sent the request. */
const FRAMEWORK: Record<string, { status: number; error: string; message: string }> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    error: 'empty_body',
    message: 'The request body is empty; send a JSON object.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    error: 'unsupported_media_type',
    message: 'Unsupported Content-Type; send application/json or multipart/form-data.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    error: 'payload_too_large',
    message: 'The request body is larger than the limit.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    error: 'bad_request',
    message: 'The Content-Length does not match the body.',
  },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    status: 415,
    error: 'unsupported_media_type',
    message: 'Send the form as multipart/form-data.',
  },
  FST_FIELDS_LIMIT: {
    status: 413,
    error: 'payload_too_large',
    message: 'Too many form fields in one submission.',
  },
  FST_PARTS_LIMIT: { status: 413, error: 'payload_too_large', message: 'Too many parts in one submission.' },
  FST_FILES_LIMIT: {
    status: 413,
    error: 'payload_too_large',
    message: 'Too many attachments in one submission.',
  },
  FST_REQ_FILE_TOO_LARGE: {
    status: 413,
    error: 'payload_too_large',
    message: 'An attachment is larger than the limit per file.',
  },
  FST_ERR_BAD_URL: {
    status: 400,
    error: 'bad_request',
    message: 'The address is not valid: it holds a broken %-escape.',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    error: 'uri_too_long',
    message: 'A part of the address (between two slashes) is longer than this server accepts.',
  },
  FST_PROTO_VIOLATION: {
    status: 400,
    error: 'bad_request',
    message: 'The form contains a forbidden field name.',
  },
};

/**
 * Seconds a client is asked to wait when the database is unreachable: about what a PostgreSQL
 * restart takes, so a retry right after usually succeeds.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Map any error to a status and body (and the headers that go with it); unknown errors get a
 * generic message (details go to the log).
 */
export function toErrorBody(
  err: unknown,
  request: FastifyRequest,
): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  const requestId = String(request.id);
  if (isDatabaseUnavailable(err)) {
    // Not the request's fault and not a bug: the same request succeeds once the database is back.
    // The commit may or may not have happened if the connection broke during it, so the message
    // promises nothing about what was stored.
    return {
      status: 503,
      headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) },
      body: {
        error: 'database_unavailable',
        message: `The service cannot reach its database at the moment, so this request was not completed. Try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`,
        requestId,
      },
    };
  }
  if (err instanceof VigilError) {
    const fields = 'fields' in err ? (err as { fields: FieldProblem[] }).fields : undefined;
    // A refusal for now (e.g. the decryption budget is spent) says when to come back.
    const retryAfter = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    return {
      status: err.status,
      ...(typeof retryAfter === 'number'
        ? { headers: { 'retry-after': String(Math.ceil(retryAfter)) } }
        : {}),
      body: { error: err.code, message: err.message, ...(fields ? { fields } : {}), requestId },
    };
  }
  const fe = err as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fe)) {
    const at = (instancePath: string, ...more: string[]) =>
      [fe.validationContext === 'body' ? '' : fe.validationContext, ...instancePath.split('/'), ...more]
        .filter(Boolean)
        .join('.');
    const fields = fe.validation.flatMap((v) => {
      const instancePath = String(v.instancePath ?? '');
      // A strict body's unknown keys sit on the object that holds them: name each key instead,
      // so `{ phone }` sent where no phone is taken answers at `phone`, not at the whole body.
      const keys = (v.params as { keys?: unknown } | undefined)?.keys;
      if (v.keyword === 'unrecognized_keys' && Array.isArray(keys))
        return keys.map((key) => ({ path: at(instancePath, String(key)), message: 'is not a known field' }));
      return [{ path: at(instancePath), message: v.message ?? 'is not valid' }];
    });
    return {
      status: 400,
      body: {
        error: 'validation_failed',
        message: fields.map((f) => `${f.path || 'body'}: ${f.message}`).join('\n'),
        fields,
        requestId,
      },
    };
  }
  const known = fe?.code ? FRAMEWORK[fe.code] : undefined;
  if (known) return { status: known.status, body: { error: known.error, message: known.message, requestId } };
  if (fe?.statusCode === 429) {
    return { status: 429, body: { error: 'rate_limited', message: fe.message, requestId } };
  }
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Other framework 4xx (e.g. a JSON syntax error): safe to pass on, they describe the request.
    return { status: fe.statusCode, body: { error: 'bad_request', message: fe.message, requestId } };
  }
  return {
    status: 500,
    body: {
      error: 'internal_error',
      message: 'An unexpected error occurred; it has been logged. Nothing was stored.',
      requestId,
    },
  };
}

/** Send an error as JSON (API) — portal routes render their own page from the same mapping. */
export function sendJsonError(reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}
