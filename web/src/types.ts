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
