import { z } from 'zod';

/**
 * A program definition: everything that makes one disclosure program different from another,
 * as configuration. Imported from YAML, stored as JSON, exported back losslessly. Objects are
 * strict so a misspelt key is reported rather than silently ignored.
 */

const positiveInt = z
  .number({ error: 'expected a positive integer' })
  .int('expected a positive integer')
  .positive('expected a positive integer');
const nonEmpty = (what: string) =>
  z
    .string({ error: `expected ${what}` })
    .trim()
    .min(1, `expected ${what}`);
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const email = z.email('expected an email address');
const httpsUrl = z.url({ protocol: /^https$/, error: 'expected an https:// URL' });
const languageTag = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as "en" or "de-CH"');

/** One clock: N business days of the program's calendar, or N calendar days. */
export const deadlineRuleSchema = z.union(
  [z.strictObject({ businessDays: positiveInt }), z.strictObject({ calendarDays: positiveInt })],
  { error: 'expected { businessDays: N } or { calendarDays: N }' },
);

export const CLOCKS = ['acknowledge', 'verify', 'summary', 'remediate', 'disclose'] as const;
export type ClockName = (typeof CLOCKS)[number];

/** What a form field means to Vigil, beyond being asked: drives listing, mail and privacy rules. */
export const FIELD_PURPOSES = [
  'contact.name',
  'contact.email',
  'contact.phone',
  'contact.organization',
  'contact.title',
  'contact.publicKey',
  'title',
  'summary',
  'details',
  'product',
  'version',
  'cwe',
  'phiAccessed',
  'credit',
  'creditText',
  'disclosedTo',
  /** The reporter's declared use of AI tools: a quality signal on the case, never a reason to refuse. */
  'aiUse',
] as const;

export const FIELD_KINDS = [
  'text',
  'textarea',
  'email',
  'phone',
  'url',
  'urls',
  'select',
  'multiselect',
  'yesno',
  'checkbox',
  'product',
  'date',
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

const optionSchema = z.strictObject({
  value: nonEmpty('an option value'),
  label: nonEmpty('an option label'),
});

export const formFieldSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,62}$/, 'expected an identifier such as "stepsToReproduce"'),
    kind: z.enum(FIELD_KINDS, { error: `expected one of: ${FIELD_KINDS.join(', ')}` }),
    label: nonEmpty('a label'),
    help: z.string().optional(),
    placeholder: z.string().optional(),
    required: z.boolean().default(false),
    /** Contact fields are sealed apart from the report and shown only to the case team. */
    contact: z.boolean().default(false),
    purpose: z.enum(FIELD_PURPOSES).optional(),
    maxLength: positiveInt.optional(),
    options: z.array(optionSchema).min(1).optional(),
    section: z.string().optional(),
  })
  .superRefine((f, ctx) => {
    if ((f.kind === 'select' || f.kind === 'multiselect') && !f.options) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: `a ${f.kind} field needs options` });
    }
    if (f.purpose?.startsWith('contact.') && !f.contact) {
      ctx.addIssue({
        code: 'custom',
        path: ['contact'],
        message: `a field with purpose ${f.purpose} must be marked contact: true`,
      });
    }
  });
export type FormField = z.infer<typeof formFieldSchema>;

const versionRangeSchema = z.strictObject({
  versions: nonEmpty('a version or range, e.g. ">= 2.0" or "all"'),
  inScope: z.boolean(),
  note: z.string().optional(),
});

/**
 * Which regulations bind the vendor for one product: the facts that decide which regulatory
 * clocks a trigger on a case about this product starts (src/regulatory/duties.ts, docs/regulatory.md).
 * Strict like the rest, so a misspelt or unknown regulation is refused by name.
 */
export const regulatoryProfileSchema = z
  .strictObject({
    /** A medical device on the US market: FDA's postmarket cybersecurity guidance and 21 CFR 803. */
    fda: z
      .strictObject({
        /** A "cyber device" under section 524B of the FD&C Act (software, connects to a network). */
        cyberDevice: z.boolean().default(false),
      })
      .optional(),
    /** A medical device on the EU market under Regulation (EU) 2017/745, with its risk class. */
    euMdr: z
      .strictObject({
        class: z.enum(['I', 'IIa', 'IIb', 'III'], { error: 'expected an MDR class: I, IIa, IIb or III' }),
      })
      .optional(),
    /** An in-vitro diagnostic device on the EU market under Regulation (EU) 2017/746. */
    euIvdr: z
      .strictObject({
        class: z.enum(['A', 'B', 'C', 'D'], { error: 'expected an IVDR class: A, B, C or D' }),
      })
      .optional(),
    /** A product with digital elements under the EU Cyber Resilience Act, Regulation (EU) 2024/2847. */
    cra: z
      .strictObject({
        role: z.enum(['manufacturer', 'open-source-steward'], {
          error: 'expected "manufacturer" or "open-source-steward"',
        }),
      })
      .optional(),
    /** A hosted service handling PHI: the vendor's role under HIPAA. */
    hipaa: z
      .strictObject({
        role: z.enum(['covered-entity', 'business-associate'], {
          error: 'expected "covered-entity" or "business-associate"',
        }),
      })
      .optional(),
    /** Personal data of people in the EU: the vendor's role under the GDPR. */
    gdpr: z
      .strictObject({
        role: z.enum(['controller', 'processor'], { error: 'expected "controller" or "processor"' }),
        /**
         * A processor tells the controller "without undue delay" (Art. 33(2)); the program's own
         * figure for that, in hours, runs as the clock (24 when absent).
         */
        noticeHours: positiveInt.max(72, 'must be at most 72 hours').optional(),
      })
      .optional(),
  })
  .superRefine((p, ctx) => {
    if (Object.values(p).every((v) => v === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'name at least one regulation: fda, euMdr, euIvdr, cra, hipaa or gdpr',
      });
    if (p.euMdr && p.euIvdr)
      ctx.addIssue({
        code: 'custom',
        path: ['euIvdr'],
        message: 'a product is either an MDR device or an IVDR device, not both',
      });
    if (p.cra && (p.euMdr || p.euIvdr))
      ctx.addIssue({
        code: 'custom',
        path: ['cra'],
        message:
          'a device under the EU MDR or IVDR is outside the Cyber Resilience Act (Art. 2(2)); ' +
          'give its accessories or non-device software a product of their own',
      });
    if (p.gdpr?.noticeHours !== undefined && p.gdpr.role !== 'processor')
      ctx.addIssue({
        code: 'custom',
        path: ['gdpr', 'noticeHours'],
        message: 'only a processor has a notice to the controller; a controller has 72 hours by law',
      });
  });
export type RegulatoryProfile = z.output<typeof regulatoryProfileSchema>;

const componentSchema = z
  .string({ error: 'expected an endpoint, parameter or component name as text, e.g. "/fhir/Patient"' })
  .trim()
  .min(3, 'expected an endpoint, parameter or component name of at least 3 characters')
  .max(120, 'expected an endpoint, parameter or component name of at most 120 characters')
  .regex(/^[^\r\n]*$/, 'expected an endpoint, parameter or component name on one line')
  .regex(/[\p{L}\p{N}]/u, 'expected an endpoint, parameter or component name with letters or digits');

export const productSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a product id such as "infusion-pump-x2"'),
  name: nonEmpty('a product name'),
  kind: z.enum(['device', 'software', 'service', 'library', 'other']).default('software'),
  description: z.string().optional(),
  versions: z.array(versionRangeSchema).min(1, 'list at least one version range'),
  /** The regulations that bind the vendor for this product; none when absent. */
  regulatory: regulatoryProfileSchema.optional(),
  /**
   * The product's real endpoints, parameters and components ("/fhir/Patient", "patientId", "drug
   * library"): a report naming them is a quality signal (src/cases/quality-signals.ts). Public
   * words only: they are matched as whole words, case-insensitively.
   */
  components: z
    .array(componentSchema, {
      error:
        'expected a list of endpoints, parameters or component names, e.g. ["/fhir/Patient", "patientId"]',
    })
    .max(200, 'list at most 200 components')
    .optional(),
});
export type Product = z.infer<typeof productSchema>;

const categorySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a category id such as "denial-of-service"'),
  name: nonEmpty('a category name'),
  description: z.string().optional(),
  /** What the reporter is told when a report falls in this category. */
  response: z.string().optional(),
});

const contactSchema = z.strictObject({
  role: nonEmpty('a role, e.g. "PSIRT" or "Privacy & security officer"'),
  name: z.string().optional(),
  email: email.optional(),
});

export const programDefinitionSchema = z
  .strictObject({
    slug: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{1,62}$/,
        'expected lower-case letters, digits and dashes, e.g. "acme-devices"',
      ),
    name: nonEmpty('a program name'),
    vendor: z.strictObject({
      name: nonEmpty('the vendor name'),
      website: httpsUrl.optional(),
      contacts: z.array(contactSchema).default([]),
    }),
    casePrefix: z
      .string()
      .regex(/^[A-Z][A-Z0-9]{1,9}$/, 'expected 2–10 upper-case letters or digits, starting with a letter'),
    languages: z.array(languageTag).min(1).default(['en']),
    calendar: z.strictObject({
      timeZone: nonEmpty('an IANA time zone such as "America/Toronto"'),
      holidays: z
        .strictObject({
          country: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 country code such as "US"'),
          region: z.string().optional(),
          types: z.array(z.enum(['public', 'bank', 'school', 'optional', 'observance'])).optional(),
          /**
           * Corrections of the holiday data for this program: holidays it does not observe, by their
           * date-holidays name, and single listed dates that are worked. Checked against the data at
           * import (src/deadlines/README.md); `closures` is how dates are added.
           */
          remove: z.array(nonEmpty('a holiday name such as "Easter Monday"')).optional(),
          removeDates: z.array(localDate).optional(),
        })
        .optional(),
      closures: z.array(localDate).default([]),
      workingDays: z.array(z.number().int().min(1).max(7)).min(1).optional(),
    }),
    deadlines: z
      .strictObject({
        acknowledge: deadlineRuleSchema,
        verify: deadlineRuleSchema.optional(),
        summary: deadlineRuleSchema.optional(),
        remediate: deadlineRuleSchema.optional(),
        disclose: deadlineRuleSchema.optional(),
      })
      .describe('Promised response times; acknowledge is required'),
    policy: z.strictObject({
      summary: nonEmpty('a policy summary'),
      howToReport: nonEmpty('how to report'),
      safeHarbor: z.string().optional(),
      rulesOfEngagement: z.array(nonEmpty('a rule')).default([]),
      whatWeDo: z.array(nonEmpty('a commitment')).default([]),
      dataHandling: z.string().optional(),
      url: httpsUrl.optional(),
      visibility: z.enum(['public', 'unlisted']).default('public'),
    }),
    scope: z
      .strictObject({
        products: z.array(productSchema).min(1, 'list at least one product'),
        outOfScope: z.array(categorySchema).default([]),
        notes: z.string().optional(),
      })
      .superRefine((scope, ctx) => {
        const ids = new Set<string>();
        scope.products.forEach((prod, i) => {
          if (ids.has(prod.id))
            ctx.addIssue({
              code: 'custom',
              path: ['products', i, 'id'],
              message: `duplicate product id "${prod.id}"`,
            });
          ids.add(prod.id);
        });
      }),
    form: z
      .strictObject({
        intro: z.string().optional(),
        /** Shown above the form; e.g. "do not include PHI or personal data of others". */
        notice: z.string().optional(),
        fields: z.array(formFieldSchema).min(1, 'list at least one form field'),
        attachments: z
          .strictObject({
            allowed: z.boolean().default(true),
            label: z.string().optional(),
            help: z.string().optional(),
          })
          .default({ allowed: true }),
      })
      // Checks across fields sit on the form object itself, so they run even when another part
      // of the definition is wrong and every problem is reported at once.
      .superRefine((form, ctx) => {
        const seen = new Set<string>();
        const purposes = new Map<string, string>();
        form.fields.forEach((f, i) => {
          if (seen.has(f.id))
            ctx.addIssue({
              code: 'custom',
              path: ['fields', i, 'id'],
              message: `duplicate field id "${f.id}"`,
            });
          seen.add(f.id);
          if (!f.purpose) return;
          const owner = purposes.get(f.purpose);
          if (owner !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['fields', i, 'purpose'],
              message: `purpose "${f.purpose}" is already used by field "${owner}"`,
            });
          } else purposes.set(f.purpose, f.id);
        });
        if (
          !form.fields.some(
            (f) => f.purpose === 'summary' || f.purpose === 'title' || f.purpose === 'details',
          )
        ) {
          ctx.addIssue({
            code: 'custom',
            path: ['fields'],
            message: 'the form needs a field with purpose "title", "summary" or "details"',
          });
        }
      }),
    /**
     * How the program handles a reporter who reached PHI or personal data. `escalationDays`: the
     * privacy escalation's deadline in calendar days after receipt; when absent, 60 — the outer
     * limit HIPAA sets for breach notification, which a program may shorten but not pass.
     */
    privacy: z
      .strictObject({
        escalationDays: positiveInt
          .max(60, 'must be at most 60 calendar days, the outer HIPAA breach-notification limit')
          .optional(),
        /**
         * The acknowledgement clock of a case whose reporter answers that they reached PHI or
         * personal data (the form's `phiAccessed` question): shorter than the usual one, since the
         * policy asks them to stop and tell the vendor at once. Such a case is urgent in the queue.
         */
        urgentAcknowledge: deadlineRuleSchema.optional(),
      })
      .optional(),
    rewards: z.strictObject({
      kind: z.enum(['none', 'bounty']),
      note: z.string().optional(),
    }),
    credits: z.strictObject({
      /** A public acknowledgements page (hall of fame). */
      publicAcknowledgements: z.boolean(),
      /** Credit in CVE records, in the reporter's words, when they ask for it. */
      cve: z.boolean(),
      /** Credit only with the reporter's explicit consent. */
      requireConsent: z.boolean().default(true),
    }),
    disclosure: z
      .strictObject({
        defaultEmbargoDays: positiveInt.optional(),
        bulletins: z.boolean().default(true),
        notifyCustomers: z.boolean().default(false),
        /**
         * Tell customers when a revision is approved and scheduled under embargo, instead of at
         * publication (they are not told again when it goes public). Needs `notifyCustomers`.
         */
        preNotifyCustomers: z.boolean().default(false),
        coordinators: z.array(nonEmpty('a coordinator name')).default([]),
        cna: z
          .strictObject({
            enabled: z.boolean(),
            shortName: z.string().optional(),
            scope: z.string().optional(),
          })
          .default({ enabled: false }),
        /** CSAF 2.0 documents at publication: the security advisory always, VEX too when `vex`. */
        csaf: z.strictObject({ vex: z.boolean().default(false) }).default({ vex: false }),
      })
      .default({
        bulletins: true,
        notifyCustomers: false,
        preNotifyCustomers: false,
        coordinators: [],
        cna: { enabled: false },
        csaf: { vex: false },
      }),
    intake: z
      .strictObject({
        web: z.boolean().default(true),
        emailAddresses: z.array(email).default([]),
        preferredLanguage: languageTag.optional(),
      })
      .default({ web: true, emailAddresses: [] }),
    securityTxt: z
      .strictObject({
        contacts: z
          .array(z.string().regex(/^(mailto:|https:\/\/|tel:)/, 'expected a mailto:, https:// or tel: URI'))
          .default([]),
        expiresInDays: z
          .number()
          .int()
          .min(1)
          .max(365, 'security.txt must not expire more than a year ahead')
          .default(180),
        hiring: httpsUrl.optional(),
        acknowledgments: httpsUrl.optional(),
      })
      .default({ contacts: [], expiresInDays: 180 }),
    openpgp: z
      .strictObject({
        required: z.boolean().default(false),
        keyUrl: httpsUrl.optional(),
        fingerprint: z
          .string()
          .regex(/^[0-9A-F]{40}([0-9A-F]{24})?$/, 'expected a 40- or 64-digit upper-case hex fingerprint')
          .optional(),
      })
      .optional(),
    /**
     * What triage sends reporters of reports that are no vulnerability reports (issue 18):
     * `invalidReply`, the answer to a report closed as invalid or spam (a standard one when
     * absent); `supportContact`, where "not a vulnerability: forward to support" sends the
     * reporter — a product question or a support request belongs there. Both reach the reporter
     * in clear mail, so they must hold nothing but the program's public words.
     */
    triage: z
      .strictObject({
        invalidReply: nonEmpty('the reply to an invalid report').optional(),
        supportContact: z
          .strictObject({
            text: nonEmpty('a sentence naming the support channel, e.g. "Our customer support team"'),
            email: email.optional(),
            url: httpsUrl.optional(),
          })
          .refine((c) => c.email !== undefined || c.url !== undefined, {
            message: 'give an email or a url (or both) where the reporter reaches support',
            path: ['email'],
          })
          .optional(),
      })
      .optional(),
  })
  .superRefine((def, ctx) => {
    // The urgent clock starts on the form's PHI answer: without that question it could never run.
    if (def.privacy?.urgentAcknowledge && !def.form.fields.some((f) => f.purpose === 'phiAccessed'))
      ctx.addIssue({
        code: 'custom',
        path: ['privacy', 'urgentAcknowledge'],
        message: 'needs a form field with purpose "phiAccessed", whose "yes" starts this clock',
      });
  });

/** A program definition as written in YAML (before defaults). */
export type ProgramDefinitionInput = z.input<typeof programDefinitionSchema>;
/** A validated program definition with defaults applied. */
export type ProgramDefinition = z.output<typeof programDefinitionSchema>;

/** The privacy escalation deadline when a program sets none: HIPAA's outer breach-notification limit. */
export const DEFAULT_ESCALATION_DAYS = 60;
