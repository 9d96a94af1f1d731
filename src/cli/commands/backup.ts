import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/** `backup` and `restore`: encrypted snapshots of the database and blobs. */
export function addBackupCommands(_program: Command, _ctx: CliContext): void {}
