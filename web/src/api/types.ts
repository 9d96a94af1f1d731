/**
 * Names for the wire shapes the console passes around, each read off the generated schema (the
 * server's OpenAPI document), so none is typed by hand: when a route's schema changes,
 * `npm run openapi` regenerates ./schema.d.ts and these follow.
 */
import type { paths } from './schema.js';

type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON body that `method path` answers with `status` (200 unless given). */
export type ResponseBody<
  P extends keyof paths,
  M extends keyof paths[P],
  S extends number = 200,
> = paths[P][M] extends { responses: infer R } ? (S extends keyof R ? Json<R[S]> : never) : never;

/** The JSON body that `method path` takes. */
export type RequestBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: infer B;
}
  ? Json<NonNullable<B>>
  : never;

// Staff and their sign-in.
export type Session = ResponseBody<'/api/v1/auth/session', 'get'>;
export type Factors = ResponseBody<'/api/v1/auth/factors', 'get'>;
export type ApiToken = ResponseBody<'/api/v1/tokens', 'get'>['tokens'][number];

// Programs.
export type Program = ResponseBody<'/api/v1/programs/{slug}', 'get'>;
export type Member = ResponseBody<'/api/v1/programs/{slug}/members', 'get'>['members'][number];

// Cases.
export type QueuePage = ResponseBody<'/api/v1/reports', 'get'>;
export type CaseClock = QueuePage['items'][number]['clocks'][number];
export type CaseDetail = ResponseBody<'/api/v1/reports/{caseNumber}', 'get'>;
export type Attachment = CaseDetail['attachments'][number];
/** One answer of a report form field or contact field. */
export type Answer = CaseDetail['content'][string];
export type UserRef = NonNullable<CaseDetail['assignee']>;
/** What every case action answers (the same for each action). */
export type CaseSummary = ResponseBody<'/api/v1/reports/{caseNumber}/acknowledge', 'post'>;
export type TimelineItem = ResponseBody<'/api/v1/reports/{caseNumber}/timeline', 'get'>['items'][number];
export type Assessment = ResponseBody<'/api/v1/reports/{caseNumber}/assessment', 'get'>;
export type SimilarCase = ResponseBody<'/api/v1/reports/{caseNumber}/similar', 'get'>['similar'][number];
export type Metrics = ResponseBody<'/api/v1/metrics', 'get'>;
export type Breakdown = Metrics['byState'][number];

// Privacy.
export type PrivacyEscalation = ResponseBody<'/api/v1/reports/{caseNumber}/privacy-escalation', 'get'>;
export type PhiClaim = ResponseBody<'/api/v1/reports/{caseNumber}/phi-access-claim', 'get'>;
export type CreditConsent = ResponseBody<'/api/v1/reports/{caseNumber}/credit-consent', 'get'>;
export type Quarantine = ResponseBody<'/api/v1/reports/{caseNumber}/quarantine', 'get'>;
export type QuarantinePart = Quarantine['parts'][number];
export type Redaction = Quarantine['redactions'][number];
export type RedactionPartInput = RequestBody<
  '/api/v1/reports/{caseNumber}/redactions',
  'post'
>['parts'][number];

// Policies.
export type PolicySummary = ResponseBody<'/api/v1/programs/{slug}/policies', 'get'>['documents'][number];
export type PolicyDetail = ResponseBody<'/api/v1/programs/{slug}/policies/{kind}', 'get'>;
export type PolicyVersion = PolicyDetail['versions'][number];
export type PolicyState = PolicyVersion['state'];
export type PolicyHistoryRow = PolicyDetail['history'][number];

// Advisories.
export type AdvisorySummary = ResponseBody<'/api/v1/advisories', 'get'>['advisories'][number];
export type AdvisoryDetail = ResponseBody<'/api/v1/advisories/{id}', 'get'>;
export type AdvisoryRevision = AdvisoryDetail['revisions'][number];
export type RevisionState = AdvisoryRevision['state'];
/** A revision's content; the editor sends it back whole (`PUT …/revisions/{number}`). */
export type AdvisoryContent = AdvisoryRevision['content'];
export type TlpLabel = AdvisoryContent['tlp'];
export type AdvisoryVulnerability = AdvisoryContent['vulnerabilities'][number];
export type AdvisoryProduct = AdvisoryVulnerability['affected'][number];
export type VersionStatement = AdvisoryProduct['versions'][number];
export type AdvisoryScore = NonNullable<AdvisoryVulnerability['cvss31']>;
export type AdvisoryChecks = ResponseBody<'/api/v1/advisories/{id}/revisions/{number}/checks', 'get'>;
export type AdvisoryFinding = AdvisoryChecks['errors'][number];
export type AdvisoryDeliveries = ResponseBody<'/api/v1/advisories/{id}/deliveries', 'get'>;
export type CustomerOrganisation = ResponseBody<
  '/api/v1/programs/{slug}/customers',
  'get'
>['organisations'][number];
export type CustomerContact = CustomerOrganisation['contacts'][number];
export type Coordinator = ResponseBody<'/api/v1/programs/{slug}/coordinators', 'get'>['coordinators'][number];
