import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { packageRoot, VigilError } from '../core/index.js';

/**
 * Instance configuration, read once at start-up from the environment. Every problem is
 * reported at once, so an operator fixes a misconfiguration in one go. No secret has a
 * default: the master key is either given or generated and kept in the data directory.
 */

const MiB = 1024 * 1024;

const intFrom = (name: string, def: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

const boolFrom = (name: string, def: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return def;
      if (/^(1|true|yes|on)$/i.test(v)) return true;
      if (/^(0|false|no|off)$/i.test(v)) return false;
      ctx.addIssue({ code: 'custom', message: `${name} must be true or false` });
      return z.NEVER;
    });

const UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

const envSchema = z
  .object({
    PORT: intFrom('PORT', 8080, 0, 65535),
    HOST: z.string().default('127.0.0.1'),
    VIGIL_DATA_DIR: z.string().default('./data'),
    DATABASE_URL: z
      .string()
      .optional()
      .refine((v) => v === undefined || v === '' || /^postgres(ql)?:\/\//.test(v), {
        message: 'DATABASE_URL must be a postgres:// or postgresql:// URL',
      }),
    VIGIL_MASTER_KEY: z.string().optional(),
    VIGIL_PUBLIC_URL: z
      .string()
      .optional()
      .refine((v) => v === undefined || v === '' || /^https?:\/\/[^/]+/.test(v), {
        message: 'VIGIL_PUBLIC_URL must be an absolute http(s) URL such as https://security.example.com',
      }),
    VIGIL_SMTP_URL: z
      .string()
      .optional()
      .refine((v) => v === undefined || v === '' || /^smtps?:\/\//.test(v), {
        message: 'VIGIL_SMTP_URL must be an smtp:// or smtps:// URL',
      }),
    VIGIL_MAIL_FROM: z.string().default('Vigil <vigil@localhost>'),
    VIGIL_MAX_FILE_BYTES: intFrom('VIGIL_MAX_FILE_BYTES', 100 * MiB, 1, 4096 * MiB),
    VIGIL_MAX_REPORT_BYTES: intFrom('VIGIL_MAX_REPORT_BYTES', 250 * MiB, 1, 8192 * MiB),
    VIGIL_MAX_FILES: intFrom('VIGIL_MAX_FILES', 20, 0, 1000),
    VIGIL_MAX_FIELDS: intFrom('VIGIL_MAX_FIELDS', 200, 1, 10_000),
    VIGIL_MAX_FIELD_BYTES: intFrom('VIGIL_MAX_FIELD_BYTES', 256 * 1024, 64, 64 * MiB),
    VIGIL_DECRYPT_BUDGET_BYTES: intFrom('VIGIL_DECRYPT_BUDGET_BYTES', 96 * MiB, 64 * 1024, 64 * 1024 * MiB),
    VIGIL_SCAN_BUDGET_MS: intFrom('VIGIL_SCAN_BUDGET_MS', 10_000, 1, 600_000),
    VIGIL_SCAN_WORKERS: intFrom('VIGIL_SCAN_WORKERS', 0, 0, 64),
    VIGIL_RATE_LIMIT_PER_MINUTE: intFrom('VIGIL_RATE_LIMIT_PER_MINUTE', 20, 0, 1_000_000),
    VIGIL_SEED_EXAMPLES: boolFrom('VIGIL_SEED_EXAMPLES', true),
    VIGIL_EXAMPLES_DIR: z.string().optional(),
    VIGIL_PRIMARY_PROGRAM: z.string().optional(),
    VIGIL_TRUST_PROXY: boolFrom('VIGIL_TRUST_PROXY', false),
    VIGIL_WORKER: boolFrom('VIGIL_WORKER', true),
    VIGIL_KEY_OVERLAP_DAYS: intFrom('VIGIL_KEY_OVERLAP_DAYS', 365, 0, 3650),
    VIGIL_SMTP_LISTEN: boolFrom('VIGIL_SMTP_LISTEN', true),
    VIGIL_SMTP_PORT: intFrom('VIGIL_SMTP_PORT', 2525, 0, 65535),
    VIGIL_SMTP_MAX_BYTES: intFrom('VIGIL_SMTP_MAX_BYTES', 50 * MiB, 1024, 1024 * MiB),
    VIGIL_SMTP_PER_SENDER_PER_HOUR: intFrom('VIGIL_SMTP_PER_SENDER_PER_HOUR', 30, 0, 1_000_000),
    VIGIL_SMTP_PER_PROGRAM_PER_HOUR: intFrom('VIGIL_SMTP_PER_PROGRAM_PER_HOUR', 300, 0, 1_000_000),
    VIGIL_POW_QUIET_PER_HOUR: intFrom('VIGIL_POW_QUIET_PER_HOUR', 20, 1, 1_000_000),
    VIGIL_POW_ADDRESS_FREE_PER_HOUR: intFrom('VIGIL_POW_ADDRESS_FREE_PER_HOUR', 3, 1, 1_000_000),
    VIGIL_POW_MIN_LEVEL: intFrom('VIGIL_POW_MIN_LEVEL', 0, 0, 4),
    VIGIL_POW_MAX_NUMBER: intFrom('VIGIL_POW_MAX_NUMBER', 1_000_000, 256, 100_000_000),
    VIGIL_POW_WAIT_SECONDS: intFrom('VIGIL_POW_WAIT_SECONDS', 60, 1, 3600),
    VIGIL_POW_CHALLENGE_MINUTES: intFrom('VIGIL_POW_CHALLENGE_MINUTES', 10, 1, 240),
    VIGIL_IMAP_URL: z
      .string()
      .optional()
      .refine((v) => v === undefined || v === '' || /^imaps?:\/\//.test(v), {
        message: 'VIGIL_IMAP_URL must be an imap:// or imaps:// URL',
      }),
    VIGIL_IMAP_PROGRAM: z.string().optional(),
    VIGIL_IMAP_POLL_SECONDS: intFrom('VIGIL_IMAP_POLL_SECONDS', 60, 5, 86_400),
    VIGIL_SESSION_IDLE_MINUTES: intFrom('VIGIL_SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    VIGIL_SESSION_MAX_HOURS: intFrom('VIGIL_SESSION_MAX_HOURS', 12, 1, 30 * 24),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    VIGIL_CVE_ORG_ID: z
      .string()
      .optional()
      .refine((v) => v === undefined || v === '' || UUID.test(v), {
        message: 'VIGIL_CVE_ORG_ID must be the CNA organisation UUID from CVE Services',
      }),
    VIGIL_CVE_API_URL: z
      .string()
      .optional()
      .refine((v) => v === undefined || v === '' || /^https?:\/\/[^/]+/.test(v), {
        message: 'VIGIL_CVE_API_URL must be an absolute http(s) URL such as https://cveawg.mitre.org/api',
      }),
    VIGIL_CVE_API_USER: z.string().optional(),
    VIGIL_CVE_API_KEY: z.string().optional(),
    VIGIL_CSAF_PUBLISHER: z.string().max(200).optional(),
    VIGIL_CVE_SCHEMA: z.string().optional(),
    VIGIL_S3_BUCKET: z
      .string()
      .optional()
      .refine((v) => v === undefined || v === '' || /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v), {
        message:
          'VIGIL_S3_BUCKET must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)',
      }),
    VIGIL_S3_ENDPOINT: z
      .string()
      .optional()
      .refine((v) => v === undefined || v === '' || /^https?:\/\/[^/]+/.test(v), {
        message:
          'VIGIL_S3_ENDPOINT must be an absolute http(s) URL such as https://s3.eu-central-1.amazonaws.com',
      }),
    VIGIL_S3_REGION: z.string().default('us-east-1'),
    VIGIL_S3_ACCESS_KEY_ID: z.string().optional(),
    VIGIL_S3_SECRET_ACCESS_KEY: z.string().optional(),
    VIGIL_S3_FORCE_PATH_STYLE: boolFrom('VIGIL_S3_FORCE_PATH_STYLE', false),
    VIGIL_S3_PREFIX: z
      .string()
      .optional()
      .refine((v) => v === undefined || /^([A-Za-z0-9._-]+\/)*$/.test(v), {
        message:
          'VIGIL_S3_PREFIX must be empty or folder names ending in / (letters, digits, . _ -), e.g. vigil/',
      }),
    VIGIL_METRICS_LISTEN: boolFrom('VIGIL_METRICS_LISTEN', true),
    VIGIL_METRICS_HOST: z.string().default('127.0.0.1'),
    VIGIL_METRICS_PORT: intFrom('VIGIL_METRICS_PORT', 9464, 0, 65535),
    VIGIL_METRICS_TOKEN: z
      .string()
      .optional()
      .refine((v) => v === undefined || v === '' || v.length >= 32, {
        message:
          'VIGIL_METRICS_TOKEN must be at least 32 characters (e.g. the output of `openssl rand -hex 32`)',
      }),
    VIGIL_SMTP_TLS_CERT: z.string().optional(),
    VIGIL_SMTP_TLS_KEY: z.string().optional(),
    VIGIL_SMTP_REQUIRE_TLS: boolFrom('VIGIL_SMTP_REQUIRE_TLS', false),
    VIGIL_HOUSEKEEPING_MINUTES: intFrom('VIGIL_HOUSEKEEPING_MINUTES', 60, 1, 24 * 60),
    VIGIL_EMBARGO_CHECK_SECONDS: intFrom('VIGIL_EMBARGO_CHECK_SECONDS', 60, 1, 3600),
    VIGIL_OUTBOX_LEASE_SECONDS: intFrom('VIGIL_OUTBOX_LEASE_SECONDS', 600, 10, 86_400),
  })
  .superRefine((env, ctx) => {
    if (env.VIGIL_MAX_FILE_BYTES > env.VIGIL_MAX_REPORT_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['VIGIL_MAX_FILE_BYTES'],
        message: 'VIGIL_MAX_FILE_BYTES must not exceed VIGIL_MAX_REPORT_BYTES',
      });
    }
    // CVE Services needs all of URL, user and key (and the organisation): half a set is a mistake.
    const cveApi = ['VIGIL_CVE_API_URL', 'VIGIL_CVE_API_USER', 'VIGIL_CVE_API_KEY'] as const;
    const given = cveApi.filter((k) => (env[k] ?? '') !== '');
    if (given.length > 0) {
      for (const k of [...cveApi, 'VIGIL_CVE_ORG_ID'] as const) {
        if ((env[k] ?? '') === '')
          ctx.addIssue({
            code: 'custom',
            path: [k],
            message: `${k} is required when ${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set (CVE Services needs the URL, user, API key and organisation)`,
          });
      }
    }
    const set = (v: string | undefined) => v !== undefined && v !== '';
    if (set(env.VIGIL_S3_ACCESS_KEY_ID) !== set(env.VIGIL_S3_SECRET_ACCESS_KEY)) {
      const missing = set(env.VIGIL_S3_ACCESS_KEY_ID)
        ? 'VIGIL_S3_SECRET_ACCESS_KEY'
        : 'VIGIL_S3_ACCESS_KEY_ID';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: `${missing} is required: give both S3 credentials, or neither to use the AWS default chain (environment, profile, instance role)`,
      });
    }
    for (const k of ['VIGIL_S3_ENDPOINT', 'VIGIL_S3_ACCESS_KEY_ID', 'VIGIL_S3_PREFIX'] as const) {
      if (set(env[k]) && !set(env.VIGIL_S3_BUCKET)) {
        ctx.addIssue({
          code: 'custom',
          path: ['VIGIL_S3_BUCKET'],
          message: `VIGIL_S3_BUCKET is required when ${k} is set (attachments go to S3 only when a bucket is named)`,
        });
        break;
      }
    }
    if (set(env.VIGIL_SMTP_TLS_CERT) !== set(env.VIGIL_SMTP_TLS_KEY)) {
      const missing = set(env.VIGIL_SMTP_TLS_CERT) ? 'VIGIL_SMTP_TLS_KEY' : 'VIGIL_SMTP_TLS_CERT';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: `${missing} is required: STARTTLS needs both the certificate chain and its private key (PEM files)`,
      });
    }
    if (env.VIGIL_SMTP_REQUIRE_TLS && !set(env.VIGIL_SMTP_TLS_CERT)) {
      ctx.addIssue({
        code: 'custom',
        path: ['VIGIL_SMTP_REQUIRE_TLS'],
        message:
          'VIGIL_SMTP_REQUIRE_TLS needs VIGIL_SMTP_TLS_CERT and VIGIL_SMTP_TLS_KEY (there is no TLS to require)',
      });
    }
    if (env.VIGIL_METRICS_LISTEN && !isLoopback(env.VIGIL_METRICS_HOST) && !set(env.VIGIL_METRICS_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: ['VIGIL_METRICS_TOKEN'],
        message: `VIGIL_METRICS_TOKEN is required when VIGIL_METRICS_HOST (${env.VIGIL_METRICS_HOST}) is not a loopback address: metrics name programs and volumes`,
      });
    }
  });

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export interface Limits {
  /** Largest single attachment, in bytes. */
  maxFileBytes: number;
  /** Largest sum of attachments in one submission, in bytes. */
  maxReportBytes: number;
  maxFiles: number;
  /** Most form fields (text parts) one submission may carry. */
  maxFields: number;
  /** Largest single text field, in bytes. */
  maxFieldBytes: number;
  /**
   * Memory all large decryptions (mail and encrypted form) may hold at once, in bytes; past it
   * they wait briefly, then are refused for a later retry (`src/openpgp/decrypt-budget.ts`).
   */
  decryptBudgetBytes: number;
  /**
   * Time the PHI guard may spend on one submission (all its parts), in ms; content not checked
   * by then is held for privacy review, never passed (`src/privacy-quarantine/scan-pool.ts`).
   */
  scanBudgetMs?: number;
  /** PHI guard worker threads; 0 or unset: one per CPU beyond the main thread's, 1 to 4. */
  scanWorkers?: number;
  /**
   * What a web or API submission must cost its sender when a program is busy (adaptive
   * proof-of-work, src/intake/proof-of-work.ts); unset: the defaults of `loadConfig`.
   */
  intakeGate?: IntakeGateSettings;
}

/** The adaptive proof-of-work's settings (the formula is in src/intake/proof-of-work.ts). */
export interface IntakeGateSettings {
  /** Reports to a program per hour (all channels) below which its volume asks for no proof. */
  quietPerHour: number;
  /** Accepted web/API submissions per client address per hour before its own history raises the level. */
  addressFreePerHour: number;
  /** The lowest level ever asked (0 = none in quiet times; 1-4 = always at least that). */
  minLevel: number;
  /** The challenge's `maxnumber` at the top level (4); each level below is a quarter of the one above. */
  maxNumber: number;
  /** The wait of the form without JavaScript at the top level, in seconds; level L waits L/4 of it. */
  waitSeconds: number;
  /** How long a challenge may be solved and sent, in minutes. */
  challengeMinutes: number;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL schema to use (tests isolate themselves in one schema each). */
  databaseSchema?: string;
  masterKey?: string;
  publicUrl: string;
  smtpUrl?: string;
  mailFrom: string;
  limits: Limits;
  /** Submissions per client address per minute on public endpoints; 0 turns the limit off. */
  rateLimitPerMinute: number;
  seedExamples: boolean;
  examplesDir: string;
  primaryProgram?: string;
  trustProxy: boolean;
  /** Run the outbox worker in this process. */
  worker: boolean;
  /** Days a replaced OpenPGP program key keeps decrypting. */
  keyOverlapDays: number;
  /** The SMTP listener for inbound reports (off when `listen` is false). */
  smtpIn: {
    listen: boolean;
    port: number;
    maxBytes: number;
    perSenderPerHour: number;
    /** Reports by SMTP to one program per hour, in this instance; 0 turns the budget off. */
    perProgramPerHour?: number;
    /** STARTTLS with this certificate chain and key (PEM file paths); `require` refuses mail sent in clear. */
    tls?: { certPath: string; keyPath: string; require: boolean };
  };
  /** The IMAP mailbox to poll for reports, when the vendor's mail lands in an existing mailbox. */
  imap?: { url: string; program?: string; pollSeconds: number };
  /** Console sessions end after `idleMinutes` without a request, and after `maxHours` in any case. */
  session: { idleMinutes: number; maxHours: number };
  logLevel: string;
  /**
   * Vigil as a CNA: the organisation UUID that CVE records name as assigner, and the CVE Services
   * API when IDs are reserved and records published from Vigil (the CVE-API-ORG header is each
   * program's `disclosure.cna.shortName`).
   */
  cve: {
    orgId?: string;
    api?: { url: string; user: string; key: string };
    /**
     * A copy of the CVE Program's bundled record schema (`VIGIL_CVE_SCHEMA`): records are then
     * checked with it as well as with Vigil's own rules before publication.
     */
    schemaPath?: string;
  };
  /** The publisher named in CSAF provider metadata when several vendors share the instance. */
  csafPublisher?: string;
  /** Where attachments and sealed mail originals are kept: `<dataDir>/blobs`, or an S3-compatible bucket. */
  blobStore: BlobStoreConfig;
  /** The Prometheus listener (`/metrics`), separate from the web port; started by `vigil serve`. */
  metrics: { listen: boolean; host: string; port: number; token?: string };
  /** Minutes between housekeeping passes (expired sessions, sign-in leftovers). */
  housekeepingMinutes: number;
  /** Seconds between looks for advisories whose embargo has ended: one is published at most this late. */
  embargoCheckSeconds: number;
  /**
   * Seconds a mail claimed by an instance's outbox worker stays its own: if that instance dies
   * mid-send, another (or its restart) sends the mail once this has passed.
   */
  outboxLeaseSeconds: number;
}

/** The blob store's backend (`VIGIL_S3_*`); S3 is chosen by naming a bucket. */
export type BlobStoreConfig =
  | { kind: 'file' }
  | {
      kind: 's3';
      bucket: string;
      /** Another S3-compatible service (MinIO, Garage, ...); unset: AWS S3 of `region`. */
      endpoint?: string;
      region: string;
      /** Unset: the AWS SDK's default chain (environment, shared profile, instance role). */
      credentials?: { accessKeyId: string; secretAccessKey: string };
      /** `bucket` in the path instead of the host name, as MinIO and Garage usually want. */
      forcePathStyle: boolean;
      /** Prepended to every object key, e.g. `vigil/`; empty for the whole bucket. */
      prefix: string;
    };

export class ConfigError extends VigilError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      500,
      'config_invalid',
      `Vigil cannot start; fix the configuration:\n  - ${problems.join('\n  - ')}`,
    );
    this.problems = problems;
  }
}

/** Read the configuration from environment variables, listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((i) => {
          const key = i.path.join('.');
          return i.message.includes(key) ? i.message : `${key}: ${i.message}`;
        })),
    ...cveSchemaProblems(env.VIGIL_CVE_SCHEMA, cwd),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const empty = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(cwd, e.VIGIL_DATA_DIR),
    databaseUrl: empty(e.DATABASE_URL),
    masterKey: empty(e.VIGIL_MASTER_KEY),
    publicUrl: (empty(e.VIGIL_PUBLIC_URL) ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    smtpUrl: empty(e.VIGIL_SMTP_URL),
    mailFrom: e.VIGIL_MAIL_FROM,
    limits: {
      maxFileBytes: e.VIGIL_MAX_FILE_BYTES,
      maxReportBytes: e.VIGIL_MAX_REPORT_BYTES,
      maxFiles: e.VIGIL_MAX_FILES,
      maxFields: e.VIGIL_MAX_FIELDS,
      maxFieldBytes: e.VIGIL_MAX_FIELD_BYTES,
      decryptBudgetBytes: e.VIGIL_DECRYPT_BUDGET_BYTES,
      scanBudgetMs: e.VIGIL_SCAN_BUDGET_MS,
      scanWorkers: e.VIGIL_SCAN_WORKERS,
      intakeGate: {
        quietPerHour: e.VIGIL_POW_QUIET_PER_HOUR,
        addressFreePerHour: e.VIGIL_POW_ADDRESS_FREE_PER_HOUR,
        minLevel: e.VIGIL_POW_MIN_LEVEL,
        maxNumber: e.VIGIL_POW_MAX_NUMBER,
        waitSeconds: e.VIGIL_POW_WAIT_SECONDS,
        challengeMinutes: e.VIGIL_POW_CHALLENGE_MINUTES,
      },
    },
    rateLimitPerMinute: e.VIGIL_RATE_LIMIT_PER_MINUTE,
    seedExamples: e.VIGIL_SEED_EXAMPLES,
    examplesDir: path.resolve(cwd, empty(e.VIGIL_EXAMPLES_DIR) ?? defaultExamplesDir()),
    primaryProgram: empty(e.VIGIL_PRIMARY_PROGRAM),
    trustProxy: e.VIGIL_TRUST_PROXY,
    worker: e.VIGIL_WORKER,
    keyOverlapDays: e.VIGIL_KEY_OVERLAP_DAYS,
    smtpIn: {
      listen: e.VIGIL_SMTP_LISTEN,
      port: e.VIGIL_SMTP_PORT,
      maxBytes: e.VIGIL_SMTP_MAX_BYTES,
      perSenderPerHour: e.VIGIL_SMTP_PER_SENDER_PER_HOUR,
      perProgramPerHour: e.VIGIL_SMTP_PER_PROGRAM_PER_HOUR,
      tls: empty(e.VIGIL_SMTP_TLS_CERT)
        ? {
            certPath: path.resolve(cwd, e.VIGIL_SMTP_TLS_CERT as string),
            keyPath: path.resolve(cwd, e.VIGIL_SMTP_TLS_KEY as string),
            require: e.VIGIL_SMTP_REQUIRE_TLS,
          }
        : undefined,
    },
    imap: empty(e.VIGIL_IMAP_URL)
      ? {
          url: e.VIGIL_IMAP_URL as string,
          program: empty(e.VIGIL_IMAP_PROGRAM),
          pollSeconds: e.VIGIL_IMAP_POLL_SECONDS,
        }
      : undefined,
    session: { idleMinutes: e.VIGIL_SESSION_IDLE_MINUTES, maxHours: e.VIGIL_SESSION_MAX_HOURS },
    logLevel: e.LOG_LEVEL,
    cve: {
      orgId: empty(e.VIGIL_CVE_ORG_ID)?.toLowerCase(),
      api: empty(e.VIGIL_CVE_API_URL)
        ? {
            url: (e.VIGIL_CVE_API_URL as string).replace(/\/+$/, ''),
            user: e.VIGIL_CVE_API_USER as string,
            key: e.VIGIL_CVE_API_KEY as string,
          }
        : undefined,
      schemaPath: empty(e.VIGIL_CVE_SCHEMA) ? path.resolve(cwd, e.VIGIL_CVE_SCHEMA as string) : undefined,
    },
    csafPublisher: empty(e.VIGIL_CSAF_PUBLISHER?.trim()),
    blobStore: empty(e.VIGIL_S3_BUCKET)
      ? {
          kind: 's3',
          bucket: e.VIGIL_S3_BUCKET as string,
          endpoint: empty(e.VIGIL_S3_ENDPOINT)?.replace(/\/+$/, ''),
          region: e.VIGIL_S3_REGION,
          credentials: empty(e.VIGIL_S3_ACCESS_KEY_ID)
            ? {
                accessKeyId: e.VIGIL_S3_ACCESS_KEY_ID as string,
                secretAccessKey: e.VIGIL_S3_SECRET_ACCESS_KEY as string,
              }
            : undefined,
          forcePathStyle: e.VIGIL_S3_FORCE_PATH_STYLE,
          prefix: e.VIGIL_S3_PREFIX ?? '',
        }
      : { kind: 'file' },
    metrics: {
      listen: e.VIGIL_METRICS_LISTEN,
      host: e.VIGIL_METRICS_HOST,
      port: e.VIGIL_METRICS_PORT,
      token: empty(e.VIGIL_METRICS_TOKEN),
    },
    housekeepingMinutes: e.VIGIL_HOUSEKEEPING_MINUTES,
    embargoCheckSeconds: e.VIGIL_EMBARGO_CHECK_SECONDS,
    outboxLeaseSeconds: e.VIGIL_OUTBOX_LEASE_SECONDS,
  };
}

/**
 * `VIGIL_CVE_SCHEMA` must name a readable copy of the CVE Program's bundled record schema; a
 * wrong path is found at start-up, not at the first publication.
 */
function cveSchemaProblems(value: string | undefined, cwd: string): string[] {
  if (value === undefined || value.trim() === '') return [];
  const file = path.resolve(cwd, value);
  let id: unknown;
  try {
    id = (JSON.parse(readFileSync(file, 'utf8')) as { $id?: unknown } | null)?.$id;
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (err as Error).message;
    return [`VIGIL_CVE_SCHEMA must name the CVE record schema file (${file}): ${why}`];
  }
  return typeof id === 'string' && id.includes('CVE_Record_Format')
    ? []
    : [
        `VIGIL_CVE_SCHEMA must name CVE_Record_Format_bundled.json from the CVE Program; ${file} is another document`,
      ];
}

function defaultExamplesDir(): string {
  // The examples ship beside the package, wherever it is run from (source or dist).
  return path.join(packageRoot(), 'examples', 'programs');
}
