/**
 * The stored report, shared by every capability that touches one: its rows and queries, the
 * sealing of its fields, the answers checked against the program's form, and the files staged
 * while a submission is being received.
 */

export { type Answers, type AnswerValue, checkAnswers, fieldFor } from './answers.js';
export { sanitizeFilename } from './filenames.js';
export { findReportByReplyTokenHash } from './reply-store.js';
export {
  type ClockWarningCandidate,
  findAttachment,
  findReportByNumber,
  findReportByTokenHash,
  insertAttachment,
  insertMessage,
  insertReport,
  listAttachments,
  listClockWarningCandidates,
  listMessages,
  markClockWarned,
  messageById,
  nextCaseSequence,
  referencedBlobKeys,
  reportById,
  touchReport,
} from './report-store.js';
export {
  type AttachmentSummary,
  attachmentNameAad,
  messageAad,
  reportAad,
  summarizeAttachment,
} from './sealing.js';
export { attachmentAad, createStagedFiles, type IncomingFile, type StagedFile } from './staged-files.js';
