import type { ChildProcess } from 'node:child_process';
import readline from 'node:readline';

/** One line of JSON a benchmark's server child writes on stdout. */
export interface ChildMessage {
  event: string;
  [k: string]: unknown;
}

/**
 * Read a server child's stdout as JSON messages; `next(event)` waits for the next one and fails if
 * it is another event or the child exits first. Lines that are not JSON go to stderr with `label`.
 */
export function childMessages(child: ChildProcess, label: string) {
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const queued: ChildMessage[] = [];
  const waiting: ((m: ChildMessage) => void)[] = [];
  const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
  lines.on('line', (line) => {
    let msg: ChildMessage;
    try {
      msg = JSON.parse(line) as ChildMessage;
    } catch {
      process.stderr.write(`[${label}] ${line}\n`);
      return;
    }
    const w = waiting.shift();
    if (w) w(msg);
    else queued.push(msg);
  });
  const next = (event: string) =>
    Promise.race([
      new Promise<ChildMessage>((resolve) => {
        const q = queued.shift();
        if (q) resolve(q);
        else waiting.push(resolve);
      }).then((m) => {
        if (m.event !== event)
          throw new Error(`expected "${event}" from the server child, got ${JSON.stringify(m)}`);
        return m;
      }),
      exited.then((code) => {
        throw new Error(`the server child exited (${code}) before "${event}"`);
      }),
    ]);
  return { next, exited, lines };
}
