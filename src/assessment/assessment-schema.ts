import { z } from 'zod';
import { SEVERITIES } from './cvss.js';
import { EXPLOITABILITY, HARM_SEVERITIES } from './patient-safety.js';
import { EXPLOITATION, PUBLIC_SAFETY_IMPACT, SSVC_DECISIONS, TECHNICAL_IMPACT, UTILITY } from './ssvc.js';

/**
 * The assessment's wire shapes. The request schema checks shape only (types, enums, lengths);
 * whether a vector scores, a CWE exists or a product belongs to the program is checked by the
 * service in one pass, so a request with several such mistakes hears about all of them at once.
 */

const text = (max: number) => z.string().max(max, `at most ${max} characters`);

export const ssvcInputSchema = z.strictObject({
  exploitation: z.enum(EXPLOITATION),
  utility: z.enum(UTILITY),
  technicalImpact: z.enum(TECHNICAL_IMPACT),
  publicSafetyImpact: z.enum(PUBLIC_SAFETY_IMPACT),
});

export const assessmentInputSchema = z
  .strictObject({
    cvss31: text(200)
      .optional()
      .describe('A CVSS 3.1 vector, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
    cvss40: text(400)
      .optional()
      .describe('A CVSS 4.0 vector, e.g. CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'),
    cwe: text(20).optional().describe('A CWE id from the catalogue, e.g. CWE-79 (or 79).'),
    ssvc: ssvcInputSchema.optional().describe('SSVC supplier decision points.'),
    patientSafety: z
      .strictObject({
        severity: z.enum(HARM_SEVERITIES).describe('Severity of potential patient harm (ISO 14971).'),
        phiInvolved: z.boolean().optional(),
        notes: text(4000).optional(),
      })
      .optional(),
    affected: z
      .array(
        z.strictObject({
          productId: text(64),
          versions: text(200).min(1, 'name the affected versions, e.g. ">= 3.0, < 3.4.2"'),
          fixedIn: text(200).optional(),
        }),
      )
      .max(50, 'at most 50 entries')
      .optional(),
    remediationTargetDate: text(10).optional().describe('YYYY-MM-DD'),
  })
  .describe('The whole assessment: PUT replaces it, so a part left out is removed.');
export type AssessmentInput = z.infer<typeof assessmentInputSchema>;

const cvssOut = z.object({
  vector: z.string(),
  baseScore: z.number(),
  score: z.number(),
  severity: z.enum(SEVERITIES),
  nomenclature: z.string().optional(),
});

/** What is stored in `reports.assessment` and returned: the input plus everything computed from it. */
export const assessmentSchema = z.object({
  cvss31: cvssOut.optional(),
  cvss40: cvssOut.optional(),
  cwe: z.object({ id: z.string(), name: z.string() }).optional(),
  ssvc: ssvcInputSchema.extend({ decision: z.enum(SSVC_DECISIONS) }).optional(),
  patientSafety: z
    .object({
      severity: z.enum(HARM_SEVERITIES),
      phiInvolved: z.boolean().optional(),
      notes: z.string().optional(),
      exploitability: z.enum(EXPLOITABILITY),
      risk: z.enum(['controlled', 'uncontrolled']),
      fda: z
        .object({
          learnedOn: z.string(),
          notifyCustomersBy: z.string(),
          notifyCustomersDueAt: z.string(),
          distributeFixBy: z.string(),
          distributeFixDueAt: z.string(),
        })
        .optional()
        .describe("FDA's 30-day customer notice and 60-day fix clocks, for an uncontrolled risk."),
    })
    .optional(),
  affected: z.array(
    z.object({
      productId: z.string(),
      productName: z.string(),
      versions: z.string(),
      fixedIn: z.string().optional(),
    }),
  ),
  remediationTargetDate: z.string().optional(),
  /** Severity of the case: from CVSS 4.0 when given, else 3.1; null without a vector. */
  severity: z.enum(SEVERITIES).nullable(),
  /** Things a person should look at, e.g. a target date after FDA's fix deadline. */
  warnings: z.array(z.string()),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type Assessment = z.infer<typeof assessmentSchema>;

export const assessmentResponseSchema = assessmentSchema.extend({ caseNumber: z.string() });
export type AssessmentResponse = z.infer<typeof assessmentResponseSchema>;

export const EMPTY_ASSESSMENT: Assessment = {
  affected: [],
  severity: null,
  warnings: [],
  updatedAt: null,
  updatedBy: null,
};
