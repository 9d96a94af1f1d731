import fs from 'node:fs/promises';
import path from 'node:path';
import { type Config, loadConfig } from '../config/index.js';
import { VigilError } from '../core/index.js';
import { createVigil, type Vigil } from '../server.js';
import type { CliIo } from './io.js';

/** What a run leaves behind besides its output: the exit code a command asked for. */
export interface RunState {
  exitCode: number;
}

/**
 * What every command group is given: the run's streams and folder, configuration read on demand
 * (so `--help` and usage errors never need a valid environment), and a Vigil opened per command.
 */
export interface CliContext {
  io: CliIo;
  state: RunState;
  /** The configuration from the run's environment; throws `ConfigError` when it is not usable. */
  config: () => Config;
  /** A path from the command line, resolved against the run's working folder. */
  here: (file: string) => string;
  /** Writes one line to standard output (adding the line break when missing). */
  out: (s: string) => void;
  /** Opens Vigil without seeding or serving, for one-shot commands, and closes it afterwards. */
  withVigil: <T>(fn: (v: Vigil) => Promise<T>) => Promise<T>;
}

export function createCliContext(io: CliIo, state: RunState): CliContext {
  const config = (): Config => loadConfig(io.env, io.cwd);
  return {
    io,
    state,
    config,
    here: (file) => path.resolve(io.cwd, file),
    out: (s) => io.stdout(s.endsWith('\n') ? s : `${s}\n`),
    withVigil: async (fn) => {
      const v = await createVigil({ ...config(), seedExamples: false }, { logger: false, worker: false });
      try {
        return await fn(v);
      } finally {
        await v.close();
      }
    },
  };
}

/** A text file named on the command line; one that cannot be read is refused with its name as given. */
export async function readCliFile(ctx: CliContext, file: string): Promise<string> {
  return fs.readFile(ctx.here(file), 'utf8').catch(() => {
    throw new VigilError(400, 'file', `Cannot read ${file}.`);
  });
}

/** Commander accumulator for repeatable options (`--program a --program b`). */
export const collect = (value: string, previous: string[]) => [...previous, value];
