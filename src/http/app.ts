import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from '../config/index.js';
import { errorForLog, ValidationError } from '../core/index.js';
import { type Db, unavailableReason } from '../db/index.js';
import { sendJsonError, toErrorBody } from './errors.js';
import { type ReadinessProbes, registerHealthRoutes } from './health-routes.js';
import { redactUrl } from './redact.js';

export type App = FastifyInstance;

/** What the HTTP layer itself needs: the capabilities come in through `register`. */
export interface HttpCore {
  config: Config;
  db: Db;
  /** Set once shutdown begins: readiness turns false so load balancers drain this instance. */
  isShuttingDown: () => boolean;
  /** Readiness checks beyond the database (blob store, outbox); without them /readyz asks the database only. */
  probes?: ReadinessProbes;
  /** Told of every answered request: the Prometheus latency histogram and intake counters. */
  observe?: (answered: AnsweredRequest) => void;
}

/** One answered request, as `HttpCore.observe` is told of it. */
export interface AnsweredRequest {
  method: string;
  /** The route pattern (`/p/:slug/report`), never the raw URL; undefined when no route matched. */
  route: string | undefined;
  status: number;
  seconds: number;
  /** The error body's `error` when the error handler (or the router) answered. */
  errorCode?: string;
  params: unknown;
}

export interface HttpOptions {
  logger?: FastifyServerOptions['logger'];
  /** The page for refused or failed HTML routes and unknown addresses (the portal's). */
  renderErrorPage?: (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    message: string,
  ) => FastifyReply;
  /** Registers the capabilities' plugins on the app (the composition root's list). */
  register?: (app: App) => Promise<void>;
  /** Another idle-connection limit than the shipped one (tests use a short one). */
  timeouts?: { idleConnectionMs?: number };
}

/** How long a connection may stay silent (no bytes either way) before it is closed. */
export const IDLE_CONNECTION_MS = 120_000;

/**
 * Build the HTTP application (no `listen()` here: tests call it through `inject()` or a real
 * socket, the entry point listens): parsers, security headers, limits, the OpenAPI document, one
 * error handler and the health routes; then each capability's plugin. Routes are thin: they
 * parse, call a service, reply. Nothing here knows any capability.
 */
export async function buildHttpApp(deps: HttpCore, opts: HttpOptions = {}): Promise<App> {
  const { config } = deps;
  /** The error code each failed request was answered with, for `observe`. */
  const errorCodes = new WeakMap<FastifyRequest, string>();
  // Requests are logged by method, redacted path, status and duration — never bodies, and
  // never the reporter's capability token that sits in /r/<token> paths.
  const serializers = {
    req: (req: { method: string; url: string; id: string }) => ({
      method: req.method,
      url: redactUrl(req.url),
      requestId: req.id,
    }),
    res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
  };
  const logger =
    opts.logger === false
      ? false
      : { level: config.logLevel, ...(typeof opts.logger === 'object' ? opts.logger : {}), serializers };
  const app = Fastify({
    logger,
    trustProxy: config.trustProxy,
    bodyLimit: Math.max(1024 * 1024, config.limits.maxFieldBytes * 4),
    // A connection that sends nothing for two minutes is closed: a client holding sockets open
    // mid-request without sending anything cannot keep them forever. A slow upload is never
    // idle that long. (A client trickling bytes is the reverse proxy's to cut off.)
    connectionTimeout: opts.timeouts?.idleConnectionMs ?? IDLE_CONNECTION_MS,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    routerOptions: { maxParamLength: 200 },
    // The router's own refusals (a broken %-escape, a path segment over maxParamLength) bypass the
    // error handler: answered here in the same shape, instead of Fastify's body echoing the path.
    frameworkErrors: (err, request, reply) => {
      const { status, body } = toErrorBody(err, request);
      errorCodes.set(request, body.error);
      request.log.info({ error: body.error, status }, 'request refused');
      if (!request.url.startsWith('/api/') && opts.renderErrorPage)
        return opts.renderErrorPage(request, reply, status, body.message);
      return sendJsonError(reply, status, body);
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // JSON bodies must be valid UTF-8: a lossy decode would silently alter a report.
  // Only JSON, urlencoded forms and multipart are accepted; plain text is not a report format.
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body: Buffer, done) => {
    if (body.length === 0) {
      done(
        Object.assign(new Error('empty'), { code: 'FST_ERR_CTP_EMPTY_JSON_BODY', statusCode: 400 }),
        undefined,
      );
      return;
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      done(Object.assign(new Error('The request body is not valid UTF-8.'), { statusCode: 400 }), undefined);
      return;
    }
    try {
      done(
        null,
        JSON.parse(text, (k, v) => (k === '__proto__' ? undefined : v)),
      );
    } catch {
      done(Object.assign(new Error('The request body is not valid JSON.'), { statusCode: 400 }), undefined);
    }
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        // Module scripts from this origin only (the report form encrypts in the browser); never
        // inline script. XHR uploads go to this origin too.
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    hsts: config.publicUrl.startsWith('https://') ? { maxAge: 31536000, includeSubDomains: true } : false,
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: config.limits.maxFieldBytes * 4 });
  await app.register(multipart, {
    // Keep the name as sent, so a crafted name with folders is refused rather than trimmed.
    preservePath: true,
    limits: {
      fieldNameSize: 100,
      fieldSize: config.limits.maxFieldBytes,
      fields: config.limits.maxFields,
      // Our blob store enforces the per-file and per-report limits with clear messages; the
      // parser's own limit sits just above as a backstop.
      fileSize: config.limits.maxFileBytes + 1,
      files: config.limits.maxFiles + 1,
      parts: config.limits.maxFields + config.limits.maxFiles + 2,
      headerPairs: 100,
    },
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      message: `Too many submissions from your address: at most ${ctx.max} per ${ctx.after === '1 minute' ? 'minute' : ctx.after}. Try again in ${Math.ceil(ctx.ttl / 1000)} seconds.`,
    }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vigil API',
        version: '1',
        description: 'Coordinated vulnerability disclosure: programs, report intake and case access.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token from `vigil token create`.' },
        },
      },
    },
    transform: jsonSchemaTransform,
    hideUntagged: true,
  });

  app.setErrorHandler((err, request, reply) => {
    const { status, body, headers } = toErrorBody(err, request);
    errorCodes.set(request, body.error);
    if (headers) reply.headers(headers);
    // An outage is logged by its cause only: the whole error adds nothing and can be one per request.
    if (body.error === 'database_unavailable')
      request.log.warn({ error: body.error, status, reason: unavailableReason(err) }, 'database unavailable');
    else if (status >= 500) request.log.error({ err: errorForLog(err) }, 'request failed');
    else request.log.info({ error: body.error, status }, 'request refused');
    const renderHtml = (request.routeOptions.config as { html?: boolean } | undefined)?.html;
    if (renderHtml && opts.renderErrorPage) return opts.renderErrorPage(request, reply, status, body.message);
    return sendJsonError(reply, status, body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body = {
      error: 'not_found',
      message: 'There is nothing at this address.',
      requestId: String(request.id),
    };
    if (!request.url.startsWith('/api/') && opts.renderErrorPage) {
      return opts.renderErrorPage(request, reply, 404, 'There is nothing at this address.');
    }
    return sendJsonError(reply, 404, body);
  });

  // No address here has a NUL in it, and PostgreSQL refuses one in any text it is handed: a slug
  // with %00 made the program lookup fail with 500. Refused at the door, for every route.
  app.addHook('onRequest', async (request) => {
    if (/%00/.test(request.url))
      throw new ValidationError([{ path: 'url', message: 'must not contain a NUL character (%00)' }]);
  });
  // The same for text in a JSON body: no field of any form or API means a NUL, and PostgreSQL
  // refuses it in a lookup (a sign-in email with one answered 500). Named at its path.
  app.addHook('preValidation', async (request) => {
    const at = nulPath(request.body);
    if (at !== undefined)
      throw new ValidationError([{ path: at || 'body', message: 'must not contain a NUL character' }]);
  });

  const observe = deps.observe;
  if (observe) {
    // On the root, before any capability registers, so every route (and every 404) is timed.
    app.addHook('onResponse', async (request, reply) => {
      observe({
        method: request.method,
        route: request.routeOptions.url,
        status: reply.statusCode,
        seconds: reply.elapsedTime / 1000,
        errorCode: errorCodes.get(request),
        params: request.params,
      });
    });
  }
  registerHealthRoutes(app, deps);
  await opts.register?.(app);

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    html?: boolean;
  }
}

/**
 * The dotted path of the first string (or key) holding a NUL in a parsed JSON body, or undefined.
 * Walks with an explicit stack, so a deeply nested body costs memory in proportion to its size,
 * never the call stack.
 */
export function nulPath(body: unknown): string | undefined {
  if (typeof body === 'string') return body.includes('\0') ? '' : undefined;
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body)) return undefined;
  const stack: Array<{ value: unknown; path: string }> = [{ value: body, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string };
    if (typeof value === 'string') {
      if (value.includes('\0')) return path;
    } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path === '' ? key : `${path}.${key}`;
        if (key.includes('\0')) return path || 'body';
        stack.push({ value: child, path: childPath });
      }
    }
  }
  return undefined;
}
