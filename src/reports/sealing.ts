import type { Sealer } from '../crypto/index.js';
import type { AttachmentRow } from '../db/index.js';

/** Associated data binding each sealed report column to its row and column. */
export const reportAad = (reportId: string, column: 'content' | 'contact') => `report:${reportId}:${column}`;
export const messageAad = (messageId: string) => `message:${messageId}`;
export const attachmentNameAad = (attachmentId: string) => `attachment:${attachmentId}:name`;

/** An attachment as callers see it: the sealed name opened, the blob key left out. */
export interface AttachmentSummary {
  id: string;
  name: string;
  size: number;
  contentType: string;
  createdAt: string;
  messageId: string | null;
  /** Held in PHI quarantine (staff views only). */
  quarantined?: boolean;
  /** Destroyed by an approved redaction: a tombstone without name or content. */
  redacted?: boolean;
}

export function summarizeAttachment(sealer: Sealer, a: AttachmentRow): AttachmentSummary {
  if (a.redacted_at !== null)
    return {
      id: a.id,
      name: '',
      size: 0,
      contentType: 'application/octet-stream',
      createdAt: a.created_at,
      messageId: a.message_id,
      redacted: true,
    };
  return {
    id: a.id,
    name: sealer.open(a.name_sealed, attachmentNameAad(a.id)).toString('utf8'),
    size: Number(a.size),
    contentType: a.content_type,
    createdAt: a.created_at,
    messageId: a.message_id,
  };
}
