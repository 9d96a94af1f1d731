/** A mail waiting in the outbox. Sealed at rest: recipients and links are reporter data. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Our Message-ID, fixed when queued so a retried send is recognisably the same mail. */
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
}
