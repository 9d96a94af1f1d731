/** Associated data binding each sealed report column to its row and column. */
export const reportAad = (reportId: string, column: 'content' | 'contact') => `report:${reportId}:${column}`;
export const messageAad = (messageId: string) => `message:${messageId}`;
export const attachmentNameAad = (attachmentId: string) => `attachment:${attachmentId}:name`;
