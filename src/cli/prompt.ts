import { VigilError } from '../core/index.js';
import type { CliIo } from './io.js';

/**
 * Read a passphrase: on a terminal without echo (raw mode, so it never shows or lands in the
 * scrollback); otherwise the first line of standard input, so scripts can pipe it in.
 */
export async function askPassphrase(io: CliIo, prompt: string): Promise<string> {
  const stdin = io.stdin;
  if (!stdin.isTTY || !stdin.setRawMode) return readLine(stdin);
  const setRawMode = stdin.setRawMode.bind(stdin);
  io.stderr(prompt);
  stdin.setEncoding('utf8');
  setRawMode(true);
  stdin.resume();
  return new Promise<string>((resolve, reject) => {
    let chars: string[] = [];
    const finish = (err?: Error) => {
      stdin.off('data', onData);
      setRawMode(false);
      stdin.pause();
      io.stderr('\n');
      if (err) reject(err);
      else resolve(chars.join(''));
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003')
          return finish(new VigilError(400, 'cancelled', 'Cancelled; nothing was imported.'));
        if (ch === '\u007f' || ch === '\b') chars = chars.slice(0, -1);
        else chars.push(ch);
      }
    };
    stdin.on('data', onData);
  });
}

/** The first line of a stream (without its line break); empty at once at end of input. */
async function readLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) {
    text += chunk as string;
    const end = text.indexOf('\n');
    if (end >= 0) return text.slice(0, end).replace(/\r$/, '');
  }
  return text.replace(/\r$/, '');
}
