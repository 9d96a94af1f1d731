import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import type { RequestBody, ResponseBody } from './api/types.js';

/**
 * The WebAuthn JSON between the API and @simplewebauthn/browser. The API documents the options it
 * sends as open objects with a `challenge`: they are the W3C's JSON shapes, made by
 * @simplewebauthn/server and checked again by it when the credential comes back, so their full
 * types belong to the library, not to the OpenAPI document. These two conversions are the only
 * place the console takes a shape on trust.
 */
export const creationOptions = (
  options: ResponseBody<'/api/v1/auth/passkeys/options', 'post'>,
): PublicKeyCredentialCreationOptionsJSON => options as unknown as PublicKeyCredentialCreationOptionsJSON;

export const requestOptions = (
  options: ResponseBody<'/api/v1/auth/sign-in/passkey/options', 'post'>,
): PublicKeyCredentialRequestOptionsJSON => options as unknown as PublicKeyCredentialRequestOptionsJSON;

/** A new passkey's attestation as the API's body takes it (checked against its documented fields). */
export const registrationBody = (
  r: RegistrationResponseJSON,
): RequestBody<'/api/v1/auth/passkeys', 'post'>['response'] => ({
  ...r,
  response: { ...r.response },
  clientExtensionResults: { ...r.clientExtensionResults },
});

/** A passkey's assertion as the API's body takes it (checked against its documented fields). */
export const authenticationBody = (
  r: AuthenticationResponseJSON,
): RequestBody<'/api/v1/auth/sign-in/passkey', 'post'> => ({
  ...r,
  response: { ...r.response },
  clientExtensionResults: { ...r.clientExtensionResults },
});
