export { type App, buildHttpApp } from './app.js';
export { attachmentDisposition } from './download.js';
export {
  type FormFields,
  isMultipart,
  multipartParts,
  multipartRefusal,
  readMultipart,
} from './multipart.js';
export { signInRateLimit, submissionRateLimit } from './rate-limits.js';
export { errorBodySchema } from './schemas.js';
