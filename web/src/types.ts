/** Wire shapes of the Vigil API the console reads (see docs/staff-api.md and /api/v1/openapi.json). */

export interface Membership {
  program: string;
  programName: string;
  role: string;
  duties?: string[];
}

export interface Session {
  user: { id: string; email: string; name: string; role: 'admin' | 'member' };
  csrfToken: string;
  expiresAt: string;
  idleExpiresAt: string;
  memberships: Membership[];
}

export type ClockName = 'acknowledge' | 'verify' | 'summary';
export type ClockState = 'running' | 'met' | 'breached' | 'stopped-late';

export interface CaseClock {
  name: ClockName;
  due: string;
  stoppedAt: string | null;
  state: ClockState;
  businessDaysLeft: number;
  fractionUsed: number;
}

export interface UserRef {
  id: string;
  name: string;
  email: string;
}

export interface QueueItem {
  caseNumber: string;
  program: string;
  state: string;
  channel: string;
  receivedAt: string;
  acknowledgeBy: string;
  deadlines: Record<string, string>;
  severity: string | null;
  product: string | null;
  assignee: UserRef | null;
  nextDueAt: string | null;
  clocks: CaseClock[];
  /** True while any part of the case is held in privacy quarantine. */
  phi?: boolean;
  /** The reporter's words say they reached PHI, and the team has not decided yet. */
  phiClaim?: boolean;
  /** Why the case is urgent (`phi-accessed`), or null. */
  urgent?: string | null;
}

export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
}

export type Answer = string | string[] | boolean;

export interface Attachment {
  id: string;
  name: string;
  size: number;
  contentType: string;
  createdAt: string;
  messageId: string | null;
  /** Held in privacy quarantine (for a handler the name is a placeholder and there is no download). */
  quarantined?: boolean;
  /** Redacted whole: a tombstone without name or content. */
  redacted?: boolean;
}

export interface CaseDetail {
  caseNumber: string;
  program: string;
  state: string;
  channel: string;
  receivedAt: string;
  acknowledgeBy: string;
  deadlines: Record<string, string>;
  severity: string | null;
  product: string | null;
  assignee: UserRef | null;
  contactPerson: string | null;
  nextDueAt: string | null;
  clocks: CaseClock[];
  language: string;
  intake: {
    channel?: string;
    decryption?: string;
    failure?: string;
    signature?: { status: string; keyId?: string; fingerprint?: string };
    flags?: string[];
  };
  content: Record<string, Answer>;
  contact?: Record<string, Answer>;
  attachments: Attachment[];
  privacyEscalation?: { dueAt: string; open: boolean } | null;
  /** The reporter's words saying they reached PHI: pending until the team decides. */
  phiClaim?: { pending: boolean } | null;
  urgent?: string | null;
  phi?: PhiFlag;
  /** Ids of content fields held in privacy quarantine (left out of `content` for a handler). */
  quarantine?: { fields: string[] };
}

export interface CaseSummary {
  caseNumber: string;
  program: string;
  state: string;
  assignee: UserRef | null;
  contactPerson: string | null;
  duplicateOf: string | null;
  outOfScopeCategory: string | null;
}

export type TimelineItem =
  | {
      type: 'message';
      at: string;
      messageId: string;
      author: 'reporter' | 'staff';
      staff: UserRef | null;
      visibility: 'reporter' | 'internal';
      body: string;
      quarantined?: boolean;
    }
  | { type: 'action'; at: string; action: string; from: string | null; to: string | null; by: UserRef | null }
  | { type: 'assignment'; at: string; from: UserRef | null; to: UserRef | null; by: UserRef | null };

export interface ProgramField {
  id: string;
  kind: string;
  label: string;
  required: boolean;
  options?: { value: string; label: string }[];
}

export interface Program {
  slug: string;
  name: string;
  vendor: string;
  timeZone: string;
  fields: ProgramField[];
  products: { id: string; name: string; versions: { versions: string; inScope: boolean }[] }[];
  outOfScope: { id: string; name: string }[];
}

export interface Member {
  id: string;
  name: string;
  email: string;
  role: string;
  duties?: string[];
  instanceAdmin?: boolean;
}

export interface CvssOut {
  vector: string;
  baseScore: number;
  score: number;
  severity: string;
  nomenclature?: string;
}

export interface Assessment {
  caseNumber: string;
  cvss31?: CvssOut;
  cvss40?: CvssOut;
  cwe?: { id: string; name: string };
  ssvc?: {
    exploitation: string;
    utility: string;
    technicalImpact: string;
    publicSafetyImpact: string;
    decision: string;
  };
  patientSafety?: {
    severity: string;
    phiInvolved?: boolean;
    notes?: string;
    exploitability: string;
    risk: 'controlled' | 'uncontrolled';
    fda?: { learnedOn: string; notifyCustomersBy: string; distributeFixBy: string };
  };
  affected: { productId: string; productName: string; versions: string; fixedIn?: string }[];
  remediationTargetDate?: string;
  severity: string | null;
  warnings: string[];
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface SimilarCase {
  caseNumber: string;
  title: string;
  state: string;
  receivedAt: string;
  score: number;
  reasons: { kind: string; detail: string }[];
}

export interface ApiToken {
  id: string;
  name: string;
  scope: 'read' | 'read-write';
  programs: string[] | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Factors {
  totp: boolean;
  passkeys: { id: string; name: string; createdAt: string; lastUsedAt: string | null }[];
  recoveryCodesLeft: number;
}

interface DeadlineFigures {
  due: number;
  kept: number;
  missed: number;
  open: number;
  keptShare: number | null;
}
interface DurationFigures {
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
}
export interface Breakdown {
  key: string;
  count: number;
  label?: string;
}
export interface Metrics {
  period: { from: string; to: string };
  programs: string[];
  cases: number;
  deadlines: Partial<Record<ClockName, DeadlineFigures>>;
  durations: Partial<Record<ClockName, DurationFigures>>;
  byState: Breakdown[];
  bySeverity: Breakdown[];
  byProduct: Breakdown[];
  byCwe: Breakdown[];
}

// ── Policy governance (GET/POST /api/v1/programs/{slug}/policies…) ──

export type PolicyState = 'draft' | 'in_review' | 'approved' | 'published' | 'superseded';

export interface PolicySummary {
  kind: string;
  title: string;
  reviewIntervalDays: number;
  published: { version: string; effectiveDate: string | null; publishedAt: string } | null;
  openVersion: { version: string; state: PolicyState } | null;
  lastReviewedAt: string | null;
  reviewDueAt: string | null;
  overdue: boolean;
}

export interface PolicyVersion {
  version: string;
  state: PolicyState;
  body: string;
  changes: string;
  effectiveDate: string | null;
  author: string;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  reviewedAt: string | null;
  reviewedBy: string | null;
  approvedAt: string | null;
  approvedBy: string | null;
  publishedAt: string | null;
  supersededAt: string | null;
  /** The latest send-back from review to draft (servers that offer send-back). */
  sentBackAt?: string | null;
  sentBackBy?: string | null;
  sentBackNote?: string | null;
  /** Every send-back of this version; present only where the API can send a version back. */
  sendBacks?: { at: string; by: string; note: string }[];
}

export interface PolicyHistoryRow {
  version: string;
  date: string;
  changes: string;
  reviewedBy: string | null;
  approvedBy: string | null;
  kind: 'version' | 'review';
}

export interface PolicyDetail extends PolicySummary {
  versions: PolicyVersion[];
  history: PolicyHistoryRow[];
  pendingReview: { version: string; reviewedAt: string; reviewedBy: string; note: string | null } | null;
}

// ── Privacy escalation (GET /api/v1/reports/{case}/privacy-escalation) ──

export interface PrivacyEscalation {
  caseNumber: string;
  reason: string;
  openedAt: string;
  openedBy: UserRef | null;
  openNote: string | null;
  closeNote: string | null;
  dueAt: string;
  open: boolean;
  closedAt: string | null;
  closedBy: UserRef | null;
  checklist: {
    id: string;
    label: string;
    done: boolean;
    doneBy: UserRef | null;
    doneAt: string | null;
    note: string | null;
  }[];
}

/** The reporter's words saying they reached PHI (/api/v1/reports/{case}/phi-access-claim). */
export interface PhiClaim {
  caseNumber: string;
  detectedAt: string;
  findings: { where: string; language: string; excerpt: string | null }[];
  decision: 'escalated' | 'declined' | null;
  decidedBy: UserRef | null;
  decidedAt: string | null;
  note: string | null;
}

/** Consent to public credit (/api/v1/reports/{case}/credit-consent). */
export interface CreditConsent {
  caseNumber: string;
  offered: boolean;
  current: { status: 'given'; text: string } | { status: 'declined' } | { status: 'unanswered' };
  history: {
    choice: 'given' | 'declined';
    text: string | null;
    via: 'form' | 'private-page' | 'mail-reply' | 'staff';
    recordedAt: string;
    recordedBy: UserRef | null;
    evidence: string | null;
  }[];
}

// ── PHI quarantine and redaction (/api/v1/reports/{case}/quarantine, …/redactions) ──

export interface PhiFlag {
  flagged: boolean;
  quarantined: number;
  redacted: number;
  released: number;
  /** The caller holds the privacy duty in the case's program. */
  canReview: boolean;
}

export type PartKind = 'field' | 'message' | 'attachment';

export interface PhiFinding {
  kind: string;
  label: string;
  /** Masked: never the found text itself. */
  excerpt: string;
  start: number;
  end: number;
  unit: string;
}

export interface QuarantinePart {
  id: string;
  kind: PartKind;
  ref: string;
  label: string;
  state: 'quarantined' | 'released' | 'redacted';
  kinds: string[];
  scannedBytes?: number;
  truncated?: boolean;
  findings: PhiFinding[];
  detectedAt: string;
  resolvedAt: string | null;
  resolvedBy: UserRef | null;
}

export interface Redaction {
  id: string;
  state: 'proposed' | 'applied' | 'rejected';
  reason: string;
  parts: { kind: PartKind; ref: string; spans?: number; whole?: true }[];
  proposedBy: UserRef;
  proposedAt: string;
  decidedBy: UserRef | null;
  decidedAt: string | null;
}

export interface Quarantine {
  parts: QuarantinePart[];
  redactions: Redaction[];
}

export type RedactionPartInput =
  | { kind: 'field' | 'message'; ref: string; spans: { start: number; end: number }[] }
  | { kind: 'attachment'; ref: string; whole: true };

// Advisories (docs/staff-api.md "Advisories"; src/disclosure/advisory-model.ts).

export type TlpLabel = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
export type RevisionState = 'draft' | 'in_review' | 'approved' | 'scheduled' | 'published';

export interface VersionStatement {
  version: string;
  lessThan?: string;
  lessThanOrEqual?: string;
  status: 'affected' | 'unaffected';
}

export interface AdvisoryProduct {
  productId: string;
  productName: string;
  versions: VersionStatement[];
  fixedIn?: string;
  defaultStatus: 'affected' | 'unaffected' | 'unknown';
}

export interface AdvisoryScore {
  vector: string;
  baseScore: number;
  severity: 'none' | 'low' | 'medium' | 'high' | 'critical';
}

export interface AdvisoryRemediation {
  category: 'vendor_fix' | 'mitigation' | 'workaround' | 'none_available' | 'no_fix_planned';
  details: string;
  url?: string;
  productIds?: string[];
}

export interface AdvisoryVulnerability {
  cve?: string;
  title: string;
  description: string;
  cwe?: { id: string; name: string };
  cvss31?: AdvisoryScore;
  cvss40?: AdvisoryScore;
  affected: AdvisoryProduct[];
  remediations: AdvisoryRemediation[];
  credits: { text: string; type: string; lang: string }[];
  caseNumbers: string[];
}

export interface AdvisoryContent {
  title: string;
  summary: string;
  vulnerabilities: AdvisoryVulnerability[];
  mitigations?: string;
  references: { url: string; summary?: string }[];
  tlp: TlpLabel;
  publishNotBefore?: string;
}

export interface AdvisorySummary {
  id: string;
  program: string;
  state: 'draft' | 'published';
  title: string;
  tlp: TlpLabel;
  publishedRevision: number | null;
  initialReleaseAt: string | null;
  currentReleaseAt: string | null;
  openRevision: { number: number; state: RevisionState; publishNotBefore: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

export interface AdvisoryRevision {
  number: number;
  state: RevisionState;
  summary: string;
  content: AdvisoryContent;
  /** Display names; compare people by the ids below, since two may share a name. */
  author: string;
  editors: string[];
  authorId: string;
  editorIds: string[];
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  approvedAt: string | null;
  approvedBy: string | null;
  approvedById: string | null;
  publishNotBefore: string | null;
  scheduledAt: string | null;
  publishedAt: string | null;
}

export interface AdvisoryDetail extends AdvisorySummary {
  cases: string[];
  url: string;
  revisions: AdvisoryRevision[];
  history: { number: string; date: string; summary: string }[];
}

export interface AdvisoryFinding {
  artefact: string;
  test: string;
  path: string;
  message: string;
}

export interface AdvisoryChecks {
  revision: number;
  artefacts: { kind: string; name: string }[];
  errors: AdvisoryFinding[];
  warnings: AdvisoryFinding[];
}

export interface CustomerContact {
  id: string;
  name: string;
  email: string;
  keyFingerprint: string | null;
}

export interface CustomerOrganisation {
  id: string;
  name: string;
  products: string[];
  contacts: CustomerContact[];
}

export interface Coordinator {
  id: string;
  name: string;
  email: string;
  keyFingerprint: string;
  defaultTlp: TlpLabel;
}

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'unknown';

export interface Sharing {
  coordinatorId: string;
  coordinator: string;
  email: string;
  revision: number;
  tlp: TlpLabel;
  status: DeliveryStatus;
  sharedBy: string;
  sharedAt: string;
  sentAt: string | null;
}

export interface AdvisoryDeliveries {
  deliveries: {
    kind: 'customer' | 'reporter';
    email: string;
    revision: number;
    stage: 'pre-notification' | 'publication';
    encrypted: boolean;
    status: DeliveryStatus;
    queuedAt: string;
    sentAt: string | null;
  }[];
  sharing: Sharing[];
}
