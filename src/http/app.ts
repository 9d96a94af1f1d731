import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { registerAuthRoutes } from '../accounts/auth-routes.js';
import type { AccountService, AuthServices } from '../accounts/index.js';
import { registerMemberRoutes } from '../accounts/member-routes.js';
import { registerTokenRoutes } from '../accounts/token-routes.js';
import { registerAssessmentRoutes } from '../assessment/assessment-routes.js';
import type { AssessmentService } from '../assessment/index.js';
import { registerCaseExportRoutes } from '../cases/case-export-routes.js';
import { registerCaseRoutes } from '../cases/case-routes.js';
import type { CaseService, ReporterService, SimilarService, WorkflowService } from '../cases/index.js';
import { registerSimilarRoutes } from '../cases/similar-routes.js';
import { registerWorkflowRoutes } from '../cases/workflow-routes.js';
import type { Config } from '../config/index.js';
import { registerConsoleRoutes } from '../console/console-routes.js';
import type { Clock } from '../core/clock.js';
import { type CreditConsentService, registerCreditConsentRoutes } from '../credit-consent/index.js';
import type { Db } from '../db/index.js';
import { registerAdvisoryPortalRoutes } from '../disclosure/advisory-portal-routes.js';
import { registerAdvisoryRoutes } from '../disclosure/advisory-routes.js';
import type { AdvisoryService } from '../disclosure/advisory-service.js';
import { registerArtefactRoutes } from '../disclosure/artefacts-routes.js';
import type { ArtefactService } from '../disclosure/artefacts-service.js';
import type { CoordinatorService } from '../disclosure/coordinators-service.js';
import { registerCsafProviderRoutes } from '../disclosure/csaf-provider-routes.js';
import { registerCustomerRoutes } from '../disclosure/customers-routes.js';
import type { CustomerService } from '../disclosure/customers-service.js';
import { registerSharingRoutes } from '../disclosure/sharing-routes.js';
import type { SharingService } from '../disclosure/sharing-service.js';
import type { IntakeService } from '../intake/index.js';
import { registerIntakeRoutes } from '../intake/intake-routes.js';
import type { MetricsService } from '../metrics/index.js';
import { registerMetricsRoutes } from '../metrics/metrics-routes.js';
import type { KeyService } from '../openpgp/index.js';
import { registerKeyRoutes } from '../openpgp/key-routes.js';
import type { PolicyService } from '../policy/index.js';
import { registerPolicyAdminRoutes } from '../policy/policy-admin-routes.js';
import { registerPolicyRoutes } from '../policy/policy-routes.js';
import { registerPortalRoutes } from '../portal/portal-routes.js';
import {
  type PrivacyEscalationService,
  registerPrivacyEscalationRoutes,
} from '../privacy-escalation/index.js';
import {
  type PrivacyQuarantineService,
  registerPrivacyQuarantineRoutes,
} from '../privacy-quarantine/index.js';
import type { ProgramService } from '../programs/index.js';
import { registerProgramRoutes } from '../programs/program-routes.js';
import { sendJsonError, toErrorBody } from './errors.js';
import { registerHealthRoutes } from './health-routes.js';
import { redactUrl } from './redact.js';

export interface HttpDeps {
  config: Config;
  db: Db;
  clock: Clock;
  programs: ProgramService;
  intake: IntakeService;
  reporter: ReporterService;
  cases: CaseService;
  workflow: WorkflowService;
  similar: SimilarService;
  metrics: MetricsService;
  assessment: AssessmentService;
  accounts: AccountService;
  /** Interactive sign-in: setup/enrolment links, sign-in steps, passkeys and factors. */
  auth: AuthServices;
  keys: KeyService;
  policies: PolicyService;
  /** Privacy escalations of cases whose reporter reached PHI or personal data. */
  privacyEscalations: PrivacyEscalationService;
  /** Consent to public credit, as given by reporters and recorded on their behalf. */
  creditConsents: CreditConsentService;
  /** PHI quarantine review, release and redaction. */
  privacyQuarantine: PrivacyQuarantineService;
  /** Advisories: staff life cycle and the public pages and feeds. */
  advisories: AdvisoryService;
  /** Advisory artefacts: checks, stored CVE records, CVE Services; the CSAF provider reads the store. */
  artefacts: ArtefactService;
  /** Customers (organisations, contacts, subscriptions) and coordinators of each program. */
  customers: CustomerService;
  coordinators: CoordinatorService;
  /** Sharing packages for coordinators and the delivery record of advisories. */
  sharing: SharingService;
  /** Set once shutdown begins: readiness turns false so load balancers drain this instance. */
  isShuttingDown: () => boolean;
}

export type App = FastifyInstance;

/**
 * Build the HTTP application (no `listen()` here: tests call it through `inject()` or a real
 * socket, the entry point listens). Routes are thin: they parse, call a service, reply.
 */
export async function buildHttpApp(
  deps: HttpDeps,
  opts: { logger?: FastifyServerOptions['logger'] } = {},
): Promise<App> {
  const { config } = deps;
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
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    routerOptions: { maxParamLength: 200 },
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
    const { status, body } = toErrorBody(err, request);
    if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ error: body.error, status }, 'request refused');
    const renderHtml = (request.routeOptions.config as { html?: boolean } | undefined)?.html;
    if (renderHtml && app.renderErrorPage) return app.renderErrorPage(request, reply, status, body.message);
    return sendJsonError(reply, status, body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body = {
      error: 'not_found',
      message: 'There is nothing at this address.',
      requestId: String(request.id),
    };
    if (!request.url.startsWith('/api/') && app.renderErrorPage) {
      return app.renderErrorPage(request, reply, 404, 'There is nothing at this address.');
    }
    return sendJsonError(reply, 404, body);
  });

  const rateLimitConfig =
    config.rateLimitPerMinute > 0
      ? { rateLimit: { max: config.rateLimitPerMinute, timeWindow: '1 minute' } }
      : {};

  registerHealthRoutes(app, deps);
  // Sign-in has its own per-address limit on top of the database throttle (per account and address).
  registerAuthRoutes(
    app,
    deps,
    config.rateLimitPerMinute > 0 ? { rateLimit: { max: 60, timeWindow: '1 minute' } } : {},
  );
  registerTokenRoutes(app, deps);
  registerMemberRoutes(app, deps);
  registerProgramRoutes(app, deps);
  registerIntakeRoutes(app, deps, rateLimitConfig);
  registerCaseRoutes(app, deps);
  registerCaseExportRoutes(app, deps);
  registerWorkflowRoutes(app, deps);
  registerSimilarRoutes(app, deps);
  registerMetricsRoutes(app, deps);
  registerAssessmentRoutes(app, deps);
  registerPolicyRoutes(app, deps);
  registerPolicyAdminRoutes(app, deps);
  registerPrivacyEscalationRoutes(app, deps);
  registerCreditConsentRoutes(app, deps);
  registerPrivacyQuarantineRoutes(app, deps);
  registerKeyRoutes(app, deps);
  registerPortalRoutes(app, deps, rateLimitConfig);
  registerAdvisoryRoutes(app, deps);
  registerAdvisoryPortalRoutes(app, deps);
  registerArtefactRoutes(app, deps);
  registerCsafProviderRoutes(app, deps);
  registerCustomerRoutes(app, deps);
  registerSharingRoutes(app, deps);
  registerConsoleRoutes(app);

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    renderErrorPage?: (
      request: FastifyRequest,
      reply: FastifyReply,
      status: number,
      message: string,
    ) => FastifyReply;
  }
  interface FastifyContextConfig {
    html?: boolean;
  }
}
