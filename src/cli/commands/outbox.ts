import type { Command } from 'commander';
import { listOutbox } from '../../jobs/index.js';
import type { CliContext } from '../context.js';

/** `outbox list`: queued and sent mail, by kind and state, never its content. */
export function addOutboxCommands(program: Command, ctx: CliContext): void {
  program
    .command('outbox')
    .description('outgoing mail')
    .command('list')
    .option('--state <state>', 'pending, sending, sent or failed')
    .description('list queued and sent mail (never its content)')
    .action(async (o: { state?: string }) => {
      await ctx.withVigil(async (v) => {
        const rows = await listOutbox(v.db.kysely, { state: o.state });
        if (rows.length === 0) ctx.out('The outbox is empty.');
        for (const r of rows) {
          ctx.out(
            `${r.id}\t${r.kind}\t${r.state}\tattempts=${r.attempts}\tcreated=${r.created_at}\tnext=${r.next_attempt_at}${r.last_error ? `\terror=${r.last_error}` : ''}`,
          );
        }
      });
    });
}
