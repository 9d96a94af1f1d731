import type { Command } from 'commander';
import { type CliContext, collect } from '../context.js';

/** `token create|revoke`: API tokens. */
export function addTokenCommands(program: Command, ctx: CliContext): void {
  const { io, out, withVigil } = ctx;
  const token = program.command('token').description('manage API tokens');
  token
    .command('create')
    .requiredOption('--user <email>', 'the user the token acts for')
    .option('--name <name>', 'what the token is for')
    .option('--scope <scope>', 'read or read-write', 'read')
    .option('--program <slug>', "limit the token to this program of the user's (repeatable)", collect, [])
    .action(async (o: { user: string; name?: string; scope: string; program: string[] }) => {
      await withVigil(async (v) => {
        const t = await v.services.accounts.createToken(
          {
            userEmail: o.user,
            name: o.name,
            scope: o.scope,
            programs: o.program.length ? o.program : undefined,
          },
          'cli',
        );
        const where = t.programs ? ` for ${t.programs.join(', ')}` : '';
        // The secret alone goes to standard output, so `$(vigil token create …)` captures just it.
        io.stderr(`Token ${t.id} (${t.scope})${where} created. It is shown once; store it now:\n`);
        out(t.token);
      });
    });
  token
    .command('revoke')
    .argument('<id>', 'token id')
    .action(async (id: string) => {
      await withVigil(async (v) => {
        await v.services.accounts.revokeToken(id, 'cli');
        out(`Token ${id} revoked.`);
      });
    });
}
