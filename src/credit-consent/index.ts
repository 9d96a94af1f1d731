/** Consent to public credit: given, withdrawn and recorded on the reporter's behalf, with its history. */
export {
  type ConsentChoice,
  type ConsentVia,
  type CreditStatus,
  checkCreditText,
  consentFromAnswers,
  creditsOffered,
} from './consent.js';
export { registerCreditConsentRoutes } from './consent-routes.js';
export {
  type ConsentView,
  type CreditConsentService,
  createCreditConsentService,
  creditStatuses,
  writeConsent,
} from './consent-service.js';
export { type CreditCommand, parseCreditCommand } from './credit-command.js';
export { type CreditConsentRouteDeps, creditConsentPlugin } from './plugin.js';
