export { type AnsweredRequest, type App, buildHttpApp } from './app.js';
export { attachmentDisposition } from './download.js';
export { OUTBOX_STALE_SECONDS, type ReadinessProbes } from './health-routes.js';
export {
  type FormFields,
  isMultipart,
  multipartParts,
  multipartRefusal,
  readMultipart,
} from './multipart.js';
export { signInRateLimit, submissionRateLimit } from './rate-limits.js';
export { errorBodySchema } from './schemas.js';
