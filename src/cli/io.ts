/**
 * Where a run of the `vigil` command reads and writes. The entry point passes the process's own
 * streams; tests pass buffers and an environment of their own, so a command runs in-process
 * exactly as it runs from a shell, and many can run side by side without sharing anything.
 */
export interface CliIo {
  /** The variables configuration is read from (never merged with the process's own). */
  env: NodeJS.ProcessEnv;
  /** The folder relative paths on the command line are resolved against. */
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Where a passphrase is read from when a command must ask for one. */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
}

/** The running process's streams, environment and working directory. */
export function processIo(): CliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdin: process.stdin,
  };
}
