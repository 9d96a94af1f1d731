import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fstatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ReporterService } from '../cases/index.js';
import type { Config } from '../config/index.js';
import {
  type FieldProblem,
  NotFoundError,
  PayloadTooLargeError,
  packageRoot,
  ValidationError,
  VigilError,
} from '../core/index.js';
import type { CreditConsentService } from '../credit-consent/index.js';
import { attachmentDisposition, type FormFields, isMultipart, readMultipart } from '../http/index.js';
import { createTranslator, negotiateLanguage, type Translate } from '../i18n/index.js';
import {
  type IntakePause,
  type IntakeService,
  ProofRejectedError,
  WaitLongerError,
} from '../intake/index.js';
import type { KeyService } from '../openpgp/index.js';
import type { PolicyService } from '../policy/index.js';
import { DISCLOSURE_POLICY } from '../policy/index.js';
import type { Program, ProgramService } from '../programs/index.js';
import { answersAsFormValues, readEncryptedSubmission } from './encrypted-submission.js';
import { html, type SafeHtml } from './html.js';
import { type CreditPanel, casePage } from './views/case-page.js';
import { errorPage } from './views/error-page.js';
import { intakePausedNotice } from './views/intake-paused.js';
import { layout } from './views/layout.js';
import { policyPage, policyPath } from './views/policy-page.js';
import { programIndex, programPage } from './views/program.js';
import { type FormValues, reportForm } from './views/report-form.js';

/**
 * The browser build of OpenPGP.js, served from this origin (the CSP allows no other script
 * source). Its version is part of the URL, so it can be cached for good.
 */
function openpgpBrowserBuild(): { file: string; url: string } {
  const entry = createRequire(import.meta.url).resolve('openpgp');
  const dir = path.resolve(path.dirname(entry), '..', '..');
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return {
    file: path.join(dir, 'dist', 'openpgp.min.mjs'),
    url: `/assets/vendor/openpgp-${version}.min.mjs`,
  };
}

/**
 * The public portal: server-rendered pages that work without JavaScript. Each handler reads
 * through the same services as the API; nothing here touches the database directly.
 */
/**
 * The portal's page for a refusal or failure of a route that answers HTML (`config.html`), and
 * for addresses that do not exist: the error in the visitor's language, never a stack trace. The
 * app's one error handler calls it (see `buildHttpApp`).
 */
export function renderErrorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
) {
  const lang = negotiateLanguage(request.headers['accept-language'], ['en']);
  const t = createTranslator(lang);
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(layout({ t, lang, title: `${status}`, body: errorPage(t, status, message), private: true }).value);
}

export function registerPortalRoutes(
  app: FastifyInstance,
  deps: {
    programs: ProgramService;
    intake: IntakeService;
    reporter: ReporterService;
    config: Config;
    keys: KeyService;
    policies: PolicyService;
    creditConsents: CreditConsentService;
  },
  rateLimit: object,
): void {
  const { limits, publicUrl } = deps.config;
  const langFor = (request: FastifyRequest, program?: Program) =>
    negotiateLanguage(request.headers['accept-language'], program?.definition.languages ?? ['en']);

  const send = (reply: FastifyReply, page: SafeHtml, status = 200) =>
    reply.code(status).type('text/html; charset=utf-8').send(page.value);

  app.register(fstatic, {
    root: path.join(packageRoot(), 'src', 'portal', 'assets'),
    prefix: '/assets/',
    index: false,
    maxAge: '1h',
  });

  // The PHI guard's browser bundle (built by Vite into dist/portal): served with the other
  // assets' headers, and added to the report form only when it was built.
  const phiGuardDir = path.join(packageRoot(), 'dist', 'portal');
  const phiGuard = fs.existsSync(path.join(phiGuardDir, 'phi-guard.js'));
  if (phiGuard) {
    app.get('/assets/phi-guard.js', (_request, reply) => reply.sendFile('phi-guard.js', phiGuardDir));
  }

  const openpgpBuild = openpgpBrowserBuild();
  app.get(openpgpBuild.url, async (_request, reply) =>
    reply
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .type('text/javascript; charset=utf-8')
      .send(fs.createReadStream(openpgpBuild.file)),
  );

  /**
   * The report form; with the program's published key embedded for the browser to encrypt to
   * (no extra request, and the key arrives with the page it protects).
   */
  const formPage = async (
    t: Translate,
    lang: string,
    program: Program,
    values?: FormValues,
    problems?: FieldProblem[],
    topError?: string,
    waitToken?: string,
  ) => {
    const key = await deps.keys.publishedKey(program.id);
    // Every form carries the flood gate's token (when it was served); proof-of-work.js solves a
    // challenge before sending when the program is busy.
    const gate = {
      waitToken: waitToken ?? (await deps.intake.gate.waitToken(program)),
      challengeUrl: `/api/v1/programs/${program.slug}/challenge`,
    };
    const encryption = key
      ? { fingerprint: key.fingerprint, armored: key.armored, openpgpUrl: openpgpBuild.url }
      : undefined;
    return layout({
      t,
      lang,
      title: t('program.report'),
      crumbs: [{ href: `/p/${program.slug}`, label: program.definition.name }],
      // The PHI guard first: its submit check must run before report-form.js encrypts.
      scripts: [
        ...(phiGuard ? ['/assets/phi-guard.js'] : []),
        '/assets/proof-of-work.js',
        ...(encryption ? ['/assets/report-form.js'] : []),
      ],
      body: reportForm(t, program, limits, values, problems, topError, encryption, gate),
    });
  };

  /** The form's page while the program is paused: its message in place of the form. */
  const pausedPage = (t: Translate, lang: string, program: Program, pause: IntakePause) =>
    layout({
      t,
      lang,
      title: t('paused.heading'),
      crumbs: [{ href: `/p/${program.slug}`, label: program.definition.name }],
      body: html`<h1>${t('form.heading', { vendor: program.definition.vendor.name })}</h1>${intakePausedNotice(t, program, pause)}`,
    });

  /** Why a gate refused the form, in words for the reporter, with the other way to report when there is one. */
  const gateRefusal = (t: Translate, program: Program, err: WaitLongerError | ProofRejectedError) => {
    const email = program.definition.intake.emailAddresses?.[0];
    const why =
      err instanceof WaitLongerError
        ? t('form.wait.explain', { seconds: String(err.retryAfterSeconds), send: t('form.submit') })
        : t('form.proof.rejected', { reason: err.message });
    return email ? `${why} ${t('form.wait.email', { address: email })}` : why;
  };

  app.get('/', { config: { html: true } }, async (request, reply) => {
    const lang = langFor(request);
    const t = createTranslator(lang);
    const programs = await deps.programs.list();
    return send(reply, layout({ t, lang, title: t('index.heading'), body: programIndex(t, programs) }));
  });

  app.get<{ Params: { slug: string } }>('/p/:slug', { config: { html: true } }, async (request, reply) => {
    const program = await deps.programs.get(request.params.slug);
    const lang = langFor(request, program);
    const t = createTranslator(lang);
    const key = await deps.keys.publishedKey(program.id);
    // A published, governed policy is the program's policy link; otherwise the definition's.
    const governed = await deps.policies.hasPublished(program.id, DISCLOSURE_POLICY);
    const shown = governed
      ? {
          ...program,
          definition: {
            ...program.definition,
            policy: { ...program.definition.policy, url: `${publicUrl}${policyPath(program.slug)}` },
          },
        }
      : program;
    const pause = await deps.intake.pauses.pauseOf(program);
    const page = programPage(t, shown, key?.fingerprint, await deps.keys.keyHistory(program.id));
    const body = pause ? html`${intakePausedNotice(t, program, pause)}${page}` : page;
    return send(reply, layout({ t, lang, title: program.definition.name, body }));
  });

  /** The published policy (current, or an older published version at its own stable address). */
  const policyHandler = async (
    request: FastifyRequest<{ Params: { slug: string; version?: string } }>,
    reply: FastifyReply,
  ) => {
    const program = await deps.programs.get(request.params.slug);
    const policy = await deps.policies.publicPolicy(program, DISCLOSURE_POLICY, request.params.version);
    if (!policy) throw new NotFoundError('There is nothing at this address.');
    const lang = langFor(request, program);
    const t = createTranslator(lang);
    return send(
      reply,
      layout({
        t,
        lang,
        title: `${policy.title} ${policy.version}`,
        crumbs: [{ href: `/p/${program.slug}`, label: program.definition.name }],
        body: policyPage(program, policy),
      }),
    );
  };
  app.get('/p/:slug/policy', { config: { html: true } }, policyHandler);
  app.get('/p/:slug/policy/v/:version', { config: { html: true } }, policyHandler);

  app.get<{ Params: { slug: string } }>(
    '/p/:slug/report',
    { config: { html: true } },
    async (request, reply) => {
      const program = await deps.programs.get(request.params.slug);
      const lang = langFor(request, program);
      const t = createTranslator(lang);
      const pause = await deps.intake.pauses.pauseOf(program);
      if (pause) return send(reply, pausedPage(t, lang, program, pause));
      return send(reply, await formPage(t, lang, program));
    },
  );

  app.post<{ Params: { slug: string }; Querystring: { encrypted?: string; proof?: string; wait?: string } }>(
    '/p/:slug/report',
    { config: { html: true, ...rateLimit } },
    async (request, reply) => {
      const found = await deps.programs.get(request.params.slug);
      const lang = langFor(request, found);
      const t = createTranslator(lang);
      // Paused: the notice, and nothing read or kept (the intake service refuses as well).
      const pause = await deps.intake.pauses.pauseOf(found);
      if (pause) {
        await drainBody(request);
        return send(reply, pausedPage(t, lang, found, pause), 503);
      }
      // Busy: a solved challenge (proof-of-work.js) or a form open long enough (no script). Refused
      // before anything is staged; the answers come back in the form (files must be chosen again).
      const { proof, wait } = request.query;
      let pass: { spent: boolean };
      try {
        pass = await deps.intake.gate.admit(found, request.ip, { proof, waitToken: wait }, 'web');
      } catch (err) {
        if (!(err instanceof WaitLongerError || err instanceof ProofRejectedError)) throw err;
        const values = await drainBody(request);
        const token = err instanceof WaitLongerError ? err.token : undefined;
        if (err instanceof WaitLongerError) reply.header('Retry-After', String(err.retryAfterSeconds));
        return send(
          reply,
          await formPage(t, lang, found, values, [], gateRefusal(t, found, err), token),
          err.status,
        );
      }
      const submission = await deps.intake.begin(request.params.slug);
      const program = submission.program;
      let fields: FormFields = {};
      let answers: Record<string, unknown> | undefined;
      try {
        if (request.query.encrypted === '1') {
          // Encrypted in the browser (report-form.js): the wire format is described in
          // encrypted-submission.ts. The decrypted answers fill a refused form in again.
          answers = await readEncryptedSubmission(request, submission, { keys: deps.keys, limits }, (a) => {
            fields = answersAsFormValues(a);
          });
        } else if (isMultipart(request)) {
          fields = await readMultipart(request, {
            maxFieldBytes: limits.maxFieldBytes,
            maxFields: limits.maxFields,
            onFile: (file) => submission.addAttachment(file),
          });
        } else {
          // A form posted without files (urlencoded) is accepted too.
          fields = (request.body ?? {}) as FormFields;
          if (Object.keys(fields).length > limits.maxFields) {
            throw new PayloadTooLargeError(
              `Too many form fields: at most ${limits.maxFields} per submission.`,
            );
          }
        }
        // The address is counted in the report's own transaction (intake-gate.ts, `arrival`).
        const receipt = await submission.commit(answers ?? fields, {
          channel: 'web',
          language: lang,
          countFrom: request.ip,
        });
        return reply.code(303).header('Location', `/r/${receipt.reporterToken}?received=1`).send();
      } catch (err) {
        await submission.abort();
        if (err instanceof ValidationError || err instanceof PayloadTooLargeError) {
          const status = err.status;
          const problems = err instanceof ValidationError ? err.fields : [];
          const top = err instanceof PayloadTooLargeError ? err.message : undefined;
          // A proof spent on a refused form is handed back as a form that has waited already.
          const token = pass.spent ? await deps.intake.gate.waitToken(program, { waited: true }) : undefined;
          return send(reply, await formPage(t, lang, program, fields, problems, top, token), status);
        }
        throw err;
      }
    },
  );

  const caseHeaders = (reply: FastifyReply) =>
    reply.header('Cache-Control', 'no-store').header('X-Robots-Tag', 'noindex, nofollow');

  /** The reporter's credit panel: where they stand, and what they just sent when it was refused. */
  const creditPanel = async (token: string, attempt?: CreditPanel['attempt']): Promise<CreditPanel> => {
    const { row, program } = await deps.reporter.caseOf(token);
    return { ...(await deps.creditConsents.reporterView(program, row)), ...(attempt ? { attempt } : {}) };
  };

  app.get<{ Params: { token: string }; Querystring: { received?: string; sent?: string; credit?: string } }>(
    '/r/:token',
    { config: { html: true } },
    async (request, reply) => {
      const view = await deps.reporter.view(request.params.token);
      const credit = await creditPanel(request.params.token);
      const lang = langFor(request, view.program);
      const t = createTranslator(lang);
      caseHeaders(reply);
      const key = await deps.keys.publishedKey(view.program.id);
      const receipt =
        request.query.received === '1'
          ? { reporterUrl: `${publicUrl}/r/${request.params.token}`, keyFingerprint: key?.fingerprint }
          : undefined;
      return send(
        reply,
        layout({
          t,
          lang,
          private: true,
          title: t('case.heading', { caseNumber: view.caseNumber }),
          crumbs: [{ href: `/p/${view.program.slug}`, label: view.program.definition.name }],
          body: casePage(t, lang, request.params.token, view, {
            receipt,
            sent: request.query.sent === '1',
            credit,
            creditSaved: request.query.credit === '1',
          }),
        }),
      );
    },
  );

  app.post<{ Params: { token: string } }>(
    '/r/:token/messages',
    { config: { html: true, ...rateLimit } },
    async (request, reply) => {
      const { token } = request.params;
      const message = await deps.reporter.beginMessage(token);
      try {
        let body = '';
        if (isMultipart(request)) {
          const fields = await readMultipart(request, {
            maxFieldBytes: limits.maxFieldBytes,
            maxFields: 4,
            onFile: (file) => message.addAttachment(file),
          });
          body = typeof fields.message === 'string' ? fields.message : '';
        } else {
          const f = (request.body ?? {}) as FormFields;
          body = typeof f.message === 'string' ? f.message : '';
        }
        await message.commit(body);
        return reply.code(303).header('Location', `/r/${token}?sent=1`).send();
      } catch (err) {
        await message.abort();
        if (err instanceof VigilError && err.status < 500 && err.status !== 404) {
          const view = await deps.reporter.view(token);
          const lang = langFor(request, view.program);
          const t = createTranslator(lang);
          caseHeaders(reply);
          const msg =
            err instanceof ValidationError
              ? err.fields.map((f) => `${f.path}: ${f.message}`).join(' ')
              : err.message;
          return send(
            reply,
            layout({
              t,
              lang,
              private: true,
              title: t('case.heading', { caseNumber: view.caseNumber }),
              body: casePage(t, lang, token, view, { error: msg }),
            }),
            err.status,
          );
        }
        throw err;
      }
    },
  );

  // The reporter gives or withdraws consent to public credit from their private page (no script needed).
  app.post<{ Params: { token: string } }>(
    '/r/:token/credit',
    { config: { html: true, ...rateLimit } },
    async (request, reply) => {
      const { token } = request.params;
      const { row, program } = await deps.reporter.caseOf(token);
      const f = (request.body ?? {}) as FormFields;
      const choice = typeof f.choice === 'string' ? f.choice : undefined;
      const text = typeof f.text === 'string' ? f.text : undefined;
      const lang = langFor(request, program);
      const t = createTranslator(lang);
      try {
        if (choice !== 'given' && choice !== 'declined')
          throw new ValidationError([{ path: 'choice', message: t('credit.choose') }]);
        await deps.creditConsents.setByReporter(program, row, { choice, text }, 'private-page');
        return reply.code(303).header('Location', `/r/${token}?credit=1#credit-h`).send();
      } catch (err) {
        if (!(err instanceof VigilError) || err.status >= 500) throw err;
        const view = await deps.reporter.view(token);
        const error =
          err instanceof ValidationError
            ? err.fields
                .map((p) => `${t(p.path === 'choice' ? 'credit.question' : 'credit.text')}: ${p.message}`)
                .join(' ')
            : err.message;
        caseHeaders(reply);
        return send(
          reply,
          layout({
            t,
            lang,
            private: true,
            title: t('case.heading', { caseNumber: view.caseNumber }),
            // A problem with the answer shows in the credit form; any other refusal at the top.
            body: casePage(
              t,
              lang,
              token,
              view,
              err instanceof ValidationError
                ? { credit: await creditPanel(token, { choice, text, error }) }
                : { error, credit: await creditPanel(token) },
            ),
          }),
          err.status,
        );
      }
    },
  );

  app.get<{ Params: { token: string; id: string } }>(
    '/r/:token/attachments/:id',
    { config: { html: true } },
    async (request, reply) => {
      const { meta, stream } = await deps.reporter.openAttachment(request.params.token, request.params.id);
      return attachmentDisposition(reply, meta).header('X-Robots-Tag', 'noindex').send(stream);
    },
  );
}

/**
 * Read a refused form's text fields (to show them again) and drop its files unread: nothing of a
 * submission refused at the gate is kept. An encrypted form gives only its envelope parts, which
 * are not field ids; its script fills the answers back in itself.
 */
async function drainBody(request: FastifyRequest): Promise<FormValues> {
  if (!isMultipart(request))
    return Object.fromEntries(
      Object.entries((request.body ?? {}) as FormFields).filter(
        ([, v]) => typeof v === 'string' || Array.isArray(v),
      ),
    ) as FormValues;
  try {
    return (await readMultipart(request, {
      maxFieldBytes: 256 * 1024,
      maxFields: 1000,
      onFile: async (file) => {
        file.stream.resume();
      },
    })) as FormValues;
  } catch {
    return {};
  }
}
