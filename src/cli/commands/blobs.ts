import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/** `blobs …`: the attachment store (moving a local store to S3). */
export function addBlobsCommands(program: Command, _ctx: CliContext): void {
  program.command('blobs').description('the encrypted attachment store');
}
