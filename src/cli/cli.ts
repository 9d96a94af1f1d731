import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/index.js';
import { describeProblems, ValidationError } from '../core/index.js';
import { addAuditCommands } from './commands/audit.js';
import { addBackupCommands } from './commands/backup.js';
import { addBlobsCommands } from './commands/blobs.js';
import { addCveCommands } from './commands/cve.js';
import { addInstanceCommands } from './commands/instance.js';
import { addKeysCommands } from './commands/keys.js';
import { addOutboxCommands } from './commands/outbox.js';
import { addPolicyCommands } from './commands/policy.js';
import { addProgramCommands } from './commands/program.js';
import { addTokenCommands } from './commands/token.js';
import { addUserCommands } from './commands/user.js';
import { createCliContext, type RunState } from './context.js';
import { type CliIo, processIo } from './io.js';

/**
 * The `vigil` command. Every failure ends with a sentence on stderr and a non-zero exit code:
 * 1 for a refused operation, 2 for a usage error, 3 for a configuration problem.
 *
 * Everything a command reads or writes goes through its `CliIo` (environment, working folder,
 * streams), so `main` runs the same in-process, in a test, as from a shell. Each group of
 * commands lives in `commands/`; the order below is the order `vigil --help` lists them in.
 */
export function buildCli(io: CliIo, state: RunState = { exitCode: 0 }): Command {
  const ctx = createCliContext(io, state);
  const program = new Command('vigil')
    .description('Vigil: coordinated vulnerability disclosure for health-technology vendors')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError()
    .exitOverride();
  for (const addGroup of [
    addInstanceCommands,
    addProgramCommands,
    addPolicyCommands,
    addUserCommands,
    addTokenCommands,
    addKeysCommands,
    addCveCommands,
    addOutboxCommands,
    addAuditCommands,
    addBlobsCommands,
    addBackupCommands,
  ]) {
    addGroup(program, ctx);
  }
  return program;
}

/**
 * Run the `vigil` command with `args` (what follows the command name) and answer its exit code.
 * `serve` resolves once the server listens and keeps running.
 */
export async function main(args: string[], io: CliIo = processIo()): Promise<number> {
  const state: RunState = { exitCode: 0 };
  try {
    await buildCli(io, state).parseAsync(args, { from: 'user' });
    return state.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof ConfigError) {
      io.stderr(`${err.message}\n`);
      return 3;
    }
    if (err instanceof ValidationError) {
      io.stderr(
        `vigil: refused — ${err.fields.length} problem(s):\n${describeProblems(err.fields).replace(/^/gm, '  ')}\n`,
      );
      return 1;
    }
    io.stderr(`vigil: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
