import type { Readable } from 'node:stream';

/**
 * A file arriving in a request or a mail: its bytes as a stream (read once) and what the sender
 * says it is called and is. The name and type are the sender's words, to be sanitised.
 */
export interface IncomingFile {
  stream: Readable;
  filename?: string;
  contentType?: string;
}
