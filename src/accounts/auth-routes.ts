import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config/index.js';
import { errorBodySchema } from '../http/index.js';
import type { AccountService } from './accounts.js';
import { ThrottledError } from './auth-errors.js';
import type { AuthServices } from './auth-services.js';
import { sessionCaller } from './http-auth.js';
import { PASSWORD_MAX } from './passwords.js';
import { PENDING_COOKIE, SESSION_COOKIE, type SessionService } from './sessions.js';
import { PENDING_MINUTES } from './sign-in.js';

/**
 * Sign-in, sessions, setup/enrolment links and second factors (docs/staff-api.md). Cookies are
 * HttpOnly, SameSite=Strict and Secure when the public URL is https. Passwords and codes are
 * checked by the services; nothing here logs or echoes them.
 */

const sessionSchema = z.object({
  user: z.object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(['admin', 'member']),
  }),
  csrfToken: z.string().describe('Send as X-CSRF-Token with every POST, PUT, PATCH and DELETE.'),
  expiresAt: z.string().describe('The absolute end of the session.'),
  idleExpiresAt: z.string().describe('When the session ends without another request.'),
  memberships: z.array(
    z.object({ program: z.string(), programName: z.string(), role: z.string(), duties: z.array(z.string()) }),
  ),
});

// WebAuthn JSON as the browser library produces it; the verifier checks the content.
const registrationResponse = z.looseObject({
  id: z.string().max(1024),
  rawId: z.string().max(1024),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: z.string().max(65_536),
    attestationObject: z.string().max(262_144),
    transports: z.array(z.string()).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().optional(),
});
const authenticationResponse = z.looseObject({
  id: z.string().max(1024),
  rawId: z.string().max(1024),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: z.string().max(65_536),
    authenticatorData: z.string().max(65_536),
    signature: z.string().max(65_536),
    userHandle: z.string().max(1024).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().optional(),
});
const webauthnOptions = z.looseObject({ challenge: z.string() });

const code = z.string().trim().min(1).max(64);
const tags = ['auth'];

export function registerAuthRoutes(
  app: FastifyInstance,
  deps: { accounts: AccountService; auth: AuthServices; config: Config },
  signInRateLimit: Record<string, unknown> = {},
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { signIn, enrolment, passkeys } = deps.auth;
  const sessions: SessionService = deps.auth.sessions;
  const secure = deps.config.publicUrl.startsWith('https://');
  const cookieBase = { httpOnly: true, sameSite: 'strict' as const, secure };

  const setSession = (reply: FastifyReply, secret: string, expiresAt: string) =>
    reply.setCookie(SESSION_COOKIE, secret, { ...cookieBase, path: '/', expires: new Date(expiresAt) });
  const clearSession = (reply: FastifyReply) =>
    reply.clearCookie(SESSION_COOKIE, { ...cookieBase, path: '/' });
  const clearPending = (reply: FastifyReply) =>
    reply.clearCookie(PENDING_COOKIE, { ...cookieBase, path: '/api/v1/auth' });
  const pendingOf = (request: FastifyRequest) => request.cookies?.[PENDING_COOKIE];
  const ipOf = (request: FastifyRequest) => request.ip ?? null;

  /** Answer a finished sign-in: the session cookie set, the pending one cleared, the session described. */
  async function signedIn(reply: FastifyReply, s: { secret: string }) {
    const view = await sessions.view(s.secret);
    setSession(reply, s.secret, view.expiresAt);
    clearPending(reply);
    reply.header('Cache-Control', 'no-store');
    return view;
  }

  // A throttled answer says when to come back.
  app.addHook('onError', async (_request, reply, error) => {
    if (error instanceof ThrottledError) reply.header('Retry-After', String(error.retryAfterSeconds));
  });

  // The link's token travels in the request body, never in the path or query: request lines
  // are logged (and kept by proxies), and whoever holds the token becomes that user.
  const linkToken = z.string().max(200).describe('The token after `#` in the setup or enrolment link.');

  r.post(
    '/api/v1/auth/setup/open',
    {
      config: signInRateLimit,
      schema: {
        operationId: 'openSetupLink',
        tags,
        summary: 'What a setup or enrolment link offers: its kind, the email and the TOTP secret to set up',
        description:
          'A POST although it changes nothing, so that the token is in the body rather than the URL.',
        body: z.object({ token: linkToken }),
        response: {
          200: z.object({
            kind: z.enum(['first-admin', 'enrolment']),
            email: z.string().nullable(),
            totpSecret: z.string(),
            otpauthUrl: z.string(),
          }),
          400: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return enrolment.describe(request.body.token);
    },
  );

  r.post(
    '/api/v1/auth/setup/complete',
    {
      config: signInRateLimit,
      schema: {
        operationId: 'completeSetupLink',
        tags,
        summary: 'Use a setup or enrolment link: set the password and TOTP, get recovery codes, sign in',
        body: z.object({
          token: linkToken,
          email: z.string().max(320).optional().describe('Only for the first-admin setup link.'),
          name: z.string().max(200).optional(),
          password: z.string().max(PASSWORD_MAX * 4),
          totpCode: z.string().max(16),
        }),
        response: {
          201: z.object({
            user: sessionSchema.shape.user,
            recoveryCodes: z.array(z.string()),
          }),
          400: errorBodySchema,
          404: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const { token, ...input } = request.body;
      const done = await enrolment.complete(token, input, ipOf(request));
      const view = await sessions.view(done.sessionSecret);
      setSession(reply, done.sessionSecret, view.expiresAt);
      reply.header('Cache-Control', 'no-store');
      return reply.code(201).send({ user: done.user, recoveryCodes: done.recoveryCodes });
    },
  );

  r.post(
    '/api/v1/auth/sign-in',
    {
      config: signInRateLimit,
      schema: {
        operationId: 'signIn',
        tags,
        summary: 'Check email and password; answers which second factors the account can use',
        description:
          'Sets the 5-minute `vigil_pending` cookie for the second step. A wrong email or password is ' +
          'answered with the same 401 after the same work. 429 while the account or address is throttled.',
        body: z.object({ email: z.string().max(320), password: z.string().max(PASSWORD_MAX * 4) }),
        response: {
          200: z.object({
            secondFactor: z.object({
              totp: z.boolean(),
              passkey: z.boolean(),
              recoveryCode: z.literal(true),
            }),
          }),
          400: errorBodySchema,
          401: errorBodySchema,
          429: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const r1 = await signIn.password({ ...request.body, ip: ipOf(request) });
      reply.setCookie(PENDING_COOKIE, r1.pendingSecret, {
        ...cookieBase,
        path: '/api/v1/auth',
        maxAge: PENDING_MINUTES * 60,
      });
      reply.header('Cache-Control', 'no-store');
      return { secondFactor: r1.secondFactor };
    },
  );

  const secondStep = { 200: sessionSchema, 400: errorBodySchema, 401: errorBodySchema, 429: errorBodySchema };

  r.post(
    '/api/v1/auth/sign-in/totp',
    {
      config: signInRateLimit,
      schema: {
        operationId: 'signInTotp',
        tags,
        summary: 'Second factor: a TOTP code (each code is accepted once); opens the session',
        body: z.object({ code }),
        response: secondStep,
      },
    },
    async (request, reply) =>
      signedIn(
        reply,
        await signIn.totp({ pendingSecret: pendingOf(request), code: request.body.code, ip: ipOf(request) }),
      ),
  );

  r.post(
    '/api/v1/auth/sign-in/recovery',
    {
      config: signInRateLimit,
      schema: {
        operationId: 'signInRecoveryCode',
        tags,
        summary: 'Second factor: a recovery code, spent by this sign-in; opens the session',
        body: z.object({ code }),
        response: secondStep,
      },
    },
    async (request, reply) =>
      signedIn(
        reply,
        await signIn.recovery({
          pendingSecret: pendingOf(request),
          code: request.body.code,
          ip: ipOf(request),
        }),
      ),
  );

  r.post(
    '/api/v1/auth/sign-in/passkey/options',
    {
      config: signInRateLimit,
      schema: {
        operationId: 'signInPasskeyOptions',
        tags,
        summary: 'WebAuthn request options (PublicKeyCredentialRequestOptionsJSON) for the pending user',
        response: { 200: webauthnOptions, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return { ...(await signIn.passkeyOptions({ pendingSecret: pendingOf(request) })) };
    },
  );

  r.post(
    '/api/v1/auth/sign-in/passkey',
    {
      config: signInRateLimit,
      schema: {
        operationId: 'signInPasskey',
        tags,
        summary: 'Second factor: a passkey assertion (AuthenticationResponseJSON); opens the session',
        body: authenticationResponse,
        response: secondStep,
      },
    },
    async (request, reply) =>
      signedIn(
        reply,
        await signIn.passkey({
          pendingSecret: pendingOf(request),
          response: request.body as never,
          ip: ipOf(request),
        }),
      ),
  );

  r.get(
    '/api/v1/auth/session',
    {
      schema: {
        operationId: 'getSession',
        tags,
        summary:
          'The current console session (user, CSRF token, expiry, memberships); refreshes the idle timer',
        response: { 200: sessionSchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      await sessionCallerOr401(request);
      reply.header('Cache-Control', 'no-store');
      return sessions.view(request.cookies[SESSION_COOKIE] as string);
    },
  );

  /** The session caller of a console request (a bearer header is not a session here: 401). */
  async function sessionCallerOr401(request: FastifyRequest) {
    const secret = request.cookies?.[SESSION_COOKIE];
    const csrf = request.headers['x-csrf-token'];
    return deps.accounts.authenticateSession(secret, {
      method: request.method,
      csrf: typeof csrf === 'string' ? csrf : undefined,
    });
  }

  r.post(
    '/api/v1/auth/sign-out',
    {
      schema: {
        operationId: 'signOut',
        tags,
        summary: 'End the console session and clear its cookie',
        response: { 204: z.null(), 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request, reply) => {
      const caller = await sessionCallerOr401(request);
      await signIn.signOut(caller);
      clearSession(reply);
      return reply.code(204).send(null);
    },
  );

  /* ---- second factors of the signed-in user ---- */

  r.get(
    '/api/v1/auth/factors',
    {
      schema: {
        operationId: 'getFactors',
        tags,
        summary: "The signed-in user's second factors",
        response: {
          200: z.object({
            totp: z.boolean(),
            passkeys: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                createdAt: z.string(),
                lastUsedAt: z.string().nullable(),
              }),
            ),
            recoveryCodesLeft: z.number(),
          }),
          401: errorBodySchema,
          403: errorBodySchema,
        },
      },
    },
    async (request) => passkeys.factors(await sessionCaller(deps.accounts, request)),
  );

  r.post(
    '/api/v1/auth/passkeys/options',
    {
      schema: {
        operationId: 'startPasskeyRegistration',
        tags,
        summary: 'WebAuthn creation options (PublicKeyCredentialCreationOptionsJSON) to add a passkey',
        response: { 200: webauthnOptions, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return { ...(await passkeys.registrationOptions(await sessionCaller(deps.accounts, request))) };
    },
  );

  r.post(
    '/api/v1/auth/passkeys',
    {
      schema: {
        operationId: 'addPasskey',
        tags,
        summary: 'Add a passkey from the authenticator answer (RegistrationResponseJSON)',
        body: z.object({ name: z.string().trim().min(1).max(100), response: registrationResponse }),
        response: {
          201: z.object({ id: z.string(), name: z.string() }),
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const caller = await sessionCaller(deps.accounts, request);
      const added = await passkeys.register(caller, {
        name: request.body.name,
        response: request.body.response as never,
      });
      return reply.code(201).send(added);
    },
  );

  r.delete(
    '/api/v1/auth/passkeys/:id',
    {
      schema: {
        operationId: 'removePasskey',
        tags,
        summary: 'Remove one of your passkeys',
        params: z.object({ id: z.string().max(64) }),
        response: { 204: z.null(), 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      await passkeys.remove(await sessionCaller(deps.accounts, request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/v1/auth/recovery-codes',
    {
      schema: {
        operationId: 'replaceRecoveryCodes',
        tags,
        summary: 'Ten new recovery codes, replacing the old set (shown once)',
        response: {
          201: z.object({ recoveryCodes: z.array(z.string()) }),
          401: errorBodySchema,
          403: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const codes = await passkeys.replaceRecoveryCodes(await sessionCaller(deps.accounts, request));
      reply.header('Cache-Control', 'no-store');
      return reply.code(201).send({ recoveryCodes: codes });
    },
  );
}
