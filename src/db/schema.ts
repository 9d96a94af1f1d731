import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types. Timestamps are ISO-8601 UTC strings (`2026-11-23T10:00:00.000Z`) on both
 * dialects: they sort correctly as text and read the same everywhere. Columns ending in
 * `_sealed` hold envelope-encrypted bytes (see src/crypto) and are never readable without the
 * master key.
 */
export interface Database {
  programs: ProgramTable;
  case_counters: CaseCounterTable;
  reports: ReportTable;
  case_digest_keys: CaseDigestKeyTable;
  attachments: AttachmentTable;
  messages: MessageTable;
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  users: UserTable;
  api_tokens: ApiTokenTable;
  program_keys: ProgramKeyTable;
  program_members: ProgramMemberTable;
  clock_warnings: ClockWarningTable;
  sessions: SessionTable;
  pending_sign_ins: PendingSignInTable;
  passkeys: PasskeyTable;
  recovery_codes: RecoveryCodeTable;
  enrolment_links: EnrolmentLinkTable;
  sign_in_failures: SignInFailureTable;
  policy_documents: PolicyDocumentTable;
  policy_versions: PolicyVersionTable;
  policy_reviews: PolicyReviewTable;
  policy_review_reminders: PolicyReviewReminderTable;
  privacy_escalations: PrivacyEscalationTable;
  privacy_escalation_reminders: PrivacyEscalationReminderTable;
  policy_send_backs: PolicySendBackTable;
  phi_quarantine: PhiQuarantineTable;
  phi_access_claims: PhiAccessClaimTable;
  credit_consents: CreditConsentTable;
  phi_redactions: PhiRedactionTable;
  advisory_counters: AdvisoryCounterTable;
  advisories: AdvisoryTable;
  advisory_revisions: AdvisoryRevisionTable;
  advisory_cases: AdvisoryCaseTable;
  customer_orgs: CustomerOrgTable;
  customer_contacts: CustomerContactTable;
  customer_subscriptions: CustomerSubscriptionTable;
  coordinators: CoordinatorTable;
  advisory_deliveries: AdvisoryDeliveryTable;
  advisory_sharing_log: AdvisorySharingLogTable;
  advisory_artefacts: AdvisoryArtefactTable;
  cve_publications: CvePublicationTable;
  regulatory_triggers: RegulatoryTriggerTable;
  regulatory_clocks: RegulatoryClockTable;
  regulatory_decisions: RegulatoryDecisionTable;
  regulatory_reminders: RegulatoryReminderTable;
  adverse_events: AdverseEventTable;
  quality_signals: QualitySignalsTable;
  intake_gate_keys: IntakeGateKeyTable;
  intake_proofs_spent: IntakeProofSpentTable;
  intake_arrivals: IntakeArrivalTable;
  intake_pauses: IntakePauseTable;
  job_leases: JobLeaseTable;
  inbound_messages: InboundMessageTable;
  smtp_budget_counts: SmtpBudgetCountTable;
}

/** A deadline warning already queued: one row per report, clock and level, sent once. */
export interface ClockWarningTable {
  report_id: string;
  clock: string;
  /** `warning` (80 % of the clock) or `breach`. */
  level: string;
  created_at: string;
}

export interface ProgramMemberTable {
  user_id: string;
  program_id: string;
  /** admin | lead | handler | viewer, for this program. */
  role: string;
  /** JSON array of extra duties: "privacy", "approver". */
  duties: Generated<string>;
  created_at: string;
}

export interface ProgramKeyTable {
  id: string;
  /** null for the instance key. */
  program_id: string | null;
  fingerprint: string;
  algorithm: string;
  /** JSON array of the key's user ids. */
  user_ids: string;
  public_armored: string;
  /** The armored secret key, without passphrase, sealed under the master key. */
  secret_sealed: Buffer;
  /** `active` (published, used to sign) or `retired` (still decrypts until `decrypt_until`). */
  state: string;
  created_at: string;
  expires_at: string | null;
  activated_at: string;
  retired_at: string | null;
  decrypt_until: string | null;
}

export interface ProgramTable {
  id: string;
  slug: string;
  name: string;
  case_prefix: string;
  /** The validated program definition as JSON text (public configuration, not secret). */
  definition: string;
  revision: number;
  created_at: string;
  updated_at: string;
}

export interface CaseCounterTable {
  program_id: string;
  year: number;
  last_number: number;
}

export interface ReportTable {
  id: string;
  program_id: string;
  case_number: string;
  state: string;
  channel: string;
  language: string;
  received_at: string;
  /** Deadline instants by clock name, JSON: `{"acknowledge":"2026-…Z", …}`. */
  deadlines: string;
  acknowledge_by: string;
  /** The reporter's answers other than contact details, sealed. */
  content_sealed: Buffer;
  /** The reporter's contact details, sealed separately: only the case team may open them. */
  contact_sealed: Buffer;
  reporter_token_hash: string;
  created_at: string;
  updated_at: string;
  /** JSON: what the channel learned (e.g. `{"decryption":"ok","signature":{…}}`); no content. */
  intake_meta: Generated<string>;
  /** Hash of the token in the reply address of mail about this case, for threading replies. */
  reply_token_hash: string | null;
  assignee_id: Generated<string | null>;
  /** The named contact person given to the reporter on acknowledgement. */
  contact_person: Generated<string | null>;
  acknowledged_at: Generated<string | null>;
  verified_at: Generated<string | null>;
  summary_sent_at: Generated<string | null>;
  closed_at: Generated<string | null>;
  state_changed_at: Generated<string | null>;
  /** Report id of the case this one duplicates. */
  duplicate_of: Generated<string | null>;
  out_of_scope_category: Generated<string | null>;
  /** none | low | medium | high | critical, from the assessment. */
  severity: Generated<string | null>;
  /** The program product the case is about, in clear for filtering. */
  product_id: Generated<string | null>;
  /** JSON: CVSS vectors and scores, CWE, SSVC, patient-safety impact, affected versions. */
  assessment: Generated<string>;
  /**
   * The earliest due instant among the clocks still running, or null: a column the database
   * generates from the row itself (migration `…-queue-indexes`), so it is never written.
   */
  next_due_at: ColumnType<string | null, never, never>;
  /** 1 while any clock runs (`next_due_at` is not null), else 0: generated too, for the queue. */
  clock_running: ColumnType<number, never, never>;
  /** 1 while any part of the case is held in PHI quarantine (src/privacy-quarantine). */
  phi_flag: Generated<number>;
  /** 1 while the reporter's words say they reached PHI and the team has not decided what to do. */
  phi_claim: Generated<number>;
  /** Why the case is urgent (`phi-accessed`), or null. */
  urgent: Generated<string | null>;
  /**
   * `invalid` or `forwarded-to-support` when a triage action closed the case uninvestigated (its
   * clocks then read not applicable, src/cases/clocks.ts); null otherwise.
   */
  triage_outcome: Generated<string | null>;
  /** Keyed hashes of the similarity features (src/case-features); null until computed. */
  feature_digest: Generated<Buffer | null>;
  /** The triage score of the quality signals (0–100), for the "needs triage" lane; -1 without signals. */
  triage_rank: Generated<number>;
  /**
   * The keyed hash of the reporter's identity (as in `quality_signals`), for counting their
   * earlier reports from `reports_reporter_idx`; null without signals or without an identity.
   */
  reporter_key: Generated<string | null>;
}

/** The quality signals of one report, computed on arrival (src/cases/quality-signals.ts). */
export interface QualitySignalsTable {
  report_id: string;
  program_id: string;
  /** The triage score, 0–100. */
  score: number;
  /** JSON: the signals with their explanations; flags and counts only, never report text. */
  signals: string;
  /** Hex HMAC of the reporter's identity under the program's digest key; null when none was given. */
  reporter_key: string | null;
  computed_at: string;
}

/** One random key per program for the case feature digests, sealed under the instance keyring. */
export interface CaseDigestKeyTable {
  program_id: string;
  key_sealed: Buffer;
  created_at: string;
}

export interface AttachmentTable {
  id: string;
  report_id: string;
  message_id: string | null;
  blob_key: string;
  /** The sanitised original file name, sealed: names can say as much as contents. */
  name_sealed: Buffer;
  content_type: string;
  size: number;
  sha256: string;
  created_at: string;
  /** Set when a redaction destroyed the file: the row stays as a tombstone, without name or blob. */
  redacted_at: Generated<string | null>;
  /** 1 for the stored original of an email (`original-message.eml`). */
  raw_message: Generated<number>;
}

export interface MessageTable {
  id: string;
  report_id: string;
  author_kind: string;
  author_id: string | null;
  visibility: string;
  body_sealed: Buffer;
  created_at: string;
}

export interface OutboxTable {
  id: string;
  kind: string;
  /** What to send, sealed: recipients and links are reporter data. */
  payload_sealed: Buffer;
  state: string;
  attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  last_error: string | null;
  report_id: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  program_id: string | null;
  report_id: string | null;
  /** Non-sensitive details as JSON; never report content or contact details. */
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface UserTable {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: Generated<number>;
  created_at: string;
  /** argon2id PHC string; null until the user enrols. */
  password_hash: Generated<string | null>;
  /** The base32 TOTP secret, sealed with AAD `user:<id>:totp`; null until the user enrols. */
  totp_sealed: Generated<Buffer | null>;
  /** The last TOTP time step accepted (a code is accepted once). */
  totp_last_step: Generated<number | null>;
}

/** A console session; the browser holds the secret, the row only its SHA-256. */
export interface SessionTable {
  id: string;
  user_id: string;
  secret_hash: string;
  created_at: string;
  last_seen_at: string;
  /** The absolute end of the session, whatever its activity. */
  expires_at: string;
  /** The WebAuthn challenge of a passkey registration in progress. */
  challenge: string | null;
}

/** Between a right password and the second factor (the `vigil_pending` cookie). */
export interface PendingSignInTable {
  id: string;
  user_id: string;
  secret_hash: string;
  created_at: string;
  expires_at: string;
  /** The WebAuthn challenge of a passkey sign-in in progress. */
  challenge: string | null;
}

export interface PasskeyTable {
  id: string;
  user_id: string;
  /** The WebAuthn credential id, base64url. */
  credential_id: string;
  /** The COSE public key. */
  public_key: Buffer;
  counter: number | string;
  /** JSON array of transports the authenticator named. */
  transports: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

export interface RecoveryCodeTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

/** A setup (first admin, user null) or enrolment link; the token is stored only as its SHA-256. */
export interface EnrolmentLinkTable {
  id: string;
  token_hash: string;
  user_id: string | null;
  /** The TOTP secret offered with the link, sealed with AAD `enrolment:<id>:totp`. */
  totp_sealed: Buffer;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** One failed sign-in attempt, counted by account and by address for throttling. */
export interface SignInFailureTable {
  id: string;
  account: string | null;
  ip: string | null;
  at: string;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  scope: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** JSON array of program ids the token is limited to; null = all the user's programs. */
  program_ids: Generated<string | null>;
}

export type ProgramRow = Selectable<ProgramTable>;
export type ReportRow = Selectable<ReportTable>;
export type NewReport = Insertable<ReportTable>;
export type AttachmentRow = Selectable<AttachmentTable>;
export type MessageRow = Selectable<MessageTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type OutboxUpdate = Updateable<OutboxTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type UserRow = Selectable<UserTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
export type ProgramKeyRow = Selectable<ProgramKeyTable>;

/** A program's policy document (e.g. its disclosure policy); the text lives in its versions. */
export interface PolicyDocumentTable {
  id: string;
  program_id: string;
  kind: string;
  title: string;
  review_interval_days: number;
  /** The last publication or completed annual review; the review due date counts from it. */
  last_reviewed_at: string | null;
  created_at: string;
  created_by: string;
}

/** One version of a policy document: draft, in_review, approved, published or superseded. */
export interface PolicyVersionTable {
  id: string;
  document_id: string;
  version: string;
  state: string;
  body: string;
  /** The record of changes shown in the revision history. */
  changes: string;
  /** `YYYY-MM-DD`. */
  effective_date: string | null;
  /** null: the system (the example seed). */
  author_id: string | null;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  reviewed_at: string | null;
  reviewed_by: string | null;
  approved_at: string | null;
  approved_by: string | null;
  published_at: string | null;
  published_by: string | null;
  superseded_at: string | null;
}

/** An annual review that changed nothing: the reviewer's and then the approver's sign-off. */
export interface PolicyReviewTable {
  id: string;
  document_id: string;
  version_id: string;
  state: string;
  note: string | null;
  reviewed_at: string;
  reviewed_by: string;
  approved_at: string | null;
  approved_by: string | null;
}

/** A review reminder already queued: one per document, due date and level. */
export interface PolicyReviewReminderTable {
  document_id: string;
  due_at: string;
  level: string;
  created_at: string;
}

export type PolicyDocumentRow = Selectable<PolicyDocumentTable>;
export type PolicyVersionRow = Selectable<PolicyVersionTable>;
export type PolicyReviewRow = Selectable<PolicyReviewTable>;

/** A privacy escalation on a case (see src/privacy-escalation): one per report at most. */
export interface PrivacyEscalationTable {
  id: string;
  report_id: string;
  program_id: string;
  opened_at: string;
  due_at: string;
  /** Why it was opened, e.g. `reporter-accessed-phi`. */
  reason: string;
  /** JSON array of checklist items: id, done, by (user id), at, note (sealed, base64). */
  checklist: string;
  closed_at: string | null;
  /** The user id of the privacy officer who closed it. */
  closed_by: string | null;
  /** The user id of the staff member who opened it by hand; null when the report opened it. */
  opened_by: Generated<string | null>;
  /** Why staff opened it, sealed. */
  open_note_sealed: Generated<Buffer | null>;
  /** Why it was closed before its checklist was done, sealed. */
  close_note_sealed: Generated<Buffer | null>;
}

export type PrivacyEscalationRow = Selectable<PrivacyEscalationTable>;

/** A privacy escalation reminder already queued: one per escalation and level, sent once. */
export interface PrivacyEscalationReminderTable {
  escalation_id: string;
  /** `14-days`, `3-days` (before the due date) or `overdue`. */
  level: string;
  created_at: string;
}

/** A policy version sent back from review to draft, with the reviewer's note. */
export interface PolicySendBackTable {
  id: string;
  version_id: string;
  note: string;
  sent_back_at: string;
  sent_back_by: string;
}

export type PolicySendBackRow = Selectable<PolicySendBackTable>;

/** A part of a case held back by the PHI guard (see src/privacy-quarantine); never content. */
/** A report whose words say the reporter reached PHI or personal data, and the team's decision. */
export interface PhiAccessClaimTable {
  report_id: string;
  program_id: string;
  detected_at: string;
  /** JSON [{where, language, excerpt}], sealed. */
  findings_sealed: Buffer;
  /** null while pending; `escalated` | `declined`. */
  decision: string | null;
  decided_by: string | null;
  decided_at: string | null;
  decision_note_sealed: Buffer | null;
}

export type PhiAccessClaimRow = Selectable<PhiAccessClaimTable>;

/** One consent to public credit, or its withdrawal, as given; the latest row of a case counts. */
export interface CreditConsentTable {
  id: string;
  report_id: string;
  program_id: string;
  /** 1, 2, 3… per case: the order of changes. */
  seq: number;
  /** `given` | `declined` */
  choice: string;
  credit_text_sealed: Buffer | null;
  /** `form` | `private-page` | `mail-reply` | `staff` */
  via: string;
  evidence_sealed: Buffer | null;
  recorded_by: string | null;
  recorded_at: string;
}

export type CreditConsentRow = Selectable<CreditConsentTable>;

export interface PhiQuarantineTable {
  id: string;
  report_id: string;
  program_id: string;
  /** field | message | attachment */
  part_kind: string;
  /** The field id, message id or attachment id. */
  part_ref: string;
  /** quarantined | released | redacted */
  state: string;
  /** JSON array of PHI kinds found. */
  kinds: string;
  scanned_bytes: number | null;
  truncated: number | null;
  detected_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolve_reason_sealed: Buffer | null;
}

/** A redaction of a case: proposed by one privacy officer, approved or rejected by another. */
export interface PhiRedactionTable {
  id: string;
  report_id: string;
  program_id: string;
  /** proposed | applied | rejected */
  state: string;
  reason_sealed: Buffer;
  /** JSON: parts with span offsets or `whole`, never the text they cover. */
  parts: string;
  proposed_by: string;
  proposed_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason_sealed: Buffer | null;
}

export type PhiQuarantineRow = Selectable<PhiQuarantineTable>;
export type PhiRedactionRow = Selectable<PhiRedactionTable>;

/** The last advisory number of a program in a year (public ids `<PREFIX>-SA-<year>-<nnnn>`). */
export interface AdvisoryCounterTable {
  program_id: string;
  year: number;
  last_number: number;
}

/** An advisory (see src/disclosure): identity and which revision is public. */
export interface AdvisoryTable {
  id: string;
  program_id: string;
  public_id: string;
  /** draft (never published) | published */
  state: string;
  published_revision: number | null;
  initial_release_at: string | null;
  current_release_at: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
}

/** One revision of an advisory; a published one is immutable. */
export interface AdvisoryRevisionTable {
  id: string;
  advisory_id: string;
  number: number;
  /** draft | in_review | approved | scheduled | published */
  state: string;
  /** `AdvisoryContent` as JSON. */
  content: string;
  /** The revision-history entry. */
  summary: string;
  author_id: string;
  /** JSON array of the user ids who edited the content. */
  editors: string;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  approved_at: string | null;
  approved_by: string | null;
  publish_not_before: string | null;
  scheduled_at: string | null;
  published_at: string | null;
  published_by: string | null;
}

/** A case an advisory was drafted from (internal; never published). */
export interface AdvisoryCaseTable {
  advisory_id: string;
  report_id: string;
  added_at: string;
}

export type AdvisoryRow = Selectable<AdvisoryTable>;
export type AdvisoryRevisionRow = Selectable<AdvisoryRevisionTable>;

/** A customer organisation of a program (see src/disclosure/customers-*). */
export interface CustomerOrgTable {
  id: string;
  program_id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

/** A person at a customer organisation who receives advisories; personal data. */
export interface CustomerContactTable {
  id: string;
  org_id: string;
  name: string;
  /** Lower-cased address. */
  email: string;
  /** Armored OpenPGP public key, or null: the mail then goes out in clear. */
  public_key: string | null;
  created_at: string;
  updated_at: string;
}

/** An organisation's subscription to a product of its program. */
export interface CustomerSubscriptionTable {
  org_id: string;
  product_id: string;
  created_at: string;
}

/** A coordinator (health ISAC, national CERT) that receives encrypted sharing packages. */
export interface CoordinatorTable {
  id: string;
  program_id: string;
  name: string;
  email: string;
  public_key: string;
  default_tlp: string;
  created_at: string;
  updated_at: string;
}

/** A notification queued for an advisory revision, one per recipient address. */
export interface AdvisoryDeliveryTable {
  id: string;
  advisory_id: string;
  revision_id: string;
  revision_number: number;
  /** customer | reporter */
  recipient_kind: string;
  email: string;
  /** pre-notification | publication */
  stage: string;
  encrypted: number;
  /** SHA-256 (hex) of the revision content the mail announced. */
  content_sha256: string;
  outbox_id: string;
  created_at: string;
}

/** A sharing package sent to a coordinator. */
export interface AdvisorySharingLogTable {
  id: string;
  advisory_id: string;
  revision_id: string;
  revision_number: number;
  coordinator_id: string;
  coordinator_name: string;
  email: string;
  tlp: string;
  outbox_id: string;
  shared_by: string;
  shared_at: string;
}

export type CustomerOrgRow = Selectable<CustomerOrgTable>;
export type CustomerContactRow = Selectable<CustomerContactTable>;
export type CoordinatorRow = Selectable<CoordinatorTable>;
export type AdvisoryDeliveryRow = Selectable<AdvisoryDeliveryTable>;
export type AdvisorySharingLogRow = Selectable<AdvisorySharingLogTable>;

/** A published revision's CSAF document or CVE record: exact bytes, hashes, signature; immutable. */
export interface AdvisoryArtefactTable {
  id: string;
  advisory_id: string;
  revision_id: string;
  revision_number: number;
  program_id: string;
  /** csaf_security_advisory | csaf_vex | cve_record */
  kind: string;
  /** CSAF file name or CVE ID. */
  name: string;
  year: number;
  /** CSAF TLP label (WHITE, GREEN, AMBER, RED); only WHITE is served publicly. */
  tlp: string;
  title: string;
  body: string;
  sha256: string;
  sha512: string;
  signature: string | null;
  signer_fingerprint: string | null;
  initial_release_at: string;
  current_release_at: string;
  created_at: string;
}

/** A CVE record sent to CVE Services (the first is a creation, later ones updates). */
export interface CvePublicationTable {
  id: string;
  cve_id: string;
  artefact_id: string;
  published_by: string;
  published_at: string;
}

export type AdvisoryArtefactRow = Selectable<AdvisoryArtefactTable>;

/** A fact recorded on a case that may start regulatory clocks (src/regulatory). */
export interface RegulatoryTriggerTable {
  id: string;
  report_id: string;
  program_id: string;
  product_id: string;
  kind: string;
  aware_at: string;
  recorded_at: string;
  /** Null when the assessment recorded it. */
  recorded_by: string | null;
  /** `staff` or `assessment`. */
  source: string;
  reason_sealed: Buffer | null;
  /** JSON: individualsAffected, residentsOfOneState, outcome, remedialAction. */
  details: string;
  measure_available_at: string | null;
}
export type RegulatoryTriggerRow = Selectable<RegulatoryTriggerTable>;

/** One regulatory clock a trigger started: a report due to someone by a deadline. */
export interface RegulatoryClockTable {
  id: string;
  trigger_id: string;
  report_id: string;
  program_id: string;
  /** The duty's id in src/regulatory/duties.ts. */
  duty: string;
  regime: string;
  started_at: string | null;
  due_at: string | null;
  /** `submitted`, `not-reportable`, or null while it runs or waits. */
  resolution: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  reference: string | null;
  created_at: string;
}
export type RegulatoryClockRow = Selectable<RegulatoryClockTable>;

/** A "not reportable" decision: proposed by one person, approved or rejected by another. */
export interface RegulatoryDecisionTable {
  id: string;
  trigger_id: string;
  report_id: string;
  program_id: string;
  regime: string;
  reason_sealed: Buffer;
  decided_by: string;
  decided_at: string;
  /** `proposed`, `approved` or `rejected`. */
  state: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_note_sealed: Buffer | null;
}
export type RegulatoryDecisionRow = Selectable<RegulatoryDecisionTable>;

/** A regulatory reminder level already queued for a clock, sent once. */
export interface RegulatoryReminderTable {
  clock_id: string;
  level: string;
  created_at: string;
}

/** A complaint/vigilance record for the quality system, one per case. */
export interface AdverseEventTable {
  id: string;
  report_id: string;
  program_id: string;
  number: string;
  opened_at: string;
  /** JSON array of reasons. */
  reasons: string;
}
export type AdverseEventRow = Selectable<AdverseEventTable>;

/** The instance's proof-of-work HMAC key (`id` = `pow`), sealed under the keyring. */
export interface IntakeGateKeyTable {
  id: string;
  key_sealed: Buffer;
  created_at: string;
}

/** A proof accepted once: `pow:<signature>` or `wait:<nonce>`, kept until it would have expired. */
export interface IntakeProofSpentTable {
  id: string;
  program_id: string;
  expires_at: string;
}

/** An accepted web or API submission, by keyed hash of its client address; kept one hour. */
export interface IntakeArrivalTable {
  id: string;
  program_id: string;
  address_tag: string;
  arrived_at: string;
}

/** A program whose intake is paused: the public message and the promised reopening date. */
export interface IntakePauseTable {
  program_id: string;
  message: string;
  reopens_on: string | null;
  paused_by: string;
  paused_at: string;
}

/** A job that runs on one instance at a time: who holds it, and until when (see src/jobs/lease-store.ts). */
export interface JobLeaseTable {
  name: string;
  holder: string;
  expires_at: string;
}

/** A mail that made a case or a reply, by SHA-256 over its Message-ID and content hash. */
export interface InboundMessageTable {
  message_key: string;
  report_id: string;
  kind: string;
  received_at: string;
}

/** The SMTP listener's count for one budget key (hashed sender, or program) in one hour. */
export interface SmtpBudgetCountTable {
  budget_key: string;
  hour: string;
  count: number;
}
